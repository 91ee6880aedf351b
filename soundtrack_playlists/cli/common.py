"""What every command shares: error translation, the DIR argument, the --json option."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from soundtrack_playlists.errors import Interrupted, SoundtrackError
from soundtrack_playlists.files.paths import default_season_dir, season_dir_here

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


def resolve_season_dir(season_dir: Path | None) -> Path:
    """DIR when given; else the current folder when it is a season folder (said on stderr, as
    people expect a command run inside a folder to work on it); else the shipped season."""
    if season_dir is not None:
        return season_dir
    here = season_dir_here()
    if here is not None:
        click.echo(f"Using the season folder here: {here}", err=True)
        return here
    return default_season_dir()
