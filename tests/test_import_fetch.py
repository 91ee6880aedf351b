"""Fetching a page: a deadline, a size cap, redirects checked, clear errors; 127.0.0.1 only."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from soundtrack_playlists.importing.fetch import (
    Fetched,
    SourceError,
    fetch,
    is_local_address,
    redirect_refused,
)
from soundtrack_playlists.importing.importer import ImportOptions, render_summary, run_import

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


# --- one deadline for the whole download; redirects checked hop by hop ---


STOP = threading.Event()  # set when the module's tests end: the slow handlers then stop


class _Slow(http.server.BaseHTTPRequestHandler):
    """Servers that never finish, and redirects: /trickle, /trickle-headers, /endless,
    /hop/N (a chain of N redirects to /page), /to?url (a redirect to any address)."""

    protocol_version = "HTTP/1.1"  # chunked bodies need it

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path, _, query = self.path.partition("?")
        if path == "/trickle":  # a body of 1000 bytes, one byte every 50 ms
            self._head(200, {"Content-Length": "1000", "Content-Type": "text/plain"})
            self._drip(lambda: b"x", 0.05)
        elif path == "/trickle-headers":  # headers that never end
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            self._drip(lambda: b"a", 0.05)
        elif path == "/endless":  # a chunked body far below the size cap, without end
            self._head(200, {"Transfer-Encoding": "chunked", "Content-Type": "text/plain"})
            self._drip(lambda: b"5\r\nhello\r\n", 0.01)
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            self._redirect("/page" if left <= 1 else f"/hop/{left - 1}")
        elif path == "/to":
            self._redirect(query)
        elif path == "/page":
            body = b'Episode 1: Pilot\n"One" by A\n'
            self._head(200, {"Content-Length": str(len(body)), "Content-Type": "text/plain"})
            self.wfile.write(body)
        else:
            self._head(404, {"Content-Length": "0"})

    def _head(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.flush()

    def _redirect(self, location: str) -> None:
        self._head(302, {"Location": location, "Content-Length": "0"})

    def _drip(self, piece: Callable[[], bytes], every: float) -> None:
        while not STOP.is_set():
            try:
                self.wfile.write(piece())
                self.wfile.flush()
            except OSError:  # the client gave up: the test is done with us
                return
            STOP.wait(every)
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="module")
def slow_site() -> Iterator[str]:
    STOP.clear()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        STOP.set()
        server.shutdown()
        server.server_close()


def _downloads() -> int:
    return sum(thread.name == "tracklist download" for thread in threading.enumerate())


@pytest.mark.parametrize("path", ["/trickle", "/endless", "/trickle-headers"])
def test_a_server_that_never_finishes_is_given_up_on_at_the_deadline(slow_site, path):
    before = _downloads()
    earlier = set(threading.enumerate())
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"did not finish within 0\.3 s") as caught:
        fetch(f"{slow_site}{path}", deadline=0.3)
    assert time.monotonic() - started < 3, "the deadline did not hold"
    assert "try again later, or save the page and import the file" in str(caught.value)
    if path != "/trickle-headers":  # a body being read is cut off: its download ends too
        ends = time.monotonic() + 3  # (headers are read inside requests, out of reach)
        for thread in set(threading.enumerate()) - earlier:
            if thread.name == "tracklist download":
                thread.join(timeout=max(0.0, ends - time.monotonic()))
        assert _downloads() == before, "the download was left running"


def test_each_redirect_is_followed_and_named(slow_site, tmp_path):
    fetched = fetch(f"{slow_site}/hop/2")
    assert fetched.hops == (f"{slow_site}/hop/2", f"{slow_site}/hop/1", f"{slow_site}/page")
    assert fetched.url == f"{slow_site}/page" and fetched.body.startswith(b"Episode 1")

    options = ImportOptions(source=f"{slow_site}/hop/2", show="S", season=1, out=tmp_path / "o")
    summary = render_summary(run_import(options))
    assert f"Read {slow_site}/hop/2 → {slow_site}/hop/1 → {slow_site}/page as text" in summary


def test_an_error_after_a_redirect_names_every_hop(slow_site):
    with pytest.raises(SourceError, match="answered 404") as caught:
        fetch(f"{slow_site}/to?/gone")
    assert str(caught.value).startswith(f"{slow_site}/to?/gone → {slow_site}/gone: ")


@pytest.mark.parametrize("target", ["ftp://127.0.0.1/list.txt", "file:///etc/passwd"])
def test_a_redirect_to_anything_but_http_is_refused(slow_site, target):
    with pytest.raises(SourceError, match=r"not an http\(s\) address: refused"):
        fetch(f"{slow_site}/to?{target}")


def test_endless_redirects_are_refused(slow_site):
    with pytest.raises(SourceError, match="more than 5 redirects"):
        fetch(f"{slow_site}/hop/9")
    assert fetch(f"{slow_site}/hop/5").url == f"{slow_site}/page"  # five are fine


PUBLIC = "93.184.215.14"  # a public address (example.com's); tests only pretend to reach it


def test_a_redirect_from_a_public_host_to_a_private_one_is_refused(slow_site):
    """The test server is on 127.0.0.1; the resolver says it is on the internet."""
    pretend = {"127.0.0.1": [PUBLIC], "router.home": ["192.168.1.1"]}.get

    def resolve(host: str) -> list[str]:
        return pretend(host, [])

    with pytest.raises(SourceError, match="private network, from a page on the internet"):
        fetch(f"{slow_site}/to?http://router.home/admin", resolve=resolve)
    with pytest.raises(SourceError, match="refused; if you trust that address, import it"):
        fetch(f"{slow_site}/to?http://192.168.1.1/", resolve=lambda host: pretend(host, [host]))
    # public to public is followed: here the "public" page is the test server again
    port = slow_site.rsplit(":", 1)[1]
    everywhere_public = {"127.0.0.1": [PUBLIC], "localhost": [PUBLIC]}.get

    def public(host: str) -> list[str]:
        return everywhere_public(host, [])

    followed = fetch(f"{slow_site}/to?http://localhost:{port}/page", resolve=public)
    assert followed.url == f"http://localhost:{port}/page"


def test_a_local_first_address_may_redirect_to_another_local_one(slow_site):
    port = slow_site.rsplit(":", 1)[1]
    fetched = fetch(f"{slow_site}/to?http://localhost:{port}/page")
    assert fetched.hops[-1] == f"http://localhost:{port}/page"


@pytest.mark.parametrize(
    ("address", "local"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.9", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),  # cloud metadata
        ("100.64.0.1", True),  # carrier-grade NAT
        ("0.0.0.0", True),
        ("::1", True),
        ("fe80::1%eth0", True),
        ("fd00::1", True),
        ("::ffff:127.0.0.1", True),  # IPv4 loopback written as IPv6
        ("not an address", True),
        (PUBLIC, False),
        ("2606:4700:4700::1111", False),
    ],
)
def test_which_addresses_are_local(address, local):
    assert is_local_address(address) is local


@pytest.mark.parametrize(
    ("start", "target", "refused"),
    [
        ([PUBLIC], ["127.0.0.1"], True),
        ([PUBLIC], [PUBLIC, "10.0.0.1"], True),  # any local address of the target
        ([PUBLIC], [PUBLIC], False),
        (["127.0.0.1"], ["10.0.0.1"], False),  # the user asked for a local page to begin with
        (["192.168.1.5"], [PUBLIC], False),
        ([PUBLIC], [], False),  # a name that doesn't resolve: the request fails on its own
    ],
)
def test_which_redirects_are_refused(start, target, refused):
    assert redirect_refused(start, target) is refused
