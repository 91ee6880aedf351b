"""Find each song's Spotify track: a query cascade over a search function, the lock reused."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soundtrack_playlists.matching.decide import Candidate, Decision
from soundtrack_playlists.matching.score import DEFAULT_SETTINGS, MatchSettings
from soundtrack_playlists.models import KEPT_STATUSES, Season, Song, Status, Track
from soundtrack_playlists.resolve.cascade import Search, resolve_song
from soundtrack_playlists.resolve.lockfile import (
    Lock,
    LockEntry,
    candidate_to_json,
    load_lock,
    save_lock,
    track_to_json,
)
from soundtrack_playlists.resolve.pins import Lookup, look_up_pins
from soundtrack_playlists.tracklists.grammar import GrammarError, parse_pin

Progress = Callable[[int, int], None]  # (songs searched so far, songs to search)
# An error that stops resolve_season half-way carries what was resolved so far in this
# attribute (read it with partial_resolution).
PARTIAL_RESOLUTION = "partial_resolution"

# Requests in flight at once: enough to overlap Spotify's latency, few enough to stay polite
# (the rate limit counts requests in a rolling 30 s window, whatever their concurrency).
DEFAULT_WORKERS = 8


@dataclass(frozen=True)
class SongResolution:
    """One song of the season as resolved: its status, track (if any), score and reason."""

    episode: int
    song: Song
    status: Status
    track: Track | None
    score: float | None
    reason: str
    candidates: tuple[Candidate, ...] = ()
    searches: int = 0  # search requests made for it in this run (0 when reused or pinned)
    pin: str | None = None  # a choice made in `review`, kept in the lock
    reused: bool = False  # taken from the lock without searching
    pin_checked: bool = False  # the pinned track was looked up: `track` is Spotify's own


@dataclass(frozen=True)
class Resolution:
    """The whole season resolved, in tracklist order, and what it cost."""

    songs: tuple[SongResolution, ...]
    searches: int

    def to_lock(self, api_url: str) -> Lock:
        """The lock file's content for this resolution (one entry per episode and line)."""
        entries: dict[tuple[int, str], LockEntry] = {}
        for item in self.songs:
            # Candidates are remembered only where a person may still have to choose.
            undecided = item.status in (Status.REVIEW, Status.UNRESOLVED)
            entries.setdefault(
                (item.episode, item.song.key),
                LockEntry(
                    episode=item.episode,
                    key=item.song.key,
                    status=item.status,
                    track=item.track,
                    score=item.score,
                    reason=item.reason,
                    candidates=item.candidates if undecided else (),
                    pin=item.pin,
                    tracklist_pin=item.song.pin is not None,
                    pin_checked=item.pin_checked,
                ),
            )
        return Lock(api_url=api_url, entries=tuple(entries.values()))

    def count(self, status: Status) -> int:
        return sum(1 for item in self.songs if item.status == status)


def chosen_track(song_resolution: SongResolution) -> Track | None:
    """The track a playlist gets for this song: None unless matched or pinned."""
    if song_resolution.status in KEPT_STATUSES:
        return song_resolution.track
    return None


def uri_for(song_resolution: SongResolution) -> str | None:
    """The track URI a playlist gets for this song: None unless matched or pinned."""
    chosen = chosen_track(song_resolution)
    return chosen.uri if chosen is not None else None


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
    """Resolve every song of a season, reusing the lock for unchanged lines.

    A pin in the tracklist wins; then a choice made in `review`; then (unless `refresh`) the
    lock's earlier result for the same line; everything else is searched, `workers` songs at
    a time. Results come back in tracklist order whatever order the searches finish in.
    If searching fails, the error carries what was resolved so far (see `partial_resolution`).
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
            setattr(error, PARTIAL_RESOLUTION, _resolution(slots))
            raise
    return _resolution(slots)


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


def partial_resolution(error: BaseException) -> Resolution | None:
    """What resolve_season had resolved when `error` stopped it (None if it carries nothing)."""
    partial = getattr(error, PARTIAL_RESOLUTION, None)
    return partial if isinstance(partial, Resolution) else None


def resolution_json(resolution: Resolution) -> dict[str, Any]:
    """The `resolve --json` document: every song in tracklist order."""
    songs = []
    for item in resolution.songs:
        chosen = chosen_track(item)
        songs.append(
            {
                "episode": item.episode,
                "title": item.song.title,
                "artists": list(item.song.artists),
                "status": item.status,
                "uri": chosen.uri if chosen is not None else None,
                "score": item.score,
                "reason": item.reason,
                "track": track_to_json(chosen, complete=True) if chosen is not None else None,
                "candidates": [candidate_to_json(c, complete=True) for c in item.candidates],
            }
        )
    return {"songs": songs, "searches": resolution.searches}


def resolve_and_lock(
    season: Season,
    search: Search,
    *,
    api_url: str,
    lock_file: Path,
    refresh: bool = False,
    settings: MatchSettings = DEFAULT_SETTINGS,
    workers: int = DEFAULT_WORKERS,
    progress: Progress | None = None,
    lookup: Lookup | None = None,
) -> Resolution:
    """resolve_season with the season's lock read first and written after (atomically).

    If searching fails half-way (Spotify asks us to wait too long, say), the songs resolved
    so far are written to the lock before the error goes on, so a re-run resumes there.
    """
    lock = load_lock(lock_file, api_url)
    try:
        resolution = resolve_season(
            season,
            search,
            lock=lock,
            refresh=refresh,
            settings=settings,
            workers=workers,
            progress=progress,
            lookup=lookup,
        )
    except BaseException as error:
        partial = partial_resolution(error)
        if partial is not None and partial.songs:
            saved = partial.to_lock(api_url)
            for entry in lock.entries if lock is not None else ():
                if saved.get(entry.episode, entry.key) is None:
                    saved = saved.with_entry(entry)
            save_lock(lock_file, saved)
        raise
    save_lock(lock_file, resolution.to_lock(api_url))
    return resolution
