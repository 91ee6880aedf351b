"""The command line: the click group that gathers every command, and main()."""

from __future__ import annotations

import click

from soundtrack_playlists import __version__
from soundtrack_playlists.cli import account, export, offline, season


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="soundtrack-playlists")
def cli() -> None:
    """Turn a TV show's episode tracklists into Spotify playlists.

    One playlist per episode plus one for the whole season; re-runs update them.

    \b
    Try it offline first:   soundtrack-playlists demo
    With your account:      soundtrack-playlists login && soundtrack-playlists sync
    """


def main() -> None:
    cli(prog_name="soundtrack-playlists")


for _module in (account, export, offline, season):
    for _command in vars(_module).values():
        if isinstance(_command, click.Command):
            cli.add_command(_command)
