"""`status` exits 1 when playlists differ, in the same words as its JSON; output fits any stream."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from emulator_login import emulator_env

from soundtrack_playlists.cli import cli
from soundtrack_playlists.cli.output import fit, status_word
from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.files.paths import default_season_dir
from soundtrack_playlists.sync.report import STATUS_WORDS


@pytest.fixture
def season(tmp_path: Path) -> Path:
    target = tmp_path / "season"
    shutil.copytree(default_season_dir(), target, ignore=shutil.ignore_patterns("*.json", "*.md"))
    return target


@pytest.fixture
def env(emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's is read
    return emulator_env(emulator, tmp_path / "cache.json", client_id="emulator")


def run(env: dict[str, str], *args: str) -> object:
    return CliRunner().invoke(cli, list(args), env=env)


def test_status_exits_1_and_says_so_when_playlists_are_missing(
    season: Path, env: dict[str, str]
) -> None:
    text = CliRunner().invoke(cli, ["status", str(season)], env=env)
    assert text.exit_code == 1, text.output
    assert text.output.count("missing ") == 10
    assert "10 of 10 playlists differ from the tracklists" in text.output
    as_json = CliRunner().invoke(cli, ["status", str(season), "--json"], env=env)
    assert as_json.exit_code == 1
    value = json.loads(as_json.stdout)
    assert [row["status"] for row in value["playlists"]] == ["missing"] * 10
    assert value["in_sync"] is False and value["differing"] == 10
    assert value["summary"] in text.output


def test_status_exits_0_once_synced_and_one_edit_makes_it_differ(
    season: Path, env: dict[str, str]
) -> None:
    assert CliRunner().invoke(cli, ["sync", str(season)], env=env).exit_code == 0
    synced = CliRunner().invoke(cli, ["status", str(season)], env=env)
    assert synced.exit_code == 0, synced.output
    assert "All 10 playlists match the tracklists." in synced.output
    assert "open.spotify.com" not in synced.output  # emulator ids have no page there
    episode = season / "episode-02.txt"
    lines = episode.read_text(encoding="utf-8").splitlines()
    episode.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # drop a song
    edited = CliRunner().invoke(cli, ["status", str(season), "--json"], env=env)
    assert edited.exit_code == 1
    value = json.loads(edited.stdout)
    words = {row["name"]: row["status"] for row in value["playlists"]}
    assert sorted(words.values()).count("differs") == 2  # the episode's and the season's
    assert set(words.values()) <= set(STATUS_WORDS.values())
    assert value["summary"] == (
        "2 of 10 playlists differ from the tracklists: `soundtrack-playlists sync` updates them."
    )


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
def test_a_sync_prints_on_a_narrow_encoding_without_crashing(
    season: Path, env: dict[str, str], encoding: str
) -> None:
    assert CliRunner().invoke(cli, ["sync", str(season)], env=env).exit_code == 0
    episode = season / "episode-02.txt"
    episode.write_text(episode.read_text(encoding="utf-8").rsplit("\n", 2)[0] + "\n", "utf-8")
    child_env = {**os.environ, **env, "PYTHONIOENCODING": encoding, "LANG": "C", "LC_ALL": "C"}
    command = [sys.executable, "-m", "soundtrack_playlists", "sync", str(season)]
    done = subprocess.run(command, env=child_env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in done.stderr
    text = done.stdout.decode("utf-8" if encoding == "ascii" else encoding)
    assert "update" in text and "Report: " in text
    if encoding == "latin-1":  # (click writes UTF-8 to a stream that claims ASCII)
        assert "?Soundtrack S1E02" in text  # the quote the stream cannot carry became "?"


def test_status_words_are_coloured_only_when_asked() -> None:
    assert status_word("differs", 12, colour=False) == "differs     "
    coloured = status_word("differs", 12, colour=True)
    assert coloured.startswith("\x1b[") and coloured.endswith("\x1b[0m     ")


def test_no_color_turns_colour_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert status_word("missing", 8) == "missing "


def test_a_table_line_is_cut_to_the_width() -> None:
    assert fit("abcdef", 4) == "abc…" and fit("abc", 4) == "abc"


def test_the_resolve_table_fits_the_width() -> None:
    from soundtrack_playlists.models import Song, Status, Track
    from soundtrack_playlists.resolve.results import Resolution, SongResolution
    from soundtrack_playlists.resolve.table import resolution_table

    song = Song(title="A Very Long Song Title " * 3, artists=("Somebody With A Long Name",))
    track = Track(uri="spotify:track:" + "a" * 22, name="Long " * 10, artists=("Artist",))
    row = SongResolution(1, song, Status.MATCHED, track, 0.97, "matched")
    resolution = Resolution(songs=(row, row), searches=1)
    for width in (60, 80, 120):
        lines = resolution_table(resolution, width).splitlines()
        assert max(len(line) for line in lines[:-1]) <= width
        assert "…" in lines[1]
    wide = resolution_table(resolution).splitlines()
    assert track.uri in wide[1]  # no width: nothing is cut
    assert wide[-1] == "2 songs: 2 matched, 0 pinned, 0 review, 0 unresolved; 1 search."


def test_review_without_candidates_does_not_offer_a_range() -> None:
    from soundtrack_playlists.resolve.review import interpret, pending
    from tests.test_review import SEASON, the_lock

    unresolved = pending(SEASON, the_lock())[0]  # no candidates kept
    with pytest.raises(ValueError, match="there are no candidates") as error:
        interpret("1", unresolved)
    assert "1-0" not in str(error.value)


def test_the_report_links_to_spotify_only_for_spotify_ids() -> None:
    from soundtrack_playlists.models import Action, Episode, Outcome, Season, Song, Status, Track
    from soundtrack_playlists.resolve.results import SongResolution
    from soundtrack_playlists.settings import DEFAULT_API_URL
    from soundtrack_playlists.sync.report import render_markdown

    song = Song("Smile", ("Nat King Cole",), line=2)
    track = Track("spotify:track:" + "a" * 22, "Smile", ("Nat King Cole",))
    season = Season(show="S", season=1, episodes=(Episode(1, "Pilot", (song,)),))
    songs = (SongResolution(1, song, Status.MATCHED, track, 1.0, "accepted"),)
    outcomes = (Outcome("e1", "S1E01", "p" * 22, Action.CREATE, 1, 1),)
    spotify = render_markdown(season, songs, outcomes, api_url=DEFAULT_API_URL)
    assert "https://open.spotify.com/track/" + "a" * 22 in spotify
    assert "https://open.spotify.com/playlist/" + "p" * 22 in spotify
    local = render_markdown(season, songs, outcomes, api_url="http://127.0.0.1:1/v1/")
    assert "open.spotify.com/track" not in local and "open.spotify.com/playlist" not in local
    assert f"({track.uri})" in local


def test_long_status_lines_wrap_between_words_under_the_status() -> None:
    from soundtrack_playlists.cli.output import wrap

    line = "differs      “A Long Playlist Name”: sync would replace the items (+3 −2); rename it"
    wrapped = wrap(line, 40, 13).splitlines()
    assert all(len(part) <= 40 for part in wrapped) and len(wrapped) > 1
    assert all(part.startswith(" " * 13) for part in wrapped[1:])
    assert " ".join(wrapped).split() == line.split()  # every word kept, none cut
