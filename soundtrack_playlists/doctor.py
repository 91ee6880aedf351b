"""Checks of the Spotify setup, each saying exactly what to fix; `doctor` only prints them."""

from __future__ import annotations

import ipaddress
import stat
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from soundtrack_playlists.errors import (
    ConfigError,
    LoginRequired,
    MissingScope,
    NotAllowListed,
    PremiumRequired,
    RateLimited,
    SoundtrackError,
    SpotifyUnavailable,
)
from soundtrack_playlists.files.atomic import folder_problem
from soundtrack_playlists.settings import (
    DEFAULT_ACCOUNTS_URL,
    DEFAULT_API_URL,
    Settings,
    client_id_problem,
    missing_scopes,
    redirect_uri_problem,
)
from soundtrack_playlists.spotify.auth import token_cache_unwritable
from soundtrack_playlists.spotify.client import SpotifyClient
from soundtrack_playlists.spotify.http import RetryPolicy

# doctor should answer quickly: two attempts, and never sleep through a long 429.
DOCTOR_POLICY = RetryPolicy(max_attempts=2, max_wait=5, backoff_base=0.5, backoff_max=2)


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    message: str

    def line(self) -> str:
        return f"{'ok ' if self.ok else 'FIX'}  {self.check}: {self.message}"


def _source(settings: Settings, name: str) -> str:
    source = settings.sources.get(name)
    return f" (from {source})" if source and source != "default" else ""


def check_settings(settings: Settings) -> list[Finding]:
    """The checks that need no network."""
    findings = []
    problem = client_id_problem(settings.client_id)
    if problem and settings.client_id and local_api(settings):
        problem = None  # the local emulator takes any client id, e.g. its own "emulator"
    findings.append(
        Finding("client id", False, problem)
        if problem
        else Finding("client id", True, f"{settings.client_id}{_source(settings, 'client_id')}")
    )
    problem = redirect_uri_problem(settings.redirect_uri)
    findings.append(
        Finding("redirect URI", False, problem)
        if problem
        else Finding(
            "redirect URI",
            True,
            f"{settings.redirect_uri}{_source(settings, 'redirect_uri')}: it must be listed "
            "exactly like this under Redirect URIs in the dashboard",
        )
    )
    if settings.client_secret:
        flow = "authorization code with the client secret (SPOTIPY_CLIENT_SECRET is set)"
    else:
        flow = "authorization code with PKCE (no client secret needed)"
    findings.append(Finding("login flow", True, flow))
    if settings.api_url != DEFAULT_API_URL or settings.accounts_url != DEFAULT_ACCOUNTS_URL:
        findings.append(
            Finding(
                "Spotify URLs",
                True,
                f"{'a local emulator' if local_api(settings) else 'not Spotify'}: API "
                f"{settings.api_url}, accounts {settings.accounts_url} "
                "(unset SPOTIFY_API_URL and SPOTIFY_ACCOUNTS_URL to use Spotify)",
            )
        )
    # Headless runs keep the newest (rotated) refresh token there too: check it either way.
    findings.append(_cache_finding(settings))
    return findings


def local_api(settings: Settings) -> bool:
    """Both URLs point at this machine (the local emulator), not at Spotify."""
    return all(
        urlsplit(url).scheme == "http" and _loopback(urlsplit(url).hostname or "")
        for url in (settings.api_url, settings.accounts_url)
    )


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _cache_finding(settings: Settings) -> Finding:
    path = settings.token_cache
    problem = folder_problem(path.parent)
    if problem is not None:
        return Finding("token cache", False, token_cache_unwritable(path.parent, problem))
    if not path.exists():
        return Finding("token cache", True, f"{path} (not written yet)")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return Finding(
            "token cache",
            False,
            f"{path} can be read by other users (mode {mode:o}): run `chmod 600 {path}`",
        )
    return Finding("token cache", True, f"{path} (mode 600)")


def check_account(client: SpotifyClient) -> list[Finding]:
    """Log in with what we have and read the profile: token, allow-list, API, scopes."""
    settings = client.settings
    if not client.auth.has_login():
        return [
            Finding(
                "login",
                False,
                "not logged in: run `soundtrack-playlists login` (or set SPOTIFY_REFRESH_TOKEN "
                "for use without a browser)",
            )
        ]
    try:
        user = client.current_user()
    except (LoginRequired, MissingScope) as error:
        return [Finding("login", False, str(error))]
    except NotAllowListed as error:
        return [Finding("login", True, "the token works"), Finding("allow-list", False, str(error))]
    except PremiumRequired as error:
        return [Finding("login", True, "the token works"), Finding("Premium", False, str(error))]
    except ConfigError as error:
        return [Finding("client id", False, str(error))]
    except (SpotifyUnavailable, RateLimited) as error:
        return [Finding("Spotify API", False, f"{settings.api_url} unreachable: {error}")]
    except SoundtrackError as error:
        return [Finding("Spotify API", False, str(error))]
    name = f"{user.display_name} ({user.id})" if user.display_name else user.id
    findings = [
        Finding("login", True, f"logged in as {name}"),
        Finding("allow-list", True, "Spotify lets this account use the app"),
        Finding("Spotify API", True, f"{settings.api_url} answers"),
    ]
    findings.append(scope_finding(client))
    return findings


def scope_finding(client: SpotifyClient) -> Finding:
    """Whether the login holds every scope this version asks for (its token says which)."""
    granted = (client.auth.token() or {}).get("scope")
    if granted is None:
        return Finding("scopes", True, "Spotify did not say which were granted")
    missing = missing_scopes(granted, client.settings.scopes)
    if not missing:
        return Finding("scopes", True, " ".join(client.settings.scopes))
    return Finding("scopes", False, missing_scope_fix(missing))


def missing_scope_fix(missing: tuple[str, ...]) -> str:
    """What to do about a login made before this version needed a permission."""
    return (
        f"the login lacks the permission {' '.join(missing)}, which this version needs (the "
        "login was made before it asked for it): run `soundtrack-playlists login` once and "
        "press Agree"
    )


def run_checks(
    settings: Settings,
    make_client: Callable[[Settings], SpotifyClient] | None = None,
) -> list[Finding]:
    """Every check, in order; the account checks only when the settings allow them."""
    findings = check_settings(settings)
    if any(not finding.ok for finding in findings if finding.check == "client id"):
        return findings + [Finding("login", False, "skipped until the client id is fixed")]
    make_client = make_client or (lambda s: SpotifyClient(s, policy=DOCTOR_POLICY))
    try:
        client = make_client(settings)
    except SoundtrackError as error:
        return findings + [Finding("login", False, str(error))]
    return findings + check_account(client)
