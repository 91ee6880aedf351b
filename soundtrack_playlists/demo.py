"""The offline demo: the shipped season synced twice into a local Spotify emulator."""

from __future__ import annotations

import base64
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from soundtrack_playlists import paths
from soundtrack_playlists.emulator.app import Emulator, demo_catalog_path
from soundtrack_playlists.paths import (
    LOCK_FILE,
    REPORT_FILE,
    STATE_FILE,
    default_season_dir,
    demo_covers_dir,
)
from soundtrack_playlists.settings import Settings
from soundtrack_playlists.spotify.client import connect
from soundtrack_playlists.sync import Progress, SyncResult, no_progress, sync_season
from soundtrack_playlists.tracklist import load_season

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
    covers: tuple[Path, ...] = ()  # the covers uploaded by the first sync, saved as JPEG files


def run_demo(
    say: Callable[[str], None],
    *,
    season_dir: Path | None = None,
    progress: Progress = no_progress,
    covers_dir: Path | None = None,
) -> DemoRun:
    """Sync a temporary copy of the season into a fresh emulator, print it, then sync again.

    The copy keeps the shipped folder clean: a lock made against the emulator's demo catalog
    (synthetic ids among real ones) must never land beside the real tracklists. The covers
    the emulator received are saved in `covers_dir` (default: the user's cache folder), so a
    person can look at them.
    """
    with tempfile.TemporaryDirectory(prefix="soundtrack-demo-") as scratch:
        work = Path(scratch) / "season"
        shutil.copytree(
            season_dir or default_season_dir(),
            work,
            ignore=shutil.ignore_patterns(LOCK_FILE, STATE_FILE, REPORT_FILE),
        )
        with Emulator(catalog=demo_catalog_path()) as emulator:
            settings = Settings(
                client_id=DEMO_CLIENT_ID,
                refresh_token=emulator.issue_refresh_token(),
                api_url=emulator.api_url,
                accounts_url=emulator.accounts_url,
                cache_path=Path(scratch) / "token-cache.json",
            )
            say(f"A local Spotify emulator is serving {emulator.api_url} (demo catalog).\n")
            say("First sync: every playlist is new.\n")
            first = sync_season(load_season(work), connect(settings), progress=progress)
            say(str(first.plan))
            report = paths.report_path(work).read_text(encoding="utf-8")
            say(f"\nThe report ({REPORT_FILE}):\n")
            say(report)
            playlists = _playlists_held(emulator, first)
            say("The playlists as the emulator now holds them:\n")
            for name, lines in playlists:
                say(f"{name} ({len(lines)} tracks)")
                say("\n".join(f"  {line}" for line in lines))
            covers = save_covers(emulator, first, covers_dir or demo_covers_dir())
            if covers:
                say(f"\nThe playlists' covers, as uploaded, are saved in {covers[0].parent}:")
                say("  " + "  ".join(path.name for path in covers))
            log_before = len(emulator.request_log)
            say("\nSecond sync of the same tracklists: nothing to write.\n")
            second = sync_season(load_season(work), connect(settings), progress=progress)
            say(str(second.plan))
            api_requests = [
                record
                for record in emulator.request_log[log_before:]
                if record.path.startswith(API_PATH)
            ]
            writes = sum(1 for record in api_requests if record.method in WRITE_METHODS)
            say(
                f"\nThe second sync sent {len(api_requests)} API requests, {writes} of them writes."
            )
    return DemoRun(first, second, report, playlists, writes, covers)


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
