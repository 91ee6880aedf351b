"""Export: the lock's songs as M3U8, CSV, JSPF and JSON, each read back with a parser for it."""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from emulator_login import emulator_settings

from soundtrack_playlists.cli import cli
from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.export import render
from soundtrack_playlists.files import paths
from soundtrack_playlists.models import Status
from soundtrack_playlists.resolve.locked import resolve_and_lock
from soundtrack_playlists.resolve.resolver import NOT_RESOLVED_YET, resolve_from_lock
from soundtrack_playlists.spotify.client import SpotifyClient
from soundtrack_playlists.tracklists.folders import load_season

NOT_A_SONG = '"Zzyzx Quorble Not A Real Song" by Nobody Anyone Knows'
SCHEMA = json.loads((Path(__file__).parent / "data" / "jspf.schema.json").read_text())


@pytest.fixture(scope="module")
def resolved_season(tmp_path_factory):
    """A copy of the shipped season with one song nobody has, resolved into its lock over
    HTTP against the emulator, which is stopped before any export runs."""
    season_dir = tmp_path_factory.mktemp("export") / "season-1"
    shutil.copytree(paths.default_season_dir(), season_dir)
    episode = season_dir / "episode-02.txt"
    episode.write_text(episode.read_text(encoding="utf-8") + NOT_A_SONG + "\n", encoding="utf-8")
    with Emulator() as emulator:
        settings = emulator_settings(emulator, season_dir.parent / "token-cache.json")
        client = SpotifyClient(settings, sleep=lambda seconds: None)
        season = load_season(season_dir)
        resolution = resolve_and_lock(
            season,
            client.search_tracks,
            api_url=emulator.api_url,
            lock_file=paths.lock_path(season_dir),
        )
        api_url = emulator.api_url
    return season, resolution, api_url


@dataclass
class M3UEntry:
    title: str
    url: str
    group: str | None


@dataclass
class M3U:
    name: str | None = None
    entries: list[M3UEntry] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def read_m3u(text: str) -> M3U:
    """An extended-M3U reader: #EXTM3U first, each #EXTINF followed by its location."""
    lines = text.split("\n")
    assert lines[0] == "#EXTM3U", "an extended M3U starts with #EXTM3U"
    result, pending, group = M3U(), None, None
    for line in lines[1:]:
        if not line:
            continue
        if line.startswith("#PLAYLIST:"):
            result.name = line.removeprefix("#PLAYLIST:")
        elif line.startswith("#EXTGRP:"):
            group = line.removeprefix("#EXTGRP:")
        elif line.startswith("#EXTINF:"):
            assert pending is None, "two #EXTINF lines without a location between them"
            length, comma, title = line.removeprefix("#EXTINF:").partition(",")
            assert comma and int(length) >= -1
            pending = title
        elif line.startswith("#"):
            assert pending is None, "a comment between #EXTINF and its location"
            result.comments.append(line[1:].strip())
        else:
            assert pending is not None, f"a location without #EXTINF: {line}"
            result.entries.append(M3UEntry(pending, line, group))
            pending = None
    assert pending is None
    return result


def kept(resolution, episode=None):
    return [
        song
        for song in resolution.songs
        if song.status in (Status.MATCHED, Status.PINNED)
        and (episode is None or song.episode == episode)
    ]


def left_out(resolution, episode=None):
    return [
        song
        for song in resolution.songs
        if song.status not in (Status.MATCHED, Status.PINNED)
        and (episode is None or song.episode == episode)
    ]


def test_the_lock_alone_resolves_the_season_as_the_resolve_did(resolved_season):
    season, resolution, api_url = resolved_season
    from soundtrack_playlists.resolve.lockfile import load_lock

    again = resolve_from_lock(season, load_lock(paths.lock_path(season.directory), api_url))
    assert [(s.status, s.track and s.track.uri) for s in again.songs] == [
        (s.status, s.track and s.track.uri) for s in resolution.songs
    ]
    assert again.searches == 0
    assert any(s.song.title.startswith("Zzyzx") for s in left_out(resolution))
    unknown = resolve_from_lock(season, None)
    assert {s.status for s in unknown.songs} == {Status.UNRESOLVED}
    assert {s.reason for s in unknown.songs} == {NOT_RESOLVED_YET}


def test_m3u8_holds_the_season_in_order_grouped_by_episode(resolved_season):
    season, resolution, _ = resolved_season
    m3u = read_m3u(render(season, resolution.songs, "m3u8"))
    assert m3u.name == season.season_playlist_name()
    assert [e.url for e in m3u.entries] == [s.track.url for s in kept(resolution)]
    assert all(e.url.startswith("https://open.spotify.com/track/") for e in m3u.entries)
    assert m3u.entries[0].title == "Sia - Elastic Heart"
    assert m3u.entries[0].group == "Episode 1: Nellie and Sam"
    assert len(m3u.comments) == len(left_out(resolution))
    assert any("Zzyzx" in c and "left out (unresolved)" in c for c in m3u.comments)


