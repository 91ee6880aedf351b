"""Thin click commands: parse options, call one library function, print."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from soundtrack_playlists import __version__
from soundtrack_playlists.errors import SoundtrackError
from soundtrack_playlists.paths import default_season_dir
from soundtrack_playlists.resolver import DEFAULT_WORKERS
from soundtrack_playlists.tracklist import describe_season, load_season


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
@click.argument("source", metavar="SOURCE")
@click.option("--show", required=True, help="The show's name, e.g. Soundtrack.")
@click.option("--season", "season_number", type=click.IntRange(min=1), required=True,
              help="The season number.")
@click.option("--year", type=int, help="The year the season aired (used in playlist names).")
@click.option("--network", help="The network, e.g. Netflix.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Season folder to write (default: tracklists/<show>/season-<N>).")
@click.option("--force", is_flag=True,
              help="Replace the tracklists import wrote before (season folders only).")
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing.")
@click.option("--strict", is_flag=True, help="Fail, writing nothing, if any line can't be read.")
@click.option("--order", type=click.Choice(["title-artist", "artist-title"]),
              help="How to read unquoted `A – B` lines (default: decided from the source).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@translate_errors
def import_command(source, show, season_number, year, network, out_dir, force, dry_run, strict,
                   order, as_json):
    """Import a tracklist as a season folder, accounting for every line of the source.

    SOURCE is a text, Markdown, saved HTML, CSV or TSV file (an Exportify export too),
    `-` for standard input, or an http(s) URL. Each line becomes a heading, a song, prose
    (skipped) or an unreadable line, which is listed with its line number and why.

    \b
    Example:
        soundtrack-playlists import article.txt --show Soundtrack --season 1 \\
            --year 2019 --network Netflix --out tracklists/soundtrack/season-1
        soundtrack-playlists import https://example.com/songs.html --show X --season 2 --dry-run
    """
    from soundtrack_playlists.importer import ImportOptions, render_summary, run_import

    options = ImportOptions(source=source, show=show, season=season_number, year=year,
                            network=network, out=out_dir, force=force, dry_run=dry_run,
                            strict=strict, order=order)
    result = run_import(options)
    if as_json:
        print_json(result.to_json())
        return
    click.echo(render_summary(result))

# --- commands: spotify account ---


@cli.command("login")
@click.option(
    "--no-browser",
    is_flag=True,
    help="Print the login address; then paste the address the browser was sent to.",
)
@click.option(
    "--print-refresh-token",
    is_flag=True,
    help="Also print the refresh token, for SPOTIFY_REFRESH_TOKEN in CI or cron. Keep it secret.",
)
@translate_errors
def login_command(no_browser: bool, print_refresh_token: bool):
    """Log in to Spotify; the token is kept in your user cache folder (mode 600).

    Opens the browser and catches Spotify's answer on SPOTIPY_REDIRECT_URI
    (default http://127.0.0.1:8888/callback). Logins last six months.

    \b
    Examples:
        soundtrack-playlists login
        soundtrack-playlists login --no-browser      # no browser on this machine
        soundtrack-playlists login --print-refresh-token
    """
    from soundtrack_playlists.settings import Settings
    from soundtrack_playlists.spotify import login

    settings = Settings.from_env()
    result = login(
        settings,
        no_browser=no_browser,
        ask=lambda prompt: click.prompt(prompt, err=True),
        say=lambda text: click.echo(text, err=True),
    )
    name = result.user.display_name or result.user.id
    click.echo(f"Logged in as {name} ({result.user.id}). Token cache: {result.cache}")
    if settings.headless:
        click.echo(
            "Note: SPOTIFY_REFRESH_TOKEN is set, so other commands use it, not this login.",
            err=True,
        )
    if print_refresh_token:
        click.echo("Refresh token (put it in SPOTIFY_REFRESH_TOKEN; keep it secret):", err=True)
        click.echo(result.refresh_token)


@cli.command("whoami")
@translate_errors
def whoami_command():
    """Show which Spotify account the commands act as, and where its token is kept.

    \b
    Example:
        soundtrack-playlists whoami
    """
    from soundtrack_playlists.spotify import connect

    client = connect()
    user = client.current_user()
    click.echo(f"User:        {user.id}")
    click.echo(f"Name:        {user.display_name or '-'}")
    click.echo(f"Token cache: {client.auth.cache_description}")
    click.echo(f"API:         {client.api_url}")


@cli.command("doctor")
@translate_errors
def doctor_command():
    """Check the Spotify setup and say exactly what to fix; exits 1 if anything needs fixing.

    Checks the client id, the redirect URI, the login (expired or revoked), the
    app's allow-list, the granted scopes and that the API answers.

    \b
    Example:
        soundtrack-playlists doctor
    """
    from soundtrack_playlists.doctor import run_checks
    from soundtrack_playlists.settings import Settings

    findings = run_checks(Settings.from_env())
    for finding in findings:
        click.echo(finding.line())
    if not all(finding.ok for finding in findings):
        raise click.exceptions.Exit(1)


# --- commands: resolve ---


@cli.command("resolve")
@season_dir_argument
@click.option("--refresh", is_flag=True,
              help="Search every song again (choices made in `review` are kept).")
@click.option("--json", "as_json", is_flag=True, help="Print every song's outcome as JSON.")
@click.option("--workers", type=click.IntRange(1, 16), default=DEFAULT_WORKERS, show_default=True,
              help="How many songs are searched at once.")
@translate_errors
def resolve_command(season_dir: Path | None, refresh: bool, as_json: bool, workers: int):
    """Find each song's Spotify track and write the season's lock file.

    Unchanged lines reuse the lock; songs that are uncertain (review) or not found
    (unresolved) are named, never guessed. Pick them with `soundtrack-playlists review`.

    \b
    Example:
        soundtrack-playlists resolve
        soundtrack-playlists resolve tracklists/soundtrack/season-1 --refresh --json
    """
    from soundtrack_playlists.paths import lock_path
    from soundtrack_playlists.resolver import resolution_json, resolution_table, resolve_and_lock
    from soundtrack_playlists.spotify import connect

    directory = resolve_season_dir(season_dir)
    season = load_season(directory)
    client = connect()
    search = functools.partial(client.search_tracks, limit=10, market="from_token")
    with _ProgressBar("Searching") as progress:
        resolution = resolve_and_lock(season, search, api_url=client.api_url,
                                      lock_file=lock_path(directory), refresh=refresh,
                                      workers=workers, progress=progress)
    if as_json:
        print_json(resolution_json(resolution))
    else:
        click.echo(resolution_table(resolution))


class _ProgressBar:
    """A progress callback (done, total) drawing a bar on stderr once the total is known."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None
        self.shown = 0

    def __enter__(self):
        return self

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None and total:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        if self.bar is not None:
            self.bar.update(done - self.shown)
            self.shown = done

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


@cli.command("review")
@season_dir_argument
@translate_errors
def review_command(season_dir: Path | None):
    """Pick the track for each song left in review or unresolved by `resolve`.

    For each song the best candidates are listed with their scores: type a number,
    paste a Spotify track link, or press Enter to skip. Choices are kept in the lock
    file as pins, so later runs (even `resolve --refresh`) keep them.

    \b
    Example:
        soundtrack-playlists resolve && soundtrack-playlists review
    """
    from soundtrack_playlists.errors import LockError
    from soundtrack_playlists.lockfile import load_lock, save_lock
    from soundtrack_playlists.paths import lock_path
    from soundtrack_playlists.review import choose, interpret, pending
    from soundtrack_playlists.settings import Settings

    directory = resolve_season_dir(season_dir)
    season = load_season(directory)
    api_url = Settings.from_env().api_url
    path = lock_path(directory)
    lock = load_lock(path, api_url)
    if lock is None:
        raise LockError(f"{path}: no lock file for {api_url}: run `soundtrack-playlists resolve` "
                        "first")
    items = pending(season, lock)
    if not items:
        click.echo("Nothing to review: every song is matched or pinned.")
        return
    chosen = 0
    for number, item in enumerate(items, 1):
        click.echo(f"\n[{number}/{len(items)}] Episode {item.episode}: {item.song.key} "
                   f"({item.entry.status})")
        click.echo(f"    {item.entry.reason}")
        for index, candidate in enumerate(item.entry.candidates, 1):
            track = candidate.track
            click.echo(f"  {index}. {track.name} — {', '.join(track.artists)}"
                       f"{f' [{track.album}]' if track.album else ''}  {candidate.score:.2f}  "
                       f"{track.uri}")
        while True:
            answer = click.prompt("Number, Spotify link, or Enter to skip", default="",
                                  show_default=False)
            try:
                track = interpret(answer, item)
            except ValueError as error:
                click.echo(f"  {error}")
                continue
            break
        if track is None:
            click.echo("  skipped")
            continue
        lock = choose(lock, item, track)
        save_lock(path, lock)  # after each choice: an interrupted review keeps what was chosen
        chosen += 1
        click.echo(f"  pinned {track.uri}")
    click.echo(f"\n{chosen} pinned, {len(items) - chosen} skipped. Run `soundtrack-playlists "
               "sync` to update the playlists.")


# --- commands: sync ---


def _parse_episodes_option(ctx, param, value):
    if value is None:
        return None
    from soundtrack_playlists.sync import parse_episodes

    try:
        return parse_episodes(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _progress_bars(enabled: bool):
    """click progress bars on stderr, or none (for --json, so stdout stays pure JSON)."""
    from soundtrack_playlists.sync import no_progress

    if not enabled:
        return no_progress

    def bar(label: str, length: int):
        return click.progressbar(length=length, label=label, file=sys.stderr)

    return bar


def _songs(count: int) -> str:
    return f"{count} song" if count == 1 else f"{count} songs"


def _load_for_sync(season_dir, episodes):
    season = load_season(resolve_season_dir(season_dir))
    unknown = sorted(set(episodes or ()) - {episode.number for episode in season.episodes})
    if unknown:
        raise click.BadParameter(
            f"no episode {', '.join(map(str, unknown))} in {season.directory}",
            param_hint="--episodes",
        )
    return season


@cli.command("sync")
@season_dir_argument
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the plan and write nothing: not Spotify, not the lock, state or report.",
)
@click.option("--json", "as_json", is_flag=True, help="Print only a JSON summary, for scripts.")
@click.option(
    "--public/--private",
    default=None,
    help="Make the playlists public or private. Default: new ones private, "
    "existing ones as they are.",
)
@click.option(
    "--episodes",
    callback=_parse_episodes_option,
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
@translate_errors
def sync_command(season_dir, dry_run, as_json, public, episodes, strict, allow_empty, refresh):
    """Create or update the season's playlists in Spotify: one per episode, one per season.

    Songs are resolved (reusing the lock), Spotify's playlists are read, and only the
    differences are written. Playlists are found by the id kept in the season's state.json,
    else by exact name; nothing this tool did not create is ever changed or deleted. A report
    (sync-report.md) lists every song with its track and the songs left out.

    \b
    Examples:
        soundtrack-playlists sync --dry-run
        soundtrack-playlists sync tracklists/soundtrack/season-1 --episodes 1,3-5
        soundtrack-playlists sync --json --strict
    """
    from soundtrack_playlists.errors import RefusedToEmpty, SongsLeftOut
    from soundtrack_playlists.report import summary_json
    from soundtrack_playlists.spotify import connect
    from soundtrack_playlists.sync import refusal_message, sync_season

    season = _load_for_sync(season_dir, episodes)
    result = sync_season(
        season,
        connect(),
        dry_run=dry_run,
        public=public,
        episodes=episodes,
        allow_empty=allow_empty,
        refresh=refresh,
        progress=_progress_bars(not as_json),
    )
    report_file = str(result.report_path) if result.report_path else None
    if as_json:
        print_json(summary_json(result.outcomes, result.songs, report=report_file, dry_run=dry_run))
    else:
        if dry_run:
            click.echo("Dry run: this is the plan; nothing is written.")
        click.echo(str(result.plan))
        if result.left_out:
            click.echo(f"{_songs(len(result.left_out))} left out (review or unresolved).")
        if report_file:
            click.echo(f"Report: {report_file}")
    if result.plan.refusals:
        raise RefusedToEmpty(refusal_message(result.plan))
    if strict and result.left_out:
        raise SongsLeftOut(
            f"--strict: {_songs(len(result.left_out))} left out of the playlists; see "
            f"{report_file or 'the report'}; pin a track on their lines or fix the tracklist"
        )


@cli.command("status")
@season_dir_argument
@click.option("--json", "as_json", is_flag=True, help="Print only JSON, for scripts.")
@translate_errors
def status_command(season_dir, as_json):
    """Compare the season's playlists in Spotify with the tracklists; write nothing.

    \b
    Example:
        soundtrack-playlists status
        soundtrack-playlists status tracklists/soundtrack/season-1 --json
    """
    from soundtrack_playlists.report import render_status, summary_json
    from soundtrack_playlists.spotify import connect
    from soundtrack_playlists.sync import sync_season

    season = _load_for_sync(season_dir, None)
    result = sync_season(season, connect(), dry_run=True, progress=_progress_bars(not as_json))
    if as_json:
        print_json(summary_json(result.outcomes, result.songs, dry_run=True))
        return
    click.echo(render_status(result.plan))
    if result.left_out:
        click.echo(f"{_songs(len(result.left_out))} left out (review or unresolved).")


# --- commands: emulator and demo ---


def _retry_after(value: str) -> int | None:
    if value.strip().lower() in ("none", "absent", ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise click.BadParameter("a number of seconds, or 'none' for no header") from None


@cli.command("emulator")
@click.option("--catalog", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Catalog CSV (track_id,name,artists,album,release_date,duration_ms,popularity)."
              " Default: the bundled demo catalog.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--latency-ms", type=click.FloatRange(min=0), default=0.0, help="Added latency.")
@click.option("--rate-429", type=click.FloatRange(0, 1), default=0.0,
              help="Fraction of requests answered 429.")
@click.option("--limit-per-30s", type=click.IntRange(min=0),
              help="Answer 429 beyond this many requests in a rolling 30-second window.")
@click.option("--retry-after", default="1", show_default=True,
              help="retry-after seconds sent with 429s ('none': no header).")
@click.option("--rate-5xx", type=click.FloatRange(0, 1), default=0.0,
              help="Fraction of requests answered 500/502/503.")
@click.option("--rate-drop", type=click.FloatRange(0, 1), default=0.0,
              help="Fraction of connections closed without an answer.")
@click.option("--drop-after-apply", is_flag=True,
              help="Apply a dropped request's write before closing the connection.")
@click.option("--seed", type=int, help="Seed for reproducible random faults.")
@click.option("--token-lifetime", type=click.FloatRange(min=0), default=3600.0,
              show_default=True, help="Access token lifetime in seconds.")
@click.option("--state-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Keep playlists and tokens in this JSON file across restarts.")
@click.option("--not-allow-listed", is_flag=True,
              help="Answer 403 as for a user missing from the app's allow-list.")
@translate_errors
def emulator_command(catalog, port, latency_ms, rate_429, limit_per_30s, retry_after, rate_5xx,
                     rate_drop, drop_after_apply, seed, token_lifetime, state_file,
                     not_allow_listed):
    """Serve a local Spotify Web API emulator on 127.0.0.1 until Ctrl-C.

    It prints its API and accounts URLs and an emulator refresh token, so the other
    commands can run against it instead of Spotify. Nothing leaves this machine.

    \b
    Example:
      soundtrack-playlists emulator --port 8765 --rate-429 0.1 --seed 7
    """
    from soundtrack_playlists.emulator import Emulator, Faults, demo_catalog_path

    faults = Faults(latency_ms=latency_ms, rate_429=rate_429, limit_per_30s=limit_per_30s,
                    retry_after=_retry_after(retry_after), rate_5xx=rate_5xx,
                    rate_drop=rate_drop, drop_after_apply=drop_after_apply, seed=seed,
                    not_allow_listed=not_allow_listed)
    emulator = Emulator(catalog=catalog or demo_catalog_path(), faults=faults,
                        token_lifetime=token_lifetime, state_file=state_file)
    emulator.start(port)
    refresh_token = emulator.issue_refresh_token()
    click.echo(f"Spotify emulator ({len(emulator.catalog)} tracks), Ctrl-C to stop")
    click.echo(f"  API:      {emulator.api_url}")
    click.echo(f"  Accounts: {emulator.accounts_url}")
    click.echo(f"  Admin:    {emulator.base_url}_emulator/log  {emulator.base_url}_emulator/state")
    click.echo("For headless use (an emulator token; it opens no real account):")
    click.echo(f"  SPOTIFY_API_URL={emulator.api_url}")
    click.echo(f"  SPOTIFY_ACCOUNTS_URL={emulator.accounts_url}")
    click.echo("  SPOTIPY_CLIENT_ID=emulator")
    click.echo(f"  SPOTIFY_REFRESH_TOKEN={refresh_token}")
    try:
        emulator.serve_forever()
    except KeyboardInterrupt:
        click.echo("Emulator stopped.")


@cli.command("demo")
@translate_errors
def demo_command():
    """Run the whole job offline: sync the shipped season into a local Spotify emulator.

    No Spotify account is needed. A local emulator of the Spotify Web API (on 127.0.0.1,
    with a bundled catalog) stands in for Spotify; the season is resolved, one playlist per
    episode plus one for the season is created, and a second sync shows that nothing is
    written when nothing changed. Your tracklists folder is not touched.

    \b
    Example:
        soundtrack-playlists demo
    """
    from soundtrack_playlists.demo import run_demo

    run = run_demo(click.echo, progress=_progress_bars(True))
    unchanged = sum(1 for outcome in run.second.outcomes if outcome.action == "unchanged")
    click.echo(
        f"{unchanged} of {len(run.second.outcomes)} playlists unchanged on the second sync. "
        "Next: set up your Spotify app (see the README) and run `soundtrack-playlists sync`."
    )


def main() -> None:
    cli(prog_name="soundtrack-playlists")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
