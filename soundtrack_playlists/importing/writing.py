"""Writing an imported season folder: staged privately, checked, then swapped in file by file."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from soundtrack_playlists.errors import TracklistError
from soundtrack_playlists.files.atomic import not_writable, write_text_atomic
from soundtrack_playlists.files.paths import LOCK_FILE, REPORT_FILE, STATE_FILE
from soundtrack_playlists.tracklists.folders import MANIFEST, load_season

# The files import writes; --force replaces these and nothing else.
_OURS = re.compile(r"^episode-\d{2,4}\.txt$")
# What else a season folder holds: a folder of only these is one even without its manifest.
_SEASON_FILES = frozenset({MANIFEST, LOCK_FILE, STATE_FILE, REPORT_FILE})


def write_season(out_dir: Path, files: Mapping[str, str], *, force: bool) -> None:
    """Write `files` into `out_dir`, which must be new, empty, or (with force) a season folder."""
    stale = _check_target(out_dir, force)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.import-", dir=out_dir.parent))
    except OSError as error:
        raise not_writable(out_dir.parent, error, "choose another --out") from None
    try:
        for name, text in files.items():
            write_text_atomic(staging / name, text)
        load_season(staging)  # what we write must read back
        out_dir.mkdir(exist_ok=True)
        if out_dir.is_symlink():  # made a link since we looked: don't write through it
            raise TracklistError(out_dir, "the folder became a symbolic link: nothing written")
        for name in files:
            (staging / name).replace(out_dir / name)
        for path in stale:
            if path.name not in files:
                path.unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def refusal(out_dir: Path, force: bool) -> str:
    """Why a real import into `out_dir` would refuse (for --dry-run), or "" when it would not."""
    try:
        _check_target(out_dir, force)
    except TracklistError as error:
        return str(error)
    return ""


def _check_target(out_dir: Path, force: bool) -> list[Path]:
    """Refuse anything import must not touch; the episode files a re-import replaces."""
    if out_dir.is_symlink():
        raise TracklistError(
            out_dir,
            "the folder is a symbolic link: import writes only into a real folder; "
            "give the folder it points to as --out",
        )
    if not out_dir.exists():
        return []
    if not out_dir.is_dir():
        raise TracklistError(out_dir, "this is a file, not a folder: choose another --out")
    entries = sorted(out_dir.iterdir())
    if not entries:
        return []
    if not force:
        raise TracklistError(
            out_dir,
            "the folder already exists: choose another --out, "
            "or pass --force to replace its tracklists",
        )
    ours = [path for path in entries if _OURS.match(path.name)]
    manifest = out_dir / MANIFEST
    season_folder = manifest.is_file() and not manifest.is_symlink()
    if not season_folder and any(
        not _OURS.match(path.name) and path.name not in _SEASON_FILES for path in entries
    ):
        raise TracklistError(
            out_dir,
            f"the folder is not empty and is no season folder (it has no {MANIFEST}): "
            "--force replaces tracklists only in a season folder; choose another --out",
        )
    foreign = [
        path.name for path in entries if path.suffix == ".txt" and not _OURS.match(path.name)
    ]
    if foreign:
        raise TracklistError(
            out_dir,
            f"the folder holds tracklist files import did not write ({', '.join(foreign)}): "
            "move them away, or choose another --out",
        )
    odd = [path.name for path in ours if path.is_symlink() or not path.is_file()]
    if odd:
        raise TracklistError(
            out_dir,
            f"{', '.join(odd)} is a link or a folder, not a file import wrote: "
            "move it away, or choose another --out",
        )
    return ours
