"""Pure: what Spotify holds before a sync, and where each desired playlist stands in it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from soundtrack_playlists.models import PlaylistInfo
from soundtrack_playlists.sync.state import PlaylistRecord, SyncState
from soundtrack_playlists.sync.targets import Desired, DesiredPlaylist, carries


@dataclass(frozen=True)
class Current:
    """What Spotify holds, read before planning: the user's playlists and the items needed."""

    user_id: str
    playlists: tuple[PlaylistInfo, ...]  # GET /me/playlists: every playlist the user follows
    state: SyncState
    # playlist id -> uris as read; None: a null entry (a track gone from Spotify), kept in place
    items: Mapping[str, tuple[str | None, ...]] = field(default_factory=dict)


# Where a desired playlist stands in Spotify: one of six cases, each carrying what it knows.
FOUND = "found"
ADOPTED = "adopted"
MISSING = "missing"
NOT_OWNED = "not-owned"
AMBIGUOUS = "ambiguous"
FOREIGN = "foreign"
NOT_OURS = "not-ours"


@dataclass(frozen=True)
class Found:
    """Found by the id stored in the state."""

    info: PlaylistInfo
    uris: tuple[str | None, ...] | None  # None: unknown until read; a None item is a hole
    ours: bool = False  # the items are the ones our last write left (its snapshot), not read
    kind: ClassVar[str] = FOUND


@dataclass(frozen=True)
class Adopted:
    """No usable stored id; the one own playlist carrying its marker (whatever its name), or
    with `adopt` the one own playlist of that exact name."""

    info: PlaylistInfo
    uris: tuple[str | None, ...] | None  # None: unknown until read; a None item is a hole
    ours: bool = False  # the items are the ones our last write left (its snapshot), not read
    kind: ClassVar[str] = ADOPTED


@dataclass(frozen=True)
class Missing:
    """Not in Spotify: never made, or deleted (unfollowed) by the user."""

    kind: ClassVar[str] = MISSING


@dataclass(frozen=True)
class NotOwned:
    """The stored id is followed but owned by someone else now."""

    info: PlaylistInfo
    kind: ClassVar[str] = NOT_OWNED


@dataclass(frozen=True)
class Ambiguous:
    """No stored id and several own playlists bear the name: none is adopted."""

    candidates: int
    kind: ClassVar[str] = AMBIGUOUS


@dataclass(frozen=True)
class Foreign:
    """No stored id, and the own playlists of that name lack our marker: the user's own."""

    candidates: int
    kind: ClassVar[str] = FOREIGN


@dataclass(frozen=True)
class NotOurs:
    """The stored id is the user's own playlist, but one this tool did not make for this
    season: no marker of it, and no record of making it. Left alone."""

    info: PlaylistInfo
    kind: ClassVar[str] = NOT_OURS


Location = Found | Adopted | Missing | NotOwned | Ambiguous | Foreign | NotOurs


def locate(desired: DesiredPlaylist, current: Current, *, adopt: bool = False) -> Location:
    """Find a desired playlist: stored id first, else by its marker whatever its name, else
    (only with `adopt`) the one own playlist of that exact name.

    A stored id is used only for a playlist that carries the marker or that this state
    records making: a state edited or copied to name a playlist of the user's own never gets
    it renamed or refilled. A stored id missing from GET /me/playlists means the user deleted
    (unfollowed) it; the marker search then still runs, so a playlist created by a run whose
    answer was lost, or renamed in Spotify, is adopted rather than made twice. A name alone
    proves nothing: a same-named playlist without the marker is the user's own (or another
    season's) and is left alone.
    """
    by_id = {info.id: info for info in current.playlists}
    record = current.state.get(desired.key)
    if record is not None and record.id in by_id:
        info = by_id[record.id]
        if info.owner_id != current.user_id:
            return NotOwned(info)
        if record.created is None and not carries_marker(info, desired):
            return NotOurs(info)
        return Found(info, *_known_uris(info, record, current))
    claimed = {other.id for other in current.state.playlists if other.key != desired.key}
    own = [
        info
        for info in current.playlists
        if info.owner_id == current.user_id and info.id not in claimed
    ]
    marked = [info for info in own if desired.marker and carries(info.description, desired.marker)]
    named = [info for info in own if info.name == desired.name]
    if not desired.marker:  # the whole-show playlist: found by name, as before markers
        marked = named
    elif adopt and not marked:
        marked = named
    if len(marked) > 1:
        return Ambiguous(len(marked))
    if len(marked) == 1:
        return Adopted(marked[0], *_known_uris(marked[0], record, current))
    if named:
        return Foreign(len(named))
    return Missing()


def carries_marker(info: PlaylistInfo, desired: DesiredPlaylist) -> bool:
    """Whether the playlist carries the desired one's marker (always, when it has none)."""
    return not desired.marker or carries(info.description, desired.marker)


def _known_uris(
    info: PlaylistInfo, record: PlaylistRecord | None, current: Current
) -> tuple[tuple[str | None, ...] | None, bool]:
    """The items, and whether they are known without reading them: the snapshot is the one
    we last wrote.

    A hole (a track Spotify no longer has) where our last write put a track, in a playlist of
    the length we wrote, is that track gone unavailable: it stands for it. Writing the same
    track again cannot fill the hole, so only holes we did not put there call for a rewrite.
    """
    if (
        record is not None
        and record.id == info.id
        and record.snapshot_id
        and record.snapshot_id == info.snapshot_id
    ):
        return record.uris, True
    read = current.items.get(info.id)
    if (
        read is not None
        and None in read
        and record is not None
        and record.id == info.id
        and len(record.uris) == len(read)
    ):
        return tuple(
            uri if uri is not None else written
            for uri, written in zip(read, record.uris, strict=True)
        ), False
    return read, False


def items_to_read(desired: Desired, current: Current, *, adopt: bool = False) -> tuple[str, ...]:
    """Ids of the playlists whose items must be read before planning (snapshot moved)."""
    ids: list[str] = []
    for playlist in desired.playlists:
        location = locate(playlist, current, adopt=adopt)
        if isinstance(location, (Found, Adopted)) and location.uris is None:
            if location.info.id not in ids:
                ids.append(location.info.id)
    return tuple(ids)


def all_vanished(desired: Desired, current: Current) -> int:
    """How many recorded playlists vanished, when every one of them did at once (else 0).

    One playlist deleted in Spotify is made again; all of a season's at once (at least two)
    looks more like another account or an emptied library than an edit: a question for the
    person, not an order to make them all again (vdirsyncer's empty-storage valve).
    """
    recorded = [playlist for playlist in desired.playlists if current.state.get(playlist.key)]
    if len(recorded) < 2:
        return 0
    if all(isinstance(locate(playlist, current), Missing) for playlist in recorded):
        return len(recorded)
    return 0
