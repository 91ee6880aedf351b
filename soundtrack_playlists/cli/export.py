"""The export command: a season's resolved songs as M3U8, CSV, JSPF or JSON; no login needed."""

from __future__ import annotations

from pathlib import Path

import click

from soundtrack_playlists.cli.common import (
    resolve_season_dir,
    season_dir_argument,
    translate_errors,
)
from soundtrack_playlists.export import FORMATS


@click.command("export", short_help="Write the resolved songs for other players.")
@season_dir_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    required=True,
    help="The format: m3u8 and jspf (ListenBrainz) hold one playlist, csv and json every one.",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of printing.",
)
@click.option(
    "--episode",
    type=click.IntRange(min=1),
    help="Only this episode's playlist (default: the whole season).",
)
@translate_errors
def export_command(
    season_dir: Path | None, fmt: str, out_file: Path | None, episode: int | None
) -> None:
    """Write the season's resolved songs, with Spotify links, for other players.

    Reads the lock file only: nothing is searched, nothing is written to Spotify and no
    login is needed. Songs left out of the playlists (review, unresolved) are marked.

    \b
    Examples:
        soundtrack-playlists export --format m3u8 --out season-1.m3u8
        soundtrack-playlists export my-show/season-2 --format jspf --episode 2
        soundtrack-playlists export --format csv > songs.csv
    """
    from soundtrack_playlists.export import export_season
    from soundtrack_playlists.files.atomic import write_text_atomic
    from soundtrack_playlists.settings import Settings
    from soundtrack_playlists.tracklists.folders import load_season

    season = load_season(resolve_season_dir(season_dir))
    if episode is not None and episode not in {e.number for e in season.episodes if e.songs}:
        raise click.BadParameter(f"no episode {episode} with songs in {season.directory}")
    text = export_season(season, Settings.from_env().api_url, fmt, episode=episode)
    if out_file is None:
        click.echo(text, nl=False)
        return
    write_text_atomic(out_file, text)
    click.echo(f"Wrote {out_file}", err=True)
