"""The whole-show playlists a run builds: show manifests and unsynced seasons' locks, from disk.

Each season keeps its own state (its folder's state.json); a show whose folder holds a
show.toml asking for a whole-show playlist keeps that playlist's state in the show folder's
state.json, under the key `show`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from soundtrack_playlists.files import paths
from soundtrack_playlists.models import ResolvedSong, Season, Track
from soundtrack_playlists.resolve.lockfile import load_lock
from soundtrack_playlists.resolve.resolver import resolve_season
from soundtrack_playlists.sync.targets import Target, show_target
from soundtrack_playlists.tracklists.folders import load_season
from soundtrack_playlists.tracklists.selection import (
    read_show_manifest,
    seasons_of_show,
)


def _from_lock_only(folder: Path, api_url: str) -> tuple[Season, Sequence[ResolvedSong], bool]:
    """A season not synced in this run, resolved from its lock alone: (season, songs, complete).

    Nothing is searched and nothing written; `complete` is False when a song is not in the
    lock yet, so the whole-show playlist is not built from part of the show.
    """
    season = load_season(folder)
    missing: list[str] = []

    def not_searched(query: str) -> Sequence[Track]:
        missing.append(query)
        return ()

    lock = load_lock(paths.lock_path(folder), api_url)
    resolution = resolve_season(season, not_searched, lock=lock, workers=1)
    return season, resolution.songs, not missing


def show_targets(
    resolved: Sequence[tuple[Season, Sequence[ResolvedSong]]],
    api_url: str,
    *,
    public: bool | None = None,
    covers: bool = True,
) -> list[Target]:
    """The whole-show playlists of the shows these seasons belong to (those with show.toml)."""
    targets: list[Target] = []
    by_show: dict[Path, list[tuple[Season, Sequence[ResolvedSong]]]] = {}
    for season, songs in resolved:
        if season.directory is not None:
            by_show.setdefault(season.directory.resolve().parent, []).append((season, songs))
    for show_dir, synced in by_show.items():
        manifest = read_show_manifest(show_dir, synced[0][0].show)
        if manifest is None or manifest.playlist_template is None:
            continue
        done = {season.directory.resolve() for season, _ in synced if season.directory}
        everything = list(synced)
        unready: list[str] = []
        for folder in seasons_of_show(show_dir):
            if folder.resolve() in done:
                continue
            season, songs, complete = _from_lock_only(folder, api_url)
            everything.append((season, songs))
            if not complete:
                unready.append(f"season {season.season}")
        blocked = (
            f"{', '.join(unready)} not resolved yet; sync the show folder to build it"
            if unready
            else ""
        )
        targets.append(
            show_target(manifest, everything, public=public, blocked=blocked, covers=covers)
        )
    return targets


def show_folders(seasons: Sequence[Season]) -> list[Path]:
    """The show folders of these seasons that keep a whole-show playlist (and its state)."""
    shows = {s.directory.resolve().parent: s.show for s in seasons if s.directory is not None}
    return [
        show_dir
        for show_dir, show in sorted(shows.items())
        if (manifest := read_show_manifest(show_dir, show)) is not None
        and manifest.playlist_template is not None
    ]
