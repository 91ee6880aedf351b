"""Access tokens for API calls: the token cache files and the refresh logic (never interactive)."""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote_plus

import requests
from filelock import FileLock, Timeout

from soundtrack_playlists.errors import (
    ConfigError,
    LocalFileError,
    LoginRequired,
    MalformedAnswer,
    SpotifyError,
)
from soundtrack_playlists.files.atomic import folder_problem, write_json_atomic
from soundtrack_playlists.files.json_file import Damaged, decoded_json
from soundtrack_playlists.files.paths import legacy_token_cache_path
from soundtrack_playlists.settings import Settings, client_id_problem
from soundtrack_playlists.spotify.answers import LOGIN_AGAIN
from soundtrack_playlists.spotify.spotipy_compat import (
    AuthManager,
    CacheHandler,
    auth_manager,
    quiet_spotipy_logs,
)
from soundtrack_playlists.spotify.wire import TOKEN_WHERE

log = logging.getLogger(__name__)

REFRESH_WAIT = 60.0  # seconds another process may hold the token cache while it refreshes


class TokenCache(CacheHandler):
    """The token cache file: atomic, mode 0600, valid only for the same app and accounts URL.

    Recording the app keeps a login made against the emulator away from Spotify and back.
    """

    def __init__(self, path: Path, client_id: str, accounts_url: str) -> None:
        self.path = Path(path)
        self._owner = {"client_id": client_id, "accounts_url": accounts_url}

    def get_cached_token(self) -> dict | None:
        data = self._read()
        token = data.get("token") if data is not None else None
        return token if isinstance(token, dict) else None

    def save_token_to_cache(self, token_info: dict) -> None:
        self._write({"app": self._owner, "token": token_info})

    def latest(self) -> dict | None:
        """The token as the file holds it now: another process may have refreshed it."""
        return self.get_cached_token()

    def _read(self) -> dict | None:
        """The file's content when it belongs to this app and accounts service.

        A missing file, or one of another app, is no login; a damaged or unreadable one is a
        LocalFileError naming it (its content, which holds secrets, is never shown).
        """
        try:
            raw = self.path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):  # no such file (yet)
            return None
        except OSError as error:
            raise LocalFileError(
                f"{self.path}: cannot read the Spotify token cache "
                f"({error.strerror or 'unreadable'}); make it a readable file of yours, or "
                f"delete it and {LOGIN_AGAIN}"
            ) from None
        try:
            data = decoded_json(raw)
        except Damaged:
            data = None
        if isinstance(data, dict) and data.get("app") != self._owner:
            return None
        if not isinstance(data, dict) or not _well_formed(data.get("token")):
            raise LocalFileError(
                f"{self.path}: the Spotify token cache is damaged; delete it and {LOGIN_AGAIN}"
            )
        return data

    def _write(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_json_atomic(self.path, data, mode=0o600)


def token_cache_unwritable(folder: Path, problem: str) -> str:
    """The message for a token cache folder that takes no file: where, why, and the setting."""
    return (
        f"{folder}: the Spotify token cache cannot be written there ({problem}); set "
        "SPOTIFY_TOKEN_CACHE to a file in a folder you can write (your login is not used up "
        "meanwhile)"
    )


def _well_formed(token: object) -> bool:
    """A token as spotipy keeps it: text tokens and a numeric expiry (what it compares)."""
    if not isinstance(token, dict):
        return False
    texts = ("access_token", "refresh_token", "scope", "token_type")
    if any(not isinstance(token.get(key), (str, type(None))) for key in texts):
        return False
    expires_at = token.get("expires_at")
    return isinstance(expires_at, (int, float)) and not isinstance(expires_at, bool)


def fingerprint(refresh_token: str) -> str:
    """A one-way mark of a refresh token: recognises it without keeping it."""
    return hashlib.sha256(refresh_token.encode("utf-8")).hexdigest()


class HeadlessTokenCache(TokenCache):
    """Headless use: the tokens descending from SPOTIFY_REFRESH_TOKEN, kept in the cache file.

    Spotify rotates refresh tokens of PKCE logins: each works once, and the answer carries the
    next. The environment's token is only the seed, so the current one must outlive the run.
    The file records the seed's fingerprint; a different seed (a new login) starts afresh.
    """

    def __init__(self, path: Path, client_id: str, accounts_url: str, seed: str) -> None:
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

    def latest(self) -> dict | None:
        data = self._read()
        token = data.get("token") if data is not None and data.get("seed") == self.seed else None
        if isinstance(token, dict):
            self._current = token
        return self._current

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


def move_legacy_cache(path: Path, legacy: Path, client_id: str, accounts_url: str) -> None:
    """Move the one token cache of earlier versions to its new place, once, if it is ours.

    The old file was shared by every accounts service; it moves to whichever service and app
    it records, and stays put for any other.
    """
    if path.exists() or not legacy.is_file():
        return
    try:
        data = decoded_json(legacy.read_bytes())
    except (OSError, Damaged):
        return
    owner = {"client_id": client_id, "accounts_url": accounts_url}
    if not isinstance(data, dict) or data.get("app") != owner:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_json_atomic(path, data, mode=0o600)
        legacy.unlink()
    except OSError as error:
        log.warning("Could not move the token cache %s to %s (%s)", legacy, path, error)
        return
    log.info("Moved the token cache from %s to %s", legacy, path)


class Auth:
    """Access tokens for API calls: the cached one while fresh, else one refresh at a time."""

    def __init__(
        self, settings: Settings, session: requests.Session, *, for_login: bool = False
    ) -> None:
        problem = client_id_problem(settings.client_id)
        if not settings.client_id:
            raise ConfigError(problem)
        quiet_spotipy_logs()  # before spotipy first logs: its DEBUG lines carry tokens
        self.settings = settings
        if settings.cache_path is None:  # the default place: take over an earlier version's file
            move_legacy_cache(
                settings.token_cache,
                legacy_token_cache_path(),
                settings.client_id,
                settings.accounts_url,
            )
        # Headless (SPOTIFY_REFRESH_TOKEN): that token seeds the cache; refreshes may rotate it.
        self.headless = settings.headless and not for_login
        cache: TokenCache
        if self.headless:
            cache = HeadlessTokenCache(
                settings.token_cache,
                settings.client_id,
                settings.accounts_url,
                settings.refresh_token or "",
            )
        else:
            cache = TokenCache(settings.token_cache, settings.client_id, settings.accounts_url)
        self.manager: AuthManager = auth_manager(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            redirect_uri=settings.redirect_uri,
            scopes=settings.scopes,
            cache=cache,
            session=session,
            timeout=settings.timeout,
            token_url=settings.token_url,
            authorize_url=settings.authorize_url,
        )
        self.cache = cache
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
        """A new access token; none when another thread or process already replaced `stale`.

        One refresh at a time across processes too: a rotated refresh token works once, so
        two runs refreshing with the same one would leave one of them logged out.
        """
        with self._lock, self._cache_lock():
            token = self.cache.latest() or {}
            current = token.get("access_token")
            if current and current != stale and not self.manager.is_token_expired(token):
                return token
            refresh_token = token.get("refresh_token") or (
                self.settings.refresh_token if self.headless else None
            )
            self._check_cache_writable()  # before a rotating refresh token is spent
            if not refresh_token:
                raise LoginRequired(
                    f"Not logged in to Spotify: {LOGIN_AGAIN} (or set SPOTIFY_REFRESH_TOKEN for "
                    "use without a browser)"
                )
            try:
                return self.manager.refresh_access_token(refresh_token)
            except ValueError:  # spotipy could not decode a 2xx answer: not JSON at all
                raise MalformedAnswer(TOKEN_WHERE, "a body that is not JSON") from None
            except requests.exceptions.TooManyRedirects:
                raise SpotifyError(
                    f"{TOKEN_WHERE} was redirected in a loop: check SPOTIFY_ACCOUNTS_URL "
                    f"({self.settings.accounts_url}) and any proxy settings"
                ) from None

    def _check_cache_writable(self) -> None:
        """LocalFileError, naming the folder and SPOTIFY_TOKEN_CACHE, unless the cache can be
        written: a refreshed token that cannot be kept would end the login."""
        folder = Path(self.settings.token_cache).parent
        problem = folder_problem(folder)
        if problem is not None:
            raise LocalFileError(token_cache_unwritable(folder, problem))

    @contextmanager
    def _cache_lock(self) -> Iterator[None]:
        """Hold the token cache's file lock; without one (read-only folder) go on unlocked."""
        path = Path(self.settings.token_cache)
        lock = FileLock(path.with_name(path.name + ".lock"), timeout=REFRESH_WAIT)
        locked = False
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            lock.acquire()
            locked = True
        except Timeout:
            raise LocalFileError(
                f"{path}: another run has been refreshing the Spotify token for "
                f"{REFRESH_WAIT:g} s; try again once it has finished"
            ) from None
        except OSError as error:
            log.debug("no lock on the token cache %s (%s)", path, error)
        try:
            yield
        finally:
            if locked:
                lock.release()

    def secrets(self) -> tuple[str, ...]:
        """Every value that must never be shown, in each form a request carries it: as is,
        URL-encoded (a form body) and, for the client secret, inside the Basic auth header."""
        try:
            token = self.token() or {}
        except LocalFileError:  # a damaged cache holds nothing to hide, and says so elsewhere
            token = {}
        values = [token.get("access_token"), token.get("refresh_token"), *self.settings.secrets()]
        if self.settings.client_secret:
            pair = f"{self.settings.client_id}:{self.settings.client_secret}".encode()
            values.append(base64.b64encode(pair).decode("ascii"))
        forms = [form for value in values if value for form in (value, quote_plus(value))]
        return tuple(dict.fromkeys(forms))
