"""The only door to Spotify: login, the endpoints we use, one retry policy, our exceptions."""

from __future__ import annotations

import email.utils
import hashlib
import html
import json
import logging
import math
import random
import secrets
import threading
import time
import webbrowser
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import requests
import spotipy
import tenacity
from spotipy.cache_handler import CacheHandler
from spotipy.oauth2 import SpotifyOAuth, SpotifyOauthError, SpotifyPKCE, start_local_http_server

from soundtrack_playlists.errors import (
    ConfigError,
    Forbidden,
    LoginRequired,
    MissingScope,
    NotAllowListed,
    NotFound,
    RateLimited,
    SpotifyError,
    SpotifyUnavailable,
)
from soundtrack_playlists.fileio import write_json_atomic
from soundtrack_playlists.models import PlaylistInfo, Track, User
from soundtrack_playlists.settings import (
    Settings,
    client_id_problem,
    is_loopback_http,
    redirect_uri_problem,
)

log = logging.getLogger(__name__)

MAX_ITEMS_PER_WRITE = 100  # Spotify's cap for POST/PUT /playlists/{id}/items
ITEMS_PAGE = 50  # GET /playlists/{id}/items and GET /me/playlists accept at most 50
SEARCH_LIMIT = 10  # GET /search accepts at most 10 since 2026-02
LOGIN_WAIT = 300.0  # seconds `login` waits for the browser to come back

LOGIN_AGAIN = "run `soundtrack-playlists login`"
EXPIRED_LOGIN = (
    f"Your Spotify login expired or was revoked (refresh tokens last six months): {LOGIN_AGAIN}"
)
ALLOW_LIST_FIX = (
    "Spotify refused this account: the app is in Development Mode and the account is not on "
    "its allow-list. In the Developer Dashboard -> your app -> User Management, add the "
    "account's name and email (at most 5 users; the app owner needs Premium), then try again"
)


@dataclass(frozen=True)
class RetryPolicy:
    """Our one retry policy (spotipy's own retries are off): what to retry, how long to wait."""

    max_attempts: int = 5  # per request, the first try included
    max_wait: float = 60.0  # the longest 429 retry-after we wait through; longer: stop at once
    backoff_base: float = 1.0  # seconds before the second attempt, doubled per attempt
    backoff_max: float = 30.0

    def backoff(self, attempt: int, jitter: float) -> float:
        """Exponential backoff with equal jitter: half fixed, half random (jitter in [0, 1))."""
        ceiling = min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))
        return ceiling / 2 + ceiling / 2 * jitter


class _Retryable(Exception):
    """A failure worth another attempt. `ambiguous`: the request may have been applied."""

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        ambiguous: bool = False,
    ):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        self.ambiguous = ambiguous


class _TokenEndpointError(Exception):
    """The accounts service answered an error; spotipy would drop its HTTP status."""

    def __init__(self, response: requests.Response):
        super().__init__(f"token endpoint answered {response.status_code}")
        self.status = response.status_code
        self.headers = response.headers
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


