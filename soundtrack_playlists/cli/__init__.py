"""The command line: the click group that gathers every command, and main()."""

from __future__ import annotations

import click

from soundtrack_playlists import __version__
from soundtrack_playlists.cli import (
    account,
    export,
    local_spotify,
    logs,
    output,
    season,
    seasons,
    sync,
    where,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="soundtrack-playlists")
@click.option("-v", "--verbose", count=True, help=logs.VERBOSE_HELP)
@click.option("-q", "--quiet", count=True, help=logs.QUIET_HELP)
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: int) -> None:
    """Turn a TV show's episode tracklists into Spotify playlists.

    One playlist per episode plus one for the whole season; re-runs update them.

    \b
    Try it offline first:  soundtrack-playlists demo
    With your account:     soundtrack-playlists login && soundtrack-playlists sync
    """
    output.tolerate_any_encoding()
    ctx.meta["soundtrack_playlists.log_counts"] = {"verbose": verbose, "quiet": quiet}
    ctx.call_on_close(logs.configure(logs.level_for(verbose, quiet)))


def main() -> None:
    cli(prog_name="soundtrack-playlists")


for _module in (account, export, local_spotify, season, sync, where, seasons):
    for _command in vars(_module).values():
        if isinstance(_command, click.Command):
            cli.add_command(logs.verbosity_options(_command))
