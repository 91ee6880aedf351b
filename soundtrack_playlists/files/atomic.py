"""Atomic writes: a reader (or a crash) never sees a half-written file of ours."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path


def write_text_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Replace the file in one step; leave it untouched (mtime too) when it already says this."""
    path = Path(path)
    if _already_holds(path, text, mode):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file 0600; ours are as shareable as the user's umask says,
        # except secrets, which ask for their own mode.
        if hasattr(os, "fchmod"):  # not on Windows, where modes mean little
            os.fchmod(fd, mode if mode is not None else _umask_mode())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, value: object, mode: int | None = None) -> None:
    """Readable, diff-friendly JSON: two-space indent, a final newline; callers fix key order."""
    write_text_atomic(path, json.dumps(value, indent=2, ensure_ascii=False) + "\n", mode=mode)


_UMASK_LOCK = threading.Lock()


def _umask_mode() -> int:
    """0666 less the process umask: the mode open() would give a new file."""
    with _UMASK_LOCK:  # os.umask can only be read by setting it
        mask = os.umask(0o077)
        os.umask(mask)
    return 0o666 & ~mask


def _already_holds(path: Path, text: str, mode: int | None) -> bool:
    try:
        same_text = path.read_bytes() == text.encode("utf-8")
        return same_text and (mode is None or (path.stat().st_mode & 0o777) == mode)
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        return False
