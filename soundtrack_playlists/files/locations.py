"""Where every file the tool reads or writes lives, for `soundtrack-playlists paths`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from soundtrack_playlists.files.paths import (
    lock_path,
    recent_creates_path,
    report_path,
    state_path,
    tracklists_root,
    user_settings_path,
)
from soundtrack_playlists.settings import Settings

MANIFEST = "season.toml"


@dataclass(frozen=True)
class Place:
    what: str
    path: Path
    note: str = ""

    def to_json(self) -> dict[str, object]:
        return {"what": self.what, "path": str(self.path), "exists": self.path.exists()}


def season_dirs(extra: Iterable[Path] = (), root: Path | None = None) -> list[Path]:
    """The seasons of `root` (default: the shipped tracklists) that hold a season.toml, then
    the ones asked for."""
    root = tracklists_root() if root is None else root
    found = sorted(manifest.parent for manifest in root.glob(f"*/*/{MANIFEST}"))
    for directory in extra:
        if directory.resolve() not in {d.resolve() for d in found}:
            found.append(directory)
    return found


def settings_places(settings: Settings, cwd: Path) -> list[Place]:
    """The .env file read from the working folder, the per-user settings file, and this
    setup's token cache."""
    source = settings.sources.get("cache_path", "default")
    return [
        Place("settings", cwd / ".env", "read when present; the environment wins over it"),
        Place("user config", user_settings_path(), "read after the environment and .env"),
        Place(
            "token cache",
            settings.token_cache,
            f"for {settings.accounts_url}"
            + (" (SPOTIFY_TOKEN_CACHE)" if source != "default" else ""),
        ),
        Place("recent", recent_creates_path(), "playlists being made, kept an hour"),
    ]


def season_places(directory: Path) -> list[Place]:
    return [
        Place("lock", lock_path(directory), "the track chosen for each song"),
        Place("state", state_path(directory), "your playlists' ids"),
        Place("report", report_path(directory), "written by sync"),
    ]


def describe(places: Iterable[Place], indent: str = "") -> list[str]:
    """One line per place: what, where, and a note (saying so when the file is not there)."""
    lines = []
    for place in places:
        notes = [note for note in (place.note,) if note]
        if not place.path.exists():
            notes.append("not there yet")
        suffix = f" ({'; '.join(notes)})" if notes else ""
        lines.append(f"{indent}{place.what + ':':<13}{place.path}{suffix}")
    return lines
