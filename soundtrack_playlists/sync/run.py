"""A sync, the one orchestration: hold the seasons, resolve them, read Spotify once, plan
every target, apply them side by side in one pool, and write each season's report.

`sync_seasons` is the `sync` command (many seasons and their shows' whole-show playlists);
`sync_season` is the same path for one season alone (its songs resolved, or given).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from soundtrack_playlists.errors import (
    AccountEmptied,
    Interrupted,
    NothingMade,
    RefusedToEmpty,
    SongsLeftOut,
)
from soundtrack_playlists.files import paths
from soundtrack_playlists.files.atomic import write_text_atomic
from soundtrack_playlists.files.runlock import check_writable, season_run
from soundtrack_playlists.models import Action, Outcome, ResolvedSong, Season
from soundtrack_playlists.resolve.locked import resolve_with_lock
from soundtrack_playlists.settings import DEFAULT_WORKERS
from soundtrack_playlists.sync import report
from soundtrack_playlists.sync.actions import Plan, PlaylistPlan
from soundtrack_playlists.sync.apply import NO_COVER_SCOPE, CoverUploads, Stopped, apply_jobs
from soundtrack_playlists.sync.current import Current, all_vanished
from soundtrack_playlists.sync.plan import plan
from soundtrack_playlists.sync.ports import Progress, SyncClient, no_progress
from soundtrack_playlists.sync.prefetch import read_current
from soundtrack_playlists.sync.shows import show_folders, show_targets
from soundtrack_playlists.sync.state import StateStore
from soundtrack_playlists.sync.targets import Target, season_target
from soundtrack_playlists.text import plural
from soundtrack_playlists.timing import stage


@dataclass(frozen=True)
class SyncOptions:
    """How a sync runs: one value for every entry point, so none repeats the others' options.

    `dry_run` writes nothing anywhere (Spotify, lock, state, report) and takes no run lock;
    `episodes` limits the episode playlists; `allow_empty` lets a playlist be emptied;
    `refresh` searches every song again; `adopt` takes over same-named playlists of the
    user's; `covers` uploads generated covers; `recreate` makes a season's playlists again
    when all of them vanished at once; `holder` names the run in the season lock.
    """

    dry_run: bool = False
    public: bool | None = None
    episodes: Collection[int] | None = None
    allow_empty: bool = False
    refresh: bool = False
    workers: int = DEFAULT_WORKERS
    adopt: bool = False
    covers: bool = True
    recreate: bool = False
    progress: Progress = no_progress
    holder: str = "soundtrack-playlists sync"


@dataclass(frozen=True)
class TargetResult:
    """What became of one target: its plan, its outcomes and (seasons, not dry) its report."""

    target: Target
    plan: Plan
    outcomes: tuple[Outcome, ...]
    report_path: Path | None = None

    @property
    def left_out(self) -> tuple[ResolvedSong, ...]:
        return report.left_out(self.target.songs)


@dataclass(frozen=True)
class SyncResult:
    """A finished (or dry) sync: each target's plan, outcomes and report."""

    results: tuple[TargetResult, ...]
    dry_run: bool = False
    notes: tuple[str, ...] = ()  # what a person should know that is no failure

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        return tuple(outcome for result in self.results for outcome in result.outcomes)

    @property
    def songs(self) -> tuple[ResolvedSong, ...]:
        return tuple(song for result in self.results for song in result.target.songs)

    @property
    def left_out(self) -> tuple[ResolvedSong, ...]:
        return report.left_out(self.songs)

    @property
    def refusals(self) -> tuple[PlaylistPlan, ...]:
        return tuple(item for result in self.results for item in result.plan.refusals)

    @property
    def reports(self) -> list[str]:
        return [str(item.report_path) for item in self.results if item.report_path]

    def check(self, *, strict: bool = False) -> None:
        """Raise what the run ended in: no playlist made (exit 4), a playlist it refused to
        empty, or (`strict`) songs left out (exit 3)."""
        if report.nothing_made(self.plan):
            advice = self.left_out_advice() or ["fix what the lines above name"]
            raise NothingMade(
                "no playlist could be made: every one was skipped (see why above); " + advice[0]
            )
        if self.refusals:
            raise RefusedToEmpty(self.refusal_message())
        if strict and self.left_out:
            raise SongsLeftOut(
                f"--strict: {plural(len(self.left_out), 'song')} left out of the playlists; see "
                f"{', '.join(self.reports) or 'the report'}; pin a track on their lines or fix "
                "the tracklist"
            )

    def left_out_advice(self) -> list[str]:
        """Per season with songs left out: how many, and the `review` command that fixes it."""
        return [
            report.left_out_advice(item.target.season.directory, len(item.left_out))
            for item in self.results
            if item.target.season is not None and item.left_out
        ]

    @property
    def plan(self) -> Plan:
        """Every target's plan as one: what `status` counts and judges."""
        return Plan(
            tuple(item for result in self.results for item in result.plan.playlists),
            tuple(song for result in self.results for song in result.plan.without_songs),
        )

    @property
    def report_path(self) -> Path | None:
        """The report of a one-season sync (None on a dry run or for many seasons)."""
        reports = [result.report_path for result in self.results if result.report_path]
        return reports[0] if len(reports) == 1 else None

    def refusal_message(self) -> str:
        return Plan(self.refusals).refusal_message()


