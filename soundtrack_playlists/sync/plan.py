"""Pure: plan(desired, current) gives the actions, each printing itself, that sync would run.

The flow is prefetch → plan → apply (as vdirsyncer does): everything Spotify holds is read
first, `plan()` computes small action objects with no I/O, and apply runs exactly those, so
`--dry-run` prints the very plan that apply would run.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence

from soundtrack_playlists.models import Action, PlaylistInfo
from soundtrack_playlists.sync.actions import (
    AppendItems,
    CreatePlaylist,
    Plan,
    PlaylistPlan,
    ReplaceItems,
    Step,
    UpdateDetails,
    UploadCover,
    track_count,
)
from soundtrack_playlists.sync.current import (
    MISSING,
    Adopted,
    Ambiguous,
    Current,
    Foreign,
    Found,
    Missing,
    NotOurs,
    NotOwned,
    locate,
)
from soundtrack_playlists.sync.state import PlaylistRecord
from soundtrack_playlists.sync.targets import (
    Desired,
    DesiredPlaylist,
    carries,
)

# --- actions -------------------------------------------------------------------------------


def _cover_step(desired: DesiredPlaylist, playlist_id: str, uploaded: str) -> UploadCover | None:
    """The upload the desired cover needs: none when off or when this design is up already."""
    if desired.cover is None:
        return None
    digest = desired.cover.digest()
    if digest == uploaded:
        return None
    return UploadCover(playlist_id, desired.cover, digest, replaces=bool(uploaded))


def _differences(current: Sequence[str | None], desired: Sequence[str]) -> tuple[int, int]:
    """(added, removed) counting duplicates (the season playlist may hold a song twice) and
    holes (null entries: tracks gone from Spotify), which a replace removes."""
    have: Counter[str | None] = Counter(current)
    want: Counter[str | None] = Counter(desired)
    return sum((want - have).values()), sum((have - want).values())


def _details(desired: DesiredPlaylist, info: PlaylistInfo) -> UpdateDetails | None:
    name = desired.name if desired.name != info.name else None
    description = (
        desired.description
        if html.unescape(info.description or "") != desired.description
        else None
    )
    public = (
        desired.public
        if desired.public is not None and info.public is not None and desired.public != info.public
        else None
    )
    if name is None and description is None and public is None:
        return None
    return UpdateDetails(info.id, name, description, public, old_name=info.name)


def plan_playlist(
    desired: DesiredPlaylist, current: Current, *, allow_empty: bool = False, adopt: bool = False
) -> PlaylistPlan:
    """The fewest writes that make one playlist what the tracklists want."""
    location = locate(desired, current, adopt=adopt)
    if isinstance(location, NotOwned):
        return PlaylistPlan(
            desired,
            Action.SKIP,
            playlist_id=location.info.id,
            located=location.kind,
            reason=f"owned by Spotify user {location.info.owner_id} now; left alone",
            tracks=location.info.total,
        )
    if isinstance(location, NotOurs):
        return PlaylistPlan(
            desired,
            Action.SKIP,
            playlist_id=location.info.id,
            located=location.kind,
            reason=f"the state names your playlist “{location.info.name}”, which "
            "soundtrack-playlists did not make for this season; it is left alone. Delete the "
            "season's state.json to let sync find its own playlists by their marker",
            tracks=location.info.total,
        )
    if isinstance(location, Ambiguous):
        return PlaylistPlan(
            desired,
            Action.SKIP,
            located=location.kind,
            reason=f"{location.candidates} of your playlists have this name; none is adopted "
            "and none created. Rename or delete all but one, then sync again",
        )
    if isinstance(location, Foreign):
        return PlaylistPlan(
            desired,
            Action.SKIP,
            located=location.kind,
            reason="a playlist of yours has this name but was not made by soundtrack-playlists "
            "for this season; it is left alone and none is created. Rename it, or pass "
            "--adopt to take it over",
        )
    if isinstance(location, Missing):
        return _plan_missing(desired, current)
    return _plan_existing(desired, location, current, allow_empty=allow_empty)


def _plan_missing(desired: DesiredPlaylist, current: Current) -> PlaylistPlan:
    if not desired.uris:
        return PlaylistPlan(
            desired,
            Action.SKIP,
            located=MISSING,
            reason="no song resolved to a track (pick them in `review`); no empty playlist",
        )
    create = CreatePlaylist(desired.name, desired.description, bool(desired.public), desired.uris)
    cover = _cover_step(desired, "", "")
    known = current.state.get(desired.key) is not None
    return PlaylistPlan(
        desired,
        Action.CREATE,
        (create,) if cover is None else (create, cover),
        located=MISSING,
        reason="deleted in Spotify; created anew" if known else "",
        tracks=len(desired.uris),
        added=len(desired.uris),
    )


def record_for(
    desired: DesiredPlaylist, info: PlaylistInfo, current: Current
) -> PlaylistRecord | None:
    """The stored record of this very playlist (same key, same id), if any."""
    stored = current.state.get(desired.key)
    return stored if stored is not None and stored.id == info.id else None


def _plan_existing(
    desired: DesiredPlaylist, location: Found | Adopted, current: Current, *, allow_empty: bool
) -> PlaylistPlan:
    info = location.info
    if location.uris is None:
        raise ValueError(f"the items of playlist {info.id} must be read before planning")
    uris = location.uris
    stored = record_for(desired, info, current)
    uploaded = stored.cover if stored is not None else ""
    # A hole left here is never desired, so the plan below replaces the items (a hole can't
    # be a prefix of the desired list) and the record's items are rewritten with them.
    known = tuple(uri for uri in uris if uri is not None)
    base_record = PlaylistRecord(
        desired.key,
        info.id,
        info.name,
        info.snapshot_id,
        known,
        uploaded,
        created=stored.created if stored is not None else None,
    )
    if not desired.uris and uris and not allow_empty:
        return PlaylistPlan(
            desired,
            Action.SKIP,
            playlist_id=info.id,
            located=location.kind,
            reason=f"would be emptied ({track_count(len(uris))} now, no song resolved); "
            "run `review` to pick tracks, or pass --allow-empty to empty it",
            tracks=len(uris),
            record=base_record,
            refused=True,
        )
    steps: list[Step] = []
    details = _details(desired, info)
    if details is not None:
        steps.append(details)
    # Before the items: their write answers with a snapshot that includes the new cover.
    cover = _cover_step(desired, info.id, uploaded)
    if cover is not None:
        steps.append(cover)
    added, removed = _differences(uris, desired.uris)
    if tuple(uris) != desired.uris:
        # Appending writes at a position: only items our own last write left say where the
        # end is. Items read may lag behind Spotify's (its reads can be stale): replace them.
        if location.ours and tuple(desired.uris[: len(uris)]) == tuple(uris):
            steps.append(AppendItems(info.id, desired.uris[len(uris) :]))
        else:
            steps.append(ReplaceItems(info.id, desired.uris, added, removed))
    return PlaylistPlan(
        desired,
        Action.UPDATE if steps else Action.UNCHANGED,
        tuple(steps),
        playlist_id=info.id,
        located=location.kind,
        reason=_adopted_by(desired, info) if isinstance(location, Adopted) else "",
        tracks=len(desired.uris),
        added=added,
        removed=removed,
        record=base_record,
    )


def _adopted_by(desired: DesiredPlaylist, info: PlaylistInfo) -> str:
    """How a playlist without a usable stored id was found: its marker, or its name."""
    if desired.marker and carries(info.description, desired.marker):
        if info.name != desired.name:
            return f"found by its marker (renamed “{info.name}” in Spotify; named back)"
        return "found by its marker"
    return "adopted by its name"


def plan(
    desired: Desired, current: Current, *, allow_empty: bool = False, adopt: bool = False
) -> Plan:
    """Pure: the actions that turn `current` into `desired`. Never deletes a playlist.

    `adopt`: a playlist of the desired name is taken over even without our marker.
    """
    return Plan(
        tuple(
            plan_playlist(playlist, current, allow_empty=allow_empty, adopt=adopt)
            for playlist in desired.playlists
        ),
        desired.without_songs,
    )
