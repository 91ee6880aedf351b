"""Every read of Spotify a sync makes, and all of the read-lag logic: lists read until trusted."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from soundtrack_playlists.errors import NotFound, SpotifyUnavailable
from soundtrack_playlists.models import PlaylistInfo
from soundtrack_playlists.sync.current import Current, items_to_read
from soundtrack_playlists.sync.ports import SpotifyReader
from soundtrack_playlists.sync.recent import last_create
from soundtrack_playlists.sync.state import PendingCreate, PlaylistRecord, SyncState, load_state
from soundtrack_playlists.sync.targets import Target

log = logging.getLogger(__name__)


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
    listed = listed_playlists(client, user.id, states, _stateless_creates(targets, states))
    playlists = with_unlisted(client, listed, records)
    currents = [Current(user.id, playlists, state) for state in states]
    to_read: list[str] = []
    for target, current in zip(targets, currents, strict=True):
        wanted = () if target.blocked else items_to_read(target.desired, current, adopt=adopt)
        to_read += [pid for pid in wanted if pid not in to_read]
    items = {pid: tuple(client.playlist_item_uris(pid)) for pid in to_read}
    return [replace(current, items=items) for current in currents]


def listed_playlists(
    client: SpotifyReader,
    user_id: str,
    states: Iterable[SyncState],
    stateless: Iterable[datetime] = (),
) -> list[PlaylistInfo]:
    """GET /me/playlists, read again once Spotify's lag has passed if it lacks a playlist whose
    create got no answer: only then does its absence mean the create made nothing.

    `stateless`: when playlists were last being made for a state that no longer records
    them (deleted): until the lag has passed, the list may not show them yet.
    """
    listed = client.my_playlists()
    pending = [create for state in states for create in state.pending]
    unsure = [create.sent for create in unconfirmed_creates(pending, listed, user_id)]
    moments = [believable(client, moment) for moment in (*unsure, *stateless)]
    latest = max(moments, default=None)
    if latest is None or client.reads_settled(latest):
        return listed  # what the list lacks now, it lacks for good
    return client.my_playlists(settled_after=latest)


def _stateless_creates(targets: Sequence[Target], states: Sequence[SyncState]) -> list[datetime]:
    """For each state that records nothing, when playlists were last being made for it."""
    found = []
    for target, state in zip(targets, states, strict=True):
        if not state.playlists and not state.pending:
            moment = last_create(target.state_file, state.api_url, state.user_id)
            if moment is not None:
                found.append(moment)
    return found


def believable(client: SpotifyReader, moment: datetime) -> datetime:
    """A stored time, or now when it lies in the future (the clock was set back, or the file
    came from another machine): no wait is ever longer than the read lag."""
    now = client.now()
    if moment <= now:
        return moment
    log.warning(
        "a stored time (%s) is %.0f s in the future (the clock was set back?): taken as now",
        moment.isoformat(timespec="seconds"),
        (moment - now).total_seconds(),
    )
    return now


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
    latest = max((believable(client, moment) for moment in made), default=None)
    if latest is not None and not settled and not client.reads_settled(latest):
        again = client.my_playlists(settled_after=latest)
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


def unconfirmed_creates(
    pending: Iterable[PendingCreate], listed: Sequence[PlaylistInfo], user_id: str
) -> tuple[PendingCreate, ...]:
    """The creates sent without an answer whose playlist the list does not show (yet).

    The list may lag behind a create: until it has had time to show such a playlist, its
    absence does not prove the create failed, and making the playlist again could make two.
    """
    names = {info.name for info in listed if info.owner_id == user_id}
    return tuple(create for create in pending if create.name not in names)
