"""The interactive login: the browser or pasted-address flow, checked with GET /me."""

from __future__ import annotations

import secrets
import tempfile
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from pathlib import Path
from urllib.parse import urlsplit

import requests

from soundtrack_playlists.errors import (
    ConfigError,
    LocalFileError,
    LoginRequired,
    MalformedAnswer,
    SpotifyUnavailable,
)
from soundtrack_playlists.files.atomic import folder_problem
from soundtrack_playlists.models import User
from soundtrack_playlists.settings import Settings, is_loopback_http, redirect_uri_problem
from soundtrack_playlists.spotify.answers import LOGIN_AGAIN, Retryable, scrub, token_failure
from soundtrack_playlists.spotify.auth import Auth, token_cache_unwritable
from soundtrack_playlists.spotify.client import SpotifyClient
from soundtrack_playlists.spotify.http import now
from soundtrack_playlists.spotify.spotipy_compat import (
    RedirectServer,
    TokenEndpointError,
    exchange_code,
    parse_redirect,
)
from soundtrack_playlists.spotify.wire import TOKEN_WHERE

LOGIN_WAIT = 120.0  # seconds `login` waits for the browser to come back (it says so)


class LoginFlow:
    """One login attempt: the authorize URL, then the code exchanged for tokens in the cache."""

    def __init__(self, auth: Auth) -> None:
        self.auth = auth
        self.settings = auth.settings
        self._state: str | None = None

    def authorize_url(self) -> str:
        """The URL to open; a fresh state guards against pasting another attempt's answer."""
        self._state = secrets.token_urlsafe(16)
        return self.auth.manager.get_authorize_url(state=self._state)

    def finish_login(self, redirected_url: str) -> dict:
        """Exchange the code in the URL Spotify redirected to; write the cache (0600)."""
        answer = parse_redirect(redirected_url.strip())
        if answer.error is not None:
            raise LoginRequired(
                f"Spotify did not authorise the app ({answer.error}): {LOGIN_AGAIN} again and "
                "press Agree"
            )
        return self._exchange(answer.state, answer.code)

    def _exchange(self, state: str | None, code: str | None) -> dict:
        if not code:
            raise ConfigError(
                "That is not the address Spotify redirected to (it has no ?code=...): paste the "
                "whole address from the browser's address bar"
            )
        if self._state is None or state != self._state:
            raise LoginRequired(f"The answer belongs to another login attempt: {LOGIN_AGAIN}")
        unavailable = SpotifyUnavailable(
            f"Spotify's accounts service at {self.settings.accounts_url} did not answer "
            f"properly: check the connection and {LOGIN_AGAIN} again"
        )
        try:
            exchange_code(self.auth.manager, code)
        except TokenEndpointError as error:
            failure = token_failure(error, self.settings, now())
            failure = unavailable if isinstance(failure, Retryable) else failure
            raise scrub(failure, (*self.auth.secrets(), code)) from None
        except requests.exceptions.RequestException:
            raise unavailable from None
        except ValueError:  # spotipy could not decode a 2xx answer: not JSON at all
            raise MalformedAnswer(TOKEN_WHERE, "a body that is not JSON") from None
        token = self.auth.token()
        if not token:
            raise LoginRequired(f"Spotify answered without a token: {LOGIN_AGAIN} again")
        return token

    def login_with_browser(
        self,
        open_url: Callable[[str], object] = webbrowser.open,
        wait: float = LOGIN_WAIT,
        *,
        say: Callable[[str], None] = print,
        ask: Callable[[str], str] = input,
    ) -> dict:
        """Open the authorize page and catch the redirect on the loopback redirect URI.

        The address is always printed too; when no browser can be opened, the pasted-address
        flow takes over with the same attempt.
        """
        if not is_loopback_http(self.settings.redirect_uri):
            raise ConfigError(
                f"`login` can only catch the answer on http://127.0.0.1:PORT/...; with "
                f"{self.settings.redirect_uri} use `soundtrack-playlists login --no-browser`"
            )
        parts = urlsplit(self.settings.redirect_uri)
        if parts.hostname != "127.0.0.1":
            raise ConfigError(
                f"`login` listens on 127.0.0.1 only; with {self.settings.redirect_uri} use "
                "`soundtrack-playlists login --no-browser`"
            )
        url = self.authorize_url()
        try:
            server = RedirectServer(parts.port)
        except OSError as error:
            raise ConfigError(
                f"Port {parts.port} of {self.settings.redirect_uri} is busy ({error.strerror}): "
                "close what uses it, or use `soundtrack-playlists login --no-browser`"
            ) from None
        say("Opening Spotify's login page in your browser; if it does not open, open this address:")
        say(url)
        if not _open(open_url, url):
            server.close()
            say("No browser could be opened here: open the address above on any device.")
            return self.finish_login(ask(paste_prompt(self.settings)))
        say(f"Waiting up to {int(wait)} s for you to log in and press Agree…")
        answer = server.catch(url, lambda _: None, wait)
        if answer.error is not None:
            raise LoginRequired(f"Spotify did not authorise the app: {LOGIN_AGAIN} again")
        if answer.code is None:
            raise LoginRequired(
                f"No answer from the browser within {int(wait)} s: {LOGIN_AGAIN} again, or "
                "`soundtrack-playlists login --no-browser`"
            )
        return self._exchange(answer.state, answer.code)


