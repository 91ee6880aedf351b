"""Find each song's Spotify track: pins first, then the lock, then the query cascade."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from soundtrack_playlists.matching.decide import Decision
from soundtrack_playlists.matching.score import DEFAULT_SETTINGS, MatchSettings
from soundtrack_playlists.models import Season, Song, Status, Track
from soundtrack_playlists.resolve.cascade import Search, resolve_song
from soundtrack_playlists.resolve.lockfile import Lock, LockEntry
from soundtrack_playlists.resolve.pins import Lookup, look_up_pins
from soundtrack_playlists.resolve.results import Resolution, SongResolution
from soundtrack_playlists.settings import DEFAULT_WORKERS
from soundtrack_playlists.text import plural
from soundtrack_playlists.tracklists.grammar import GrammarError, parse_pin

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]  # (songs searched so far, songs to search)


class ResolveStopped(BaseException):
    """Searching stopped half-way: what was resolved so far, and the error that stopped it.

    A BaseException, like the Ctrl-C it may carry, so no `except Exception` swallows it;
    `resolve_season` raises the original error again, `resolve_stopping` hands this out.
    """

    def __init__(self, partial: Resolution, error: BaseException) -> None:
        super().__init__(str(error))
        self.partial = partial
        self.error = error


def _decision(item: SongResolution) -> str:
    """-v: one song's outcome, its track, how it was found, and why (naming the song)."""
    how = "from the lock" if item.reused else plural(item.searches, "search", "searches")
    track = f" {item.track.uri}" if item.track is not None else ""
    if item.reason.startswith(item.song.key):  # a match's reason names the song already
        why = item.reason
    else:
        why = f"{item.song.key}: {item.reason}" if item.reason else item.song.key
    return f"E{item.episode:02d} {item.status}{track} ({how}): {why}"


def parse_track_ref(text: str) -> str | None:
    """A Spotify track URI from a URI or an open.spotify.com link; None if it is neither."""
    try:
        return parse_pin((text or "").strip())
    except GrammarError:
        return None


# --- one song from its pin or the lock, or searched ----------------------------------------


def _pinned(
    episode: int, song: Song, pin: str, entry: LockEntry | None, source: str
) -> SongResolution:
    """A pinned song (an invalid pin leaves it unresolved and says why).

    The lock's track is kept when it was looked up for this very pin; otherwise the track
    stands for the line until `look_up_pins` asks Spotify what it is.
    """
    uri = parse_track_ref(pin)
    if uri is None:
        return SongResolution(
            episode,
            song,
            Status.UNRESOLVED,
            None,
            None,
            f"the pin {pin!r} is not a Spotify track (spotify:track:<22 characters> "
            "or an open.spotify.com/track/ link)",
        )
    track = entry.track if entry is not None else None
    checked = entry is not None and entry.pin_checked and track is not None and track.uri == uri
    if not checked or track is None:
        track = Track(uri=uri, name=song.title, artists=song.artists)
    return SongResolution(
        episode,
        song,
        Status.PINNED,
        track,
        None,
        f"pinned {source}: {uri}",
        pin=uri if source == "in review" else None,
        pin_checked=checked,
    )


def _known(episode: int, song: Song, lock: Lock | None, refresh: bool) -> SongResolution | None:
    """The song resolved without a search, or None when it must be searched.

    A tracklist pin wins, then a choice made in review, then (unless `refresh`) the lock's
    earlier result for the same line.
    """
    entry = lock.get(episode, song.key) if lock is not None else None
    if song.pin:
        return _pinned(episode, song, song.pin, entry, "in the tracklist")
    if entry is not None and entry.pin:
        return _pinned(episode, song, entry.pin, entry, "in review")
    if entry is not None and not refresh and not entry.tracklist_pin:
        return SongResolution(
            episode=episode,
            song=song,
            status=entry.status,
            track=entry.track,
            score=entry.score,
            reason=entry.reason,
            candidates=entry.candidates,
            reused=True,
        )
    return None


def _searched(episode: int, song: Song, decision: Decision, searches: int) -> SongResolution:
    return SongResolution(
        episode=episode,
        song=song,
        status=decision.status,
        track=decision.track,
        score=round(decision.score, 4),
        reason=decision.reason,
        candidates=decision.candidates,
        searches=searches,
    )


