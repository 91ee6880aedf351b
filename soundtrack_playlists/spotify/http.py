"""The one exit to the network: one request function, one retry policy."""

from __future__ import annotations

import json
import logging
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

import requests
import tenacity

from soundtrack_playlists.errors import (
    RateLimited,
    SoundtrackError,
    SpotifyError,
    SpotifyUnavailable,
)
from soundtrack_playlists.settings import Settings
from soundtrack_playlists.spotify import wire
from soundtrack_playlists.spotify.answers import (
    Retryable,
    classify,
    duration,
    retry_after,
    scrub,
    token_failure,
)
from soundtrack_playlists.spotify.spotipy_compat import TokenEndpointError
from soundtrack_playlists.spotify.wire import Reply

log = logging.getLogger(__name__)

T = TypeVar("T")


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
        sleep: Callable[[float], None] = lambda seconds: time.sleep(seconds),
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

    def look_until_settled(
        self, lag: float, what: str, failed: datetime, look: Callable[[bool], T | None]
    ) -> T | None:
        """What `look` finds of a write that may or may not have landed before `failed`.

        Spotify's reads may lag behind its writes (by up to `lag` seconds): a read that does
        not show the write proves nothing until then. So `look` is asked again after each
        backoff, and a last time once the lag has passed (`settled`): only its None then means
        the write made nothing.
        """
        # Counted down by the waits asked for, so the looks end even when waits are skipped.
        left = (failed + timedelta(seconds=lag) - self.clock()).total_seconds()
        attempt = 1
        while True:
            found = look(left <= 0)
            if found is not None or left <= 0:
                return found
            if attempt == 1:
                log.warning(
                    "%s not seen yet (Spotify's reads can lag): looking again for up to %.0f s "
                    "before sending it again",
                    what,
                    left,
                )
            pause = min(left, self.policy.backoff(attempt, self.jitter()))
            self.sleep(pause)
            left -= pause
            attempt += 1

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
        started = time.monotonic()
        try:
            reply = self._send(method, url, where, params, payload)
        except (SoundtrackError, Retryable) as error:
            status = getattr(error, "status", None)
            _log_request(where, params, str(status or "failed"), started, None)
            raise self._scrubbed(error) from None
        _log_request(where, params, str(reply.status), started, len(reply.body))
        return reply

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
            scopes=self._granted() if response.status_code == 403 else None,
        )

    def _granted(self) -> tuple[str, ...] | None:
        """The scopes the login was granted, as the token endpoint said (None: not said)."""
        try:
            granted = (self.auth.token() or {}).get("scope")
        except SoundtrackError:
            return None
        return tuple(granted.split()) if isinstance(granted, str) else None

    def _scrubbed(self, error: BaseException) -> BaseException:
        return scrub(error, self.auth.secrets())


def _log_request(
    where: str, params: dict | None, status: str, started: float, size: int | None
) -> None:
    """-v: each request, its status and time; -vv adds the answer's size. Of the query only a
    search's words are said: no other parameter, header or body (tokens live there)."""
    if not log.isEnabledFor(logging.INFO):
        return
    words = (params or {}).get("q") if where.endswith("/search") else None
    query = f" q={words!r}" if words else ""
    took = f"{(time.monotonic() - started) * 1000:.0f} ms"
    if size is not None and log.isEnabledFor(logging.DEBUG):
        took += f", {size} bytes"
    log.info("%s%s -> %s in %s", where, query, status, took)


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


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _never_sent(error: requests.exceptions.ConnectionError) -> bool:
    """A refused connection or a connect timeout: the request never reached Spotify."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    text = repr(error)
    return "NewConnectionError" in text or "NameResolutionError" in text
