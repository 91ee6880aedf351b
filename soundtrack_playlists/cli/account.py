"""The Spotify account commands: login, whoami and doctor."""

from __future__ import annotations

import click

from soundtrack_playlists.cli.common import translate_errors


@click.command("login", short_help="Log in to Spotify (in the browser, or by pasting).")
@click.option(
    "--no-browser",
    is_flag=True,
    help="Print the login address; then paste the address the browser was sent to.",
)
@click.option(
    "--print-refresh-token",
    is_flag=True,
    help="Print the refresh token for SPOTIFY_REFRESH_TOKEN elsewhere (CI, cron) instead of "
    "keeping it here. Keep it secret.",
)
@translate_errors
def login_command(no_browser: bool, print_refresh_token: bool) -> None:
    """Log in to Spotify; the token is kept in your user state folder (mode 600).

    Opens the browser (the address is printed too) and catches Spotify's answer on
    SPOTIPY_REDIRECT_URI (default http://127.0.0.1:8888/callback) for up to two minutes;
    with no browser, paste the address it was sent to. Logins last six months.

    \b
    Examples:
        soundtrack-playlists login
        soundtrack-playlists login --no-browser      # no browser on this machine
        soundtrack-playlists login --print-refresh-token
    """
    from soundtrack_playlists.settings import Settings
    from soundtrack_playlists.spotify.login import login

    settings = Settings.from_env()
    result = login(
        settings,
        no_browser=no_browser,
        ask=lambda prompt: click.prompt(prompt, err=True),
        say=lambda text: click.echo(text, err=True),
        keep=not print_refresh_token,
    )
    name = result.user.display_name or result.user.id
    if print_refresh_token:
        click.echo(f"Logged in as {name} ({result.user.id}), for use elsewhere.")
    else:
        click.echo(f"Logged in as {name} ({result.user.id}). Token cache: {result.cache}")
    if settings.headless:
        click.echo(
            "Note: SPOTIFY_REFRESH_TOKEN is set, so other commands use it, not this login.",
            err=True,
        )
    if print_refresh_token:
        click.echo(PRINTED_TOKEN_NOTE, err=True)
        click.echo(result.refresh_token)


PRINTED_TOKEN_NOTE = (
    "Refresh token below: put it in SPOTIFY_REFRESH_TOKEN where it will be used (a CI secret, a "
    "cron job) and nowhere else; keep it secret. It is a separate login, not kept on this "
    "machine (whose own login, if any, is unchanged): Spotify replaces a token at each refresh, "
    "so two places using one login would each make the other's invalid, which then looks like "
    "an expired login. For this machine, run `soundtrack-playlists login` without the option."
)


@click.command("whoami", short_help="Show which Spotify account the commands use.")
@translate_errors
def whoami_command() -> None:
    """Show which Spotify account the commands act as, and where its token is kept.

    \b
    Example:
        soundtrack-playlists whoami
    """
    from soundtrack_playlists.doctor import scope_finding
    from soundtrack_playlists.spotify.client import connect

    client = connect()
    user = client.current_user()
    click.echo(f"User:        {user.id}")
    click.echo(f"Name:        {user.display_name or '-'}")
    click.echo(f"Token cache: {client.auth.cache_description}")
    click.echo(f"API:         {client.api_url}")
    scopes = scope_finding(client)
    if not scopes.ok:
        click.echo(f"Note: {scopes.message}", err=True)


@click.command("doctor", short_help="Check the Spotify setup and say what to fix.")
@translate_errors
def doctor_command() -> None:
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
