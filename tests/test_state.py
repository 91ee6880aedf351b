"""The sync state file: round trip, atomic saves, and never reused across APIs or users."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from soundtrack_playlists.errors import LocalFileError
from soundtrack_playlists.sync.state import (
    SEASON_KEY,
    PendingCreate,
    PlaylistRecord,
    StateStore,
    SyncState,
    episode_key,
    load_state,
    save_state,
)

EMULATOR = "http://127.0.0.1:5123/v1/"
SPOTIFY = "https://api.spotify.com/v1/"


def _record(key="episode-01", id_="pl1", uris=("spotify:track:a",)):
    return PlaylistRecord(key=key, id=id_, name=f"name {key}", snapshot_id="s1", uris=uris)


def test_episode_keys_are_zero_padded_and_stable():
    assert episode_key(1) == "episode-01"
    assert episode_key(10) == "episode-10"


def test_round_trip_keeps_every_field(tmp_path):
    path = tmp_path / "state.json"
    state = SyncState(api_url=EMULATOR, user_id="nellie").with_record(_record())
    save_state(path, state)
    assert load_state(path, EMULATOR, "nellie") == state


def test_a_missing_file_reads_as_empty_and_a_broken_one_is_an_error(tmp_path):
    path = tmp_path / "state.json"
    assert load_state(path, EMULATOR, "nellie") == SyncState(api_url=EMULATOR, user_id="nellie")
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(LocalFileError, match="delete it and sync again"):
        load_state(path, EMULATOR, "nellie")


def test_a_state_of_another_season_or_of_version_1_is_not_used(tmp_path):
    path = tmp_path / "state.json"
    state = SyncState(api_url=EMULATOR, user_id="u", show="Show", season=1)
    save_state(path, state.with_record(_record()))
    assert load_state(path, EMULATOR, "u", show="show", season=1).playlists != ()
    assert load_state(path, EMULATOR, "u", show="Show", season=2).playlists == ()
    assert load_state(path, EMULATOR, "u", show="Other", season=1).playlists == ()
    old = {"version": 1, "api_url": EMULATOR, "user_id": "u", "playlists": [_record().to_json()]}
    path.write_text(json.dumps(old), encoding="utf-8")
    assert load_state(path, EMULATOR, "u", show="Show", season=1).playlists == ()


def test_state_from_another_api_is_not_used(tmp_path):
    path = tmp_path / "state.json"
    save_state(path, SyncState(api_url=EMULATOR, user_id="nellie").with_record(_record()))
    assert load_state(path, SPOTIFY, "nellie").playlists == ()
    # A trailing slash is not a different API.
    assert load_state(path, EMULATOR.rstrip("/"), "nellie").playlists != ()


def test_state_of_another_user_is_not_used(tmp_path):
    path = tmp_path / "state.json"
    save_state(path, SyncState(api_url=EMULATOR, user_id="nellie").with_record(_record()))
    assert load_state(path, EMULATOR, "sam").playlists == ()
    assert load_state(path, EMULATOR, None).playlists != ()


def test_with_record_replaces_the_same_key_and_keeps_season_first():
    state = SyncState(api_url=EMULATOR, user_id="u")
    state = state.with_record(_record("episode-02", "b"))
    state = state.with_record(_record(SEASON_KEY, "s"))
    state = state.with_record(_record("episode-01", "a"))
    state = state.with_record(_record("episode-02", "b2"))
    assert [record.key for record in state.playlists] == [SEASON_KEY, "episode-01", "episode-02"]
    assert state.get("episode-02").id == "b2"
    assert state.get("episode-09") is None


def test_store_saves_each_change_and_skips_unchanged_records(tmp_path):
    path = tmp_path / "state.json"
    store = StateStore(path, load_state(path, EMULATOR, "nellie"))
    store.record(_record())
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["playlists"][0]["id"] == "pl1"
    assert saved["user_id"] == "nellie"
    path.write_text("sentinel", encoding="utf-8")
    store.record(_record())  # the same record again: no write
    assert path.read_text(encoding="utf-8") == "sentinel"
    store.record(_record(uris=("spotify:track:a", "spotify:track:b")))
    assert load_state(path, EMULATOR, "nellie").get("episode-01").uris[-1] == "spotify:track:b"


def test_save_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "state.json"
    save_state(path, SyncState(api_url=EMULATOR, user_id="u").with_record(_record()))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


SENT = datetime(2026, 12, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))


def test_a_pending_create_is_kept_until_its_playlist_is_recorded_or_forgotten(tmp_path):
    path = tmp_path / "state.json"
    store = StateStore(path, load_state(path, EMULATOR, "nellie"))
    store.pending_create(PendingCreate("episode-01", "E1", SENT))
    store.pending_create(PendingCreate("episode-02", "E2", SENT))
    later = PendingCreate("episode-01", "E1", SENT + timedelta(seconds=5))
    store.pending_create(later)  # the answer was lost: the same create, a later time
    saved = load_state(path, EMULATOR, "nellie")
    assert saved.pending == (PendingCreate("episode-02", "E2", SENT), later)
    assert saved.pending[1].sent.utcoffset() == timedelta(hours=1)

    store.record(_record("episode-01"))
    store.forget("episode-02")
    saved = load_state(path, EMULATOR, "nellie")
    assert saved.pending == () and [r.key for r in saved.playlists] == ["episode-01"]
    assert "pending" not in json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "pending",
    [
        {"key": "episode-01", "name": "E1", "sent": "yesterday"},
        {"key": "x", "sent": "2026-12-01T09:30:00"},
        "x",
    ],
)
def test_a_damaged_pending_create_is_a_clear_error(tmp_path, pending):
    path = tmp_path / "state.json"
    save_state(path, SyncState(EMULATOR, "nellie"))
    value = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**value, "pending": [pending]}), encoding="utf-8")
    with pytest.raises(LocalFileError, match="damaged"):
        load_state(path, EMULATOR, "nellie")


def test_when_a_playlist_was_made_is_kept_and_a_damaged_time_is_an_error(tmp_path):
    path = tmp_path / "state.json"
    made = replace(_record(), created=SENT)
    save_state(path, SyncState(EMULATOR, "nellie").with_record(made))
    assert load_state(path, EMULATOR, "nellie").get("episode-01") == made
    value = json.loads(path.read_text(encoding="utf-8"))
    value["playlists"][0]["created"] = "2026-12-01T09:30:00"  # no time zone
    path.write_text(json.dumps(value), encoding="utf-8")
    with pytest.raises(LocalFileError, match="damaged"):
        load_state(path, EMULATOR, "nellie")
