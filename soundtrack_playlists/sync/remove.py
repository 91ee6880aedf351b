"""Remove: unfollow exactly the playlists the state says this tool made, and forget them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from soundtrack_playlists.errors import SoundtrackError
from soundtrack_playlists.files import paths
from soundtrack_playlists.files.json_file import Damaged, decoded_json
from soundtrack_playlists.models import PlaylistInfo
from soundtrack_playlists.sync.ports import RemoverClient
from soundtrack_playlists.sync.prefetch import listed_playlists, with_unlisted
from soundtrack_playlists.sync.state import (
    SEASON_KEY,
    PendingCreate,
    PlaylistRecord,
    StateStore,
    SyncState,
    episode_key,
    load_state,
)
from soundtrack_playlists.sync.targets import carries, marker
from soundtrack_playlists.text import plural
from soundtrack_playlists.tracklists.folders import load_season
from soundtrack_playlists.tracklists.selection import Selection

REMOVE = "remove"  # ours, followed: unfollowed
GONE = "gone"  # ours, no longer followed (deleted in Spotify): only forgotten
NOT_OWNED = "not-owned"  # the stored id now belongs to someone else: left alone
NEVER_MADE = "never-made"  # a create that got no answer and made nothing: only forgotten
UNRECORDED = "unrecorded"  # ours by its marker, but no state records it: unfollowed


@dataclass(frozen=True)
class Removal:
    """One recorded playlist and what remove does with it."""

    state_file: Path
    record: PlaylistRecord
    kind: str

    def __str__(self) -> str:
        text = {
            REMOVE: "remove   ",
            UNRECORDED: "remove   ",
            GONE: "forget   ",
            NOT_OWNED: "leave    ",
            NEVER_MADE: "forget   ",
        }[self.kind]
        if self.kind == NEVER_MADE:
            return f"{text} “{self.record.name}” (asked for, never made)"
        why = {
            REMOVE: "",
            UNRECORDED: " (made by soundtrack-playlists, found by its marker; not in the state)",
            GONE: " (already deleted in Spotify)",
            NOT_OWNED: " (owned by someone else now)",
        }[self.kind]
        return f"{text} “{self.record.name}” ({self.record.id}){why}"


@dataclass(frozen=True)
class RemovalPlan:
    """Every playlist the selected states record, with what remove would do to each."""

    items: tuple[Removal, ...]
    states: dict[Path, SyncState] = field(default_factory=dict)
    unknown: tuple[Path, ...] = ()  # state files for another account or API: nothing taken

    @property
    def to_remove(self) -> tuple[Removal, ...]:
        return tuple(item for item in self.items if item.kind in (REMOVE, UNRECORDED))

    def count_text(self) -> str:
        return plural(len(self.to_remove), "playlist")

    def __str__(self) -> str:
        lines = [str(item) for item in self.items]
        lines += [
            f"(the state {path} is for another account or API: nothing taken from it)"
            for path in self.unknown
        ]
        if not self.to_remove:
            lines.append("No playlist made by soundtrack-playlists to remove here.")
        return "\n".join(lines)


def state_files(selection: Selection) -> list[Path]:
    """The state of every season selected, and of every show folder given whole."""
    folders = [*selection.seasons, *selection.shows]
    return [paths.state_path(folder) for folder in folders]


def plan_removal(selection: Selection, client: RemoverClient) -> RemovalPlan:
    """Read the user and their playlists once; classify every playlist the states record.

    Only the stored ids count, plus a playlist whose create got no answer (state `pending`)
    when it carries that playlist's marker: one that merely bears the same name is never
    touched. The list is read as a sync reads it: a stored playlist it leaves out is asked
    about before it is taken for deleted, and one still being created is waited for.
    """
    user = client.current_user()
    states: dict[Path, SyncState] = {}
    unknown: list[Path] = []
    for path in state_files(selection):
        if not path.is_file():
            continue
        state = load_state(path, client.api_url, user.id)
        if not state.playlists and not state.pending:
            if _has_records(path):
                unknown.append(path)
            continue
        states[path] = state
    records = [record for state in states.values() for record in state.playlists]
    # Listed even when no state records anything: a playlist found by its marker is ours too.
    listed = (
        listed_playlists(client, user.id, states.values()) if states or selection.seasons else []
    )
    followed = {info.id: info for info in with_unlisted(client, listed, records)}
    items: list[Removal] = []
    for path, state in states.items():
        for record in [*state.playlists, *_made_without_answer(state, followed.values())]:
            info = followed.get(record.id)
            if not record.id:
                kind = NEVER_MADE
            elif info is None:
                kind = GONE
            elif info.owner_id != user.id:
                kind = NOT_OWNED
            else:
                kind = REMOVE
            items.append(Removal(path, record, kind))
    recorded = {item.record.id for item in items}
    for folder in selection.seasons:
        if paths.state_path(folder) not in unknown:  # another account's or API's: not ours
            items += _unrecorded(folder, followed.values(), recorded, user.id)
    return RemovalPlan(tuple(items), states, tuple(unknown))


def _unrecorded(
    folder: Path, followed: Iterable[PlaylistInfo], recorded: set[str], user_id: str
) -> list[Removal]:
    """The season's own playlists found by their marker that no state records (a state
    deleted, or a run that stopped before recording): ours all the same."""
    try:
        season = load_season(folder)
    except SoundtrackError:
        return []  # a folder that no longer reads as a season: its state alone speaks
    keys = [episode_key(episode.number) for episode in season.episodes] + [SEASON_KEY]
    tags = {marker(season.show, season.season, key): key for key in keys}
    found = []
    for info in followed:
        if info.id in recorded or info.owner_id != user_id:
            continue
        for tag, key in tags.items():
            if carries(info.description, tag):
                record = PlaylistRecord(key, info.id, info.name)
                found.append(Removal(paths.state_path(folder), record, UNRECORDED))
    return found


def _made_without_answer(
    state: SyncState, followed: Iterable[PlaylistInfo]
) -> list[PlaylistRecord]:
    """Records for the playlists of pending creates: the ones made after all (found by their
    marker), and one without an id for each that made nothing (the list has settled)."""
    found = []
    for create in state.pending:
        tag = _marker_of(state, create)
        made = [
            PlaylistRecord(create.key, info.id, info.name)
            for info in followed
            if info.name == create.name and tag and carries(info.description, tag)
        ]
        found += made or [PlaylistRecord(create.key, "", create.name)]
    return found


def _marker_of(state: SyncState, create: PendingCreate) -> str:
    """The marker the pending playlist was created with ("" when the state names no season)."""
    if state.show is None or state.season is None:
        return ""
    return marker(state.show, state.season, create.key)


def _has_records(path: Path) -> bool:
    """Whether a state file records playlists for some API and user (not necessarily ours)."""
    try:
        value = decoded_json(path.read_bytes())
    except (OSError, Damaged):
        return False
    return isinstance(value, dict) and bool(value.get("playlists"))


def run_removal(removal: RemovalPlan, client: RemoverClient) -> RemovalPlan:
    """Unfollow each playlist to remove and forget it (and the deleted ones) in its state.

    The state is saved after each playlist, so an interrupted run loses nothing.
    Returns the part that was done.
    """
    stores = {path: StateStore(path, state) for path, state in removal.states.items()}
    done: list[Removal] = []
    for item in removal.items:
        if item.kind == NOT_OWNED:
            continue
        if item.kind == UNRECORDED:  # no state to forget it in
            client.unfollow_playlist(item.record.id)
            done.append(item)
            continue
        if item.kind == REMOVE:
            client.unfollow_playlist(item.record.id)
        stores[item.state_file].forget(item.record.key)
        done.append(item)
    return RemovalPlan(tuple(done), removal.states)