def test_m3u8_of_one_episode(resolved_season):
    season, resolution, _ = resolved_season
    m3u = read_m3u(render(season, resolution.songs, "m3u8", episode=2))
    assert m3u.name == season.episode_playlist_name(season.episodes[1])
    assert [e.url for e in m3u.entries] == [s.track.url for s in kept(resolution, 2)]
    assert len(m3u.comments) == len(left_out(resolution, 2)) >= 1


def test_csv_has_a_row_per_song_of_every_playlist(resolved_season):
    season, resolution, _ = resolved_season
    rows = list(csv.DictReader(io.StringIO(render(season, resolution.songs, "csv"), newline="")))
    season_rows = [r for r in rows if r["playlist"] == season.season_playlist_name()]
    assert len(season_rows) == len(resolution.songs)
    assert len(rows) == 2 * len(resolution.songs)  # each episode's playlist, then the season's
    kept_rows = [r for r in season_rows if r["left_out"] == "no"]
    assert [r["spotify_uri"] for r in kept_rows] == [s.track.uri for s in kept(resolution)]
    assert [int(r["position"]) for r in kept_rows] == list(range(1, len(kept_rows) + 1))
    odd = next(r for r in season_rows if r["title"].startswith("Zzyzx"))
    assert odd["left_out"] == "yes" and odd["position"] == "" and odd["spotify_url"] == ""
    assert odd["status"] == "unresolved" and odd["episode"] == "2"


def test_jspf_follows_the_schema_and_marks_left_out_songs(resolved_season):
    season, resolution, _ = resolved_season
    for episode in (None, 2):
        document = json.loads(render(season, resolution.songs, "jspf", episode=episode))
        jsonschema.validate(document, SCHEMA)
        tracks = document["playlist"]["track"]
        assert len(tracks) == len(kept(resolution, episode)) + len(left_out(resolution, episode))
    located = [t["location"][0] for t in tracks if "location" in t]
    assert located == [s.track.url for s in kept(resolution, 2)]
    # ListenBrainz refuses tracks without an identifier: each found track has its link
    assert [t["identifier"] for t in tracks if "location" in t] == [[url] for url in located]
    odd = next(t for t in tracks if t["title"].startswith("Zzyzx"))
    assert "location" not in odd and "left out" in odd["annotation"]
    assert odd["extension"]["https://musicbrainz.org/doc/jspf#track"]["additional_metadata"][
        "left_out"
    ]


def test_the_schema_refuses_what_is_not_jspf():
    for bad in (
        {"playlist": {"track": [{"location": "https://example.com/a"}]}},  # not an array
        {"playlist": {"track": [{"title": "x", "trackNum": -1}]}},
        {"playlist": {"track": [], "titel": "misspelt"}},
        {"tracks": []},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, SCHEMA)


def test_json_lists_every_playlist_and_every_song(resolved_season):
    season, resolution, _ = resolved_season
    document = json.loads(render(season, resolution.songs, "json"))
    assert (document["show"], document["season"], document["year"]) == ("Soundtrack", 1, 2019)
    names = [p["name"] for p in document["playlists"]]
    assert names[-1] == season.season_playlist_name() and len(names) == 10
    songs = document["playlists"][-1]["songs"]
    assert [s["spotify"]["uri"] for s in songs if not s["left_out"]] == [
        s.track.uri for s in kept(resolution)
    ]
    assert all(s["spotify"] is None and s["position"] is None for s in songs if s["left_out"])


def test_the_command_needs_no_login_and_writes_only_the_file(resolved_season, tmp_path):
    season, resolution, api_url = resolved_season
    out = tmp_path / "season.m3u8"
    env = {"SPOTIFY_API_URL": api_url}  # which lock to read; no client id, no token
    result = CliRunner().invoke(
        cli, ["export", str(season.directory), "--format", "m3u8", "--out", str(out)], env=env
    )
    assert result.exit_code == 0, result.output
    assert len(read_m3u(out.read_text(encoding="utf-8")).entries) == len(kept(resolution))
    printed = CliRunner().invoke(
        cli, ["export", str(season.directory), "--format", "json", "--episode", "1"], env=env
    )
    assert printed.exit_code == 0, printed.output
    assert [p["episode"] for p in json.loads(printed.stdout)["playlists"]] == [1]


def test_the_command_says_what_to_do_without_a_lock_for_this_api(resolved_season):
    season, _, _ = resolved_season
    result = CliRunner().invoke(cli, ["export", str(season.directory), "--format", "csv"])
    assert result.exit_code == 1
    assert "no lock file for https://api.spotify.com/v1/" in result.output
    assert "soundtrack-playlists resolve" in result.output and "Traceback" not in result.output
    wrong = CliRunner().invoke(
        cli, ["export", str(season.directory), "--format", "csv", "--episode", "10"]
    )
    assert wrong.exit_code == 2 and "no episode 10 with songs" in wrong.output