class _QuietSpotipy(logging.Filter):
    """Drop spotipy's request dumps and error lines: our exceptions say it better, safely."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING and "HTTP Error" not in str(record.msg)


for _name in ("spotipy.client", "spotipy.oauth2", "spotipy.cache_handler"):
    logging.getLogger(_name).addFilter(_QuietSpotipy())


# --- tokens ----------------------------------------------------------------------------


class TokenCache(CacheHandler):
    """The token cache file: atomic, mode 0600, valid only for the same app and accounts URL.

    Recording the app keeps a login made against the emulator away from Spotify and back.
    """

    def __init__(self, path: Path, client_id: str, accounts_url: str):
        self.path = Path(path)
        self._owner = {"client_id": client_id, "accounts_url": accounts_url}

    def get_cached_token(self) -> dict | None:
        data = self._read()
        token = data.get("token") if data is not None else None
        return token if isinstance(token, dict) else None

    def save_token_to_cache(self, token_info: dict) -> None:
        self._write({"app": self._owner, "token": token_info})

    def _read(self) -> dict | None:
        """The file's content when it belongs to this app and accounts service."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("app") != self._owner:
            return None
        return data

    def _write(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_json_atomic(self.path, data, mode=0o600)


def fingerprint(refresh_token: str) -> str:
    """A one-way mark of a refresh token: recognises it without keeping it."""
    return hashlib.sha256(refresh_token.encode("utf-8")).hexdigest()


class HeadlessTokenCache(TokenCache):
    """Headless use: the tokens descending from SPOTIFY_REFRESH_TOKEN, kept in the cache file.

    Spotify rotates refresh tokens of PKCE logins: each works once, and the answer carries the
    next. The environment's token is only the seed, so the current one must outlive the run.
    The file records the seed's fingerprint; a different seed (a new login) starts afresh.
    """

    def __init__(self, path: Path, client_id: str, accounts_url: str, seed: str):
        super().__init__(path, client_id, accounts_url)
        self.seed = fingerprint(seed)
        self._current: dict | None = None  # this run's newest token, even if the file failed

    def get_cached_token(self) -> dict | None:
        if self._current is not None:
            return self._current
        data = self._read()
        if data is None or data.get("seed") != self.seed:
            return None
        token = data.get("token")
        return token if isinstance(token, dict) else None

    def save_token_to_cache(self, token_info: dict) -> None:
        self._current = token_info
        try:
            self._write({"app": self._owner, "seed": self.seed, "token": token_info})
        except OSError as error:
            log.warning(
                "Could not keep the Spotify token in %s (%s): this run goes on, but the next "
                "one may need a new `soundtrack-playlists login`; set SPOTIFY_TOKEN_CACHE to a "
                "writable file",
                self.path,
                error.strerror or error,
            )


class _AccountsErrors:
    """Mixed into spotipy's auth managers: token errors keep their status for classifying."""

    def _handle_oauth_error(self, http_error):
        raise _TokenEndpointError(http_error.response) from None


class _PKCE(_AccountsErrors, SpotifyPKCE):
    """Authorization Code with PKCE: no client secret on this machine."""


class _CodeWithSecret(_AccountsErrors, SpotifyOAuth):
    """Authorization Code with the client secret (basic auth on the token endpoint)."""

    def _add_custom_values_to_token_info(self, token_info):
        granted = token_info.get("scope")
        token_info = super()._add_custom_values_to_token_info(token_info)
        if granted is not None:  # spotipy writes the requested scopes; keep the granted ones
            token_info["scope"] = granted
        return token_info


class Auth:
    """Access tokens for API calls (never interactive) and the two login flows."""

    def __init__(self, settings: Settings, session: requests.Session, *, for_login: bool = False):
        problem = client_id_problem(settings.client_id)
        if not settings.client_id:
            raise ConfigError(problem)
        self.settings = settings
        # Headless (SPOTIFY_REFRESH_TOKEN): that token seeds the cache; refreshes may rotate it.
        self.headless = settings.headless and not for_login
        cache: CacheHandler
        if self.headless:
            cache = HeadlessTokenCache(
                settings.token_cache,
                settings.client_id,
                settings.accounts_url,
                settings.refresh_token or "",
            )
        else:
            cache = TokenCache(settings.token_cache, settings.client_id, settings.accounts_url)
        options = dict(
            client_id=settings.client_id,
            redirect_uri=settings.redirect_uri,
            scope=list(settings.scopes),
            cache_handler=cache,
            requests_session=session,
            requests_timeout=settings.timeout,
            open_browser=False,
        )
        if settings.client_secret:
            manager = _CodeWithSecret(client_secret=settings.client_secret, **options)
        else:
            manager = _PKCE(**options)
        # Instance attributes: the classes stay pointed at Spotify for everyone else.
        manager.OAUTH_TOKEN_URL = settings.token_url
        manager.OAUTH_AUTHORIZE_URL = settings.authorize_url
        self.manager = manager
        self.cache = cache
        self._state: str | None = None
        self._lock = threading.RLock()

    @property
    def cache_description(self) -> str:
        if self.headless:
            return (
                f"{self.settings.token_cache} (started from SPOTIFY_REFRESH_TOKEN; "
                "the newest refresh token is kept here)"
            )
        return str(self.settings.token_cache)

    def token(self) -> dict | None:
        return self.cache.get_cached_token()

    def has_login(self) -> bool:
        return bool(self.headless or (self.token() or {}).get("refresh_token"))

    def get_access_token(self, as_dict: bool = False) -> str:
        """What spotipy.Spotify asks before each call: a fresh token, refreshed if needed."""
        with self._lock:  # concurrent searches share one refresh, not one each
            token = self.token()
            if token and token.get("access_token") and not self.manager.is_token_expired(token):
                return token["access_token"]
            return self.refresh()["access_token"]

    def refresh(self, stale: str | None = None) -> dict:
        """A new access token; none when another thread already replaced `stale`."""
        with self._lock:
            token = self.token() or {}
            if stale is not None and token.get("access_token") not in (None, stale):
                return token
            refresh_token = token.get("refresh_token") or (
                self.settings.refresh_token if self.headless else None
            )
            if not refresh_token:
                raise LoginRequired(
                    f"Not logged in to Spotify: {LOGIN_AGAIN} (or set SPOTIFY_REFRESH_TOKEN for "
                    "use without a browser)"
                )
            return self.manager.refresh_access_token(refresh_token)

    def secrets(self) -> tuple[str, ...]:
        token = self.token() or {}
        values = (token.get("access_token"), token.get("refresh_token"), *self.settings.secrets())
        return tuple(value for value in values if value)

    # --- login ---

    def authorize_url(self) -> str:
        """The URL to open; a fresh state guards against pasting another attempt's answer."""
        self._state = secrets.token_urlsafe(16)
        return self.manager.get_authorize_url(state=self._state)

    def finish_login(self, redirected_url: str) -> dict:
        """Exchange the code in the URL Spotify redirected to; write the cache (0600)."""
        try:
            state, code = SpotifyOAuth.parse_auth_response_url(redirected_url.strip())
        except SpotifyOauthError as error:
            raise LoginRequired(
                f"Spotify did not authorise the app ({error.error}): {LOGIN_AGAIN} again and "
                "press Agree"
            ) from None
        return self._exchange(state, code)

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
            if isinstance(self.manager, SpotifyOAuth):
                self.manager.get_access_token(code=code, as_dict=False, check_cache=False)
            else:
                self.manager.get_access_token(code=code, check_cache=False)
        except _TokenEndpointError as error:
            failure = _token_failure(error, self.settings, _now())
            raise (unavailable if isinstance(failure, _Retryable) else failure) from None
        except requests.exceptions.RequestException:
            raise unavailable from None
        token = self.token()
        if not token:
            raise LoginRequired(f"Spotify answered without a token: {LOGIN_AGAIN} again")
        return token

    def login_with_browser(
        self, open_url: Callable[[str], object] = webbrowser.open, wait: float = LOGIN_WAIT
    ) -> dict:
        """Open the authorize page and catch the redirect on the loopback redirect URI."""
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
            server = start_local_http_server(parts.port)
        except OSError as error:
            raise ConfigError(
                f"Port {parts.port} of {self.settings.redirect_uri} is busy ({error.strerror}): "
                "close what uses it, or use `soundtrack-playlists login --no-browser`"
            ) from None
        try:
            server.timeout = wait
            open_url(url)
            server.handle_request()
        finally:
            server.server_close()
        if getattr(server, "error", None) is not None:
            raise LoginRequired(f"Spotify did not authorise the app: {LOGIN_AGAIN} again")
        if getattr(server, "auth_code", None) is None:
            raise LoginRequired(
                f"No answer from the browser within {int(wait)} s: {LOGIN_AGAIN} again, or "
                "`soundtrack-playlists login --no-browser`"
            )
        return self._exchange(getattr(server, "state", None), server.auth_code)


def _token_failure(error: _TokenEndpointError, settings: Settings, now: datetime) -> Exception:
    """The accounts service's answer as one of our exceptions (or a retryable failure)."""
    if error.status == 429 or error.status >= 500:
        return _Retryable(
            f"{error.status} from Spotify's accounts service",
            status=error.status,
            retry_after=_retry_after(error.headers, now),
        )
    if error.error == "invalid_grant":
        if settings.headless:
            return LoginRequired(
                f"{EXPIRED_LOGIN}, then put the new refresh token in SPOTIFY_REFRESH_TOKEN "
                "(`soundtrack-playlists login --print-refresh-token`). A refresh token from a "
                "PKCE login works only once: the next one is kept in the token cache "
                f"({settings.token_cache}), so keep that file between runs"
            )
        return LoginRequired(EXPIRED_LOGIN)
    if error.error in ("invalid_client", "unauthorized_client"):
        secret = " and SPOTIPY_CLIENT_SECRET" if settings.client_secret else ""
        return ConfigError(
            f"Spotify does not accept the app's credentials ({error.error}): copy SPOTIPY_CLIENT_ID"
            f"{secret} again from the dashboard -> your app -> Settings"
        )
    detail = f"{error.error}: {error.description}" if error.description else error.error
    return LoginRequired(
        f"Spotify's accounts service refused the login ({error.status} {detail}): {LOGIN_AGAIN}"
    )


# --- the client ------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now().astimezone()


class SpotifyClient:
    """Every Spotify request goes through here, each under the one retry policy."""

    def __init__(
        self,
        settings: Settings,
        *,
        policy: RetryPolicy | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        clock: Callable[[], datetime] = _now,
    ):
        self.settings = settings
        self.api_url = settings.api_url
        self.policy = policy or RetryPolicy(max_wait=settings.max_wait)
        self.sleep = sleep  # tests replace it to record the waits asked for
        self.jitter = jitter
        self.clock = clock
        # A plain session: no urllib3 Retry adapter, so nothing retries behind our back.
        self.session = session or requests.Session()
        self.auth = Auth(settings, self.session)
        self._sp = spotipy.Spotify(
            auth_manager=self.auth,
            requests_session=self.session,
            requests_timeout=settings.timeout,
            retries=0,
            status_retries=0,
            backoff_factor=0,
        )
        self._sp.prefix = self.api_url
        self._me: User | None = None

    # --- the one retry policy ---

    def _retrying(self, attempt: Callable[[], object]):
        """Run `attempt` under the policy; a 429 above the cap stops at once."""
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.policy.max_attempts),
            wait=self._wait,
            retry=tenacity.retry_if_exception(self._worth_retrying),
            sleep=lambda seconds: self.sleep(seconds),
            before_sleep=self._log_wait,
            reraise=True,
        )
        try:
            return retrying(attempt)
        except _Retryable as last:
            raise self._gave_up(last) from None

    def _worth_retrying(self, error: BaseException) -> bool:
        if not isinstance(error, _Retryable):
            return False
        return error.retry_after is None or error.retry_after <= self.policy.max_wait

    def _wait(self, state: tenacity.RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, _Retryable) and error.retry_after is not None:
            return max(0.0, error.retry_after)
        return self.policy.backoff(state.attempt_number, self.jitter())

    def _log_wait(self, state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        seconds = state.next_action.sleep if state.next_action else 0
        level = logging.WARNING if seconds >= 10 else logging.INFO
        log.log(
            level,
            "Spotify: %s; waiting %.1f s before attempt %d",
            error,
            seconds,
            state.attempt_number + 1,
        )

    def _gave_up(self, last: _Retryable) -> Exception:
        if last.status == 429 and not self._worth_retrying(last):
            return self.rate_limited(last.retry_after)
        if last.status == 429:  # short waits, but Spotify kept refusing
            return RateLimited(
                f"Spotify kept answering 429 (too many requests) after "
                f"{self.policy.max_attempts} attempts; everything done so far is saved: rerun "
                "in a few minutes",
                last.retry_after,
            )
        return SpotifyUnavailable(
            f"Spotify did not answer properly ({last.reason}) after "
            f"{self.policy.max_attempts} attempts: check the connection to {self.api_url} "
            "and run the command again later; everything done so far is saved"
        )

    def rate_limited(self, retry_after: float) -> RateLimited:
        """The 429 we will not wait through: how long, and when to run again."""
        now = self.clock()
        resume = now + timedelta(seconds=retry_after)
        if resume.second or resume.microsecond:  # round up: "after 14:02" must be late enough
            resume = resume.replace(second=0, microsecond=0) + timedelta(minutes=1)
        when = resume.strftime("%H:%M" if resume.date() == now.date() else "%Y-%m-%d %H:%M")
        return RateLimited(
            f"Spotify asked to wait {math.ceil(retry_after)} s ({_duration(retry_after)}) before "
            f"the next request; everything done so far is saved: rerun after {when}",
            retry_after,
        )

    # --- one HTTP exchange ---

    def _send(self, method: str, path: str, params: dict | None = None, payload=None):
        """One request (plus one token refresh on a 401), failures classified, no retry."""
        url = path if path.startswith(("http://", "https://")) else self.api_url + path
        for refreshed in (False, True):
            stale = (self.auth.token() or {}).get("access_token")  # the token this call uses
            try:
                return self._sp._internal_call(method, url, payload, dict(params or {}))
            except spotipy.SpotifyException as error:
                if error.http_status == 401 and not refreshed:
                    self._refresh_token(stale)
                    continue
                raise self._classify(error, method, path) from None
            except _TokenEndpointError as error:
                raise _token_failure(error, self.settings, self.clock()) from None
            except requests.exceptions.Timeout:
                raise _Retryable(
                    f"no answer to {method} /{path} within {self.settings.timeout:g} s",
                    ambiguous=True,
                ) from None
            except requests.exceptions.ConnectionError as error:
                raise _Retryable(
                    f"connection to {_origin(url)} failed", ambiguous=not _never_sent(error)
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _refresh_token(self, stale: str | None) -> None:
        try:
            self.auth.refresh(stale)
        except _TokenEndpointError as error:
            raise _token_failure(error, self.settings, self.clock()) from None

    def _request(self, method: str, path: str, params: dict | None = None, payload=None):
        """A request that is safe to repeat (reads, PUTs) under the retry policy."""
        return self._retrying(lambda: self._send(method, path, params, payload))

    def _classify(self, error: spotipy.SpotifyException, method: str, path: str) -> Exception:
        status = error.http_status
        message = self._scrub(_spotify_message(error))
        where = f"{method} /{path.split('?')[0]}"
        if status == 429:
            return _Retryable(
                "429 Too Many Requests",
                status=429,
                retry_after=_retry_after(error.headers, self.clock()),
            )
        if status >= 500:
            return _Retryable(f"{status} from {where}", status=status, ambiguous=True)
        if status == 401:
            return LoginRequired(
                f"Spotify refused the login even after a refresh ({message}): {LOGIN_AGAIN}",
                status=401,
            )
        if status == 403:
            lowered = message.lower()
            if "scope" in lowered:
                return MissingScope(
                    f"The Spotify login lacks a permission this needs (Spotify said: {message}): "
                    f"{LOGIN_AGAIN} again to grant {' '.join(self.settings.scopes)}",
                    status=403,
                )
            if "registered" in lowered or "not approved" in lowered:
                return NotAllowListed(ALLOW_LIST_FIX, status=403)
            return Forbidden(
                f"Spotify refused {where} ({message}): you can only change playlists you own",
                status=403,
            )
        if status == 404:
            return NotFound(f"Spotify has no {where.split(' ', 1)[1]} (404 {message})", status=404)
        return SpotifyError(f"Spotify refused {where}: {status} {message}", status=status)

    def _scrub(self, text: str) -> str:
        for secret in self.auth.secrets():
            text = text.replace(secret, "***")
        return text

    # --- reads ---

    def current_user(self) -> User:
        if self._me is None:
            self._me = _user(self._request("GET", "me"))
        return self._me

    def search_tracks(
        self, query: str, *, limit: int = SEARCH_LIMIT, market: str | None = "from_token"
    ) -> list[Track]:
        if not 1 <= limit <= SEARCH_LIMIT:
            raise ValueError(f"search limit must be 1..{SEARCH_LIMIT}, not {limit}")
        params = {"q": query, "type": "track", "limit": limit}
        if market:
            params["market"] = market
        result = self._request("GET", "search", params) or {}
        items = (result.get("tracks") or {}).get("items") or []
        return [_track(item) for item in items if item]

    def my_playlists(self) -> list[PlaylistInfo]:
        return [_playlist(item) for item in self._pages("me/playlists", self._request) if item]

    def playlist(self, playlist_id: str) -> PlaylistInfo:
        return _playlist(self._request("GET", f"playlists/{playlist_id}"))

    def playlist_item_uris(self, playlist_id: str) -> list[str]:
        """Every item's URI in order; entries Spotify no longer has are left out."""
        return [uri for uri in self._item_uris(playlist_id, self._request) if uri]

    def _item_uris(self, playlist_id: str, send) -> list[str | None]:
        uris = []
        for entry in self._pages(f"playlists/{playlist_id}/items", send):
            item = (entry or {}).get("item") or (entry or {}).get("track")
            uris.append(item.get("uri") if isinstance(item, dict) else None)
        return uris

    def _pages(self, path: str, send) -> Iterator[dict]:
        """Every page by offset (never a `next` URL: it could name a retired route)."""
        offset = 0
        while True:
            page = send("GET", path, {"limit": ITEMS_PAGE, "offset": offset}) or {}
            items = page.get("items") or []
            yield from items
            offset += len(items)
            total = page.get("total")
            if not items or (total is not None and offset >= total):
                return
            if total is None and not page.get("next"):
                return

    # --- writes ---

    def create_playlist(self, name: str, description: str, public: bool) -> PlaylistInfo:
        """POST /me/playlists; after an ambiguous failure, adopt the playlist if it was made."""
        payload = {"name": name, "description": description, "public": public}
        uncertain = False

        def attempt() -> PlaylistInfo:
            nonlocal uncertain
            if uncertain:
                made = self._find_new_playlist(name, description)
                if made is not None:
                    return made
            try:
                return _playlist(self._send("POST", "me/playlists", payload=payload))
            except _Retryable as error:
                uncertain = uncertain or error.ambiguous
                raise

        return self._retrying(attempt)

    def _find_new_playlist(self, name: str, description: str) -> PlaylistInfo | None:
        me = self._me or _user(self._send("GET", "me"))
        for item in self._pages("me/playlists", self._send):
            found = _playlist(item)
            if (
                found.owner_id == me.id
                and found.name == name
                and found.description == (description or "")
                and found.total == 0
            ):
                return found
        return None

    def update_playlist(
        self,
        playlist_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        public: bool | None = None,
    ) -> None:
        changes = {"name": name, "description": description, "public": public}
        payload = {key: value for key, value in changes.items() if value is not None}
        if payload:
            self._request("PUT", f"playlists/{playlist_id}", payload=payload)

    def append_items(
        self, playlist_id: str, uris: Iterable[str], *, start: int | None = None
    ) -> str:
        """Add at the end in chunks of 100; a retried chunk never lands twice.

        `start`: the playlist's current length when the caller knows it (0 right after a
        create), which spares reading the playlist first to learn where its end is.
        """
        uris = list(uris)
        if start is not None and start < 0:
            raise ValueError(f"start must not be negative, not {start}")
        if start is None or not uris:
            current = self.playlist(playlist_id)
            snapshot, position = current.snapshot_id, current.total
        else:
            snapshot, position = "", start
        for chunk in _chunks(uris, MAX_ITEMS_PER_WRITE):
            snapshot = self._add_chunk(playlist_id, chunk, position)
            position += len(chunk)
        return snapshot

    def replace_items(self, playlist_id: str, uris: Iterable[str]) -> str:
        """PUT the first 100 (a replace: safe to repeat), then append the rest."""
        uris = list(uris)
        first = uris[:MAX_ITEMS_PER_WRITE]
        answer = self._request("PUT", f"playlists/{playlist_id}/items", payload={"uris": first})
        snapshot = (answer or {}).get("snapshot_id") or ""
        position = len(first)
        for chunk in _chunks(uris[MAX_ITEMS_PER_WRITE:], MAX_ITEMS_PER_WRITE):
            snapshot = self._add_chunk(playlist_id, chunk, position)
            position += len(chunk)
        return snapshot or self.playlist(playlist_id).snapshot_id

    def _add_chunk(self, playlist_id: str, chunk: list[str], position: int) -> str:
        """POST one chunk at `position`. After an ambiguous failure (the request may have been
        applied), look at the playlist before sending again."""
        path = f"playlists/{playlist_id}/items"
        uncertain = False

        def attempt() -> str:
            nonlocal uncertain
            if uncertain:
                current = self._item_uris(playlist_id, self._send)
                if current[position : position + len(chunk)] == chunk:
                    log.info("items for %s had landed before the failure; not re-sent", path)
                    return _playlist(self._send("GET", f"playlists/{playlist_id}")).snapshot_id
                if len(current) != position:
                    raise SpotifyError(
                        f"Playlist {playlist_id} changed while items were being added (expected "
                        f"{position} items, found {len(current)}): run the command again"
                    )
            try:
                answer = self._send("POST", path, payload={"uris": chunk, "position": position})
            except _Retryable as error:
                uncertain = uncertain or error.ambiguous
                raise
            return (answer or {}).get("snapshot_id") or ""

        return self._retrying(attempt)


def connect(
    settings: Settings | None = None, *, policy: RetryPolicy | None = None
) -> SpotifyClient:
    """A client from explicit settings, or from the environment and .env."""
    return SpotifyClient(settings or Settings.from_env(), policy=policy)


def login_auth(settings: Settings | None = None) -> Auth:
    """The auth object `login` uses: always the token cache file, even when headless."""
    settings = settings or Settings.from_env()
    problem = redirect_uri_problem(settings.redirect_uri)
    if problem:
        raise ConfigError(problem)
    return Auth(settings, requests.Session(), for_login=True)


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
) -> LoginResult:
    """Log in (browser on the loopback redirect, or a pasted URL) and check it with GET /me."""
    settings = settings or Settings.from_env()
    auth = login_auth(settings)
    if no_browser:
        say("Open this address in a browser, log in to Spotify and press Agree:")
        say(auth.authorize_url())
        token = auth.finish_login(
            ask(
                f"Then paste the address the browser was sent to ({settings.redirect_uri}?code=...)"
            )
        )
    else:
        say(
            "Opening Spotify's login page in your browser. If nothing opens, stop this and run "
            "`soundtrack-playlists login --no-browser`."
        )
        token = auth.login_with_browser(open_url=open_url)
    # Check the new login itself, even when SPOTIFY_REFRESH_TOKEN would win elsewhere.
    user = SpotifyClient(dc_replace(settings, refresh_token=None)).current_user()
    return LoginResult(
        user=user, cache=str(settings.token_cache), refresh_token=token.get("refresh_token") or ""
    )


# --- parsing and small helpers ---------------------------------------------------------


def _spotify_message(error: spotipy.SpotifyException) -> str:
    # spotipy formats msg as "<url>:\n <message>"; the URL part repeats what we know.
    text = str(error.msg or "")
    return text.split(":\n ", 1)[-1].strip() or "no message"


def _retry_after(headers, now: datetime) -> float | None:
    """Seconds from a `retry-after` header (any case; seconds or an HTTP date); None if absent."""
    value = None
    for key, header in dict(headers or {}).items():
        if key.lower() == "retry-after":
            value = str(header).strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - now).total_seconds())


