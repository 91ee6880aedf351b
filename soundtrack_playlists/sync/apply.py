"""Run a plan against Spotify: playlists side by side, the state saved as each one lands."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime

from soundtrack_playlists.covers import CoverSpec, render_cover
from soundtrack_playlists.errors import MissingScope
from soundtrack_playlists.models import Action, Outcome
from soundtrack_playlists.settings import DEFAULT_WORKERS
from soundtrack_playlists.sync.actions import (
    AppendItems,
    CreatePlaylist,
    PlaylistPlan,
    ReplaceItems,
    UpdateDetails,
    UploadCover,
)
from soundtrack_playlists.sync.ports import PlaylistWriter
from soundtrack_playlists.sync.state import PendingCreate, PlaylistRecord, StateStore

log = logging.getLogger(__name__)


NO_COVER_SCOPE = (
    "Covers were not uploaded: the Spotify login lacks the ugc-image-upload permission. "
    "Run `soundtrack-playlists login` again to grant it, or pass --no-covers; the playlists "
    "themselves are synced"
)


class CoverUploads:
    """The covers of one run: drawn and uploaded; after a refused scope, none is tried again.

    A login without `ugc-image-upload` is not a failure of the sync: the first 403 says so
    once (`refused`), and the remaining playlists are synced without their covers.
    """

    def __init__(self, client: PlaylistWriter) -> None:
        self.client = client
        self.refused = threading.Event()

    def upload(self, playlist_id: str, cover: CoverSpec) -> bool:
        """True once the cover is up; False when the login may not upload covers."""
        if self.refused.is_set():
            return False
        try:
            self.client.upload_cover(playlist_id, render_cover(cover))
        except MissingScope:
            self.refused.set()
            return False
        return True


def _cover_of_new_playlist(
    item: PlaylistPlan, record: PlaylistRecord, covers: CoverUploads
) -> PlaylistRecord:
    """Upload a just-created playlist's cover, before its items: their write then answers
    the final snapshot, so no read is needed to learn it."""
    cover = next((step for step in item.steps if isinstance(step, UploadCover)), None)
    if cover is not None and covers.upload(record.id, cover.cover):
        return replace(record, cover=cover.digest)
    return record


def _create(
    step: CreatePlaylist,
    item: PlaylistPlan,
    client: PlaylistWriter,
    store: StateStore,
    covers: CoverUploads,
) -> PlaylistRecord:
    """Create the playlist, upload its cover and add its items; never leave an empty one.

    The state notes the create before it is sent (so a run whose answer was lost waits for
    Spotify's list to show the playlist rather than make it twice) and names the new playlist
    as soon as it exists, so a run killed before the items land finds it by its id next time.
    When adding the items fails, the playlist is deleted again (and forgotten) before the
    failure goes on; only if that fails too is it kept for the next run to fill.
    """

    def pending(moment: datetime) -> None:
        store.pending_create(PendingCreate(item.desired.key, step.name, moment))

    info = client.create_playlist(step.name, step.description, step.public, mark_pending=pending)
    # Its items are added next: until they are known to have landed, no snapshot is kept.
    snapshot = "" if step.uris else info.snapshot_id
    record = PlaylistRecord(
        item.desired.key, info.id, info.name, snapshot, (), created=client.now()
    )
    store.record(record)
    try:
        record = _cover_of_new_playlist(item, record, covers)
        if step.uris:
            # A new playlist is empty: no read needed to learn where its end is.
            snapshot = client.append_items(info.id, list(step.uris), start=0)
            record = replace(record, snapshot_id=snapshot, uris=step.uris)
    except BaseException:  # a Ctrl-C too: an empty playlist is worth nothing
        try:
            client.unfollow_playlist(info.id)
        except Exception:
            log.warning("could not delete the empty playlist %s; the next sync fills it", info.id)
        else:
            store.forget(item.desired.key)
        raise
    return record


def _items_about_to_change(record: PlaylistRecord, store: StateStore) -> None:
    """Forget the stored snapshot before writing items (write-ahead).

    If the write lands but its answer is lost and the run stops, a snapshot kept here would
    still match what a lagging read shows, and the next run would trust items that are no
    longer there (an append would then add its songs twice). Without it, that run reads them.
    """
    if record.snapshot_id:
        store.record(replace(record, snapshot_id=""))


def apply_playlist(
    item: PlaylistPlan,
    client: PlaylistWriter,
    store: StateStore,
    covers: CoverUploads | None = None,
) -> Outcome:
    """Run one playlist's steps, saving the state right after a create and once done.

    Saving right after the create means a run interrupted before the items are added finds
    the new playlist by its id next time instead of creating a second one.
    """
    covers = covers or CoverUploads(client)
    record = item.record
    desired = item.desired
    playlist_id = item.playlist_id
    for step in item.steps:
        if isinstance(step, UploadCover):
            if step.playlist_id and record is not None:  # a new playlist's is up already
                if covers.upload(step.playlist_id, step.cover):
                    record = replace(record, cover=step.digest)
            continue
        if isinstance(step, CreatePlaylist):
            record = _create(step, item, client, store, covers)
            playlist_id = record.id
            continue
        if record is None:  # plan() gives every existing playlist its record
            raise ValueError(f"no state record for “{desired.name}” to {step}")
        if isinstance(step, UpdateDetails):
            client.update_playlist(
                step.playlist_id, name=step.name, description=step.description, public=step.public
            )
            record = replace(record, name=step.name or record.name)
        elif isinstance(step, AppendItems):
            _items_about_to_change(record, store)
            # The plan compared against these items, so their count is where the end is.
            start = len(record.uris)
            snapshot = client.append_items(step.playlist_id, list(step.uris), start=start)
            record = replace(record, snapshot_id=snapshot, uris=record.uris + step.uris)
        elif isinstance(step, ReplaceItems):
            _items_about_to_change(record, store)
            snapshot = client.replace_items(step.playlist_id, list(step.uris))
            record = replace(record, snapshot_id=snapshot, uris=step.uris)
    last = item.steps[-1] if item.steps else None
    if record is not None and isinstance(last, (UpdateDetails, UploadCover)) and last.playlist_id:
        # Changing the details or the cover moves the snapshot: learn the new one now (one
        # read), so the next sync finds it unchanged without reading the items.
        info = client.playlist(record.id)
        same = info.total == len(record.uris)
        record = replace(record, snapshot_id=info.snapshot_id if same else "")
    if record is not None and item.action != Action.SKIP:
        store.record(record)
    return replace(item.outcome(), id=playlist_id)


def apply_jobs(
    jobs: Sequence[tuple[PlaylistPlan, StateStore]],
    client: PlaylistWriter,
    progress: Callable[[PlaylistPlan], None] | None = None,
    *,
    workers: int = DEFAULT_WORKERS,
    covers: CoverUploads | None = None,
) -> tuple[Outcome, ...]:
    """Run playlists side by side (at most `workers` at once); outcomes keep the jobs' order.

    Each job is a playlist's plan and the state store it saves into, so the plans of many
    seasons share one pool (one request cap). Playlists do not depend on one another, so
    their create-then-fill chains can overlap; each one saves its state as it completes.
    After a failure no further playlist is started, those under way finish, and the failure
    is raised: what was done is recorded.
    """
    failed = threading.Event()
    covers = covers or CoverUploads(client)

    def run(item: PlaylistPlan, store: StateStore) -> Outcome | None:
        if failed.is_set():
            return None  # started after a failure: left for the next run
        try:
            return apply_playlist(item, client, store, covers)
        except BaseException:
            failed.set()
            raise

    outcomes: list[Outcome] = []
    interrupted = False
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="apply") as pool:
        futures = [pool.submit(run, item, store) for item, store in jobs]
        try:
            # Playlists start in job order, so the first failure is met before a skipped one.
            for (item, _), future in zip(jobs, futures, strict=True):
                outcome = future.result()
                if outcome is None:  # only after a failure, which the loop has raised
                    raise RuntimeError("a playlist was skipped without a failure")
                outcomes.append(outcome)
                if progress is not None:
                    progress(item)
        except KeyboardInterrupt:  # Ctrl-C lands here, in the main thread: start nothing more
            failed.set()
            interrupted = True
        except BaseException:
            failed.set()
            raise
    if interrupted:  # the playlists under way have finished: say what was done
        finished = [
            (index, future.result())
            for index, future in enumerate(futures)
            if future.done() and future.exception() is None and future.result() is not None
        ]
        raise Stopped(
            tuple(outcome for _, outcome in finished if outcome is not None),
            tuple(index for index, _ in finished),
        )
    return tuple(outcomes)


class Stopped(KeyboardInterrupt):
    """Ctrl-C during apply: the playlists finished by then (the rest were not started)."""

    def __init__(self, outcomes: tuple[Outcome, ...], jobs: tuple[int, ...] = ()) -> None:
        super().__init__()
        self.outcomes = outcomes
        self.jobs = jobs  # the index of each finished playlist among the jobs given
