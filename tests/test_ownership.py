"""What a sync may touch: its own season's state, each API's lock section, marked playlists only."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from emulator_login import log_in_commands

from soundtrack_playlists.cli import cli
from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.errors import LocalFileError, LockError, TracklistError
from soundtrack_playlists.files import paths
from soundtrack_playlists.models import Action, Status, Track
from soundtrack_playlists.resolve.lockfile import Lock, LockEntry, load_lock, save_lock
from soundtrack_playlists.settings import DEFAULT_API_URL
from soundtrack_playlists.sync.run import SyncOptions, sync_season
from soundtrack_playlists.sync.state import load_state
from soundtrack_playlists.tracklists.folders import load_season

USER = "demo-user"
EPISODE_1 = "Soundtrack S1E01 · Nellie and Sam"
PIN = "spotify:track:" + "P" * 22


def mine(emulator: Emulator) -> str:
    """A track of the catalog for a playlist of the user's own."""
    return emulator.catalog.tracks[-1].uri


def own(emulator: Emulator) -> dict[str, dict]:
    """The user's own followed playlists by id."""
    return {
        pid: p
        for pid, p in emulator.playlists_state().items()
        if p["owner"] == USER and USER in p["followers"]
    }


def by_name(emulator: Emulator) -> dict[str, list[str]]:
    names = Counter(p["name"] for p in own(emulator).values())
    assert all(count == 1 for count in names.values()), names
    return {p["name"]: p["items"] for p in own(emulator).values()}


# --- state: it belongs to one show and season ---------------------------------------------


def test_state_records_show_season_api_and_user(emulator, season_dir, connect):
    sync_season(load_season(season_dir), connect())
    state = json.loads(paths.state_path(season_dir).read_text(encoding="utf-8"))
    assert (state["show"], state["season"]) == ("Soundtrack", 1)
    assert state["api_url"] == emulator.api_url and state["user_id"] == USER


def test_a_copied_season_folder_makes_its_own_playlists_and_never_takes_over(
    emulator, season_dir, connect
):
    sync_season(load_season(season_dir), connect())
    first = by_name(emulator)
    copy = season_dir.parent / "season-2"
    shutil.copytree(season_dir, copy)
    manifest = copy / "season.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("season = 1", "season = 2"), encoding="utf-8"
    )
    result = sync_season(load_season(copy), connect())
    assert {o.action for o in result.outcomes} == {Action.CREATE}
    after = by_name(emulator)
    assert len(after) == 20
    assert {name: after[name] for name in first} == first  # season 1's playlists untouched
    # Season 1 finds its own playlists again and writes nothing.
    again = sync_season(load_season(season_dir), connect())
    assert {o.action for o in again.outcomes} == {Action.UNCHANGED}


def test_a_copied_season_with_the_same_names_leaves_the_original_playlists_alone(
    emulator, season_dir, connect
):
    manifest = season_dir / "season.toml"
    text = manifest.read_text(encoding="utf-8").replace("S{season}", "")
    manifest.write_text(text.replace("Season {season}", "Songs"), encoding="utf-8")
    sync_season(load_season(season_dir), connect())
    first = {pid: (p["name"], p["items"], p["description"]) for pid, p in own(emulator).items()}
    copy = season_dir.parent / "season-2"
    shutil.copytree(season_dir, copy)
    (copy / "season.toml").write_text(
        text.replace("season = 1", "season = 2").replace("Season {season}", "Songs"),
        encoding="utf-8",
    )
    result = sync_season(load_season(copy), connect())
    assert {o.action for o in result.outcomes} == {Action.SKIP}
    assert all("not made by soundtrack-playlists" in o.reason for o in result.outcomes)
    now = {pid: (p["name"], p["items"], p["description"]) for pid, p in own(emulator).items()}
    assert now == first


