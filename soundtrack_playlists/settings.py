"""Spotify settings: explicit values, then the environment, then .env, then defaults."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

from soundtrack_playlists.errors import ConfigError
from soundtrack_playlists.files.paths import token_cache_path, user_settings_path

DEFAULT_REDIRECT_URI = "http://127.0.0.1:8888/callback"
DEFAULT_API_URL = "https://api.spotify.com/v1/"
DEFAULT_ACCOUNTS_URL = "https://accounts.spotify.com/"
DEFAULT_TIMEOUT = 20.0  # seconds, for every request, token requests included
DEFAULT_MAX_WAIT = 60.0  # the longest 429 retry-after we sleep through before giving up
# How long Spotify's reads may lag behind its writes: a write whose answer was lost is only sent
# again once a read this much later does not show it. Generous: it costs time only then.
DEFAULT_READ_LAG = 20.0
# Requests in flight at once: enough to overlap Spotify's latency, few enough to stay polite
# (the rate limit counts requests in a rolling 30 s window, whatever their concurrency).
DEFAULT_WORKERS = 8
# What a login asks for: every scope the spec (spotify/spec.py) lists for an operation the
# client calls; tests/test_spotify_spec_table.py fails when one is missing. The library check
# (GET /me/library/contains, is a playlist still followed?) needs the last two.
SCOPES = (
    "playlist-modify-public",
    "playlist-modify-private",
    "playlist-read-private",
    "ugc-image-upload",
    "user-library-read",
    "user-follow-read",
)

# Settings field -> environment variable (also read from .env).
ENVIRONMENT = {
    "client_id": "SPOTIPY_CLIENT_ID",
    "client_secret": "SPOTIPY_CLIENT_SECRET",
    "redirect_uri": "SPOTIPY_REDIRECT_URI",
    "refresh_token": "SPOTIFY_REFRESH_TOKEN",
    "api_url": "SPOTIFY_API_URL",
    "accounts_url": "SPOTIFY_ACCOUNTS_URL",
    "cache_path": "SPOTIFY_TOKEN_CACHE",
    "max_wait": "SPOTIFY_MAX_WAIT",
    "read_lag": "SPOTIFY_READ_LAG",
}

_CLIENT_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Settings:
    """Everything needed to talk to Spotify (or the emulator). Secrets stay out of repr()."""

    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    redirect_uri: str = DEFAULT_REDIRECT_URI
    refresh_token: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_API_URL
    accounts_url: str = DEFAULT_ACCOUNTS_URL
    cache_path: Path | None = None  # None: the per-user state folder (token_cache_path())
    scopes: tuple[str, ...] = SCOPES
    timeout: float = DEFAULT_TIMEOUT
    max_wait: float = DEFAULT_MAX_WAIT
    read_lag: float = DEFAULT_READ_LAG
    # Where each value came from ("argument", "environment", ".env", "default"), for doctor.
    sources: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Base URLs are joined with relative paths: they must end with "/".
        object.__setattr__(self, "api_url", _with_slash(self.api_url))
        object.__setattr__(self, "accounts_url", _with_slash(self.accounts_url))
        if self.cache_path is not None:
            object.__setattr__(self, "cache_path", Path(self.cache_path).expanduser())

    @property
    def token_url(self) -> str:
        return self.accounts_url + "api/token"

    @property
    def authorize_url(self) -> str:
        return self.accounts_url + "authorize"

    @property
    def token_cache(self) -> Path:
        if self.cache_path is not None:
            return self.cache_path
        return token_cache_path(self.accounts_url, self.client_id)

    @property
    def flow(self) -> str:
        """PKCE unless a client secret is set: PKCE needs no secret on this machine."""
        return "authorization code" if self.client_secret else "authorization code with PKCE"

    @property
    def headless(self) -> bool:
        return bool(self.refresh_token)

    def secrets(self) -> tuple[str, ...]:
        """The values that must never be printed or logged."""
        return tuple(value for value in (self.client_secret, self.refresh_token) if value)

    @classmethod
    def from_env(
        cls,
        *,
        environ: Mapping[str, str] | None = None,
        dotenv_path: Path | str | None = None,
        **explicit: object,
    ) -> Settings:
        """Explicit arguments win, then the environment, then `.env` in the current folder,
        then the per-user settings file (`paths.user_settings_path()`).

        Empty values count as unset, so `.env.example`'s `SPOTIPY_CLIENT_SECRET=` means PKCE.
        """
        unknown = set(explicit) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        environ = os.environ if environ is None else environ
        dotenv_file = Path(dotenv_path) if dotenv_path is not None else Path.cwd() / ".env"
        dotenv = _read_env_file(dotenv_file)
        per_user = _read_env_file(user_settings_path())
        values: dict = {}
        sources: dict[str, str] = {}
        for name, variable in ENVIRONMENT.items():
            for source, value in (
                ("argument", explicit.get(name)),
                ("environment", environ.get(variable)),
                (".env", dotenv.get(variable)),
                ("settings file", per_user.get(variable)),
            ):
                if value is not None and str(value).strip() != "":
                    values[name] = value.strip() if isinstance(value, str) else value
                    sources[name] = source
                    break
            else:
                sources[name] = "default"
        for name, value in explicit.items():
            if name not in ENVIRONMENT and value is not None:
                values[name] = value
        for name in ("max_wait", "read_lag"):
            if name in values:
                values[name] = _seconds(values[name], ENVIRONMENT[name])
        return cls(**values, sources=sources)


def _read_env_file(path: Path) -> Mapping[str, str | None]:
    """A .env-format file's variables, none when it is not there (or cannot be read)."""
    try:
        return dotenv_values(path) if path.is_file() else {}
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read ({error}); fix or remove it") from None


