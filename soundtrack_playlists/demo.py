"""The offline demo: the shipped season synced twice into a local Spotify emulator."""

from __future__ import annotations

import base64
import shutil
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from soundtrack_playlists.emulator.app import Emulator, demo_catalog_path
from soundtrack_playlists.files import paths
from soundtrack_playlists.files.atomic import write_text_atomic
from soundtrack_playlists.files.paths import (
    LOCK_FILE,
    REPORT_FILE,
    STATE_FILE,
    default_season_dir,
    demo_covers_dir,
    demo_report_dir,
    moved_by,
)
from soundtrack_playlists.settings import Settings
from soundtrack_playlists.spotify.client import connect
from soundtrack_playlists.sync.ports import Progress, no_progress
from soundtrack_playlists.sync.run import SyncOptions, SyncResult, sync_season
from soundtrack_playlists.text import plural
from soundtrack_playlists.tracklists.folders import load_season

DEMO_CLIENT_ID = "soundtrack-playlists-demo"
WRITE_METHODS = frozenset({"POST", "PUT", "DELETE"})
API_PATH = "/v1/"  # token requests go to the accounts service, not the Web API


@dataclass(frozen=True)
class DemoRun:
    first: SyncResult
    second: SyncResult
    report: str  # the first sync's Markdown report
    playlists: tuple[tuple[str, tuple[str, ...]], ...]  # (name, track lines) as the emulator holds
    second_sync_writes: int  # write requests the emulator saw during the second sync
    report_path: Path | None = None  # where the full report was kept for the reader
    covers: tuple[Path, ...] = ()  # the covers uploaded by the first sync, saved as JPEG files


def run_demo(
    say: Callable[[str], None],
    *,
    season_dir: Path | None = None,
    progress: Progress = no_progress,
    report_dir: Path | None = None,
    covers_dir: Path | None = None,
) -> DemoRun:
    """Sync a temporary copy of the season into a fresh emulator, tell it, then sync again.

    The copy keeps the shipped folder clean: a lock made against the emulator's demo catalog
    (synthetic ids among real ones) must never land beside the real tracklists. The story is
    short; the full report is kept in `report_dir` and the covers the emulator received in
    `covers_dir` (by default both in the user's cache folder, replaced by the next demo, so
    none piles up), for a person to look at; either is skipped with a warning where it
    cannot be written.
    """
    with tempfile.TemporaryDirectory(prefix="soundtrack-demo-") as scratch:
        work = Path(scratch) / "season"
        shutil.copytree(
            season_dir or default_season_dir(),
            work,
            ignore=shutil.ignore_patterns(LOCK_FILE, STATE_FILE, REPORT_FILE),
        )
        season = load_season(work)
        with Emulator(catalog=demo_catalog_path()) as emulator:
            settings = Settings(
                client_id=DEMO_CLIENT_ID,
                refresh_token=emulator.issue_refresh_token(),
                api_url=emulator.api_url,
                accounts_url=emulator.accounts_url,
                cache_path=Path(scratch) / "token-cache.json",
            )
            say(
                f"Set up: a local Spotify emulator at {emulator.api_url} with a demo catalog of "
                f"{plural(len(emulator.catalog), 'track')}, and a temporary copy of "
                f"{season.show}, season {season.season} ({plural(len(season.songs), 'song')} in "
                f"{plural(len(season.episodes), 'episode')}).\n"
            )
            first = sync_season(season, connect(settings), SyncOptions(progress=progress))
            say("First sync: every playlist is new. The plan it ran:\n")
            say(str(first.plan))
            report = paths.report_path(work).read_text(encoding="utf-8")
            playlists = _playlists_held(emulator, first)
            say("\nThe playlists the emulator now holds:\n")
            for line in playlist_summaries(playlists):
                say(line)
            covers = _keep_covers(emulator, first, covers_dir or demo_covers_dir(), say)
            log_before = len(emulator.request_log)
            second = sync_season(
                load_season(work), connect(settings), SyncOptions(progress=progress)
            )
            api_requests = [
                record
                for record in emulator.request_log[log_before:]
                if record.path.startswith(API_PATH)
            ]
            writes = sum(1 for record in api_requests if record.method in WRITE_METHODS)
            say(
                f"\nSecond sync of the same tracklists: {plural(len(api_requests), 'API request')}"
                f", {writes} of them writes."
            )
    kept = _optional(
        "full report", report_dir or demo_report_dir(), say,
        lambda folder: _keep_report(folder / REPORT_FILE, report),
    )  # fmt: skip
    return DemoRun(first, second, report, playlists, writes, kept, covers)


def _keep_covers(
    emulator: Emulator, first: SyncResult, folder: Path, say: Callable[[str], None]
) -> tuple[Path, ...]:
    """The covers the first sync uploaded, saved for the reader (none where they can't be)."""
    covers = _optional("covers", folder, say, lambda place: save_covers(emulator, first, place))
    if covers:
        say(f"\nThe playlists' covers, as uploaded, are saved in {covers[0].parent}:")
        say("  " + "  ".join(path.name for path in covers))
    return covers or ()


T = TypeVar("T")


def _optional(
    what: str, folder: Path, say: Callable[[str], None], write: Callable[[Path], T]
) -> T | None:
    """A file the demo keeps for the reader: skipped with a warning where it cannot be written."""
    try:
        return write(folder)
    except OSError as error:
        say(
            f"\nWarning: the demo's {what} could not be saved in {folder} "
            f"({error.strerror or error}); {moved_by(folder)} to keep it."
        )
        return None


def _keep_report(path: Path, report: str) -> Path:
    write_text_atomic(path, report)
    return path


def playlist_summaries(
    playlists: tuple[tuple[str, tuple[str, ...]], ...], width: int = 100
) -> list[str]:
    """Each playlist's name and count, and its songs wrapped; a long one only counted."""
    lines = []
    for name, songs in playlists:
        lines.append(f"{name} ({plural(len(songs), 'track')})")
        if len(songs) > 12:  # the season playlist: every episode's songs again
            lines.append("    every episode's songs, in order")
            continue
        lines += textwrap.wrap(
            " · ".join(songs), width, initial_indent="    ", subsequent_indent="    "
        )
    return lines


def save_covers(emulator: Emulator, result: SyncResult, folder: Path) -> tuple[Path, ...]:
    """Each synced playlist's cover as the emulator holds it, as `<key>.jpg` in `folder`.

    Covers of an earlier demo are replaced; nothing else in the folder is touched.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.jpg"):
        old.unlink()
    saved: list[Path] = []
    for outcome in result.outcomes:
        playlist = emulator.store.playlists.get(outcome.id or "")
        if playlist is None or playlist.image_jpeg_b64 is None:
            continue
        path = folder / f"{outcome.key}.jpg"
        path.write_bytes(base64.b64decode(playlist.image_jpeg_b64))
        saved.append(path)
    return tuple(saved)


def _playlists_held(
    emulator: Emulator, result: SyncResult
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each synced playlist's name and tracks, read from the emulator's own state."""
    titles = {
        song.track.uri: f"{song.track.name} — {', '.join(song.track.artists)}"
        for song in result.songs
        if song.track is not None
    }
    held = emulator.playlists_state()
    ours = [held[outcome.id] for outcome in result.outcomes if outcome.id in held]
    return tuple(
        (str(playlist["name"]), tuple(titles.get(str(uri), str(uri)) for uri in _uris(playlist)))
        for playlist in ours
    )


def _uris(playlist: dict[str, object]) -> list[object]:
    items = playlist["items"]
    assert isinstance(items, list), "the emulator keeps a playlist's items as a list"
    return items
