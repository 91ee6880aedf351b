"""The season commands: tracklists, import, resolve and review."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from soundtrack_playlists.cli.common import (
    json_option,
    print_json,
    quiet,
    resolve_season_dir,
    season_dir_argument,
    translate_errors,
)
from soundtrack_playlists.cli.output import status_word, terminal_width
from soundtrack_playlists.cli.progress import ProgressBars
from soundtrack_playlists.errors import SoundtrackError
from soundtrack_playlists.files.runlock import season_run
from soundtrack_playlists.settings import DEFAULT_WORKERS
from soundtrack_playlists.tracklists.folders import describe_season, load_season

if TYPE_CHECKING:
    from soundtrack_playlists.resolve.review import ReviewSession


@click.command("tracklists", short_help="Show the songs parsed from a season folder.")
@season_dir_argument
@json_option("Print the parsed season as JSON.")
@translate_errors
def tracklists_command(season_dir: Path | None, as_json: bool) -> None:
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


@click.command("import", short_help="Import a tracklist (file, web page, CSV) as a season folder.")
@click.argument("source", metavar="SOURCE")
@click.option("--show", required=True, help="The show's name, e.g. Soundtrack.")
@click.option(
    "--season",
    "season_number",
    type=click.IntRange(min=1),
    required=True,
    help="The season number.",
)
@click.option("--year", type=int, help="The year the season aired (used in playlist names).")
@click.option("--network", help="The network, e.g. Netflix.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Season folder to write (default: tracklists/<show>/season-<N>).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace the tracklists import wrote before (season folders only).",
)
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing.")
@click.option(
    "--strict",
    is_flag=True,
    help="Fail, writing nothing, if any line can't be read or songs may be missing.",
)
@click.option(
    "--episode",
    "episode",
    type=click.IntRange(0, 9999),
    help="The episode number of a page with no numbered episode heading.",
)
@click.option(
    "--order",
    type=click.Choice(["title-artist", "artist-title"]),
    help="How to read unquoted `A – B` lines (default: decided from the source).",
)
@json_option("Print the result as JSON.")
@translate_errors
def import_command(
    source: str,
    show: str,
    season_number: int,
    year: int | None,
    network: str | None,
    out_dir: Path | None,
    force: bool,
    dry_run: bool,
    strict: bool,
    episode: int | None,
    order: str | None,
    as_json: bool,
) -> None:
    """Import a tracklist as a season folder, accounting for every line of the source.

    SOURCE is a text, Markdown, saved HTML, CSV or TSV file (an Exportify export too),
    `-` for standard input, or an http(s) URL. Each line becomes a heading, a song, prose
    (skipped) or an unreadable line, which is listed with its line number and why.

    \b
    Example:
        soundtrack-playlists import article.txt --show Soundtrack --season 1 \\
            --year 2019 --network Netflix --out tracklists/soundtrack/season-1
        soundtrack-playlists import https://example.com/songs.html --show X \\
            --season 2 --dry-run
    """
    from soundtrack_playlists.importing.importer import (
        ImportOptions,
        refused_json,
        render_summary,
        run_import,
    )

    options = ImportOptions(
        source=source,
        show=show,
        season=season_number,
        year=year,
        network=network,
        out=out_dir,
        force=force,
        dry_run=dry_run,
        strict=strict,
        order=order,
        episode=episode,
    )
    try:
        result = run_import(options)
    except SoundtrackError as error:
        if as_json:  # a refusal is a result too: say it on stdout, fail as ever
            print_json(refused_json(options, str(error)))
        raise
    for warning in result.warnings:
        click.echo(f"Warning: {warning}.", err=True)
    if as_json:
        print_json(result.to_json())
        return
    click.echo(render_summary(result))


@click.command("resolve", short_help="Find each song's Spotify track; write the lock file.")
@season_dir_argument
@click.option(
    "--refresh", is_flag=True, help="Search every song again (choices made in `review` are kept)."
)
@json_option("Print every song's outcome as JSON.")
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=DEFAULT_WORKERS,
    show_default=True,
    help="How many songs are searched at once.",
)
@translate_errors
def resolve_command(season_dir: Path | None, refresh: bool, as_json: bool, workers: int) -> None:
    """Find each song's Spotify track and write the season's lock file.

    Unchanged lines reuse the lock; songs that are uncertain (review) or not found
    (unresolved) are named, never guessed. Pick them with `soundtrack-playlists review`.

    \b
    Example:
        soundtrack-playlists resolve
        soundtrack-playlists resolve --refresh
        soundtrack-playlists resolve tracklists/soundtrack/season-1 --json
    """
    from soundtrack_playlists.files.paths import lock_path
    from soundtrack_playlists.resolve.locked import resolve_and_lock
    from soundtrack_playlists.resolve.results import resolution_json
    from soundtrack_playlists.resolve.table import resolution_line, resolution_table
    from soundtrack_playlists.spotify.client import connect

    directory = resolve_season_dir(season_dir)
    season = load_season(directory)
    with season_run(directory, "soundtrack-playlists resolve"), ProgressBars() as bars:
        client = connect()
        search = functools.partial(client.search_tracks, limit=10, market="from_token")
        resolution = resolve_and_lock(
            season,
            search,
            api_url=client.api_url,
            lock_file=lock_path(directory),
            refresh=refresh,
            workers=workers,
            progress=functools.partial(bars, "Searching"),
            lookup=client.track,
        )
    if as_json:
        print_json(resolution_json(resolution))
    elif quiet():
        click.echo(resolution_line(resolution))
    else:
        width = terminal_width() if sys.stdout.isatty() else None
        click.echo(resolution_table(resolution, width, word=status_word))


@click.command("review", short_help="Pick tracks for songs left in review or unresolved.")
@season_dir_argument
@translate_errors
def review_command(season_dir: Path | None) -> None:
    """Pick the track for each song left in review or unresolved by `resolve`.

    For each song the best candidates are listed with their scores: type a number,
    paste a Spotify track link (it is looked up and shown before it is kept), type
    `?` and new search words to list other candidates, or press Enter to skip.
    Choices are kept in the lock file as pins, so later runs (even `resolve --refresh`)
    keep them.

    \b
    Example:
        soundtrack-playlists resolve && soundtrack-playlists review
    """
    from soundtrack_playlists.resolve.review import LazySpotify, ReviewSession
    from soundtrack_playlists.settings import Settings

    directory = resolve_season_dir(season_dir)
    season = load_season(directory)
    spotify = LazySpotify()
    with season_run(directory, "soundtrack-playlists review"):
        api_url = Settings.from_env().api_url
        session = ReviewSession.start(season, api_url, lookup=spotify.track, search=spotify.search)
        _review(session, directory if season_dir is not None else None)


def _review(session: ReviewSession, named: Path | None) -> None:
    """Ask about each pending song in turn, pinning each choice as it is made."""
    from soundtrack_playlists.resolve.review import describe, describe_track, is_search

    if not session.items:
        click.echo("Nothing to review: every song is matched or pinned.")
        return
    total = len(session.items)
    for number, item in enumerate(session.items, 1):
        click.echo(describe(item, number, total))
        while True:
            answer = click.prompt(
                "Number, Spotify link, ?search words, or Enter to skip",
                default="",
                show_default=False,
            )
            try:
                if is_search(answer):
                    item = session.search_again(item, answer)
                    click.echo(describe(item, number, total))
                    continue
                track = session.interpret(answer, item)
            except ValueError as error:
                click.echo(f"  {error}")
                continue
            if track is not None and not answer.strip().isdigit():
                click.echo(f"  that link is {describe_track(track)}")
                if not click.confirm("  Pin it?", default=True):
                    continue
            break
        if track is None:
            click.echo("  skipped")
            continue
        session.pin(item, track)
        click.echo(f"  pinned {track.uri}")
    click.echo(
        f"\n{session.chosen} pinned, {total - session.chosen} skipped. "
        f"Run `soundtrack-playlists sync{f' {named}' if named else ''}` to update the playlists."
    )
