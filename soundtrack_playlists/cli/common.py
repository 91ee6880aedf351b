"""What every command shares: error translation, the DIR argument, the --json option."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from soundtrack_playlists.errors import Interrupted, SoundtrackError
from soundtrack_playlists.tracklists.selection import Folder, default_folder

F = TypeVar("F", bound=Callable[..., Any])


class UserError(click.ClickException):
    """A SoundtrackError shown as `Error: …` with the exit code its class asks for."""

    def __init__(self, error: SoundtrackError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]  # click declares a class default


def translate_errors(command: F) -> F:
    """Turn our own exceptions into `Error: …` without a traceback; let bugs raise."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SoundtrackError as error:
            raise UserError(error) from None
        except KeyboardInterrupt:  # Ctrl-C outside a sync's writes: what was saved is kept
            raise UserError(Interrupted("interrupted; everything saved so far is kept")) from None
        except click.Abort as abort:
            # click turns Ctrl-C at a prompt into Abort ("Aborted!", exit 1): it is Ctrl-C.
            if isinstance(abort.__context__, KeyboardInterrupt):
                raise UserError(
                    Interrupted("interrupted; everything saved so far is kept")
                ) from None
            raise

    return cast(F, wrapper)


def print_json(value: object) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def season_dir_argument(command: F) -> F:
    """The optional DIR argument: a season folder, the shipped season when left out."""
    return click.argument(
        "season_dir", metavar="[DIR]", required=False, type=click.Path(path_type=Path)
    )(command)


def json_option(help_text: str) -> Callable[[F], F]:
    """The --json flag (parameter `as_json`): machine-readable output on stdout only."""
    return click.option("--json", "as_json", is_flag=True, help=help_text)


def quiet() -> bool:
    """True under -q (or a log level above warnings): say nothing but errors."""
    return logging.getLogger("soundtrack_playlists").getEffectiveLevel() > logging.WARNING


def say(text: str) -> None:
    """A line for the person on stderr (not for scripts), left out under -q."""
    if not quiet():
        click.echo(text, err=True)


def announce(folder: Folder) -> None:
    """The folder a command works on, always its first line on stderr, and any warning."""
    say(folder.describe())
    if folder.warning:
        say(f"Warning: {folder.warning}")


def resolve_season_dir(season_dir: Path | None) -> Path:
    """DIR when given; else the one rule of library.default_folder; said on stderr."""
    folder = default_folder(season=True) if season_dir is None else Folder(season_dir, "DIR")
    announce(folder)
    return folder.path
