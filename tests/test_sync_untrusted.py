"""Sync against a hostile emulator: malformed answers stop it cleanly, holes keep their place."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.emulator.faults import MALFORMED_KINDS, Faults
from soundtrack_playlists.errors import EndlessPages, MalformedAnswer, SoundtrackError
from soundtrack_playlists.files import paths
from soundtrack_playlists.models import Action, Status
from soundtrack_playlists.resolve.lockfile import load_lock
from soundtrack_playlists.sync.current import Current
from soundtrack_playlists.sync.plan import plan_playlist
from soundtrack_playlists.sync.run import SyncOptions, sync_season
from soundtrack_playlists.sync.state import SyncState
from soundtrack_playlists.sync.targets import DesiredPlaylist
from soundtrack_playlists.tracklists.folders import load_season

WRITE_METHODS = {"POST", "PUT", "DELETE"}
EPISODE_1 = "Soundtrack S1E01 · Nellie and Sam"


def writes(emulator):
    return [
        r for r in emulator.request_log if r.path.startswith("/v1/") and r.method in WRITE_METHODS
    ]


def mine(emulator, user="demo-user"):
    """The user's playlists as name -> items, failing on a duplicate name."""
    result = {}
    for playlist in emulator.playlists_state().values():
        if playlist["owner"] == user and user in playlist["followers"]:
            assert playlist["name"] not in result, f"duplicate playlist {playlist['name']}"
            result[playlist["name"]] = playlist["items"]
    return result


def wanted(result):
    """Playlist name -> the URIs the sync's own plan wanted."""
    return {item.name: list(item.desired.uris) for item in result.plan.playlists}


def append_line(season_dir, episode, line):
    path = season_dir / f"episode-{episode:02d}.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + line + "\n", encoding="utf-8")


def drop_last_line(season_dir, episode):
    path = season_dir / f"episode-{episode:02d}.txt"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")


def only(route, kind):
    return Faults(rate_malformed=1.0, malformed=(kind,), routes=(route,))


# --- malformed answers ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", MALFORMED_KINDS)
def test_a_malformed_playlist_list_stops_the_sync_before_any_write(
    emulator, season_dir, connect, kind
):
    first = sync_season(load_season(season_dir), connect())
    append_line(season_dir, 1, '"Smile" by Nat King Cole')
    emulator.set_faults(only("GET /me/playlists", kind))
    emulator.clear_log()
    with pytest.raises(MalformedAnswer) as caught:
        sync_season(load_season(season_dir), connect())
    assert "GET /me/playlists" in str(caught.value)
    assert writes(emulator) == []
    assert mine(emulator) == wanted(first)  # ten playlists, none created again


@pytest.mark.parametrize("kind", ["object", "html", "null_items", "truncated"])
def test_a_malformed_search_keeps_the_lock_and_writes_nothing(emulator, season_dir, connect, kind):
    first = sync_season(load_season(season_dir), connect())
    lock_before = paths.lock_path(season_dir).read_bytes()
    append_line(season_dir, 2, '"Halo" by Beyoncé')  # a new line: it must be searched
    emulator.set_faults(only("GET /search", kind))
    emulator.clear_log()
    with pytest.raises(MalformedAnswer) as caught:
        sync_season(load_season(season_dir), connect())
    assert "GET /search" in str(caught.value)
    assert writes(emulator) == []
    assert paths.lock_path(season_dir).read_bytes() == lock_before
    lock = load_lock(paths.lock_path(season_dir), emulator.api_url)
    assert lock is not None
    assert all(entry.status != Status.UNRESOLVED for entry in lock.entries)
    emulator.set_faults(Faults())
    again = sync_season(load_season(season_dir), connect())
    assert mine(emulator) == wanted(again)
    for name, uris in wanted(first).items():  # nothing that was there was taken away
        assert set(uris) <= set(mine(emulator)[name])


def test_a_malformed_search_on_the_first_run_stores_no_unresolved_song(
    emulator, season_dir, connect
):
    emulator.set_faults(
        Faults(rate_malformed=0.3, malformed=("object",), routes=("GET /search",), seed=4)
    )
    with pytest.raises(MalformedAnswer):
        sync_season(load_season(season_dir), connect(), SyncOptions(workers=1))
    lock = load_lock(paths.lock_path(season_dir), emulator.api_url)
    saved = lock.entries if lock is not None else ()
    assert all(entry.status != Status.UNRESOLVED for entry in saved)
    assert emulator.playlists_state() == {}


@pytest.mark.parametrize("kind", MALFORMED_KINDS)
def test_creates_answered_without_a_playlist_leave_no_empty_playlist(
    emulator, season_dir, connect, kind
):
    emulator.set_faults(only("POST /me/playlists", kind))
    result = sync_season(load_season(season_dir), connect())
    assert [o.action for o in result.outcomes] == [Action.CREATE] * 10
    assert mine(emulator) == wanted(result)
    assert all(items for items in mine(emulator).values())
    emulator.set_faults(Faults())
    emulator.clear_log()
    sync_season(load_season(season_dir), connect())
    assert writes(emulator) == []