@pytest.mark.parametrize(
    "text",
    ["{not json", "[]", '{"version": 2, "api_url": 5}', '{"version": 2, "playlists": 3}'],
)
def test_a_damaged_state_is_an_error_naming_the_file(tmp_path, text):
    path = tmp_path / "state.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LocalFileError, match="state.json: the sync state is damaged"):
        load_state(path, DEFAULT_API_URL, "me", show="S", season=1)


def test_a_folder_in_place_of_the_state_is_an_error_naming_the_file(tmp_path):
    (tmp_path / "state.json").mkdir()
    with pytest.raises(LocalFileError, match="state.json: cannot read the sync state"):
        load_state(tmp_path / "state.json", DEFAULT_API_URL, "me", show="S", season=1)


# --- the lock: one section per API, choices never lost ------------------------------------


def pinned(api_url: str) -> Lock:
    track = Track(PIN, "Together Again", ("Janet Jackson",))
    entry = LockEntry(1, '"Together Again" by Janet Jackson', Status.PINNED, track, None, pin=PIN)
    return Lock(api_url, (entry,))


def test_a_run_against_the_emulator_keeps_what_was_pinned_against_spotify(
    emulator, season_dir, connect
):
    save_lock(paths.lock_path(season_dir), pinned(DEFAULT_API_URL))
    sync_season(load_season(season_dir), connect())
    kept = load_lock(paths.lock_path(season_dir), DEFAULT_API_URL)
    assert kept == pinned(DEFAULT_API_URL)
    assert load_lock(paths.lock_path(season_dir), emulator.api_url) is not None


def test_an_emulator_section_replaces_an_earlier_emulator_run_only(tmp_path):
    path = tmp_path / "lock.json"
    save_lock(path, pinned(DEFAULT_API_URL))
    save_lock(path, pinned("http://127.0.0.1:9/v1/"))
    save_lock(path, pinned("http://127.0.0.1:10/v1/"))
    apis = [s["api_url"] for s in json.loads(path.read_text(encoding="utf-8"))["apis"]]
    assert apis == [DEFAULT_API_URL, "http://127.0.0.1:10/v1/"]


def test_a_version_1_lock_is_read(tmp_path):
    path = tmp_path / "lock.json"
    section = json.loads(json.dumps(pinned(DEFAULT_API_URL).to_json()))["apis"][0]
    path.write_text(json.dumps({"version": 1, **section}), encoding="utf-8")
    assert load_lock(path, DEFAULT_API_URL) == pinned(DEFAULT_API_URL)


def test_a_choice_saved_in_review_meanwhile_survives_a_resolve_saving_after_it(tmp_path):
    path = tmp_path / "lock.json"
    key = '"Together Again" by Janet Jackson'
    unsure = LockEntry(1, key, Status.REVIEW, None, 0.5, "two candidates")
    save_lock(path, Lock(DEFAULT_API_URL, (unsure,)))
    resolving = load_lock(path, DEFAULT_API_URL)  # a sync read the lock ...
    save_lock(path, pinned(DEFAULT_API_URL))  # ... review pinned the song ...
    assert resolving is not None
    save_lock(path, resolving)  # ... and the sync saved what it had read
    entry = load_lock(path, DEFAULT_API_URL).get(1, key)
    assert entry is not None and entry.pin == PIN


@pytest.mark.parametrize(
    "text",
    ['{"version": 2, "apis": 3}', '{"version": 2, "apis": [{"songs": []}]}', '{"version": 7}'],
)
def test_a_lock_of_the_wrong_shape_is_an_error(tmp_path, text):
    path = tmp_path / "lock.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LockError, match="the lock file is damaged"):
        load_lock(path, DEFAULT_API_URL)
    with pytest.raises(LockError):
        save_lock(path, pinned(DEFAULT_API_URL))  # never overwritten blindly
    assert path.read_text(encoding="utf-8") == text


# --- only our playlists: the marker, --adopt ----------------------------------------------


