"""Thin click commands: parse options, call one library function, print."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from soundtrack_playlists import __version__
from soundtrack_playlists.errors import SoundtrackError
from soundtrack_playlists.importer import default_out_dir, import_article
from soundtrack_playlists.paths import default_season_dir
from soundtrack_playlists.tracklist import describe_season, load_season, read_text_file


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


def season_dir_argument(command):
    """The optional DIR argument: a season folder, the shipped season when left out."""
    return click.argument(
        "season_dir", metavar="[DIR]", required=False, type=click.Path(path_type=Path)
    )(command)


def resolve_season_dir(season_dir: Path | None) -> Path:
    return season_dir if season_dir is not None else default_season_dir()


@cli.command("tracklists")
@season_dir_argument
@click.option("--json", "as_json", is_flag=True, help="Print the parsed season as JSON.")
@translate_errors
def tracklists_command(season_dir: Path | None, as_json: bool):
    """Show the songs parsed from a season folder (default: the shipped season).

    \b
    Example:
        soundtrack-playlists tracklists
        soundtrack-playlists tracklists tracklists/soundtrack/season-1 --json
    """
    season = load_season(resolve_season_dir(season_dir))
    if as_json:
        print_json(season.to_json())
        return
    click.echo(describe_season(season))


@cli.command("import")
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--show", required=True, help="The show's name, e.g. Soundtrack.")
@click.option("--season", "season_number", type=click.IntRange(min=1), required=True,
              help="The season number.")
@click.option("--year", type=int, help="The year the season aired (used in playlist names).")
@click.option("--network", help="The network, e.g. Netflix.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Season folder to write (default: tracklists/<show>/season-<N>).")
@click.option("--force", is_flag=True, help="Replace the tracklists of an existing folder.")
@translate_errors
def import_command(article, show, season_number, year, network, out_dir, force):
    """Import an article's tracklist (episode headings, song lines, prose) as a season folder.

    Prose between the songs is skipped; song lines are kept exactly as written.

    \b
    Example:
        soundtrack-playlists import article.txt --show Soundtrack --season 1 \\
            --year 2019 --network Netflix --out tracklists/soundtrack/season-1
    """
    out_dir = out_dir or default_out_dir(Path("tracklists"), show, season_number)
    text = read_text_file(article)
    written = import_article(text, out_dir, show=show, season=season_number, year=year,
                             network=network, force=force, source_name=str(article))
    season = load_season(written)
    click.echo(f"Wrote {written}: {len(season.episodes)} episodes, {len(season.songs)} songs.")

# --- commands: spotify account ---

# --- commands: resolve ---

# --- commands: sync ---

# --- commands: emulator and demo ---


def main() -> None:
    cli(prog_name="soundtrack-playlists")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
