"""What a sync reads: a season resolved against its lock, and what Spotify holds for it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from soundtrack_playlists.errors import NotFound, SpotifyUnavailable
from soundtrack_playlists.files import paths
from soundtrack_playlists.models import PlaylistInfo, Season, Track, User
from soundtrack_playlists.resolve.lockfile import load_lock
from soundtrack_playlists.resolve.resolver import (
    DEFAULT_WORKERS,
    Resolution,
    resolve_and_lock,
    resolve_season,
)
from soundtrack_playlists.sync.apply import PlaylistWriter
from soundtrack_playlists.sync.current import Current, items_to_read, unconfirmed_creates
from soundtrack_playlists.sync.shows import Target, season_folder
from soundtrack_playlists.sync.state import PlaylistRecord, SyncState, load_state

# Progress of a long step: (label, done, total). The cli draws it; the library never does.
Progress = Callable[[str, int, int], None]


def no_progress(label: str, done: int, total: int) -> None:
    """Shows nothing (scripts, --json, tests)."""


class SpotifyReader(Protocol):
    """The part of SpotifyClient that reading the current state uses."""

    api_url: str

    def current_user(self) -> User: ...

    def reads_settled(self, since: datetime) -> bool: ...

    def my_playlists(self, *, settled_after: datetime | None = None) -> list[PlaylistInfo]: ...

    def playlist(self, playlist_id: str) -> PlaylistInfo: ...

    def still_followed(self, playlist_ids: Sequence[str]) -> set[str]: ...

    def playlist_item_uris(self, playlist_id: str) -> list[str | None]: ...


class SyncClient(SpotifyReader, PlaylistWriter, Protocol):
    """The part of SpotifyClient a whole sync uses: read, search and write."""

    def search_tracks(self, query: str) -> Sequence[Track]: ...

    def track(self, track_id: str) -> Track | None: ...


def read_current(
    client: SpotifyReader, targets: Sequence[Target], *, adopt: bool = False
) -> list[Current]:
    """What plan() needs for each target: one GET /me and one listing of the playlists for
    all of them, and items only where moved (none for a blocked target)."""
    user = client.current_user()
    states = [
        load_state(
            target.state_file,
            client.api_url,
            user.id,
            show=target.season.show if target.season else None,
            season=target.season.season if target.season else None,
        )
        for target in targets
    ]
    records = [record for state in states for record in state.playlists]
    playlists = with_unlisted(client, listed_playlists(client, user.id, states), records)
    currents = [Current(user.id, playlists, state) for state in states]
    to_read: list[str] = []
    for target, current in zip(targets, currents, strict=True):
        wanted = () if target.blocked else items_to_read(target.desired, current, adopt=adopt)
        to_read += [pid for pid in wanted if pid not in to_read]
    items = {pid: tuple(client.playlist_item_uris(pid)) for pid in to_read}
    return [replace(current, items=items) for current in currents]


def listed_playlists(
    client: SpotifyReader, user_id: str, states: Iterable[SyncState]
) -> list[PlaylistInfo]:
    """GET /me/playlists, read again once Spotify's lag has passed if it lacks a playlist whose
    create got no answer: only then does its absence mean the create made nothing."""
    listed = client.my_playlists()
    pending = [create for state in states for create in state.pending]
    unsure = unconfirmed_creates(pending, listed, user_id)
    latest = max((create.sent for create in unsure), default=None)
    if latest is None or client.reads_settled(latest):
        return listed  # what the list lacks now, it lacks for good
    return client.my_playlists(settled_after=latest)


def with_unlisted(
    client: SpotifyReader,
    listed: Sequence[PlaylistInfo],
    records: Iterable[PlaylistRecord],
    *,
    settled: bool = False,
) -> tuple[PlaylistInfo, ...]:
    """The listed playlists, plus stored ones the list left out that the user still follows.

    GET /me/playlists can lag behind a create: taking such a playlist for deleted would
    create it twice. Only a stored id absent from the list costs a request (the library
    check), and one more for each that turns out to be followed still. The library check
    may lag too: a playlist we made less than `read_lag` ago that neither shows is waited
    for, and everything read again once the lag has passed (`settled`).
    """
    records = list(records)
    known = {info.id for info in listed}
    absent = sorted({record.id for record in records} - known)
    if not absent:
        return tuple(listed)
    followed = client.still_followed(absent)
    made = [
        record.created
        for record in records
        if record.id in absent and record.id not in followed and record.created is not None
    ]
    if made and not settled and not client.reads_settled(max(made)):
        again = client.my_playlists(settled_after=max(made))
        return with_unlisted(client, again, records, settled=True)
    lagging = []
    for playlist_id in sorted(followed):
        try:
            lagging.append(client.playlist(playlist_id))
        except NotFound:
            raise SpotifyUnavailable(
                f"Spotify says you follow playlist {playlist_id} but does not show it yet: its "
                "answers lag behind its writes. Run the sync again in a minute."
            ) from None
    return (*listed, *lagging)


def resolve_for_sync(
    season: Season,
    client: SyncClient,
    *,
    dry_run: bool = False,
    refresh: bool = False,
    workers: int = DEFAULT_WORKERS,
    progress: Progress = no_progress,
) -> Resolution:
    """Resolve the season reusing its lock, which is saved (even half-way) unless dry.

    Only lines not in the lock are searched, so a re-sync of an unchanged season sends no
    search at all (and shows no progress).
    """
    lock_file = paths.lock_path(season_folder(season))

    def searched(done: int, total: int) -> None:
        progress("Resolving songs", done, total)

    if dry_run:
        return resolve_season(
            season,
            client.search_tracks,
            lock=load_lock(lock_file, client.api_url),
            refresh=refresh,
            workers=workers,
            progress=searched,
            lookup=client.track,
        )
    return resolve_and_lock(
        season,
        client.search_tracks,
        api_url=client.api_url,
        lock_file=lock_file,
        refresh=refresh,
        workers=workers,
        progress=searched,
        lookup=client.track,
    )