def _search_each(
    todo: Sequence[tuple[int, Song]],
    search: Search,
    settings: MatchSettings,
    show: str,
    workers: int,
    on_resolved: Callable[[int, SongResolution], None],
) -> None:
    """Search the (episode, song) pairs `workers` at a time; `on_resolved(index, song)` each.

    When a search fails, the songs that finished beside it are still reported, the songs not
    started are cancelled, and the first failure is raised.
    """
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {
            pool.submit(resolve_song, song, search, settings, show): index
            for index, (_, song) in enumerate(todo)
        }
        pending = set(futures)
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                failures = [error for f in done if (error := f.exception()) is not None]
                for future in done:
                    if future.exception() is not None:
                        continue  # the others finished: report them before raising
                    index = futures[future]
                    episode, song = todo[index]
                    decision, made = future.result()
                    on_resolved(index, _searched(episode, song, decision, made))
                if failures:
                    raise failures[0]
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def _resolution(slots: Sequence[SongResolution | None]) -> Resolution:
    items = tuple(item for item in slots if item is not None)
    return Resolution(items, sum(item.searches for item in items))


def resolve_stopping(
    season: Season,
    search: Search,
    *,
    lock: Lock | None = None,
    refresh: bool = False,
    settings: MatchSettings = DEFAULT_SETTINGS,
    workers: int = DEFAULT_WORKERS,
    progress: Progress | None = None,
    lookup: Lookup | None = None,
) -> Resolution:
    """Resolve every song of a season, reusing the lock for unchanged lines.

    A pin in the tracklist wins; then a choice made in `review`; then (unless `refresh`) the
    lock's earlier result for the same line; everything else is searched, `workers` songs at
    a time. Results come back in tracklist order whatever order the searches finish in.
    If searching fails, ResolveStopped carries what was resolved so far and the error.
    With `lookup`, pins are looked up first (see `look_up_pins`), before any search.
    """
    slots: list[SongResolution | None] = []
    todo: list[tuple[int, Song]] = []
    slot_of: list[int] = []  # where each song of `todo` goes in `slots`
    pins: list[tuple[int, Path | None]] = []  # pinned slots and their tracklist files
    for episode in season.episodes:
        for song in episode.songs:
            known = _known(episode.number, song, lock, refresh)
            slots.append(known)
            if known is None:
                todo.append((episode.number, song))
                slot_of.append(len(slots) - 1)
            elif known.status == Status.PINNED:
                pins.append((len(slots) - 1, episode.path))
    if lookup is not None and pins:
        pinned = [(slots[index], path) for index, path in pins]
        looked_up = look_up_pins([(item, path) for item, path in pinned if item], lookup)
        for (index, _), item in zip(pins, looked_up, strict=True):
            slots[index] = item

    finished = 0

    def resolved(index: int, item: SongResolution) -> None:
        nonlocal finished
        slots[slot_of[index]] = item
        finished += 1
        if progress is not None:
            progress(finished, len(todo))

    if progress is not None:
        progress(0, len(todo))
    if todo:
        try:
            _search_each(todo, search, settings, season.show, workers, resolved)
        except BaseException as error:
            # What was resolved before the failure is worth keeping: the caller may save it.
            raise ResolveStopped(_resolution(slots), error) from error
    resolution = _resolution(slots)
    for item in resolution.songs if log.isEnabledFor(logging.INFO) else ():
        log.info("%s", _decision(item))
    return resolution


def resolve_season(
    season: Season,
    search: Search,
    *,
    lock: Lock | None = None,
    refresh: bool = False,
    settings: MatchSettings = DEFAULT_SETTINGS,
    workers: int = DEFAULT_WORKERS,
    progress: Progress | None = None,
    lookup: Lookup | None = None,
) -> Resolution:
    """`resolve_stopping` for callers that keep nothing of a failed run: its error as is."""
    try:
        return resolve_stopping(
            season,
            search,
            lock=lock,
            refresh=refresh,
            settings=settings,
            workers=workers,
            progress=progress,
            lookup=lookup,
        )
    except ResolveStopped as stopped:
        raise stopped.error from stopped.error.__cause__


NOT_RESOLVED_YET = "not resolved yet: run `soundtrack-playlists resolve`"


def resolve_from_lock(season: Season, lock: Lock | None) -> Resolution:
    """The season as the lock (and the tracklists' pins) resolve it, without any search.

    The same rules as `resolve_season`; a line the lock does not know yet is unresolved.
    """
    songs = []
    for episode in season.episodes:
        for song in episode.songs:
            known = _known(episode.number, song, lock, refresh=False)
            songs.append(
                known
                or SongResolution(
                    episode.number, song, Status.UNRESOLVED, None, None, NOT_RESOLVED_YET
                )
            )
    return Resolution(tuple(songs), 0)
