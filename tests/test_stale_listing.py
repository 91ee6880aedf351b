"""Reads that lag behind writes never make a second playlist of the same name.

Spotify's list of playlists can lag behind a create. A stored playlist missing from it is
checked with the library before it is taken for deleted; a create whose answer was lost is
looked for until the list has had time to show it, in this run or (when the run stopped
meanwhile) the next one. Time is simulated: the emulator's lag and the client's waits share
one clock.
"""

from __future__ import annotations

import pytest
from simulated_clock import SimulatedClock

from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.emulator.state import DEFAULT_USER
from soundtrack_playlists.files import paths
from soundtrack_playlists.settings import DEFAULT_READ_LAG, Settings
from soundtrack_playlists.spotify.client import SpotifyClient
from soundtrack_playlists.sync.remove import NEVER_MADE, REMOVE, plan_removal, run_removal
from soundtrack_playlists.sync.run import SyncOptions, sync_season
from soundtrack_playlists.sync.state import load_state
from soundtrack_playlists.tracklists.folders import load_season
from soundtrack_playlists.tracklists.selection import Selection

LAG = 5.0  # how far the emulator's reads lag: well within what the client waits out


class Killed(Exception):
    """Stands for a process killed in the middle of a wait."""


def followed_names(emulator: Emulator) -> list[str]:
    return sorted(
        str(p["name"])
        for p in emulator.playlists_state().values()
        if DEFAULT_USER in p["followers"]
    )


def client_for(settings: Settings, clock: SimulatedClock, sleep=None) -> SpotifyClient:
    return SpotifyClient(settings, sleep=sleep or clock.sleep, jitter=lambda: 0.0, clock=clock.now)


def lost_create_answers(rate: float) -> Faults:
    """Creates applied but their answers lost, while the list lags."""
    return Faults(
        stale_reads=LAG,
        rate_drop=rate,
        drop_after_apply=True,
        seed=3,
        routes=("POST /me/playlists",),
    )


def test_a_sync_right_after_another_sees_through_a_lagging_playlist_list(clocked_world):
    emulator, settings, folder, clock = clocked_world
    emulator.set_faults(Faults(stale_reads=60.0))  # GET /me/playlists shows the past
    sync_season(load_season(folder), client_for(settings, clock))
    emulator.clear_log()
    again = sync_season(load_season(folder), client_for(settings, clock))

    followed = followed_names(emulator)
    assert len(followed) == len(set(followed)) == 10
    assert {str(outcome.action) for outcome in again.outcomes} == {"unchanged"}
    asked = [(r.method, r.route) for r in emulator.request_log if r.path.startswith("/v1/")]
    assert asked.count(("GET", "/me/library/contains")) == 1  # one check for all ten
    assert not [method for method, _ in asked if method != "GET"]


def test_a_sync_right_after_another_waits_when_every_read_lags(clocked_world):
    """The library check lags too: only time tells a playlist just made from a deleted one."""
    emulator, settings, folder, clock = clocked_world
    emulator.set_faults(Faults(stale_reads=LAG, stale_library=True))
    first = sync_season(load_season(folder), client_for(settings, clock))
    emulator.clear_log()
    clock.waits.clear()
    again = sync_season(load_season(folder), client_for(settings, clock))

    followed = followed_names(emulator)
    assert len(followed) == len(set(followed)) == 10
    assert {o.id for o in again.outcomes} == {o.id for o in first.outcomes}
    assert {str(outcome.action) for outcome in again.outcomes} == {"unchanged"}
    assert LAG <= sum(clock.waits) <= DEFAULT_READ_LAG  # waited for the reads, no longer
    asked = [(r.method, r.route) for r in emulator.request_log if r.path.startswith("/v1/")]
    assert not [method for method, _ in asked if method != "GET"]


def test_a_deleted_playlist_is_told_apart_from_a_lagging_list(clocked_world):
    emulator, settings, folder, clock = clocked_world
    first = sync_season(load_season(folder), client_for(settings, clock))
    gone = first.outcomes[0]
    emulator.delete_playlist(gone.id)
    again = sync_season(load_season(folder), client_for(settings, clock))
    assert str(again.outcomes[0].action) == "create" and again.outcomes[0].id != gone.id


def test_creates_whose_answers_are_lost_are_found_once_the_list_catches_up(clocked_world):
    emulator, settings, folder, clock = clocked_world
    emulator.set_faults(lost_create_answers(0.5))
    result = sync_season(load_season(folder), client_for(settings, clock))

    lost = [r for r in emulator.request_log if r.fault == "drop_after_apply"]
    assert lost, "the faults should have lost some create answers"
    followed = followed_names(emulator)
    assert len(followed) == len(set(followed)) == 10
    posts = [r for r in emulator.request_log if (r.method, r.route) == ("POST", "/me/playlists")]
    assert len(posts) == 10  # every create sent once: none repeated blindly
    assert {str(outcome.action) for outcome in result.outcomes} == {"create"}
    assert max(clock.waits) <= DEFAULT_READ_LAG  # waited for the list, never longer than its lag
    assert load_state(paths.state_path(folder), emulator.api_url).pending == ()


