"""One run per season at a time: check the season's files can be written, then hold its lock."""

from __future__ import annotations

import json
import logging
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from soundtrack_playlists.errors import LocalFileError, SeasonBusy
from soundtrack_playlists.files import paths
from soundtrack_playlists.files.atomic import check_replaceable, write_json_atomic

log = logging.getLogger(__name__)
WAIT_SECONDS = 10.0  # how long a second run waits for the first before it stops
# The files a run may write in the season folder; their leftover temporary files (a crash
# between writing and renaming) are removed by the next run, which holds the lock.
OWN_FILES = (paths.LOCK_FILE, paths.STATE_FILE, paths.REPORT_FILE, paths.RUN_INFO_FILE)


def check_writable(season_dir: Path) -> None:
    """Raise LocalFileError unless the lock, state and report of the season can be written.

    Run before anything is sent to Spotify: a sync that cannot keep its state would create
    playlists it cannot find again.
    """
    folder = paths.files_dir(season_dir)
    elsewhere = paths.moved_by(folder, paths.SEASON_ELSEWHERE)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise LocalFileError(
            f"{folder}: cannot create the folder for the season's lock, state and report "
            f"({error.strerror or error}): {elsewhere}; nothing was sent to Spotify"
        ) from None
    for name in OWN_FILES:
        target = folder / name
        if target.is_dir():
            raise LocalFileError(
                f"{target}: is a folder where the season's {name} belongs: move it away "
                "and run again; nothing was sent to Spotify"
            )
        # A read-only file of ours found only when it is saved would come after Spotify
        # was changed: find it now.
        check_replaceable(target.resolve() if target.is_symlink() else target, target)
    try:
        # The files are replaced atomically, so it is the folder that must take new files.
        fd, probe = tempfile.mkstemp(prefix=".write-check.", suffix=".tmp", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        raise LocalFileError(
            f"{folder}: the season folder is not writable ({error.strerror or error}): the "
            f"lock, state and report are kept there; {elsewhere} (or make it writable) and run "
            "again; nothing was sent to Spotify"
        ) from None


def _holder(info_file: Path) -> str:
    """Who holds the season, as the info file beside the lock says (best effort)."""
    try:
        info = json.loads(info_file.read_text(encoding="utf-8"))
        return (
            f"`{info['command']}`, process {int(info['pid'])} on {info['host']}, "
            f"started {info['started']}"
        )
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


def _remove_leftovers(folder: Path) -> None:
    """Temporary files a crash left behind (only ever ours: `.<name>.<random>.tmp`)."""
    for name in OWN_FILES:
        for leftover in folder.glob(f".{name}.*.tmp"):
            leftover.unlink(missing_ok=True)


@contextmanager
def season_run(season_dir: Path, command: str, *, wait: float | None = None) -> Iterator[None]:
    """Hold the season for one run of `command`; SeasonBusy names the run holding it.

    The lock is an OS file lock (filelock): a crashed or killed run releases it by itself.
    The info file only names the holder for the message; a stale one is overwritten.
    """
    wait = WAIT_SECONDS if wait is None else wait
    check_writable(season_dir)
    folder = paths.files_dir(season_dir)
    info_file = folder / paths.RUN_INFO_FILE
    lock = FileLock(folder / paths.RUN_LOCK_FILE, timeout=wait)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:  # said at once: a silent wait looks like a hang
            log.warning(
                "%s: another run is using this season: %s; waiting up to %g s for it to finish",
                season_dir,
                _holder(info_file),
                wait,
                extra={"wait_seconds": wait},
            )
            lock.acquire()
    except Timeout:
        raise SeasonBusy(
            f"{season_dir}: another run is using this season: {_holder(info_file)}. "
            f"Waited {wait:g} s; run again once it has finished"
        ) from None
    except OSError as error:
        raise LocalFileError(
            f"{folder / paths.RUN_LOCK_FILE}: cannot take the season's run lock "
            f"({error.strerror or error}); nothing was sent to Spotify"
        ) from None
    try:
        _remove_leftovers(folder)
        info = {
            "command": command,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        }
        write_json_atomic(info_file, info)
        yield
    finally:
        info_file.unlink(missing_ok=True)
        lock.release()
