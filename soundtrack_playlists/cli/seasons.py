"""Commands over many seasons: choosing the folders (DIR…, --all) and `remove`."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from soundtrack_playlists.cli.common import (
    announce,
    print_json,
    quiet,
    resolve_season_dir,
    say,
    translate_errors,
)
from soundtrack_playlists.files.runlock import season_run
from soundtrack_playlists.sync.report import summary_json
from soundtrack_playlists.sync.run import SyncResult
from soundtrack_playlists.tracklists.selection import Folder, Selection, default_folder, select

F = TypeVar("F", bound=Callable[..., Any])


def season_dirs_options(command: F) -> F:
    """DIR… (seasons, show folders or a tracklists root), --all and --tracklists."""
    command = click.option(
        "--tracklists",
        "tracklists",
        type=click.Path(file_okay=False, path_type=Path),
        help="The tracklists folder --all works on (default: $SOUNDTRACK_TRACKLISTS, else "
        "./tracklists when present, else the shipped folder).",
    )(command)
    command = click.option(
        "--all", "all_seasons", is_flag=True, help="Every season of every show in the tracklists."
    )(command)
    return click.argument(
        "season_dirs", metavar="[DIR]...", nargs=-1, type=click.Path(path_type=Path)
    )(command)


def choose_selection(
    season_dirs: Sequence[Path], all_seasons: bool, tracklists: Path | None
) -> Selection:
    """The folders a command works on; with --all it says (on stderr) which folder it used."""
    if all_seasons and season_dirs:
        raise click.UsageError("give DIR… or --all, not both")
    if tracklists is not None and not all_seasons:
        raise click.UsageError("--tracklists chooses the folder of --all: add --all")
    if all_seasons:
        folder = (
            default_folder(season=False)
            if tracklists is None
            else Folder(tracklists, "--tracklists")
        )
        announce(folder)
        return select([folder.path])
    if not season_dirs:
        return select([resolve_season_dir(None)])
    say(f"Folder{'s' if len(season_dirs) > 1 else ''}: {', '.join(map(str, season_dirs))} (DIR)")
    return select(list(season_dirs))


def library_json(result: SyncResult, *, dry_run: bool) -> dict[str, Any]:
    """The --json summary: every playlist and song of the run, and each target on its own."""
    reports = [str(r.report_path) for r in result.results if r.report_path is not None]
    value = summary_json(
        result.outcomes,
        result.songs,
        report=reports[0] if len(reports) == 1 else None,
        dry_run=dry_run,
    )
    value["targets"] = [
        {
            "name": item.target.label,
            "state": str(item.target.state_file),
            "report": str(item.report_path) if item.report_path else None,
            "playlists": [outcome.to_json() for outcome in item.outcomes],
        }
        for item in result.results
    ]
    return value


def echo_per_target(result: SyncResult, render: Callable[[Any], str]) -> None:
    """Each target's lines, under a heading when there is more than one."""
    many = len(result.results) > 1
    for item in result.results:
        if many:
            click.echo(f"\n{item.target.label}:")
        click.echo(render(item.plan))


def print_json_summary(result: SyncResult, dry_run: bool) -> None:
    print_json(library_json(result, dry_run=dry_run))


@click.command("remove", short_help="Remove (unfollow) the playlists this tool made.")
@season_dirs_options
@click.option("--yes", is_flag=True, help="Do not ask before removing.")
@click.option("--dry-run", is_flag=True, help="Show what would be removed; remove nothing.")
@translate_errors
def remove_command(
    season_dirs: tuple[Path, ...],
    all_seasons: bool,
    tracklists: Path | None,
    yes: bool,
    dry_run: bool,
) -> None:
    """Remove (unfollow, Spotify's way of deleting) the playlists this tool made.

    Only playlists recorded in the seasons' state (and, for a show folder, the show's
    whole-show playlist) are removed, plus one whose create got no answer when it carries
    its season's marker; a playlist is never chosen by its name alone. They are listed
    first, and you are asked unless --yes.

    \b
    Examples:
        soundtrack-playlists remove tracklists/soundtrack/season-1 --dry-run
        soundtrack-playlists remove tracklists/soundtrack --yes
    """
    from soundtrack_playlists.spotify.client import connect
    from soundtrack_playlists.sync.remove import plan_removal, run_removal

    selection = choose_selection(season_dirs, all_seasons, tracklists)
    with contextlib.ExitStack() as in_use:
        # A sync of these seasons must not create while their playlists are being removed.
        for season_dir in [] if dry_run else selection.seasons:
            in_use.enter_context(season_run(season_dir, "soundtrack-playlists remove"))
        client = connect()
        removal = plan_removal(selection, client)
        if not quiet():
            click.echo(str(removal))
        if not removal.to_remove or dry_run:
            if dry_run and not quiet():
                click.echo("Dry run: nothing was removed.")
            return
        if not yes and not click.confirm(f"Remove {removal.count_text()}?", default=False):
            click.echo("Nothing was removed.")
            return
        done = run_removal(removal, client)
    click.echo(f"Removed {done.count_text()}.")
