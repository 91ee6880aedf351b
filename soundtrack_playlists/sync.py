"""One season synced: resolve (reusing the lock), read Spotify, plan, apply, write the report."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Protocol

from soundtrack_playlists import paths, report
from soundtrack_playlists.apply import NO_COVER_SCOPE, CoverUploads, PlaylistWriter, Stopped, apply
from soundtrack_playlists.current import Current, items_to_read, unconfirmed_creates
from soundtrack_playlists.desired import Desired, desired_state
from soundtrack_playlists.errors import Interrupted, NotFound, RefusedToEmpty, SpotifyUnavailable
from soundtrack_playlists.fileio import write_text_atomic
from soundtrack_playlists.lockfile import load_lock
from soundtrack_playlists.models import (
    Outcome,
    PlaylistInfo,
    ResolvedSong,
    Season,
    Track,
    User,
)
from soundtrack_playlists.plan import Plan, PlaylistPlan, plan
from soundtrack_playlists.resolver import (
    DEFAULT_WORKERS,
    Resolution,
    resolve_and_lock,
    resolve_season,
)
from soundtrack_playlists.runlock import check_writable
from soundtrack_playlists.state import PlaylistRecord, StateStore, SyncState, load_state

# Progress of a long step: (label, done, total). The cli draws it; the library never does.
Progress = Callable[[str, int, int], None]


def no_progress(label: str, done: int, total: int) -> None:
    """Shows nothing (scripts, --json, tests)."""


class SpotifyReader(Protocol):
    """The part of SpotifyClient that reading the current state uses."""

    api_url: str

    def current_user(self) -> User: ...

    def my_playlists(self, *, settled_after: datetime | None = None) -> list[PlaylistInfo]: ...

    def playlist(self, playlist_id: str) -> PlaylistInfo: ...

    def still_followed(self, playlist_ids: Sequence[str]) -> set[str]: ...

    def playlist_item_uris(self, playlist_id: str) -> list[str | None]: ...


class SyncClient(SpotifyReader, PlaylistWriter, Protocol):
    """The part of SpotifyClient a whole sync uses: read, search and write."""

    def search_tracks(self, query: str) -> Sequence[Track]: ...

    def track(self, track_id: str) -> Track | None: ...


def read_current(
    client: SpotifyReader, desired: Desired, state_path: Path, season: Season, adopt: bool = False
) -> Current:
    """Everything plan() needs: one GET /me, GET /me/playlists, and items only where moved."""
    user = client.current_user()
    state = load_state(state_path, client.api_url, user.id, show=season.show, season=season.season)
    listed = listed_playlists(client, user.id, [state])
    playlists = with_unlisted(client, listed, state.playlists)
    current = Current(user.id, playlists, state)
    items = {
        playlist_id: tuple(client.playlist_item_uris(playlist_id))
        for playlist_id in items_to_read(desired, current, adopt=adopt)
    }
    return replace(current, items=items)


def listed_playlists(
    client: SpotifyReader, user_id: str, states: Iterable[SyncState]
) -> list[PlaylistInfo]:
    """GET /me/playlists, read again once Spotify's lag has passed if it lacks a playlist whose
    create got no answer: only then does its absence mean the create made nothing."""
    listed = client.my_playlists()
    pending = [create for state in states for create in state.pending]
    unsure = unconfirmed_creates(pending, listed, user_id)
    if not unsure:
        return listed
    return client.my_playlists(settled_after=max(create.sent for create in unsure))


def with_unlisted(
    client: SpotifyReader, listed: Sequence[PlaylistInfo], records: Iterable[PlaylistRecord]
) -> tuple[PlaylistInfo, ...]:
    """The listed playlists, plus stored ones the list left out that the user still follows.

    GET /me/playlists can lag behind a create: taking such a playlist for deleted would
    create it twice. Only a stored id absent from the list costs a request (the library
    check), and one more for each that turns out to be followed still.
    """
    known = {info.id for info in listed}
    absent = sorted({record.id for record in records} - known)
    if not absent:
        return tuple(listed)
    lagging = []
    for playlist_id in sorted(client.still_followed(absent)):
        try:
            lagging.append(client.playlist(playlist_id))
        except NotFound:
            raise SpotifyUnavailable(
                f"Spotify says you follow playlist {playlist_id} but does not show it yet: its "
                "answers lag behind its writes. Run the sync again in a minute."
            ) from None
    return (*listed, *lagging)


@dataclass(frozen=True)
class SyncResult:
    """A finished (or dry) sync: the plan, what became of each playlist, and the songs."""

    plan: Plan
    outcomes: tuple[Outcome, ...]
    songs: tuple[ResolvedSong, ...]
    report_path: Path | None = None  # None on a dry run: nothing is written
    dry_run: bool = False
    notes: tuple[str, ...] = ()  # what a person should know that is no failure

    @property
    def left_out(self) -> tuple[ResolvedSong, ...]:
        return report.left_out(self.songs)


def _season_dir(season: Season) -> Path:
    if season.directory is None:
        raise ValueError("the season must come from a folder: its state and report live there")
    return season.directory


def sync_resolved(
    season: Season,
    songs: Sequence[ResolvedSong],
    client: SyncClient,
    *,
    dry_run: bool = False,
    public: bool | None = None,
    episodes: Collection[int] | None = None,
    allow_empty: bool = False,
    progress: Progress = no_progress,
    workers: int = DEFAULT_WORKERS,
    adopt: bool = False,
    covers: bool = True,
) -> SyncResult:
    """Read Spotify, plan, and (unless dry) apply and write the report; songs already resolved.

    Raises RefusedToEmpty before any write when a playlist would be emptied; on a dry run the
    refused plan is returned instead, for printing.
    """
    directory = _season_dir(season)
    songs = tuple(songs)
    desired = desired_state(season, songs, public=public, episodes=episodes, covers=covers)
    state_file = paths.state_path(directory)
    current = read_current(client, desired, state_file, season, adopt)
    the_plan = plan(desired, current, allow_empty=allow_empty, adopt=adopt)
    if dry_run:
        return SyncResult(the_plan, the_plan.outcomes(), songs, None, dry_run=True)
    if the_plan.refusals:
        raise RefusedToEmpty(the_plan.refusal_message())
    # Nothing goes to Spotify unless the state and report can be kept afterwards.
    check_writable(directory)
    store = StateStore(state_file, current.state)
    label, total = "Syncing playlists", len(the_plan.playlists)
    done = 0
    progress(label, done, total)

    def one_done(item: PlaylistPlan) -> None:
        nonlocal done
        done += 1
        progress(label, done, total)

    uploads = CoverUploads(client)
    report_file = paths.report_path(directory)
    try:
        outcomes = apply(the_plan, client, store, one_done, workers=workers, covers=uploads)
    except Stopped as stopped:
        write_text_atomic(
            report_file,
            report.render_markdown(season, songs, stopped.outcomes, api_url=client.api_url),
        )
        raise Interrupted(_interrupted_message(the_plan, stopped.outcomes, report_file)) from None
    write_text_atomic(
        report_file, report.render_markdown(season, songs, outcomes, api_url=client.api_url)
    )
    notes = (NO_COVER_SCOPE,) if uploads.refused.is_set() else ()
    return SyncResult(the_plan, outcomes, songs, report_file, notes=notes)


def _interrupted_message(the_plan: Plan, done: Sequence[Outcome], report_file: Path) -> str:
    """What an interrupted sync did, playlist by playlist, and how to finish."""
    finished = {outcome.key for outcome in done}
    lines = [
        f"interrupted: {len(done)} of {len(the_plan.playlists)} playlists done, the others left "
        f"as they were; everything done is kept. Report: {report_file}",
    ]
    lines += [f"  done: {item}" for item in the_plan.playlists if item.desired.key in finished]
    lines.append("Run `soundtrack-playlists sync` again to finish.")
    return "\n".join(lines)


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
    lock_file = paths.lock_path(_season_dir(season))

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


def sync_season(
    season: Season,
    client: SyncClient,
    *,
    dry_run: bool = False,
    public: bool | None = None,
    episodes: Collection[int] | None = None,
    allow_empty: bool = False,
    refresh: bool = False,
    workers: int = DEFAULT_WORKERS,
    progress: Progress = no_progress,
    adopt: bool = False,
    covers: bool = True,
) -> SyncResult:
    """Resolve (reusing the lock), read Spotify, plan and apply: the whole `sync` command.

    With `dry_run` nothing is written anywhere (Spotify, lock, state, report): the result
    holds the plan that would run. Raises RefusedToEmpty before any write to Spotify when a
    playlist would be emptied and `allow_empty` is not set.
    """
    resolution = resolve_for_sync(
        season, client, dry_run=dry_run, refresh=refresh, workers=workers, progress=progress
    )
    return sync_resolved(
        season,
        resolution.songs,
        client,
        dry_run=dry_run,
        public=public,
        episodes=episodes,
        allow_empty=allow_empty,
        progress=progress,
        workers=workers,
        adopt=adopt,
        covers=covers,
    )
