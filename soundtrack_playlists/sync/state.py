"""The season's sync state: which Spotify playlist is which, and what it held when we last wrote."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, StrictInt

from soundtrack_playlists.errors import LocalFileError
from soundtrack_playlists.files.atomic import write_json_atomic
from soundtrack_playlists.files.json_file import (
    Damaged,
    decoded_json,
    stored_moment,
    validated,
)
from soundtrack_playlists.sync.recent import note_create
from soundtrack_playlists.text import fold, same_api

# 2: the state records the show and season it belongs to; a version 1 state (which did not)
# is not used, since it may have been copied from another season's folder.
STATE_VERSION = 2
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
    # When we made it (None: long ago, or adopted): while Spotify's reads may still lag behind
    # that, its absence from them does not mean it was deleted.
    created: datetime | None = None

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
        if self.created is not None:
            value["created"] = self.created.isoformat()
        return value


@dataclass(frozen=True)
class PendingCreate:
    """A playlist we asked Spotify to create and have not heard back about (yet).

    Written before each POST /me/playlists, so a run whose answer was lost (or that was
    killed while waiting for it) is remembered: until Spotify's list of playlists has had time
    to show a playlist made at `sent`, its absence from the list proves nothing.
    """

    key: str
    name: str
    sent: datetime

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "sent": self.sent.isoformat()}


@dataclass(frozen=True)
class SyncState:
    """Everything a sync remembers about one season, for one API and one user."""

    api_url: str
    user_id: str | None = None
    playlists: tuple[PlaylistRecord, ...] = field(default_factory=tuple)
    show: str | None = None  # the season this state belongs to, as its manifest names it
    season: int | None = None
    pending: tuple[PendingCreate, ...] = ()  # creates sent whose answer never came

    def get(self, key: str) -> PlaylistRecord | None:
        for record in self.playlists:
            if record.key == key:
                return record
        return None

    def with_record(self, record: PlaylistRecord) -> SyncState:
        """A copy with `record` replacing the one of the same key (others kept, order by key)."""
        others = [existing for existing in self.playlists if existing.key != record.key]
        records = sorted([*others, record], key=lambda item: (item.key != SEASON_KEY, item.key))
        return replace(self, playlists=tuple(records), pending=self._pending_but(record.key))

    def with_pending(self, create: PendingCreate) -> SyncState:
        """A copy remembering a create about to be sent (replacing an earlier one of its key)."""
        return replace(self, pending=(*self._pending_but(create.key), create))

    def without(self, key: str) -> SyncState:
        """A copy that no longer knows the playlist of `key` (removed, or deleted on failure)."""
        return replace(
            self,
            playlists=tuple(r for r in self.playlists if r.key != key),
            pending=self._pending_but(key),
        )

    def _pending_but(self, key: str) -> tuple[PendingCreate, ...]:
        return tuple(create for create in self.pending if create.key != key)

    def to_json(self) -> dict[str, Any]:
        value: dict[str, Any] = {
            "version": STATE_VERSION,
            "show": self.show,
            "season": self.season,
            "api_url": self.api_url,
            "user_id": self.user_id,
            "playlists": [record.to_json() for record in self.playlists],
        }
        if self.pending:
            value["pending"] = [create.to_json() for create in self.pending]
        return value

    def belongs_to(self, show: str, season: int) -> bool:
        return self.show is not None and fold(self.show) == fold(show) and self.season == season


Moment = Annotated[datetime, BeforeValidator(stored_moment)]


class RecordInFile(BaseModel):
    """A `playlists` entry of state.json."""

    key: str
    id: str
    name: str = ""
    snapshot_id: str | None = None
    uris: list[str] | None = None
    cover: str | None = None
    created: Moment | None = None

    def record(self) -> PlaylistRecord:
        return PlaylistRecord(
            self.key,
            self.id,
            self.name,
            self.snapshot_id or "",
            tuple(self.uris or ()),
            self.cover or "",
            self.created,
        )


class PendingInFile(BaseModel):
    """A `pending` entry of state.json: a create sent without an answer."""

    key: str
    name: str = ""
    sent: Moment

    def create(self) -> PendingCreate:
        return PendingCreate(self.key, self.name, self.sent)


class StateFile(BaseModel):
    """state.json, version 2: the show and season it belongs to, for one API and user."""

    version: Literal[2]
    api_url: str
    user_id: str | None = None
    show: str | None = None
    season: StrictInt | None = None
    playlists: list[RecordInFile] = []
    pending: list[PendingInFile] = []

    def state(self) -> SyncState:
        return SyncState(
            api_url=self.api_url,
            user_id=self.user_id,
            playlists=tuple(item.record() for item in self.playlists),
            show=self.show,
            season=self.season,
            pending=tuple(item.create() for item in self.pending),
        )


def load_state(
    path: Path,
    api_url: str,
    user_id: str | None = None,
    *,
    show: str | None = None,
    season: int | None = None,
) -> SyncState:
    """The stored state, or an empty one when it is missing or not this season's.

    A state made against the emulator names playlists that do not exist in Spotify (and the
    other way round), another user's playlist ids are not ours to write, and a state copied
    with its folder from another season names that season's playlists: all read as "nothing
    known yet", so the sync falls back to finding playlists by their marker. A state file
    that cannot be read is an error (LocalFileError), never silently replaced.
    """
    empty = SyncState(api_url=api_url, user_id=user_id, show=show, season=season)
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return empty
    except OSError as error:
        raise LocalFileError(
            f"{path}: cannot read the sync state ({error.strerror or error}); make it a "
            "readable file, or delete it: the next sync finds its playlists again by their marker"
        ) from None
    try:
        value = decoded_json(data)
        if not isinstance(value, dict):
            raise Damaged("expected a JSON object")
        if value.get("version") != STATE_VERSION:
            return empty
        state = validated(value, StateFile).state()
    except Damaged as error:
        raise LocalFileError(
            f"{path}: the sync state is damaged ({error.problem}); delete it and sync again: "
            "the playlists are found again by their marker"
        ) from None
    if not same_api(state.api_url, api_url):
        return empty
    if user_id is not None and state.user_id != user_id:
        return empty
    if show is not None and season is not None and not state.belongs_to(show, season):
        return empty
    return replace(state, show=show or state.show, season=season or state.season)


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
            waiting = any(create.key == record.key for create in self.state.pending)
            if self.state.get(record.key) == record and not waiting:
                return
            self.state = self.state.with_record(record)
            save_state(self.path, self.state)

    def pending_create(self, create: PendingCreate) -> None:
        """Save that this playlist is being created: before its POST goes out, and again
        (later) when the answer was lost."""
        with self._lock:
            self.state = self.state.with_pending(create)
            save_state(self.path, self.state)
        # Also outside the state: a state deleted before the list shows the playlist.
        note_create(self.path, self.state.api_url, self.state.user_id, create.sent)

    def forget(self, key: str) -> None:
        """Drop the record of `key` (its playlist was removed or deleted) and save, if known."""
        with self._lock:
            if self.state.get(key) is None and all(c.key != key for c in self.state.pending):
                return
            self.state = self.state.without(key)
            save_state(self.path, self.state)
