"""Sync edges found by attack: clocks that lie, renamed playlists, a state lost while Spotify's
list lags, an emptied account, a state naming the user's own playlist, and two seasons of one
show synced at once. Time is simulated where a wait is involved."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from test_concurrent_runs import child_env
from test_library_e2e import make_show
from test_stale_listing import client_for

from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.emulator.state import DEFAULT_USER
from soundtrack_playlists.errors import EX_TEMPFAIL, AccountEmptied
from soundtrack_playlists.files import paths
from soundtrack_playlists.models import Action
from soundtrack_playlists.settings import DEFAULT_READ_LAG
from soundtrack_playlists.sync.remove import UNRECORDED, plan_removal, run_removal
from soundtrack_playlists.sync.run import SyncOptions, sync_season
from soundtrack_playlists.tracklists.folders import load_season
from soundtrack_playlists.tracklists.selection import Selection


def followed(emulator: Emulator) -> dict[str, dict]:
    return {
        pid: playlist
        for pid, playlist in emulator.playlists_state().items()
        if playlist["owner"] == DEFAULT_USER and DEFAULT_USER in playlist["followers"]
    }


def names(emulator: Emulator) -> Counter[str]:
    return Counter(str(playlist["name"]) for playlist in followed(emulator).values())


def writes(emulator: Emulator) -> list[str]:
    return [
        f"{r.method} {r.route}"
        for r in emulator.request_log
        if r.method != "GET" and r.path.startswith("/v1/")
    ]


def stored(folder: Path) -> dict:
    return json.loads(paths.state_path(folder).read_text(encoding="utf-8"))


def test_a_time_stamp_in_the_future_never_makes_a_wait_longer_than_the_lag(clocked_world, caplog):
    emulator, settings, folder, clock = clocked_world
    sync_season(load_season(folder), client_for(settings, clock))
    value = stored(folder)
    hour_ahead = clock.now() + timedelta(hours=1)
    value["pending"] = [{"key": "episode-99", "name": "Never made", "sent": hour_ahead.isoformat()}]
    for record in value["playlists"]:
        record["created"] = hour_ahead.isoformat()
    paths.state_path(folder).write_text(json.dumps(value), encoding="utf-8")
    emulator.delete_playlist(value["playlists"][1]["id"])  # missing: its `created` is asked about
    clock.waits.clear()
    with caplog.at_level(logging.WARNING):
        again = sync_season(load_season(folder), client_for(settings, clock))
    assert clock.waits and max(clock.waits) <= DEFAULT_READ_LAG
    assert sum(clock.waits) <= 2 * DEFAULT_READ_LAG
    assert "in the future" in caplog.text
    assert Action.CREATE in {outcome.action for outcome in again.outcomes}  # made again, once
    assert all(count == 1 for count in names(emulator).values())


def test_a_renamed_playlist_whose_state_was_deleted_is_found_by_its_marker_and_named_back(
    clocked_world,
):
    emulator, settings, folder, clock = clocked_world
    sync_season(load_season(folder), client_for(settings, clock))
    ids = {record["key"]: record["id"] for record in stored(folder)["playlists"]}
    original = followed(emulator)[ids["episode-01"]]["name"]
    client_for(settings, clock).update_playlist(ids["episode-01"], name="Road trip mix")
    paths.state_path(folder).unlink()
    clock.sleep(DEFAULT_READ_LAG)  # the list has caught up: only the marker can tell
    again = sync_season(load_season(folder), client_for(settings, clock))
    assert len(followed(emulator)) == 10  # no second playlist beside the renamed one
    assert followed(emulator)[ids["episode-01"]]["name"] == original
    renamed = next(o for o in again.outcomes if o.id == ids["episode-01"])
    assert renamed.action == Action.UPDATE and "found by its marker" in renamed.reason
    assert {record["key"]: record["id"] for record in stored(folder)["playlists"]} == ids


def test_a_state_deleted_while_the_list_still_lags_makes_nothing_twice(clocked_world):
    emulator, settings, folder, clock = clocked_world
    emulator.set_faults(Faults(stale_reads=3.0))  # GET /me/playlists shows 3 s ago
    sync_season(load_season(folder), client_for(settings, clock))
    paths.state_path(folder).unlink()
    clock.waits.clear()
    again = sync_season(load_season(folder), client_for(settings, clock))
    assert sorted(names(emulator).values()) == [1] * 10
    assert Action.CREATE not in {outcome.action for outcome in again.outcomes}
    assert clock.waits and max(clock.waits) <= DEFAULT_READ_LAG


def test_an_emptied_account_stops_before_any_write_and_recreate_makes_them_again(clocked_world):
    emulator, settings, folder, clock = clocked_world
    sync_season(load_season(folder), client_for(settings, clock))
    for playlist_id in followed(emulator):
        emulator.delete_playlist(playlist_id)
    clock.sleep(DEFAULT_READ_LAG)
    emulator.clear_log()
    with pytest.raises(AccountEmptied, match="--recreate"):
        sync_season(load_season(folder), client_for(settings, clock))
    assert writes(emulator) == []
    again = sync_season(
        load_season(folder), client_for(settings, clock), SyncOptions(recreate=True)
    )
    assert {outcome.action for outcome in again.outcomes} == {Action.CREATE}
    assert sorted(names(emulator).values()) == [1] * 10


def test_one_deleted_playlist_is_still_made_again_without_asking(clocked_world):
    emulator, settings, folder, clock = clocked_world
    sync_season(load_season(folder), client_for(settings, clock))
    emulator.delete_playlist(stored(folder)["playlists"][0]["id"])
    clock.sleep(DEFAULT_READ_LAG)
    again = sync_season(load_season(folder), client_for(settings, clock))
    assert [o.action for o in again.outcomes].count(Action.CREATE) == 1


def test_a_state_naming_a_playlist_of_the_users_own_leaves_it_alone(clocked_world):
    emulator, settings, folder, clock = clocked_world
    sync_season(load_season(folder), client_for(settings, clock))
    track = emulator.catalog.tracks[0].uri
    mine = emulator.add_playlist(DEFAULT_USER, "My own mix", [track], description="mine")
    value = stored(folder)
    value["playlists"][1]["id"] = mine
    value["playlists"][1].pop("created", None)
    paths.state_path(folder).write_text(json.dumps(value), encoding="utf-8")
    again = sync_season(load_season(folder), client_for(settings, clock))
    assert emulator.playlists_state()[mine]["name"] == "My own mix"
    assert emulator.playlists_state()[mine]["items"] == [track]
    skipped = next(o for o in again.outcomes if o.id == mine)
    assert skipped.action == Action.SKIP and "did not make" in skipped.reason


def test_remove_finds_our_marked_playlists_that_the_state_no_longer_knows(clocked_world):
    emulator, settings, folder, clock = clocked_world
    sync_season(load_season(folder), client_for(settings, clock))
    paths.state_path(folder).unlink()
    clock.sleep(DEFAULT_READ_LAG)
    theirs = emulator.add_playlist(DEFAULT_USER, "Kept", [], description="the user's own")
    client = client_for(settings, clock)
    removal = plan_removal(Selection(seasons=(folder,), shows=()), client)
    assert len(removal.to_remove) == 10
    assert {item.kind for item in removal.items} == {UNRECORDED}
    assert "found by its marker" in str(removal)
    run_removal(removal, client)
    assert list(followed(emulator)) == [theirs]


@pytest.mark.parametrize(
    "trial", [0, *(pytest.param(n, marks=pytest.mark.slow) for n in range(1, 5))]
)
def test_two_seasons_of_one_show_synced_at_once_make_one_whole_show_playlist(
    emulator: Emulator, tmp_path: Path, trial: int
) -> None:
    show = make_show(tmp_path / "library", seasons=2)
    env = child_env(emulator, tmp_path, emulator.issue_refresh_token())
    for n in (1, 2):  # both seasons resolved: each run builds the whole-show playlist
        resolve = [
            sys.executable,
            "-m",
            "soundtrack_playlists",
            "resolve",
            str(show / f"season-{n}"),
        ]
        subprocess.run(resolve, env=env, cwd=tmp_path, capture_output=True, check=True)
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "soundtrack_playlists", "sync", str(show / f"season-{n}")],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for n in (1, 2)
    ]
    results = [(run.wait(timeout=180), run.communicate()[1].decode()) for run in runs]
    for code, stderr in results:
        assert code == 0 or (code == EX_TEMPFAIL and "another run is using" in stderr), stderr
    assert names(emulator)["Soundtrack · All seasons"] == 1
    assert len(followed(emulator)) == 2 * 10 + 1
    assert all(count == 1 for count in names(emulator).values()), names(emulator)
