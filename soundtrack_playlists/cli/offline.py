"""The offline commands: a local Spotify emulator to point the others at, and the demo."""

from __future__ import annotations

from pathlib import Path

import click

from soundtrack_playlists.cli.common import translate_errors
from soundtrack_playlists.cli.progress import ProgressBars
from soundtrack_playlists.models import Action


def _retry_after(value: str) -> int | None:
    if value.strip().lower() in ("none", "absent", ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise click.BadParameter("a number of seconds, or 'none' for no header") from None


@click.command("emulator")
@click.option(
    "--catalog",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Catalog CSV (track_id,name,artists,album,release_date,duration_ms,popularity)."
    " Default: the bundled demo catalog.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.option("--latency-ms", type=click.FloatRange(min=0), default=0.0, help="Added latency.")
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
    help="retry-after seconds sent with 429s ('none': no header).",
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
) -> None:
    """Serve a local Spotify Web API emulator on 127.0.0.1 until Ctrl-C.

    It prints its API and accounts URLs and an emulator refresh token, so the other
    commands can run against it instead of Spotify. Nothing leaves this machine.

    \b
    Example:
      soundtrack-playlists emulator --port 8765 --rate-429 0.1 --seed 7
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


@click.command("demo")
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
        f"{unchanged} of {len(outcomes)} playlists unchanged on the second sync. "
        "Next: set up your Spotify app (see the README) and run `soundtrack-playlists sync`."
    )
