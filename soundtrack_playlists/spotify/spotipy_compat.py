"""Every use of spotipy's private attributes and hooks, gathered where a spotipy upgrade shows.

spotipy does one job for us (the OAuth flows; spotify/http sends the Web API requests) but keeps
the parts we need private: the hook that turns an accounts-service error into an exception
(dropping its HTTP status, which we need to classify it), the hook that sees every token answer
first (where we check it), and the hook that writes the token's scopes (it
writes the requested ones, not the granted ones). These may change in any spotipy release, so
they live here alone, and the tests pin the spotipy versions they were checked against.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias

import requests
import spotipy
from spotipy.cache_handler import CacheHandler
from spotipy.oauth2 import SpotifyOAuth, SpotifyOauthError, SpotifyPKCE, start_local_http_server

from soundtrack_playlists.spotify.wire import error_message, token

# The spotipy releases this module was checked against: [first, below). pyproject.toml says the
# same, and a test checks that the installed version lies inside.
TESTED_SPOTIPY = ((2, 24), (2, 27))
SpotifyException = spotipy.SpotifyException


class TokenEndpointError(Exception):
    """The accounts service answered an error; spotipy would drop its HTTP status."""

    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"token endpoint answered {response.status_code}")
        self.status = response.status_code
        self.headers = response.headers
        self.text, _ = error_message(response.content)  # what it said, whatever its shape
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        error = body.get("error")
        if isinstance(error, dict):  # the Web API's shape, should a proxy answer instead
            self.error, self.description = str(error.get("message") or ""), ""
        else:
            self.error = str(error or "")
            self.description = str(body.get("error_description") or "")


# --- logging: spotipy logs request headers and bodies (tokens, secrets) at DEBUG ---------


class QuietSpotipy(logging.Filter):
    """Drop spotipy's request dumps and error lines: our exceptions say it better, safely."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING and "HTTP Error" not in str(record.msg)


SPOTIPY_LOGGERS = ("spotipy.client", "spotipy.oauth2", "spotipy.cache_handler")


def quiet_spotipy_logs() -> None:
    """Install the filter on spotipy's loggers, once; called before any spotipy object exists."""
    for name in SPOTIPY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, QuietSpotipy) for existing in logger.filters):
            logger.addFilter(QuietSpotipy())


# --- auth managers -----------------------------------------------------------------------


class _AccountsErrors:
    """Mixed into spotipy's auth managers: token errors keep their status for classifying."""

    def _handle_oauth_error(self, http_error: requests.HTTPError) -> None:
        raise TokenEndpointError(http_error.response) from None

    def _add_custom_values_to_token_info(self, token_info: Any) -> dict:
        # Every token answer passes here before spotipy reads or caches it: check it first.
        return super()._add_custom_values_to_token_info(token(token_info))  # type: ignore[misc]


class _PKCE(_AccountsErrors, SpotifyPKCE):
    """Authorization Code with PKCE: no client secret on this machine."""


class _CodeWithSecret(_AccountsErrors, SpotifyOAuth):
    """Authorization Code with the client secret (basic auth on the token endpoint)."""

    def _add_custom_values_to_token_info(self, token_info: dict) -> dict:
        granted = token_info.get("scope")
        token_info = super()._add_custom_values_to_token_info(token_info)
        if granted is not None:  # spotipy writes the requested scopes; keep the granted ones
            token_info["scope"] = granted
        return token_info


AuthManager: TypeAlias = "SpotifyOAuth | SpotifyPKCE"


def auth_manager(
    *,
    client_id: str,
    client_secret: str | None,
    redirect_uri: str,
    scopes: tuple[str, ...],
    cache: CacheHandler,
    session: requests.Session,
    timeout: float,
    token_url: str,
    authorize_url: str,
) -> AuthManager:
    """The PKCE manager, or the client-secret one when a secret is set; never opens a browser."""
    options: dict[str, Any] = dict(
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope=list(scopes),
        cache_handler=cache,
        requests_session=session,
        requests_timeout=timeout,
        open_browser=False,
    )
    manager: AuthManager
    if client_secret:
        manager = _CodeWithSecret(client_secret=client_secret, **options)
    else:
        manager = _PKCE(**options)
    # Instance attributes: the classes stay pointed at Spotify for everyone else.
    manager.OAUTH_TOKEN_URL = token_url
    manager.OAUTH_AUTHORIZE_URL = authorize_url
    return manager


def exchange_code(manager: AuthManager, code: str) -> None:
    """Trade an authorization code for tokens; the manager writes them to its cache."""
    if isinstance(manager, SpotifyOAuth):
        manager.get_access_token(code=code, as_dict=False, check_cache=False)
    else:
        manager.get_access_token(code=code, check_cache=False)


@dataclass(frozen=True)
class Redirect:
    """What the browser brought back to the loopback redirect URI (all None: nothing came)."""

    code: str | None
    state: str | None
    error: str | None


def parse_redirect(url: str) -> Redirect:
    """The code and state in the address Spotify redirected to, or the error it names."""
    try:
        state, code = SpotifyOAuth.parse_auth_response_url(url)
    except SpotifyOauthError as error:
        return Redirect(code=None, state=None, error=str(error.error))
    return Redirect(code=code, state=state, error=None)


class RedirectServer:
    """spotipy's one-request server on 127.0.0.1; it keeps the answer in undocumented
    attributes, read here only."""

    def __init__(self, port: int | None) -> None:
        self._server = start_local_http_server(port)  # OSError: the port is busy

    def catch(self, url: str, open_url: Callable[[str], object], wait: float) -> Redirect:
        """Open `url` and serve one request, waiting at most `wait` seconds; then close."""
        try:
            self._server.timeout = wait
            open_url(url)
            self._server.handle_request()
        finally:
            self._server.server_close()
        return self.answer()

    def close(self) -> None:
        """Stop listening without waiting for an answer."""
        self._server.server_close()

    def answer(self) -> Redirect:
        return Redirect(
            code=getattr(self._server, "auth_code", None),
            state=getattr(self._server, "state", None),
            error=getattr(self._server, "error", None),
        )