def plan_targets(
    targets: Sequence[Target], client: SyncClient, options: SyncOptions
) -> list[tuple[Target, Current, Plan]]:
    """Spotify read once for every target, and each target planned (a blocked one skipped)."""
    planned = []
    currents = read_current(client, targets, adopt=options.adopt)
    for target, current in zip(targets, currents, strict=True):
        if target.blocked:
            skip = PlaylistPlan(target.desired.playlists[0], Action.SKIP, reason=target.blocked)
            planned.append((target, current, Plan((skip,))))
        else:
            gone = all_vanished(target.desired, current)
            if gone and not options.recreate:
                raise AccountEmptied(_emptied_message(target, gone))
            the_plan = plan(
                target.desired, current, allow_empty=options.allow_empty, adopt=options.adopt
            )
            planned.append((target, current, the_plan))
    return planned


def _emptied_message(target: Target, gone: int) -> str:
    return (
        f"{target.label}: all {gone} of its playlists that the state records are gone from "
        "your Spotify account at once, so nothing was written. If you deleted them on "
        "purpose, run `soundtrack-playlists sync --recreate` to make them again; if this is "
        "another Spotify account, log in with the right one (`soundtrack-playlists whoami` "
        "says who is logged in)"
    )


def sync_targets(targets: Sequence[Target], client: SyncClient, options: SyncOptions) -> SyncResult:
    """Read Spotify once, plan every target, and (unless dry) apply them all and report.

    Raises RefusedToEmpty before any write when any playlist would be emptied; on a dry run
    the refused plans are returned instead, for printing, and nothing is written anywhere.
    """
    with stage("read Spotify and plan"):
        planned = plan_targets(targets, client, options)
    if options.dry_run:
        return SyncResult(
            tuple(
                TargetResult(target, the_plan, the_plan.outcomes())
                for target, _, the_plan in planned
            ),
            dry_run=True,
        )
    refused = [item for _, _, the_plan in planned for item in the_plan.refusals]
    if refused:
        raise RefusedToEmpty(Plan(tuple(refused)).refusal_message())
    # Nothing goes to Spotify unless every state and report can be kept afterwards.
    for folder in sorted({_home(target) for target in targets}):
        check_writable(folder)
    uploads = CoverUploads(client)
    with stage("apply and report"):
        results = _apply_targets(planned, client, options, uploads)
    return SyncResult(results, notes=(NO_COVER_SCOPE,) if uploads.refused.is_set() else ())


@contextlib.contextmanager
def _holding(
    seasons: Sequence[Season], options: SyncOptions, *, shows: bool = True
) -> Iterator[None]:
    """One run per season at a time: each season's run lock, and the show folder's for a
    show with a whole-show playlist (its state and playlist are written too), taken in one
    fixed order so two runs never wait on each other; none on a dry run (it writes nothing)."""
    folders = {season.directory.resolve() for season in seasons if season.directory}
    if shows:
        folders |= set(show_folders(seasons))
    with contextlib.ExitStack() as in_use:
        for folder in [] if options.dry_run else sorted(folders):
            in_use.enter_context(season_run(folder, options.holder))
        yield


def _resolved(
    season: Season, client: SyncClient, options: SyncOptions, many: bool
) -> tuple[ResolvedSong, ...]:
    """The season's songs, resolved reusing its lock (saved, even half-way, unless dry)."""
    progress = _naming(season, options.progress) if many else options.progress

    def searched(done: int, total: int) -> None:
        progress("Resolving songs", done, total)

    with stage(f"resolve {season.show}, season {season.season}"):
        return resolve_with_lock(
            season,
            client.search_tracks,
            client.track,
            client.api_url,
            dry_run=options.dry_run,
            refresh=options.refresh,
            workers=options.workers,
            progress=searched,
        ).songs


