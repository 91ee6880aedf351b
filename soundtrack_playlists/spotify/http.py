"""The one exit to the network: one request function, one retry policy, answers classified."""

from __future__ import annotations

import email.utils
import json
import logging
import math
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

import requests
import tenacity

from soundtrack_playlists.errors import (
    ConfigError,
    Forbidden,
    LoginRequired,
    MissingScope,
    NotAllowListed,
    NotFound,
    RateLimited,
    SoundtrackError,
    SpotifyError,
    SpotifyUnavailable,
)
from soundtrack_playlists.settings import Settings
from soundtrack_playlists.spotify import wire
from soundtrack_playlists.spotify.spotipy_compat import TokenEndpointError
from soundtrack_playlists.spotify.wire import Reply

log = logging.getLogger(__name__)

T = TypeVar("T")

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


class Retryable(Exception):
    """A failure worth another attempt. `ambiguous`: the request may have been applied."""

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        ambiguous: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        self.ambiguous = ambiguous


class Credentials(Protocol):
    """What the transport asks of the auth layer."""

    def token(self) -> dict | None: ...

    def refresh(self, stale: str | None = None) -> dict: ...

    def secrets(self) -> tuple[str, ...]: ...

    def get_access_token(self, as_dict: bool = False) -> str: ...


def now() -> datetime:
    return datetime.now().astimezone()


class Transport:
    """Sends every Spotify request: `send` once, or `request`/`retrying` under the policy."""

    def __init__(
        self,
        settings: Settings,
        auth: Credentials,
        session: requests.Session,
        *,
        policy: RetryPolicy,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        clock: Callable[[], datetime] = now,
    ) -> None:
        self.settings = settings
        self.api_url = settings.api_url
        self.auth = auth
        self.policy = policy
        self.sleep = sleep  # tests replace it to record the waits asked for
        self.jitter = jitter
        self.clock = clock
        self.session = session

    # --- the one retry policy ---

    def retrying(self, attempt: Callable[[], T]) -> T:
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
        except Retryable as last:
            raise self._gave_up(last) from None

    def request(
        self, method: str, path: str, params: dict | None = None, payload: object = None
    ) -> Reply:
        """A request that is safe to repeat (reads, PUTs) under the retry policy."""
        return self.retrying(lambda: self.send(method, path, params, payload))

    def _worth_retrying(self, error: BaseException) -> bool:
        if not isinstance(error, Retryable):
            return False
        return error.retry_after is None or error.retry_after <= self.policy.max_wait

    def _wait(self, state: tenacity.RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, Retryable) and error.retry_after is not None:
            return max(0.0, error.retry_after)
        return self.policy.backoff(state.attempt_number, self.jitter())

    def _log_wait(self, state: tenacity.RetryCallState) -> None:
        """Say every wait and retry, with when it resumes: a silent pause looks like a hang."""
        error = state.outcome.exception() if state.outcome else None
        seconds = state.next_action.sleep if state.next_action else 0.0
        log.warning(
            wait_message(error, seconds, self.clock(), state.attempt_number + 1, self.policy),
            extra={"wait_seconds": seconds},
        )

    def _gave_up(self, last: Retryable) -> Exception:
        if last.status == 429 and last.retry_after is not None and not self._worth_retrying(last):
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
            f"Spotify asked to wait {math.ceil(retry_after)} s ({duration(retry_after)}) before "
            f"the next request; everything done so far is saved: rerun after {when}",
            retry_after,
        )

    # --- one HTTP exchange ---

    def send(
        self, method: str, path: str, params: dict | None = None, payload: object = None
    ) -> Reply:
        """One request (plus one token refresh on a 401), failures classified, no retry.

        The answer comes back raw: `wire` parses it. Secrets are scrubbed from every error.
        """
        url = path if path.startswith(("http://", "https://")) else self.api_url + path
        where = f"{method} {urlsplit(url).path.removeprefix(urlsplit(self.api_url).path[:-1])}"
        log.debug("%s %s", method, url.split("?")[0])  # no query: it may carry search words
        try:
            return self._send(method, url, where, params, payload)
        except (SoundtrackError, Retryable) as error:
            raise self._scrubbed(error) from None

    def _send(
        self, method: str, url: str, where: str, params: dict | None, payload: object
    ) -> Reply:
        stale: str | None = None
        for refreshed in (False, True):
            try:
                if refreshed:  # the token `stale` was refused: one refresh, one more try
                    self.auth.refresh(stale)
                stale = (self.auth.token() or {}).get("access_token")  # the token this call uses
                response = self._exchange(method, url, params, payload)
            except TokenEndpointError as error:
                raise token_failure(error, self.settings, self.clock()) from None
            except requests.exceptions.Timeout:
                raise Retryable(
                    f"no answer to {where} within {self.settings.timeout:g} s", ambiguous=True
                ) from None
            except requests.exceptions.TooManyRedirects:
                raise SpotifyError(
                    f"{where} was redirected in a loop: check SPOTIFY_API_URL ({self.api_url}) "
                    "and any proxy settings"
                ) from None
            except requests.exceptions.ConnectionError as error:
                raise Retryable(
                    f"connection to {_origin(url)} failed", ambiguous=not _never_sent(error)
                ) from None
            status = response.status_code
            if status == 401 and not refreshed:
                continue
            if status >= 400:
                raise self._classify(response, where)
            return Reply(where, status, response.content)
        raise AssertionError("unreachable")  # pragma: no cover

    def _exchange(
        self, method: str, url: str, params: dict | None, payload: object
    ) -> requests.Response:
        """The request itself, with a fresh access token (spotipy is left out of sending).

        A `content_type` in `params` (as spotipy had it) sends `payload` as is, with that type;
        otherwise the payload goes as JSON.
        """
        query = dict(params or {})
        content_type = query.pop("content_type", None)
        data: str | bytes | None
        if content_type is not None:
            if not isinstance(payload, (str, bytes)):
                raise TypeError(f"a {content_type} body must be str or bytes")
            data = payload
        else:
            content_type = "application/json"
            data = json.dumps(payload) if payload is not None else None
        headers = {
            "Authorization": f"Bearer {self.auth.get_access_token()}",
            "Content-Type": str(content_type),
        }
        return self.session.request(
            method, url, params=query, data=data, headers=headers, timeout=self.settings.timeout
        )

    def _classify(self, response: requests.Response, where: str) -> Exception:
        message, _ = wire.error_message(response.content)
        return classify(
            response.status_code,
            message,
            where,
            retry_after=(
                retry_after(response.headers, self.clock()) if response.status_code == 429 else None
            ),
            scopes=self.settings.scopes,
        )

    def _scrubbed(self, error: BaseException) -> BaseException:
        return scrub(error, self.auth.secrets())


