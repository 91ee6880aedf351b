"""The import corpus: each source fixture imports exactly its expected songs, reports the rest."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from import_fixtures import CORPUS, SOURCES, expected_for, song_count, written_lines

from soundtrack_playlists.importing.importer import ImportOptions, run_import
from soundtrack_playlists.tracklists.folders import load_season


def options_for(source: str, tmp_path: Path, order: str | None = None) -> ImportOptions:
    return ImportOptions(
        source=source, show="Corpus", season=1, out=tmp_path / "season-1", order=order
    )


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.name)
def test_each_source_imports_its_expected_songs(source, tmp_path):
    expected = expected_for(source)
    result = run_import(options_for(str(source), tmp_path, expected.order))
    assert written_lines(result) == expected.lines
    assert result.songs == song_count(expected.lines)
    reported = {item.line: item.reason for item in result.unreadable}
    assert sorted(reported) == sorted(expected.unreadable)
    for line, words in expected.unreadable.items():
        assert words in reported[line], (line, reported[line])
    for words in expected.remarks:
        assert any(words in remark for remark in result.remarks), result.remarks
    season = load_season(tmp_path / "season-1")  # what was written reads back as a season
    assert len(season.songs) == result.songs


@pytest.fixture(scope="module")
def corpus_server() -> Iterator[str]:
    """The corpus folder served over HTTP on 127.0.0.1, as a web site would serve a page."""
    handler = functools.partial(_QuietHandler, directory=str(CORPUS))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


URL_SOURCES = [path for path in SOURCES if path.suffix in (".html", ".txt", ".csv", ".md")]


@pytest.mark.parametrize("source", URL_SOURCES, ids=lambda path: path.name)
def test_a_source_fetched_from_a_url_imports_as_the_file_does(source, tmp_path, corpus_server):
    expected = expected_for(source)
    url = f"{corpus_server}/{source.name}"
    result = run_import(options_for(url, tmp_path, expected.order))
    assert written_lines(result) == expected.lines
    assert sorted(item.line for item in result.unreadable) == sorted(expected.unreadable)
    assert result.source == url
