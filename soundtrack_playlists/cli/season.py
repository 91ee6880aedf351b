"""The season commands: tracklists, import, resolve, review, sync and status."""

from __future__ import annotations

import contextlib
import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from soundtrack_playlists.cli.common import (
    json_option,
    print_json,
    resolve_season_dir,
    season_dir_argument,
    translate_errors,
)
from soundtrack_playlists.cli.library import season_dirs_options
from soundtrack_playlists.cli.output import status_word, terminal_width, wrap
from soundtrack_playlists.cli.progress import ProgressBars
from soundtrack_playlists.models import Season
from soundtrack_playlists.resolver import DEFAULT_WORKERS
from soundtrack_playlists.runlock import season_run
from soundtrack_playlists.text import plural
from soundtrack_playlists.tracklist import describe_season, load_season

if TYPE_CHECKING:
    from soundtrack_playlists.review import ReviewSession


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
@click.option("--strict", is_flag=True, help="Fail, writing nothing, if any line can't be read.")
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
    from soundtrack_playlists.importer import ImportOptions, render_summary, run_import

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
    )
    result = run_import(options)
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
    from soundtrack_playlists.paths import lock_path
    from soundtrack_playlists.resolution_table import resolution_table
    from soundtrack_playlists.resolver import resolution_json, resolve_and_lock
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
    from soundtrack_playlists.review import LazySpotify, ReviewSession
    from soundtrack_playlists.settings import Settings

    directory = resolve_season_dir(season_dir)
    season = load_season(directory)
    spotify = LazySpotify()
    with season_run(directory, "soundtrack-playlists review"):
        api_url = Settings.from_env().api_url
        _review(ReviewSession.start(season, api_url, lookup=spotify.track, search=spotify.search))


def _review(session: ReviewSession) -> None:
    """Ask about each pending song in turn, pinning each choice as it is made."""
    from soundtrack_playlists.review import describe, describe_track, is_search

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
        "Run `soundtrack-playlists sync` to update the playlists."
    )


def parse_episodes(text: str) -> frozenset[int]:
    """`1,3-5` -> {1, 3, 4, 5}: the --episodes option. Raises ValueError with what is wrong."""
    numbers: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        low, dash, high = part.partition("-")
        try:
            first, last = int(low), int(high if dash else low)
        except ValueError:
            raise ValueError(f"{part!r} is not an episode number or range like 3-5") from None
        if first < 1 or last < first:
            raise ValueError(f"{part!r} is not a range of episode numbers like 3-5")
        numbers.update(range(first, last + 1))
    if not numbers:
        raise ValueError("expected episode numbers like 1,3-5")
    return frozenset(numbers)


