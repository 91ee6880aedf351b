"""Atomic writes: a reader (or a crash) never sees a half-written file of ours."""

from __future__ import annotations

import json
import os
import shlex
import stat
import tempfile
import threading
from pathlib import Path

from soundtrack_playlists.errors import LocalFileError, NotWritable, ReadOnlyFile
from soundtrack_playlists.files.paths import moved_by


def write_text_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Replace the file in one step; leave it untouched (mtime too) when it already says this.

    A symbolic link is written through: its target is replaced and the link stays. A file
    without write permission is not replaced: LocalFileError names it and says what to do.
    """
    named = Path(path)
    path = written_file(named)
    if _already_holds(path, text, mode):
        return
    check_replaceable(path, named)
    try:
        if path == named:
            path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise not_writable(path.parent, error) from None
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


def not_writable(
    folder: Path, error: OSError, fallback: str = "choose a folder you can write"
) -> NotWritable:
    """The error for a folder that takes no new file: which, why, and what moves it."""
    return NotWritable(
        f"{folder}: cannot write there ({error.strerror or error}); {moved_by(folder, fallback)}"
    )


def folder_problem(folder: Path) -> str | None:
    """Why new files cannot be made in `folder` (created if need be), or None when they can.

    Files are replaced atomically, so it is the folder that must take new files.
    """
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-check.", suffix=".tmp", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        return error.strerror or str(error)
    return None


def write_json_atomic(path: Path, value: object, mode: int | None = None) -> None:
    """Readable, diff-friendly JSON: two-space indent, a final newline; callers fix key order."""
    write_text_atomic(path, json.dumps(value, indent=2, ensure_ascii=False) + "\n", mode=mode)


def written_file(path: Path) -> Path:
    """The file a write to `path` replaces: the path itself, or where its symbolic link leads.

    A user who links state.json (or the token cache) to a file elsewhere wants that file kept
    up to date; replacing the link with a regular file would silently stop that.
    """
    path = Path(path)
    if not path.is_symlink():
        return path
    try:
        target = path.resolve(strict=False)
    except (OSError, RuntimeError):  # a loop of links
        raise LocalFileError(
            f"{path}: is a symbolic link that leads nowhere (a loop of links): point it at a "
            "file, or delete it, and run the command again"
        ) from None
    if not target.parent.is_dir():
        raise LocalFileError(
            f"{path}: is a symbolic link to {target}, whose folder does not exist: create the "
            "folder (or mount the drive it is on), or delete the link, and run the command again"
        )
    return target


def check_replaceable(path: Path, named: Path | None = None) -> None:
    """Raise ReadOnlyFile (a LocalFileError) when `path` is a file we may not write.

    The mode bits are read as well as os.access, which says yes to root for any file: a file
    made read-only on purpose is refused whoever runs the command. `named` is the path the
    caller gave, when a symbolic link led from it to `path`.
    """
    try:
        status = path.stat()
    except OSError:  # missing (it will be created) or unreadable (the write will say so)
        return
    if not stat.S_ISREG(status.st_mode):
        return
    if status.st_mode & 0o222 and os.access(path, os.W_OK):
        return
    via = f" (through the link {named})" if named is not None and named != path else ""
    raise ReadOnlyFile(
        f"{path}{via}: the file is read-only, so it was not replaced: make it writable "
        f"(chmod u+w {shlex.quote(str(path))}) or move it away, and run the command again"
    )


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