def settings_files(cwd: Path | None = None) -> str:
    """Where settings are looked for, in order, for every "not set" message."""
    here = (Path.cwd() if cwd is None else cwd) / ".env"
    return f"the environment, then {here}, then {user_settings_path()}"


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _seconds(value: str | float, variable: str) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{variable} must be a number of seconds, not {value!r}") from None
    if seconds < 0:
        raise ConfigError(f"{variable} must not be negative (got {value!r})")
    return seconds


# --- validation helpers: each returns None when fine, else what to fix -------------------


def client_id_problem(client_id: str | None) -> str | None:
    if not client_id:
        return (
            f"SPOTIPY_CLIENT_ID is not set (looked in {settings_files()}): copy the Client "
            "ID from https://developer.spotify.com/dashboard -> your app -> Settings into "
            "either file (SPOTIPY_CLIENT_ID=...) or the environment"
        )
    if not _CLIENT_ID.match(client_id):
        return (
            f"SPOTIPY_CLIENT_ID {client_id!r} does not look like a Spotify Client ID "
            "(32 hexadecimal characters): copy it again from the dashboard -> your app -> Settings"
        )
    return None


def redirect_uri_problem(redirect_uri: str) -> str | None:
    """Spotify accepts only HTTPS or a loopback IP literal over HTTP, never `localhost`."""
    parts = urlsplit(redirect_uri)
    fix = (
        f"set SPOTIPY_REDIRECT_URI={DEFAULT_REDIRECT_URI} and add exactly that URI under "
        "Redirect URIs in the dashboard -> your app -> Settings"
    )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"SPOTIPY_REDIRECT_URI {redirect_uri!r} is not an http(s) URL: {fix}"
    if parts.hostname == "localhost":
        return f"SPOTIPY_REDIRECT_URI {redirect_uri!r} uses localhost, which Spotify refuses: {fix}"
    if parts.scheme == "http":
        if not _is_loopback(parts.hostname):
            return (
                f"SPOTIPY_REDIRECT_URI {redirect_uri!r} is plain http on a host other than "
                f"127.0.0.1 or [::1], which Spotify refuses: {fix}"
            )
        if parts.port is None:
            return (
                f"SPOTIPY_REDIRECT_URI {redirect_uri!r} has no port, so `login` cannot receive "
                f"the answer: {fix}"
            )
    return None


def is_loopback_http(redirect_uri: str) -> bool:
    """True when `login` can catch the redirect itself with a local server."""
    parts = urlsplit(redirect_uri)
    return parts.scheme == "http" and _is_loopback(parts.hostname or "") and bool(parts.port)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def missing_scopes(granted: str | None, needed: tuple[str, ...] = SCOPES) -> tuple[str, ...]:
    have = set((granted or "").split())
    return tuple(scope for scope in needed if scope not in have)
