"""The sync commands: sync and status, over one season or many, and their --episodes option."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from soundtrack_playlists.cli.common import (
    json_option,
    print_json,
    quiet,
    say,
    translate_errors,
)
from soundtrack_playlists.cli.output import status_word, terminal_width, wrap
from soundtrack_playlists.cli.progress import ProgressBars
from soundtrack_playlists.cli.seasons import season_dirs_options
from soundtrack_playlists.models import Season
from soundtrack_playlists.tracklists.folders import load_season

if TYPE_CHECKING:
    from soundtrack_playlists.sync.run import SyncResult


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
    from soundtrack_playlists.cli.seasons import choose_selection

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
    "--recreate",
    is_flag=True,
    help="Make a season's playlists again when every one of them vanished from your account "
    "at once (without it, sync stops and asks).",
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
    recreate: bool,
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
    with its track and the songs left out; `soundtrack-playlists review DIR` picks theirs.
    Exits 4 when no playlist could be made at all (every one skipped).

    \b
    Examples:
        soundtrack-playlists sync --dry-run
        soundtrack-playlists sync tracklists/soundtrack/season-1 --episodes 1,3-5
        soundtrack-playlists sync tracklists/soundtrack --json --strict
        soundtrack-playlists sync --all --tracklists ~/tracklists
    """
    from soundtrack_playlists.spotify.client import connect
    from soundtrack_playlists.sync.run import SyncOptions, sync_seasons

    seasons = _load_for_sync(season_dirs, all_seasons, tracklists, episodes)
    with ProgressBars(enabled=not as_json) as bars:
        result = sync_seasons(
            seasons,
            connect,
            SyncOptions(
                dry_run=dry_run,
                public=public,
                episodes=episodes,
                allow_empty=allow_empty,
                refresh=refresh,
                progress=bars,
                adopt=adopt,
                recreate=recreate,
                covers=not no_covers,
            ),
        )
    for note in result.notes:
        say(f"Note: {note}")
    _echo_result(result, dry_run=dry_run, as_json=as_json)
    result.check(strict=strict)


def _echo_result(result: SyncResult, *, dry_run: bool, as_json: bool) -> None:
    """The plan per target, the songs left out and the reports; -q: one line; or the JSON."""
    from soundtrack_playlists.cli.seasons import echo_per_target, print_json_summary
    from soundtrack_playlists.sync.report import result_line

    if as_json:
        print_json_summary(result, dry_run)
        return
    if quiet():
        line = result_line(result.outcomes, len(result.left_out))
        click.echo(f"Dry run, nothing written: {line}" if dry_run else line)
        return
    if dry_run:
        click.echo("Dry run: this is the plan; nothing is written.")
    echo_per_target(result, str)
    for line in result.left_out_advice():
        click.echo(line)
    for report_file in result.reports:
        click.echo(f"Report: {report_file}")


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
    from soundtrack_playlists.cli.seasons import echo_per_target, library_json
    from soundtrack_playlists.spotify.client import connect
    from soundtrack_playlists.sync.actions import Plan
    from soundtrack_playlists.sync.report import (
        differing,
        render_status,
        status_json,
        status_summary,
    )
    from soundtrack_playlists.sync.run import SyncOptions, sync_seasons

    seasons = _load_for_sync(season_dirs, all_seasons, tracklists, None)
    client = connect()
    with ProgressBars(enabled=not as_json) as bars:
        result = sync_seasons(seasons, client, SyncOptions(dry_run=True, progress=bars))
    combined = result.plan
    if as_json:
        value = status_json(result.outcomes, result.songs, combined)
        value["targets"] = library_json(result, dry_run=True)["targets"]
        print_json(value)
    else:

        def render(plan: Plan) -> str:
            text = render_status(plan, api_url=client.api_url, word=status_word)
            return wrap(text, terminal_width(), 13) if sys.stdout.isatty() else text

        if not quiet():
            echo_per_target(result, render)
            for line in result.left_out_advice():
                click.echo(line)
        click.echo(status_summary(combined))
    if differing(combined):
        raise click.exceptions.Exit(1)