def _duration(seconds: float) -> str:
    if seconds < 60:
        return "under a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"about {hours} h {minutes} min"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _never_sent(error: requests.exceptions.ConnectionError) -> bool:
    """A refused connection or a connect timeout: the request never reached Spotify."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    text = repr(error)
    return "NewConnectionError" in text or "NameResolutionError" in text


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _user(data: dict) -> User:
    return User(id=data["id"], display_name=data.get("display_name"))


def _track(data: dict) -> Track:
    album = data.get("album") or {}
    return Track(
        uri=data["uri"],
        name=data.get("name") or "",
        artists=tuple(artist.get("name", "") for artist in data.get("artists") or ()),
        album=album.get("name") or "",
        album_type=album.get("album_type") or "",
        release_date=album.get("release_date") or "",
        duration_ms=data.get("duration_ms") or 0,
        popularity=data.get("popularity"),
        is_playable=data.get("is_playable"),
    )


def _playlist(data: dict) -> PlaylistInfo:
    items = data.get("items") if isinstance(data.get("items"), dict) else data.get("tracks")
    return PlaylistInfo(
        id=data["id"],
        name=data.get("name") or "",
        owner_id=(data.get("owner") or {}).get("id") or "",
        # Spotify answers descriptions HTML-escaped; compare and show the real text.
        description=html.unescape(data.get("description") or ""),
        public=data.get("public"),
        snapshot_id=data.get("snapshot_id") or "",
        total=(items or {}).get("total") or 0,
    )