def test_a_users_own_playlist_of_the_same_name_is_left_alone(emulator, season_dir, connect):
    theirs = emulator.add_playlist(USER, EPISODE_1, [mine(emulator)], description="mine")
    result = sync_season(load_season(season_dir), connect())
    outcome = next(o for o in result.outcomes if o.name == EPISODE_1)
    assert outcome.action == Action.SKIP and "--adopt" in outcome.reason
    playlist = emulator.playlists_state()[theirs]
    assert (playlist["items"], playlist["description"]) == ([mine(emulator)], "mine")
    assert [p["name"] for p in own(emulator).values()].count(EPISODE_1) == 1
    assert len(own(emulator)) == 10  # nine created, theirs kept


def test_adopt_takes_over_a_same_named_playlist(emulator, season_dir, connect):
    theirs = emulator.add_playlist(USER, EPISODE_1, [mine(emulator)], description="mine")
    result = sync_season(load_season(season_dir), connect(), SyncOptions(adopt=True))
    outcome = next(o for o in result.outcomes if o.name == EPISODE_1)
    assert outcome.action == Action.UPDATE and outcome.id == theirs
    assert "[sp:" in emulator.playlists_state()[theirs]["description"]
    assert len(own(emulator)) == 10


def test_our_marked_playlist_is_found_again_after_the_state_is_lost(emulator, season_dir, connect):
    sync_season(load_season(season_dir), connect())
    paths.state_path(season_dir).unlink()
    before = by_name(emulator)
    again = sync_season(load_season(season_dir), connect())
    assert all(o.reason == "found by its marker" for o in again.outcomes)
    assert Action.CREATE not in {o.action for o in again.outcomes}
    assert by_name(emulator) == before


def test_sync_adopt_option_reaches_the_plan(emulator, season_dir, tmp_path, monkeypatch):
    emulator.add_playlist(USER, EPISODE_1, [mine(emulator)], description="mine")
    log_in_commands(monkeypatch, emulator, tmp_path / "cache.json")
    monkeypatch.chdir(tmp_path)
    plain = CliRunner().invoke(cli, ["sync", str(season_dir), "--dry-run"])
    assert plain.exit_code == 0 and "--adopt to take it over" in plain.output
    adopted = CliRunner().invoke(cli, ["sync", str(season_dir), "--dry-run", "--adopt"])
    assert adopted.exit_code == 0 and "adopted by its name" in adopted.output


# --- name templates -----------------------------------------------------------------------


def write_manifest(season_dir: Path, playlists: str) -> None:
    manifest = season_dir / "season.toml"
    text = manifest.read_text(encoding="utf-8")
    head = text[: text.index("[playlists]")]
    manifest.write_text(head + "[playlists]\n" + playlists, encoding="utf-8")


@pytest.mark.parametrize(
    ("playlists", "line", "message"),
    [
        ('episode = "{show} mix"\n', 8, "names collide: episode 1, episode 2"),
        ('season = "{show} S{season}E01 · Nellie and Sam"\n', 8, "the season playlist"),
        ('episode = "{show.upper} {episode}"\n', 8, "{show.upper} is not a field"),
        ('\nepisode = "{title[4]} {episode}"\n', 9, "{title[4]} is not a field"),
        ('episode = "{nope} {episode}"\n', 8, "{nope} is not a field"),
        ('episode = "{} {episode}"\n', 8, "{} is not a field"),
        ('episode = "{episode:{show}}"\n', 8, "nests a field"),
        ('episode = "{episode"\n', 8, "not a valid name template"),
        ('episode = "{title:d}"\n', 8, "not a valid name template"),
    ],
)
def test_name_templates_are_checked_with_file_and_line(season_dir, playlists, line, message):
    write_manifest(season_dir, playlists)
    with pytest.raises(TracklistError) as caught:
        load_season(season_dir)
    text = str(caught.value)
    assert text.startswith(f"{season_dir / 'season.toml'}:{line}: "), text
    assert message in text
    result = CliRunner().invoke(cli, ["tracklists", str(season_dir)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