def scrub(error: BaseException, secrets: Iterable[str]) -> BaseException:
    """The same error with every secret in its message replaced by *** (longest first, so a
    secret inside another is not left half-shown)."""
    ordered = sorted({secret for secret in secrets if secret}, key=len, reverse=True)

    def clean(text: str) -> str:
        for secret in ordered:
            text = text.replace(secret, "***")
        return text

    if isinstance(error, Retryable):
        error.reason = clean(error.reason)
    error.args = tuple(clean(arg) if isinstance(arg, str) else arg for arg in error.args)
    return error


def classify(
    status: int, message: str, where: str, *, retry_after: float | None, scopes: tuple[str, ...]
) -> Exception:
    """A Web API error answer as one of our exceptions, or as a failure worth retrying."""
    if status == 429:
        return Retryable("429 Too Many Requests", status=429, retry_after=retry_after)
    if status >= 500:
        return Retryable(f"{status} from {where}", status=status, ambiguous=True)
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
                f"{LOGIN_AGAIN} again to grant {' '.join(scopes)}",
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


def token_failure(error: TokenEndpointError, settings: Settings, now: datetime) -> Exception:
    """The accounts service's answer as one of our exceptions (or a retryable failure)."""
    if error.status == 429 or error.status >= 500:
        return Retryable(
            f"{error.status} from Spotify's accounts service",
            status=error.status,
            retry_after=retry_after(error.headers, now),
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
    detail = detail or error.text
    return LoginRequired(
        f"Spotify's accounts service refused the login ({error.status} {detail}): {LOGIN_AGAIN}"
    )


MAX_RETRY_AFTER = 7 * 24 * 3600.0  # longer asks (`1e400` reads as infinity) count as a week


def retry_after(headers: Mapping[str, object] | None, now: datetime) -> float | None:
    """Seconds from a `retry-after` header (any case; seconds or an HTTP date); None if absent
    or unreadable (garbage, negative, NaN): then the usual backoff applies."""
    value = None
    for key, header in dict(headers or {}).items():
        if key.lower() == "retry-after":
            value = str(header).strip()
    if not value:
        return None
    number = wire.seconds(value, MAX_RETRY_AFTER)
    if number is not None or not value[:1].isalpha():
        return number
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    return min(max(0.0, (when - now).total_seconds()), MAX_RETRY_AFTER)


def wait_message(
    error: BaseException | None,
    seconds: float,
    now: datetime,
    attempt: int,
    policy: RetryPolicy,
) -> str:
    """ "Spotify asked us to wait 12 s; retrying at 14:02:10 (attempt 2 of 5)"."""
    resume = (now + timedelta(seconds=seconds)).strftime("%H:%M:%S")
    retry = f"retrying at {resume} (attempt {attempt} of {policy.max_attempts})"
    if isinstance(error, Retryable) and error.status == 429 and error.retry_after is not None:
        return f"Spotify asked us to wait {math.ceil(seconds)} s; {retry}"
    reason = error.reason if isinstance(error, Retryable) else str(error)
    return f"Spotify did not answer properly ({reason}); waiting {seconds:.1f} s, {retry}"


def duration(seconds: float) -> str:
    """A wait as a person would say it: "under a minute", "about 5 min", "about 3 h 49 min"."""
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
