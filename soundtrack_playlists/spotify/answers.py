"""What Spotify's answers mean: our errors or a retryable failure, retry-after, secrets scrubbed."""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterable, Mapping
from datetime import datetime

from soundtrack_playlists.errors import (
    ConfigError,
    Forbidden,
    LoginRequired,
    MissingScope,
    NotAllowListed,
    NotFound,
    PremiumRequired,
    SpotifyError,
)
from soundtrack_playlists.settings import Settings
from soundtrack_playlists.spotify import wire
from soundtrack_playlists.spotify.spec import OPERATIONS
from soundtrack_playlists.spotify.spotipy_compat import TokenEndpointError

LOGIN_AGAIN = "run `soundtrack-playlists login`"
EXPIRED_LOGIN = (
    f"Your Spotify login expired or was revoked (refresh tokens last six months): {LOGIN_AGAIN}"
)
PREMIUM_FIX = (
    "the Spotify account that owns the app needs Premium; after subscribing it can take a few "
    "hours before Spotify answers the app again"
)
ALLOW_LIST_FIX = (
    "Spotify refused this account: the app is in Development Mode and the account is not on "
    "its allow-list. In the Developer Dashboard -> your app -> User Management, add the "
    "account's name and email (at most 5 users; the app owner needs Premium), then try again"
)


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
    status: int,
    message: str,
    where: str,
    *,
    retry_after: float | None,
    scopes: tuple[str, ...] | None,
) -> Exception:
    """A Web API error answer as one of our exceptions, or as a failure worth retrying.

    `scopes`: the scopes the login was granted, when known (a 403 names the missing ones).
    """
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
        return refusal(message, where, scopes)
    if status == 404:
        return NotFound(f"Spotify has no {where.split(' ', 1)[1]} (404 {message})", status=404)
    return SpotifyError(f"Spotify refused {where}: {status} {message}", status=status)


def refusal(message: str, where: str, granted: tuple[str, ...] | None) -> SpotifyError:
    """A 403 said truly: Premium, allow-list, a missing scope (named), a playlist not ours, or
    Spotify's own words. `granted`: the login's scopes, when known."""
    lowered = message.lower()
    if "premium" in lowered:
        return PremiumRequired(
            f"Spotify refused {where}: {PREMIUM_FIX} (Spotify said: {message})", status=403
        )
    if "registered" in lowered or "not approved" in lowered:
        return NotAllowListed(ALLOW_LIST_FIX, status=403)
    if "scope" in lowered:
        needed = needed_scopes(where)
        missing = tuple(s for s in needed if granted is None or s not in granted) or needed
        named = " ".join(missing) or "a permission"
        return MissingScope(
            f"The Spotify login lacks {named}, which {where} needs (Spotify said: {message}): "
            f"{LOGIN_AGAIN} once to grant it",
            missing=missing,
        )
    if lowered.strip(" .") == "forbidden" or re.search(r"\bown\b|another user", lowered):
        return Forbidden(
            f"Spotify refused {where} ({message}): you can only change playlists you own",
            status=403,
        )
    return Forbidden(f"Spotify refused {where}: 403 {message}", status=403)


def needed_scopes(where: str) -> tuple[str, ...]:
    """The scopes the spec says the operation behind "GET /playlists/abc/items" needs."""
    method, _, path = where.partition(" ")
    for key, operation in OPERATIONS.items():
        verb, _, template = key.partition(" ")
        pattern = "/".join(
            "[^/]+" if part.startswith("{") else part for part in template.split("/")
        )
        if verb == method and re.fullmatch(pattern, path):
            return operation.needed
    return ()


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


def duration(seconds: float) -> str:
    """A wait as a person would say it: "under a minute", "about 5 min", "about 3 h 49 min"."""
    if seconds < 60:
        return "under a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"about {hours} h {minutes} min"
