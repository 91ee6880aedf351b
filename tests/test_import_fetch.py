"""Fetching a tracklist page: a timeout, a size limit and clear errors, against 127.0.0.1 only."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator

import pytest

from soundtrack_playlists.importing.fetch import Fetched, SourceError, fetch
from soundtrack_playlists.importing.importer import ImportOptions, run_import

PAGE = "<h2>Episode 1: Caf\u00e9</h2><p>\u201cLa Vie en rose\u201d by \u00c9dith Piaf</p>"


class _Pages(http.server.BaseHTTPRequestHandler):
    """/page (windows-1252 HTML), /big (more than the limit), /missing (404)."""

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if self.path == "/page":
            self._send(200, PAGE.encode("cp1252"), "text/html; charset=windows-1252")
        elif self.path == "/big":
            self._send(200, b"x" * 5000, "text/plain")
        elif self.path == "/big-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"y" * 5000)  # no Content-Length: only the reading can tell
        else:
            self._send(404, b"not here", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_in_the_charset_its_server_names_imports(site, tmp_path):
    options = ImportOptions(source=f"{site}/page", show="S", season=1, out=tmp_path / "out")
    result = run_import(options)
    assert result.format == "html"
    assert [(e.title, e.lines) for e in result.episodes] == [
        ("Caf\u00e9", ('"La Vie en rose" by \u00c9dith Piaf',))
    ]


def test_a_missing_page_says_what_the_server_answered(site):
    with pytest.raises(SourceError, match="answered 404"):
        fetch(f"{site}/missing")


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
def test_a_page_over_the_size_limit_is_refused(site, path):
    with pytest.raises(SourceError, match="larger than"):
        fetch(f"{site}{path}", max_bytes=1000)


def test_a_server_that_never_answers_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # the handshake completes, but nobody ever reads or answers
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/page"
        with pytest.raises(SourceError, match="did not answer within 0.2 s"):
            fetch(url, timeout=0.2)
    finally:
        listener.close()


def test_offline_is_a_clear_error():
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    with pytest.raises(SourceError, match="could not connect to 127.0.0.1") as caught:
        fetch(f"http://127.0.0.1:{port}/page")
    assert "save the page and import the file" in str(caught.value)


def test_the_importer_fetches_through_the_function_it_is_given(tmp_path):
    asked: list[str] = []

    def fetcher(url: str) -> Fetched:
        asked.append(url)
        return Fetched(url, b'Episode 1: P\n"One" by A\n', "text/plain; charset=utf-8")

    url = "https://example.invalid/list.txt"
    options = ImportOptions(source=url, show="S", season=1, out=tmp_path / "o")
    result = run_import(options, fetcher=fetcher)
    assert asked == [url] and result.songs == 1
    assert (tmp_path / "o" / "episode-01.txt").is_file()
