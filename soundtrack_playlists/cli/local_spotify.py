"""The commands that run a local Spotify: the emulator to point the others at, and the demo."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from soundtrack_playlists.cli.common import translate_errors
from soundtrack_playlists.cli.progress import ProgressBars
from soundtrack_playlists.files.atomic import write_text_atomic
from soundtrack_playlists.models import Action
from soundtrack_playlists.text import plural


def _retry_after(value: str) -> int | None:
    if value.strip().lower() in ("none", "absent", ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise click.BadParameter("a number of seconds, or 'none' for no header") from None


@click.command("emulator", short_help="Serve a local Spotify Web API emulator.")
@click.option(
    "--catalog",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A catalog CSV file with the columns track_id, name, artists, album, release_date, "
    "duration_ms and popularity. Default: the bundled demo catalog.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.option(
    "--latency-ms",
    type=click.FloatRange(min=0),
    default=0.0,
    help="Milliseconds added to every answer.",
)
@click.option(
    "--rate-429",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Fraction of requests answered 429.",
)
@click.option(
    "--limit-per-30s",
    type=click.IntRange(min=0),
    help="Answer 429 beyond this many requests in a rolling 30-second window.",
)
@click.option(
    "--retry-after",
    default="1",
    show_default=True,
    help="Seconds in the retry-after header of 429s ('none': no header).",
)
@click.option(
    "--rate-5xx",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Fraction of requests answered 500/502/503.",
)
@click.option(
    "--rate-drop",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Fraction of connections closed without an answer.",
)
@click.option(
    "--drop-after-apply",
    is_flag=True,
    help="Apply a dropped request's write before closing the connection.",
)
@click.option("--seed", type=int, help="Seed for reproducible random faults.")
@click.option(
    "--token-lifetime",
    type=click.FloatRange(min=0),
    default=3600.0,
    show_default=True,
    help="Access token lifetime in seconds.",
)
@click.option(
    "--state-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Keep playlists and tokens in this JSON file across restarts.",
)
@click.option(
    "--not-allow-listed",
    is_flag=True,
    help="Answer 403 as for a user missing from the app's allow-list.",
)
@click.option(
    "--strict-search",
    is_flag=True,
    help="Search requires every word of a query (default: forgiving, like Spotify's).",
)
@click.option(
    "--unplayable-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Fraction of the catalog not playable in the user's market (seeded by --seed).",
)
@click.option(
    "--env-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the settings to this .env file (mode 600), for other shells.",
)
@translate_errors
def emulator_command(
    catalog: Path | None,
    port: int,
    latency_ms: float,
    rate_429: float,
    limit_per_30s: int | None,
    retry_after: str,
    rate_5xx: float,
    rate_drop: float,
    drop_after_apply: bool,
    seed: int | None,
    token_lifetime: float,
    state_file: Path | None,
    not_allow_listed: bool,
    strict_search: bool,
    unplayable_rate: float,
    env_file: Path | None,
) -> None:
    """Serve a local Spotify Web API emulator on 127.0.0.1 until Ctrl-C.

    It prints `export` lines (its API and accounts URLs, a client id and an emulator
    refresh token) to paste into another shell, so the other commands run against it
    instead of Spotify. Nothing leaves this machine.

    \b
    Examples:
      soundtrack-playlists emulator --port 8765 --rate-429 0.1 --seed 7
      soundtrack-playlists emulator --env-file emulator.env
    """
    from soundtrack_playlists.emulator.app import Emulator, demo_catalog_path
    from soundtrack_playlists.emulator.faults import Faults

    faults = Faults(
        latency_ms=latency_ms,
        rate_429=rate_429,
        limit_per_30s=limit_per_30s,
        retry_after=_retry_after(retry_after),
        rate_5xx=rate_5xx,
        rate_drop=rate_drop,
        drop_after_apply=drop_after_apply,
        seed=seed,
        not_allow_listed=not_allow_listed,
        strict_search=strict_search,
        unplayable_rate=unplayable_rate,
    )
    emulator = Emulator(
        catalog=catalog or demo_catalog_path(),
        faults=faults,
        token_lifetime=token_lifetime,
        state_file=state_file,
    )
    if env_file is not None:
        refuse_foreign_env_file(env_file)
    try:
        emulator.start(port)
    except OSError as error:
        raise click.BadParameter(
            f"port {port} on 127.0.0.1 is busy ({error.strerror or error}): choose another "
            "--port, or --port 0 for any free one",
            param_hint="--port",
        ) from None
    settings = emulator_settings(
        emulator.api_url, emulator.accounts_url, emulator.issue_refresh_token()
    )
    if env_file is not None:  # before the lines: whoever reads them may look for the file
        write_text_atomic(env_file, env_file_text(settings), mode=0o600)
        click.echo(
            f"# Written to {env_file} too; `set -a; . {shlex.quote(str(env_file))}` loads it."
        )
    click.echo(f"# Spotify emulator ({plural(len(emulator.catalog), 'track')}), Ctrl-C to stop.")
    click.echo(f"# Requests: {emulator.base_url}_emulator/log  {emulator.base_url}_emulator/state")
    click.echo("# Paste these lines into another shell (an emulator token, no real account):")
    for name, value in settings.items():
        click.echo(f"export {name}={shlex.quote(value)}")
    try:
        emulator.serve_forever()
    except KeyboardInterrupt:
        click.echo("Emulator stopped.")


ENV_FILE_MARK = "# Written by `soundtrack-playlists emulator`: settings for its local emulator."


def emulator_settings(api_url: str, accounts_url: str, refresh_token: str) -> dict[str, str]:
    """The environment that points the other commands at this emulator, in paste order."""
    return {
        "SPOTIFY_API_URL": api_url,
        "SPOTIFY_ACCOUNTS_URL": accounts_url,
        "SPOTIPY_CLIENT_ID": "emulator",
        "SPOTIFY_REFRESH_TOKEN": refresh_token,
    }


def env_file_text(settings: dict[str, str]) -> str:
    return ENV_FILE_MARK + "\n" + "".join(f"{k}={shlex.quote(v)}\n" for k, v in settings.items())


def refuse_foreign_env_file(path: Path) -> None:
    """Overwrite only a file this command wrote: a user's own .env holds their real settings."""
    try:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    except FileNotFoundError:
        return
    except (OSError, UnicodeDecodeError):
        first = ""
    if first != ENV_FILE_MARK:
        raise click.BadParameter(
            f"{path} exists and was not written by this command: choose another file",
            param_hint="--env-file",
        )


@click.command("demo", short_help="Run the whole job offline against an emulator.")
@translate_errors
def demo_command() -> None:
    """Run the whole job offline: sync the shipped season into a local Spotify emulator.

    No Spotify account is needed. A local emulator of the Spotify Web API (on 127.0.0.1,
    with a bundled catalog) stands in for Spotify; the season is resolved, one playlist per
    episode plus one for the season is created, and a second sync shows that nothing is
    written when nothing changed. The generated playlist covers are saved as JPEG files
    (the command says where). Your tracklists folder is not touched.

    \b
    Example:
        soundtrack-playlists demo
    """
    from soundtrack_playlists.demo import run_demo

    with ProgressBars() as bars:
        run = run_demo(click.echo, progress=bars)
    outcomes = run.second.outcomes
    unchanged = sum(1 for outcome in outcomes if outcome.action == Action.UNCHANGED)
    click.echo(
        f"\n{unchanged} of {plural(len(outcomes), 'playlist')} unchanged on the second sync."
    )
    if run.report_path is not None:
        click.echo(f"The full report (every song and the track chosen): {run.report_path}")
    click.echo(
        "Next: set up your Spotify app (see the README) and run `soundtrack-playlists sync`."
    )
