"""The `paths` command: where settings, the token cache and each season's files live."""

from __future__ import annotations

from pathlib import Path

import click

from soundtrack_playlists.cli.common import json_option, print_json, translate_errors


@click.command("paths", short_help="Show where settings, tokens, locks, states and reports live.")
@click.argument("season_dirs", metavar="[DIR]...", nargs=-1, type=click.Path(path_type=Path))
@json_option("Print the places as JSON.")
@translate_errors
def paths_command(season_dirs: tuple[Path, ...], as_json: bool) -> None:
    """Show where the settings, the token cache and each season's lock, state and report live.

    The seasons the other commands use without DIR are always listed (./tracklists in a
    clone, else the installed copy); name other season folders to add them.

    \b
    Example:
        soundtrack-playlists paths
        soundtrack-playlists paths my-show/season-2 --json
    """
    from soundtrack_playlists.files.locations import (
        describe,
        season_places,
        settings_places,
    )
    from soundtrack_playlists.files.locations import (
        season_dirs as all_season_dirs,
    )
    from soundtrack_playlists.settings import Settings
    from soundtrack_playlists.tracklists.selection import default_folder

    general = settings_places(Settings.from_env(), Path.cwd())
    # the seasons the other commands use without DIR: the same rule
    root = default_folder(season=False).path
    seasons = [(d, season_places(d)) for d in all_season_dirs(season_dirs, root)]
    if as_json:
        print_json(
            {
                "settings": [place.to_json() for place in general],
                "seasons": [
                    {"folder": str(d), "files": [place.to_json() for place in places]}
                    for d, places in seasons
                ],
            }
        )
        return
    for line in describe(general):
        click.echo(line)
    for directory, places in seasons:
        click.echo(f"\nSeason {directory}:")
        for line in describe(places, indent="  "):
            click.echo(line)
