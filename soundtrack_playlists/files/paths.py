"""Where things live: the shipped season, and each season's lock, state and report files."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

from soundtrack_playlists.models import Season

APP_NAME = "soundtrack-playlists"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # soundtrack_playlists/
# A source checkout (or editable install) has tracklists/ beside the package; a wheel
# carries a copy inside the package.
_SOURCE_TRACKLISTS = _PACKAGE_DIR.parent / "tracklists"
_PACKAGED_TRACKLISTS = _PACKAGE_DIR / "_shipped_tracklists"
SHIPPED_SEASON = Path("soundtrack") / "season-1"

LOCK_FILE = "lock.json"
STATE_FILE = "state.json"
REPORT_FILE = "sync-report.md"
RUN_LOCK_FILE = ".in-use.lock"  # held by the one run (sync, resolve, review) using the season
RUN_INFO_FILE = ".in-use.json"  # who holds it: pid, host and command, for the message


def tracklists_root() -> Path:
    """The shipped tracklists folder, from a checkout if there is one, else the packaged copy."""
    if _SOURCE_TRACKLISTS.is_dir():
        return _SOURCE_TRACKLISTS
    return _PACKAGED_TRACKLISTS


def default_season_dir() -> Path:
    return tracklists_root() / SHIPPED_SEASON


def season_dir_here(cwd: Path | None = None) -> Path | None:
    """The current folder when it is a season folder (it holds a season.toml), else None."""
    here = Path.cwd() if cwd is None else cwd
    return here if (here / "season.toml").is_file() else None


def _files_dir(season_dir: Path) -> Path:
    """Beside the tracklists, unless they are the copy inside an installed package."""
    season_dir = Path(season_dir).resolve()
    if _PACKAGED_TRACKLISTS in season_dir.parents:
        relative = season_dir.relative_to(_PACKAGED_TRACKLISTS)
        return Path(platformdirs.user_data_dir(APP_NAME)) / relative
    return season_dir


def files_dir(season_dir: Path) -> Path:
    """The folder holding a season's lock, state and report (and its run lock)."""
    return _files_dir(season_dir)


def season_folder(season: Season) -> Path:
    """The season's folder, where its lock, state and report live."""
    if season.directory is None:
        raise ValueError("the season must come from a folder: its state and report live there")
    return season.directory


def lock_path(season_dir: Path) -> Path:
    return _files_dir(season_dir) / LOCK_FILE


def state_path(season_dir: Path) -> Path:
    return _files_dir(season_dir) / STATE_FILE


def report_path(season_dir: Path) -> Path:
    return _files_dir(season_dir) / REPORT_FILE


SETTINGS_FILE = "settings.env"


def user_settings_path() -> Path:
    """The per-user settings file (the .env format), read after the environment and ./.env."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / SETTINGS_FILE


def demo_covers_dir() -> Path:
    """Where `demo` saves the covers it uploaded, for a person to look at."""
    return Path(platformdirs.user_cache_dir(APP_NAME)) / "demo-covers"


def demo_report_dir() -> Path:
    """Where `demo` keeps its full report (replaced by the next demo)."""
    return Path(platformdirs.user_cache_dir(APP_NAME)) / "demo-report"


def recent_creates_path() -> Path:
    """Where creates are remembered outside the seasons' states (see sync/recent.py)."""
    return Path(platformdirs.user_state_dir(APP_NAME)) / "recent-creates.json"


def token_cache_path(accounts_url: str, client_id: str | None) -> Path:
    """One token cache per accounts service and app, in the user state folder.

    Never the working directory (it holds secrets), nor the cache folder (which systems and
    cleaners empty: losing it kills a rotated refresh token). A separate file per service and
    app keeps an emulator login from overwriting the Spotify one.
    """
    parts = urlsplit(accounts_url)
    service = _safe(f"{parts.hostname or 'local'}-{parts.port}" if parts.port else parts.hostname)
    name = f"{service}-{_safe(client_id or 'no-client-id')}.json"
    return Path(platformdirs.user_state_dir(APP_NAME)) / "tokens" / name


def legacy_token_cache_path() -> Path:
    """Where the one token cache used to live: read once, then moved (see spotify/auth.py)."""
    return Path(platformdirs.user_cache_dir(APP_NAME)) / "token-cache.json"


SEASON_ELSEWHERE = "copy the season to a folder you can write and name it as DIR"


def moved_by(folder: Path, fallback: str = "choose a folder you can write") -> str:
    """The setting that puts files of `folder` elsewhere, for "cannot write" messages;
    `fallback` for a folder that no setting chooses."""
    folder = Path(folder).resolve()
    homes = (
        (platformdirs.user_state_dir(APP_NAME), "XDG_STATE_HOME"),
        (platformdirs.user_cache_dir(APP_NAME), "XDG_CACHE_HOME"),
        (platformdirs.user_data_dir(APP_NAME), "XDG_DATA_HOME"),
        (platformdirs.user_config_dir(APP_NAME), "XDG_CONFIG_HOME"),
    )
    for home, variable in homes:
        home_path = Path(home).resolve()
        if folder == home_path or home_path in folder.parents:
            if not sys.platform.startswith("linux"):  # XDG variables are Linux's
                return f"make {home_path} writable"
            return f"set {variable} to move {home_path}"
    return fallback


def _safe(text: str | None) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", text or "")[:64]
