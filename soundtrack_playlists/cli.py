"""Thin click commands: parse options, call one library function, print."""

from __future__ import annotations

import functools
import json
import sys

import click

from soundtrack_playlists import __version__
from soundtrack_playlists.errors import SoundtrackError


class _UserError(click.ClickException):
    """A SoundtrackError shown as `Error: …` with the exit code its class asks for."""

    def __init__(self, error: SoundtrackError):
        super().__init__(str(error))
        self.exit_code = error.exit_code


def translate_errors(command):
    """Turn our own exceptions into `Error: …` without a traceback; let bugs raise."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except SoundtrackError as error:
            raise _UserError(error) from None

    return wrapper


def print_json(value) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="soundtrack-playlists")
def cli():
    """Turn a TV show's episode tracklists into Spotify playlists.

    One playlist per episode plus one for the whole season; re-runs update them.

    \b
    Try it offline first:   soundtrack-playlists demo
    With your account:      soundtrack-playlists login && soundtrack-playlists sync
    """


# --- commands: tracklists ---

# --- commands: spotify account ---

# --- commands: resolve ---

# --- commands: sync ---

# --- commands: emulator and demo ---


def main() -> None:
    cli(prog_name="soundtrack-playlists")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