def sync_seasons(
    seasons: Sequence[Season],
    client: SyncClient | Callable[[], SyncClient],
    options: SyncOptions = SyncOptions(),
) -> SyncResult:
    """Sync many seasons (and their shows' whole-show playlists) in one run.

    `client` may be a way to connect, called once the seasons are held: a run that finds a
    season busy says so before it says anything about the login.

    Every season is held and resolved (reusing its lock); then Spotify is read once for all
    of them, every target is planned, and all playlists are applied side by side in one pool
    of `workers`. With `covers`, every playlist (the whole-show one too) gets its generated
    cover. Raises RefusedToEmpty before
    any write when any playlist would be emptied. With `dry_run` nothing is written anywhere.
    """
    with _holding(seasons, options):
        client = client() if callable(client) else client
        resolved = [
            (season, _resolved(season, client, options, len(seasons) > 1)) for season in seasons
        ]
        targets = [_season_target(season, songs, options) for season, songs in resolved]
        targets += show_targets(
            resolved, client.api_url, public=options.public, covers=options.covers
        )
        return sync_targets(targets, client, options)


def sync_season(
    season: Season,
    client: SyncClient,
    options: SyncOptions = SyncOptions(),
    *,
    songs: Sequence[ResolvedSong] | None = None,
) -> SyncResult:
    """One season alone, no whole-show playlist: the path of `sync_seasons` for one season.

    The season is resolved reusing its lock, unless its `songs` are given already resolved.
    With `dry_run` nothing is written anywhere (Spotify, lock, state, report): the result
    holds the plan that would run, refusals included. Otherwise raises RefusedToEmpty before
    any write when a playlist would be emptied and `allow_empty` is not set.
    """
    with _holding([season], options, shows=False):
        if songs is None:
            songs = _resolved(season, client, options, many=False)
        return sync_targets([_season_target(season, songs, options)], client, options)


def _season_target(season: Season, songs: Sequence[ResolvedSong], options: SyncOptions) -> Target:
    return season_target(
        season, songs, public=options.public, episodes=options.episodes, covers=options.covers
    )


def _home(target: Target) -> Path:
    """The folder whose files a target keeps: its season folder, or the show folder."""
    if target.season is not None and target.season.directory is not None:
        return target.season.directory
    return target.state_file.parent


def _naming(season: Season, progress: Progress) -> Progress:
    """Progress whose labels name the season, so each season's bar says whose it is."""

    def named(label: str, done: int, total: int) -> None:
        progress(f"{label} ({season.show}, season {season.season})", done, total)

    return named


def _apply_targets(
    planned: Sequence[tuple[Target, Current, Plan]],
    client: SyncClient,
    options: SyncOptions,
    uploads: CoverUploads,
) -> tuple[TargetResult, ...]:
    """Apply every plan in one pool, then write each season's report."""
    jobs = []
    for target, current, the_plan in planned:
        store = StateStore(target.state_file, current.state)
        jobs += [(item, store) for item in the_plan.playlists]
    progress, label, done = options.progress, "Syncing playlists", 0
    progress(label, done, len(jobs))

    def one_done(item: PlaylistPlan) -> None:
        nonlocal done
        done += 1
        progress(label, done, len(jobs))

    try:
        every = apply_jobs(jobs, client, one_done, workers=options.workers, covers=uploads)
    except Stopped as stopped:  # Ctrl-C: report what was done, keep it, say how to finish
        finished = dict(zip(stopped.jobs, stopped.outcomes, strict=True))
        results, start = [], 0
        for target, _, the_plan in planned:
            count = len(the_plan.playlists)
            mine = tuple(finished[i] for i in range(start, start + count) if i in finished)
            results.append(_reported(target, the_plan, mine, client.api_url))
            start += count
        plans = [jobs[i][0] for i in sorted(finished)]
        raise Interrupted(_interrupted_message(results, plans, len(jobs))) from None
    outcomes = iter(every)
    return tuple(
        _reported(
            target, the_plan, tuple(next(outcomes) for _ in the_plan.playlists), client.api_url
        )
        for target, _, the_plan in planned
    )


def _reported(
    target: Target, the_plan: Plan, outcomes: tuple[Outcome, ...], api_url: str
) -> TargetResult:
    """A target's result, its season's report written (a show playlist has no report)."""
    report_file = None
    if target.season is not None and target.season.directory is not None:
        report_file = paths.report_path(target.season.directory)
        text = report.render_markdown(target.season, target.songs, outcomes, api_url=api_url)
        write_text_atomic(report_file, text)
    return TargetResult(target, the_plan, outcomes, report_file)


def _interrupted_message(
    results: Sequence[TargetResult], done: Sequence[PlaylistPlan], total: int
) -> str:
    """What an interrupted sync did, playlist by playlist, and how to finish."""
    reports = ", ".join(str(r.report_path) for r in results if r.report_path) or "none"
    lines = [
        f"interrupted: {len(done)} of {total} playlists done, the others left as they were; "
        f"everything done is kept. Report: {reports}"
    ]
    lines += [f"  done: {item}" for item in done]
    lines.append("Run `soundtrack-playlists sync` again to finish.")
    return "\n".join(lines)
