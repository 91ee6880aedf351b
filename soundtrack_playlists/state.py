"""The season's sync state: which Spotify playlist is which, and what it held when we last wrote."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from soundtrack_playlists.fileio import write_json_atomic
from soundtrack_playlists.text import same_api

STATE_VERSION = 1
SEASON_KEY = "season"
SHOW_KEY = "show"  # the whole-show playlist, kept in the show folder's state


def episode_key(number: int) -> str:
    """The state key of an episode's playlist: stable across renames of the episode."""
    return f"episode-{number:02d}"


@dataclass(frozen=True)
class PlaylistRecord:
    """One playlist we made or adopted.

    `uris` are the items the playlist held at `snapshot_id`: while Spotify still reports that
    snapshot, the items are known without reading them.
    """

    key: str
    id: str
    name: str
    snapshot_id: str = ""
    uris: tuple[str, ...] = ()
    cover: str = ""  # digest of the cover design last uploaded (covers.CoverSpec.digest)

    def to_json(self) -> dict[str, Any]:
        value: dict[str, Any] = {
            "key": self.key,
            "id": self.id,
            "name": self.name,
            "snapshot_id": self.snapshot_id,
            "uris": list(self.uris),
        }
        if self.cover:
            value["cover"] = self.cover
        return value

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> PlaylistRecord:
        return cls(
            key=str(value["key"]),
            id=str(value["id"]),
            name=str(value.get("name", "")),
            snapshot_id=str(value.get("snapshot_id") or ""),
            uris=tuple(str(uri) for uri in value.get("uris") or ()),
            cover=str(value.get("cover") or ""),
        )


@dataclass(frozen=True)
class SyncState:
    """Everything a sync remembers about one season, for one API and one user."""

    api_url: str
    user_id: str | None = None
    playlists: tuple[PlaylistRecord, ...] = field(default_factory=tuple)

    def get(self, key: str) -> PlaylistRecord | None:
        for record in self.playlists:
            if record.key == key:
                return record
        return None

    def with_record(self, record: PlaylistRecord) -> SyncState:
        """A copy with `record` replacing the one of the same key (others kept, order by key)."""
        others = [existing for existing in self.playlists if existing.key != record.key]
        records = sorted([*others, record], key=lambda item: (item.key != SEASON_KEY, item.key))
        return replace(self, playlists=tuple(records))

    def without(self, key: str) -> SyncState:
        """A copy that no longer knows the playlist of `key` (it was removed)."""
        return replace(self, playlists=tuple(r for r in self.playlists if r.key != key))

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "api_url": self.api_url,
            "user_id": self.user_id,
            "playlists": [record.to_json() for record in self.playlists],
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> SyncState:
        return cls(
            api_url=str(value["api_url"]),
            user_id=value.get("user_id"),
            playlists=tuple(PlaylistRecord.from_json(item) for item in value.get("playlists", ())),
        )


def load_state(path: Path, api_url: str, user_id: str | None = None) -> SyncState:
    """The stored state, or an empty one when it is missing, unreadable or for another API/user.

    A state made against the emulator names playlists that do not exist in Spotify (and the
    other way round), and another user's playlist ids are not ours to write: both read as
    "nothing known yet", so the sync falls back to finding playlists by name.
    """
    empty = SyncState(api_url=api_url, user_id=user_id)
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
        state = SyncState.from_json(value)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return empty
    if value.get("version") != STATE_VERSION or not same_api(state.api_url, api_url):
        return empty
    if user_id is not None and state.user_id != user_id:
        return empty
    return state


def save_state(path: Path, state: SyncState) -> None:
    write_json_atomic(path, state.to_json())


@dataclass
class StateStore:
    """The state file of one season: apply saves through it after every playlist.

    Saving is skipped when nothing changed, so a sync that changes nothing leaves the file as
    it was.
    """

    path: Path
    state: SyncState
    # Playlists are applied side by side: one writer at a time keeps every record.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self, record: PlaylistRecord) -> None:
        with self._lock:
            if self.state.get(record.key) == record:
                return
            self.state = self.state.with_record(record)
            save_state(self.path, self.state)

    def forget(self, key: str) -> None:
        """Drop the record of `key` (its playlist was removed) and save, if it was known."""
        with self._lock:
            if self.state.get(key) is None:
                return
            self.state = self.state.without(key)
            save_state(self.path, self.state)
