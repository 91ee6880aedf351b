"""Which season folders a command works on: DIR arguments, show folders, the tracklists root."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from soundtrack_playlists.errors import TracklistError
from soundtrack_playlists.files import paths
from soundtrack_playlists.tracklists.folders import MANIFEST, read_text_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

SHOW_MANIFEST = "show.toml"
TRACKLISTS_ENV = "SOUNDTRACK_TRACKLISTS"
SHIPPED = "the installed copy"
SHOW_EXAMPLE = 'show = "Soundtrack"\n[playlists]\nshow = "{show} · All seasons"'


@dataclass(frozen=True)
class TracklistsRoot:
    """The folder `--all` works on, and where that choice came from (the command says it)."""

    path: Path
    source: str  # "--tracklists", the environment variable, "./tracklists" or "shipped"

    def describe(self) -> str:
        return f"Folder: {self.path} ({self.source})"


def choose_tracklists(
    option: Path | None, environ: Mapping[str, str] | None = None, cwd: Path | None = None
) -> TracklistsRoot:
    """--tracklists, else $SOUNDTRACK_TRACKLISTS, else ./tracklists if present, else shipped."""
    environ = os.environ if environ is None else environ
    cwd = Path.cwd() if cwd is None else cwd
    if option is not None:
        return TracklistsRoot(option, "--tracklists")
    if environ.get(TRACKLISTS_ENV):
        return TracklistsRoot(Path(environ[TRACKLISTS_ENV]), TRACKLISTS_ENV)
    if (cwd / "tracklists").is_dir():
        return TracklistsRoot(cwd / "tracklists", "./tracklists")
    return TracklistsRoot(paths.tracklists_root(), SHIPPED)


@dataclass(frozen=True)
class Folder:
    """The folder a command works on when no DIR is given, why, and any warning to show."""

    path: Path
    source: str
    warning: str | None = None

    def describe(self) -> str:
        return f"Folder: {self.path} ({self.source})"


def default_folder(
    *, season: bool, environ: Mapping[str, str] | None = None, cwd: Path | None = None
) -> Folder:
    """The one rule when no DIR is given: a season folder here, else ./tracklists (a clone's)
    or $SOUNDTRACK_TRACKLISTS, else the installed copy, with a warning when ./tracklists
    exists but is not used. `season` asks for the shipped season inside the root, not the root.
    """
    cwd = Path.cwd() if cwd is None else cwd
    if season and is_season_dir(cwd):
        return Folder(cwd, "the season folder here")
    root = choose_tracklists(None, environ, cwd)
    if root.source != SHIPPED:
        chosen = root.path / paths.SHIPPED_SEASON if season else root.path
        if not season or is_season_dir(chosen):
            return Folder(chosen, root.source)
    installed = paths.default_season_dir() if season else paths.tracklists_root()
    warning = None
    local = cwd / "tracklists"
    if local.is_dir() and local.resolve() not in (installed.resolve(), *installed.parents):
        warning = (
            f"{local} is here but not used: it holds no {paths.SHIPPED_SEASON}; name the "
            "folder to use as DIR"
        )
    return Folder(installed, SHIPPED, warning)


def _natural(path: Path) -> list[object]:
    """season-2 before season-10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def is_season_dir(directory: Path) -> bool:
    return (directory / MANIFEST).is_file()


def _children(directory: Path) -> list[Path]:
    return sorted((child for child in directory.iterdir() if child.is_dir()), key=_natural)


def seasons_of_show(show_dir: Path) -> list[Path]:
    """The season folders directly inside a show folder, in natural order."""
    return [child for child in _children(show_dir) if is_season_dir(child)]


@dataclass(frozen=True)
class Selection:
    """The season folders a command works on, and the show folders given whole."""

    seasons: tuple[Path, ...]
    shows: tuple[Path, ...]  # folders named (or under a named root): their show playlist too


def select(directories: Sequence[Path]) -> Selection:
    """Expand each DIR: a season folder, a show folder (its seasons) or a root (every show's).

    A folder holding none raises TracklistError naming what was expected.
    """
    seasons: list[Path] = []
    shows: list[Path] = []
    for directory in directories:
        if not directory.is_dir():
            raise TracklistError(directory, "no such folder: expected a season, show or root")
        if is_season_dir(directory):
            found, whole = [directory], []
        elif seasons_of_show(directory):
            found, whole = seasons_of_show(directory), [directory]
        else:
            whole = [child for child in _children(directory) if seasons_of_show(child)]
            found = [season for show in whole for season in seasons_of_show(show)]
        if not found:
            raise TracklistError(
                directory,
                f"no season folder here: expected a folder holding {MANIFEST}, a show folder "
                "of such folders, or a tracklists folder of shows",
            )
        seasons += [path for path in found if path.resolve() not in _resolved(seasons)]
        shows += [path for path in whole if path.resolve() not in _resolved(shows)]
    return Selection(tuple(seasons), tuple(shows))


def _resolved(folders: Sequence[Path]) -> set[Path]:
    return {folder.resolve() for folder in folders}


@dataclass(frozen=True)
class ShowManifest:
    """A show folder's show.toml: the whole-show playlist's name, when it asks for one."""

    directory: Path
    show: str
    playlist_template: str | None  # None: show.toml asks for no whole-show playlist

    def playlist_name(self) -> str | None:
        if self.playlist_template is None:
            return None
        return self.playlist_template.format(show=self.show)


def read_show_manifest(show_dir: Path, fallback_show: str) -> ShowManifest | None:
    """The show folder's show.toml, or None when it has none (then nothing changes)."""
    path = show_dir / SHOW_MANIFEST
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(read_text_file(path))
    except tomllib.TOMLDecodeError as error:
        raise TracklistError(
            path, f"not valid TOML ({error}): expected e.g.\n{SHOW_EXAMPLE}"
        ) from None
    show = data.get("show", fallback_show)
    if not isinstance(show, str) or not show.strip():
        raise TracklistError(path, f"`show` must be the show's name, e.g.\n{SHOW_EXAMPLE}")
    table = data.get("playlists", {})
    if not isinstance(table, dict):
        raise TracklistError(path, f"[playlists] must be a table, e.g.\n{SHOW_EXAMPLE}")
    template = table.get("show")
    if template is not None:
        try:
            if not isinstance(template, str) or not template.format(show="Show").strip():
                raise TypeError("empty")
        except (KeyError, IndexError, ValueError, TypeError) as error:
            raise TracklistError(
                path,
                f"[playlists] show = {template!r} is not a valid name template ({error!r}): "
                "expected text whose only field is {show}",
            ) from None
    return ShowManifest(show_dir, show.strip(), template)