def test_a_run_killed_while_waiting_for_a_lost_create_makes_no_second_one(clocked_world):
    emulator, settings, folder, clock = clocked_world
    emulator.set_faults(lost_create_answers(1.0))  # the first create's answer is lost

    def killed(seconds: float) -> None:
        raise Killed

    with pytest.raises(Killed):
        sync_season(
            load_season(folder), client_for(settings, clock, killed), SyncOptions(workers=1)
        )
    state = load_state(paths.state_path(folder), emulator.api_url)
    assert [create.name for create in state.pending] == followed_names(emulator)

    emulator.set_faults(Faults(stale_reads=LAG))  # the list still lags behind that create
    result = sync_season(load_season(folder), client_for(settings, clock))

    followed = followed_names(emulator)
    assert len(followed) == len(set(followed)) == 10
    adopted = [o for o in result.outcomes if o.name == state.pending[0].name]
    assert [str(o.action) for o in adopted] == ["update"]  # found and filled, not made again
    assert load_state(paths.state_path(folder), emulator.api_url).pending == ()


def test_a_create_that_made_nothing_is_sent_again_once_the_list_can_be_trusted(clocked_world):
    emulator, settings, folder, clock = clocked_world
    # Dropped before it was applied: the list never shows it, so it is sent again after the lag.
    emulator.set_faults(
        Faults(stale_reads=LAG, rate_drop=0.3, seed=5, routes=("POST /me/playlists",))
    )
    sync_season(load_season(folder), client_for(settings, clock))

    dropped = [r for r in emulator.request_log if r.fault == "drop"]
    assert dropped, "the faults should have dropped some creates"
    followed = followed_names(emulator)
    assert len(followed) == len(set(followed)) == 10
    assert any(wait >= LAG for wait in clock.waits)  # it waited for the list before resending


def test_remove_right_after_a_sync_removes_what_a_lagging_list_leaves_out(clocked_world):
    emulator, settings, folder, clock = clocked_world
    emulator.set_faults(Faults(stale_reads=60.0))
    sync_season(load_season(folder), client_for(settings, clock))
    made = {
        record.id for record in load_state(paths.state_path(folder), emulator.api_url).playlists
    }

    client = client_for(settings, clock)
    removal = plan_removal(Selection((folder,), ()), client)
    assert {item.kind for item in removal.items} == {REMOVE}  # none taken for deleted
    run_removal(removal, client)
    assert followed_names(emulator) == []
    deleted = {r.path.split("/")[3] for r in emulator.request_log if r.method == "DELETE"}
    assert deleted == made


def test_remove_finds_a_playlist_whose_create_got_no_answer_by_its_marker(clocked_world):
    emulator, settings, folder, clock = clocked_world
    emulator.set_faults(lost_create_answers(1.0))

    def killed(seconds: float) -> None:
        raise Killed

    with pytest.raises(Killed):
        sync_season(
            load_season(folder), client_for(settings, clock, killed), SyncOptions(workers=1)
        )
    (pending,) = load_state(paths.state_path(folder), emulator.api_url).pending
    emulator.add_playlist(DEFAULT_USER, pending.name)  # the user's own, of the same name
    emulator.set_faults(Faults(stale_reads=LAG))
    client = client_for(settings, clock)
    removal = plan_removal(Selection((folder,), ()), client)
    assert [item.kind for item in removal.items] == [REMOVE]
    run_removal(removal, client)

    assert followed_names(emulator) == [pending.name]  # only the user's own is left
    state = load_state(paths.state_path(folder), emulator.api_url)
    assert state.pending == () and state.playlists == ()


def test_remove_forgets_a_create_that_made_nothing_once_the_list_has_settled(clocked_world):
    emulator, settings, folder, clock = clocked_world
    # Dropped before Spotify applied it: nothing was made, and the run is killed waiting.
    emulator.set_faults(Faults(rate_drop=1.0, seed=1, routes=("POST /me/playlists",)))

    def killed(seconds: float) -> None:
        raise Killed

    with pytest.raises(Killed):
        sync_season(
            load_season(folder), client_for(settings, clock, killed), SyncOptions(workers=1)
        )
    (pending,) = load_state(paths.state_path(folder), emulator.api_url).pending
    emulator.set_faults(Faults(stale_reads=LAG))
    client = client_for(settings, clock)
    removal = plan_removal(Selection((folder,), ()), client)

    assert [item.kind for item in removal.items] == [NEVER_MADE]
    assert f"“{pending.name}” (asked for, never made)" in str(removal)
    assert clock.waits  # the list was given its time to show the playlist first
    run_removal(removal, client)
    assert load_state(paths.state_path(folder), emulator.api_url).pending == ()
    assert followed_names(emulator) == []