def _episodes_option(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> frozenset[int] | None:
    if value is None:
        return None
    try:
        return parse_episodes(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _load_for_sync(
    season_dirs: tuple[Path, ...],
    all_seasons: bool,
    tracklists: Path | None,
    episodes: frozenset[int] | None,
) -> list[Season]:
    from soundtrack_playlists.cli.library import choose_selection

    selection = choose_selection(season_dirs, all_seasons, tracklists)
    seasons = [load_season(folder) for folder in selection.seasons]
    if episodes is not None and len(seasons) > 1:
        raise click.BadParameter("works on one season folder at a time", param_hint="--episodes")
    for season in seasons if episodes is not None else ():
        unknown = sorted(set(episodes or ()) - {episode.number for episode in season.episodes})
        if unknown:
            raise click.BadParameter(
                f"no episode {', '.join(map(str, unknown))} in {season.directory}",
                param_hint="--episodes",
            )
    return seasons


def _songs_left_out(count: int) -> str:
    return f"{plural(count, 'song')} left out (review or unresolved)."


@click.command("sync", short_help="Create or update the seasons' playlists in Spotify.")
@season_dirs_options
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the plan and write nothing: not Spotify, not the lock, state or report.",
)
@json_option("Print only a JSON summary, for scripts.")
@click.option(
    "--public/--private",
    default=None,
    help="Make the playlists public or private. Default: new ones private, "
    "existing ones as they are.",
)
@click.option(
    "--episodes",
    callback=_episodes_option,
    metavar="LIST",
    help="Only these episodes' playlists, e.g. 1,3-5. The season playlist is "
    "always synced, with the whole season.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit with code 3 when any song is left out (review or unresolved).",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Allow emptying a playlist whose episode now resolves to no track.",
)
@click.option(
    "--refresh",
    is_flag=True,
    help="Search every song again instead of reusing the lock (choices made in review are kept).",
)
@click.option(
    "--adopt",
    is_flag=True,
    help="Take over your own playlists that bear a season playlist's name but were not "
    "made by this tool (or made before it marked its playlists).",
)
@click.option(
    "--no-covers",
    is_flag=True,
    help="Leave the playlists' covers alone (by default each gets a generated cover).",
)
@translate_errors
def sync_command(
    season_dirs: tuple[Path, ...],
    all_seasons: bool,
    tracklists: Path | None,
    dry_run: bool,
    as_json: bool,
    public: bool | None,
    episodes: frozenset[int] | None,
    strict: bool,
    allow_empty: bool,
    refresh: bool,
    adopt: bool,
    no_covers: bool,
) -> None:
    """Create or update the seasons' playlists in Spotify: one per episode, one per season.

    DIR may be season folders, a show folder (every season in it) or a tracklists folder
    (every show); --all takes every season under the tracklists folder. Spotify is read once
    for the whole run. A show folder whose show.toml names a whole-show playlist gets it too.
    Songs are resolved (reusing each lock), and only the differences are written. Playlists
    are found by the id kept in each season's state.json, else by exact name and the marker
    each one carries in its description; nothing this tool did not create is ever changed or
    deleted (unless --adopt says so). A report (sync-report.md) per season lists every song
    with its track and the songs left out.

    \b
    Examples:
        soundtrack-playlists sync --dry-run
        soundtrack-playlists sync tracklists/soundtrack/season-1 --episodes 1,3-5
        soundtrack-playlists sync tracklists/soundtrack --json --strict
        soundtrack-playlists sync --all --tracklists ~/tracklists
    """
    from soundtrack_playlists.cli.library import echo_per_target, print_json_summary
    from soundtrack_playlists.errors import RefusedToEmpty, SongsLeftOut
    from soundtrack_playlists.library_sync import sync_seasons
    from soundtrack_playlists.spotify.client import connect

    seasons = _load_for_sync(season_dirs, all_seasons, tracklists, episodes)
    with contextlib.ExitStack() as in_use:
        # One run per season at a time; a dry run writes nothing, so it takes no lock.
        for season in [] if dry_run else seasons:
            if season.directory is not None:
                in_use.enter_context(season_run(season.directory, "soundtrack-playlists sync"))
        bars = in_use.enter_context(ProgressBars(enabled=not as_json))
        result = sync_seasons(
            seasons,
            connect(),
            dry_run=dry_run,
            public=public,
            episodes=episodes,
            allow_empty=allow_empty,
            refresh=refresh,
            progress=bars,
            adopt=adopt,
            covers=not no_covers,
        )
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)
    reports = [str(item.report_path) for item in result.results if item.report_path]
    if as_json:
        print_json_summary(result, dry_run)
    else:
        if dry_run:
            click.echo("Dry run: this is the plan; nothing is written.")
        echo_per_target(result, str)
        if result.left_out:
            click.echo(_songs_left_out(len(result.left_out)))
        for report_file in reports:
            click.echo(f"Report: {report_file}")
    if result.refusals:
        raise RefusedToEmpty(result.refusal_message())
    if strict and result.left_out:
        raise SongsLeftOut(
            f"--strict: {plural(len(result.left_out), 'song')} left out of the playlists; see "
            f"{', '.join(reports) or 'the report'}; pin a track on their lines or fix the "
            "tracklist"
        )


@click.command("status", short_help="Compare Spotify's playlists with the tracklists.")
@season_dirs_options
@json_option("Print only JSON, for scripts.")
@translate_errors
def status_command(
    season_dirs: tuple[Path, ...], all_seasons: bool, tracklists: Path | None, as_json: bool
) -> None:
    """Compare the seasons' playlists in Spotify with the tracklists; write nothing.

    DIR takes season folders, show folders or a tracklists folder, as `sync` does.

    Exits 0 when every playlist is in sync, 1 when any differs, is missing or was skipped.

    \b
    Example:
        soundtrack-playlists status
        soundtrack-playlists status tracklists/soundtrack --json
        soundtrack-playlists status --all
    """
    from soundtrack_playlists.cli.library import echo_per_target, library_json
    from soundtrack_playlists.library_sync import sync_seasons
    from soundtrack_playlists.plan import Plan
    from soundtrack_playlists.report import differing, render_status, status_json, status_summary
    from soundtrack_playlists.spotify.client import connect

    seasons = _load_for_sync(season_dirs, all_seasons, tracklists, None)
    client = connect()
    with ProgressBars(enabled=not as_json) as bars:
        result = sync_seasons(seasons, client, dry_run=True, progress=bars)
    combined = result.combined_plan()
    if as_json:
        value = status_json(result.outcomes, result.songs, combined)
        value["targets"] = library_json(result, dry_run=True)["targets"]
        print_json(value)
    else:

        def render(plan: Plan) -> str:
            text = render_status(plan, api_url=client.api_url, word=status_word)
            return wrap(text, terminal_width(), 13) if sys.stdout.isatty() else text

        echo_per_target(result, render)
        if result.left_out:
            click.echo(_songs_left_out(len(result.left_out)))
        click.echo(status_summary(combined))
    if differing(combined):
        raise click.exceptions.Exit(1)