def _open(open_url: Callable[[str], object], url: str) -> bool:
    """Whether a browser was opened: webbrowser.open answers False when there is none."""
    try:
        return open_url(url) is not False
    except webbrowser.Error:
        return False


def paste_prompt(settings: Settings) -> str:
    return (
        "Log in, press Agree, then paste the address the browser was sent to "
        f"({settings.redirect_uri}?code=..., even if the page does not load)"
    )


def login_auth(settings: Settings | None = None) -> LoginFlow:
    """The login attempt `login` uses: always the token cache file, even when headless."""
    settings = settings or Settings.from_env()
    problem = redirect_uri_problem(settings.redirect_uri)
    if problem:
        raise ConfigError(problem)
    return LoginFlow(Auth(settings, requests.Session(), for_login=True))


@dataclass(frozen=True)
class LoginResult:
    user: User
    cache: str  # where the token was stored
    refresh_token: str = field(repr=False)


def login(
    settings: Settings | None = None,
    *,
    no_browser: bool = False,
    ask: Callable[[str], str] = input,
    say: Callable[[str], None] = print,
    open_url: Callable[[str], object] = webbrowser.open,
    keep: bool = True,
) -> LoginResult:
    """Log in (browser on the loopback redirect, or a pasted URL) and check it with GET /me.

    `keep=False` is a separate login for elsewhere (CI): its tokens go to a throw-away cache,
    so this machine's own login stays as it was; two places refreshing one rotating token
    would each make the other's invalid.
    """
    settings = settings or Settings.from_env()
    if keep:
        return _login(settings, no_browser, ask, say, open_url)
    with tempfile.TemporaryDirectory(prefix="soundtrack-login-") as scratch:
        elsewhere = dc_replace(settings, cache_path=Path(scratch) / "token-cache.json")
        return _login(elsewhere, no_browser, ask, say, open_url)


def _login(
    settings: Settings,
    no_browser: bool,
    ask: Callable[[str], str],
    say: Callable[[str], None],
    open_url: Callable[[str], object],
) -> LoginResult:
    flow = login_auth(settings)
    problem = folder_problem(settings.token_cache.parent)  # before the browser, not after
    if problem is not None:
        raise LocalFileError(token_cache_unwritable(settings.token_cache.parent, problem))
    if no_browser:
        say("Open this address in a browser, log in to Spotify and press Agree:")
        say(flow.authorize_url())
        token = flow.finish_login(ask(paste_prompt(settings)))
    else:
        token = flow.login_with_browser(open_url=open_url, say=say, ask=ask)
    # Check the new login itself, even when SPOTIFY_REFRESH_TOKEN would win elsewhere.
    user = SpotifyClient(dc_replace(settings, refresh_token=None)).current_user()
    return LoginResult(
        user=user, cache=str(settings.token_cache), refresh_token=token.get("refresh_token") or ""
    )