def test_me_answered_with_an_empty_object_is_an_error_not_a_traceback(
    emulator, season_dir, cli_env
):
    emulator.set_faults(only("GET /me", "object"))
    for command in (["whoami"], ["sync", str(season_dir)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1, result.output
        assert "Error: Spotify's answer to GET /me was not what Spotify sends (no `id`)" in (
            result.output
        )
        assert "Traceback" not in result.output and not isinstance(result.exception, KeyError)
    assert emulator.playlists_state() == {}


def test_a_server_ignoring_offset_stops_the_sync_with_an_error(emulator, season_dir, connect):
    for number in range(60):
        emulator.add_playlist("demo-user", f"Mine {number}")
    emulator.set_faults(Faults(ignore_offset=True, routes=("GET /me/playlists",)))
    with pytest.raises(EndlessPages) as caught:
        sync_season(load_season(season_dir), connect())
    assert "ignored `offset`" in str(caught.value)
    reads = [r for r in emulator.request_log if r.route == "/me/playlists"]
    assert len(reads) == 2
    assert writes(emulator) == []


def test_html_errors_and_empty_429s_are_waited_out(emulator, season_dir, connect):
    emulator.set_faults(
        Faults(
            rate_429=0.15, rate_5xx=0.15, retry_after=None, empty_429=True, html_errors=True, seed=9
        )
    )
    try:
        sync_season(load_season(season_dir), connect())
    except SoundtrackError:
        pass  # a run may give up; it must do so with our error, never a traceback
    emulator.set_faults(Faults())
    result = sync_season(load_season(season_dir), connect())
    assert mine(emulator) == wanted(result)
    faults = {r.fault for r in emulator.request_log}
    assert {"rate_limited", "server_error"} <= faults


# --- holes: tracks that became unavailable -------------------------------------------------


def _episode_1(emulator):
    (pid,) = [p for p, v in emulator.playlists_state().items() if v["name"] == EPISODE_1]
    return pid


def test_an_append_after_a_hole_lands_in_the_right_place(emulator, season_dir, connect):
    first = sync_season(load_season(season_dir), connect())
    pid = _episode_1(emulator)
    before = mine(emulator)[EPISODE_1]
    gone = before[-1]  # the last track leaves Spotify: a null entry at the end
    emulator.set_faults(Faults(unavailable=frozenset({gone})))
    emulator.store.playlists[pid].touch()  # a new snapshot: the items must be read
    append_line(season_dir, 1, '"Heat" by Kelly Clarkson')  # a song of episode 2
    result = sync_season(load_season(season_dir), connect())
    after = mine(emulator)[EPISODE_1]
    new = [uri for uri in wanted(result)[EPISODE_1] if uri not in wanted(first)[EPISODE_1]]
    assert new, "the added line must resolve for this test to mean anything"
    assert after == before + new  # the hole kept its place; the new song came after it
    assert result.outcomes[0].action == Action.UPDATE


def test_a_hole_the_tracklist_no_longer_wants_is_replaced(emulator, season_dir, connect):
    first = sync_season(load_season(season_dir), connect())
    pid = _episode_1(emulator)
    before = mine(emulator)[EPISODE_1]
    last = max(item.song.line for item in first.songs if item.episode == 1)
    gone = {
        item.track.uri
        for item in first.songs
        if item.episode == 1 and item.song.line == last and item.track is not None
    }
    assert gone and set(before[-len(gone) :]) == gone
    # Every track of the last line leaves Spotify, then the line leaves the tracklist: read
    # without its holes the playlist would look right, and the holes would stay for good.
    emulator.set_faults(Faults(unavailable=frozenset(gone)))
    emulator.store.playlists[pid].touch()
    drop_last_line(season_dir, 1)
    result = sync_season(load_season(season_dir), connect())
    now = mine(emulator)[EPISODE_1]
    assert now == wanted(result)[EPISODE_1] == before[: -len(gone)]
    emulator.clear_log()
    sync_season(load_season(season_dir), connect())
    assert writes(emulator) == []


def test_a_hole_we_put_there_does_not_cause_a_rewrite_on_every_sync(emulator, season_dir, connect):
    sync_season(load_season(season_dir), connect())
    pid = _episode_1(emulator)
    before = mine(emulator)[EPISODE_1]
    emulator.set_faults(Faults(unavailable=frozenset({before[1]})))
    emulator.store.playlists[pid].touch()
    emulator.clear_log()
    result = sync_season(load_season(season_dir), connect())
    assert writes(emulator) == []
    assert result.outcomes[0].action == Action.UNCHANGED


# --- descriptions sent back escaped --------------------------------------------------------


def test_an_escaped_description_does_not_look_changed(emulator, connect):
    client = connect()
    text = "Songs of Tom & Jerry's <finale>"
    made = client.create_playlist("P", text, public=False)
    client.append_items(made.id, [emulator.catalog.tracks[0].uri], start=0)
    listed = {info.id: info for info in client.my_playlists()}[made.id]
    assert listed.description == text
    desired = DesiredPlaylist("episode-01", "P", text, (emulator.catalog.tracks[0].uri,), False)
    current = Current("demo-user", (listed,), SyncState(emulator.api_url, "demo-user"))
    items = {made.id: tuple(client.playlist_item_uris(made.id))}
    planned = plan_playlist(
        desired, Current(current.user_id, current.playlists, current.state, items)
    )
    assert planned.steps == ()
    raw = json.loads(json.dumps(emulator.playlists_state()[made.id]))
    assert raw["description"] == text
