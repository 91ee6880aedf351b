"""A season resolved against its lock file: the lock read first, saved after (even half-way)."""

from __future__ import annotations

from pathlib import Path

from soundtrack_playlists.files import paths
from soundtrack_playlists.matching.score import DEFAULT_SETTINGS, MatchSettings
from soundtrack_playlists.models import Season
from soundtrack_playlists.resolve.cascade import Search
from soundtrack_playlists.resolve.lockfile import load_lock, save_lock
from soundtrack_playlists.resolve.pins import Lookup
from soundtrack_playlists.resolve.resolver import (
    Progress,
    ResolveStopped,
    resolve_season,
    resolve_stopping,
)
from soundtrack_playlists.resolve.results import Resolution
from soundtrack_playlists.settings import DEFAULT_WORKERS


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
        resolution = resolve_stopping(
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
        partial = stopped.partial
        if partial.songs:
            saved = partial.to_lock(api_url)
            for entry in lock.entries if lock is not None else ():
                if saved.get(entry.episode, entry.key) is None:
                    saved = saved.with_entry(entry)
            save_lock(lock_file, saved)
        raise stopped.error from stopped.error.__cause__
    save_lock(lock_file, resolution.to_lock(api_url))
    return resolution


def resolve_with_lock(
    season: Season,
    search: Search,
    lookup: Lookup,
    api_url: str,
    *,
    dry_run: bool = False,
    refresh: bool = False,
    workers: int = DEFAULT_WORKERS,
    progress: Progress | None = None,
) -> Resolution:
    """Resolve the season reusing its lock, which is saved (even half-way) unless dry.

    Only lines not in the lock are searched, so a re-sync of an unchanged season sends no
    search at all (and shows no progress).
    """
    lock_file = paths.lock_path(paths.season_folder(season))
    if dry_run:
        return resolve_season(
            season,
            search,
            lock=load_lock(lock_file, api_url),
            refresh=refresh,
            workers=workers,
            progress=progress,
            lookup=lookup,
        )
    return resolve_and_lock(
        season,
        search,
        api_url=api_url,
        lock_file=lock_file,
        refresh=refresh,
        workers=workers,
        progress=progress,
        lookup=lookup,
    )
