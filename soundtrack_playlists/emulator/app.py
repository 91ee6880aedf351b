"""The Emulator object: its services, start and stop, and what tests set up and inspect."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from soundtrack_playlists.emulator.accounts import Accounts
from soundtrack_playlists.emulator.api import WebApi
from soundtrack_playlists.emulator.catalog import Catalog
from soundtrack_playlists.emulator.faults import Decision, FaultInjector, Faults
from soundtrack_playlists.emulator.http import Handler
from soundtrack_playlists.emulator.state import DEFAULT_USER, Store
from soundtrack_playlists.settings import SCOPES

DATA_DIR = Path(__file__).parent / "data"


def demo_catalog_path() -> Path:
    """The bundled demo catalog (real MIT/Apache rows plus the season's missing songs)."""
    return DATA_DIR / "demo_catalog.csv"


@dataclass(frozen=True)
class RequestRecord:
    """One request as the emulator saw it; status None when the connection was dropped."""

    method: str
    path: str
    query: dict[str, str]
    status: int | None
    fault: str | None = None
    route: str | None = None  # the spec's path template, e.g. "/playlists/{playlist_id}/items"

    def to_json(self) -> dict[str, object]:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "fault": self.fault,
            "route": self.route,
        }


@dataclass(frozen=True)
class ResponseRecord:
    """A JSON body the emulator sent, kept (when asked) for checking against the spec."""

    method: str
    route: str
    status: int
    body: object


class Emulator:
    """A local Spotify Web API + accounts service on 127.0.0.1, for tests, demos and benchmarks.

    Search is Spotify-like (forgiving, popularity first); `strict_search=True` (or
    `Faults(strict_search=True)`) requires every word of a query instead.

    Example:
        with Emulator(faults=Faults(rate_429=0.2, seed=1)) as emulator:
            token = emulator.issue_refresh_token()
            ...  # point a client at emulator.api_url and emulator.accounts_url
    """

    def __init__(
        self,
        catalog: str | Path | Catalog | None = None,
        faults: Faults | None = None,
        token_lifetime: float = 3600,
        state_file: str | Path | None = None,
        users: dict[str, str] | Iterable[str] | None = None,
        allow_list: Iterable[str] | None = None,
        *,
        login_user: str = DEFAULT_USER,
        record_responses: bool = False,
        rotate_refresh_tokens: bool = True,
        strict_search: bool = False,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = lambda seconds: time.sleep(seconds),
    ) -> None:
        if catalog is None:
            catalog = demo_catalog_path()
        self.catalog = catalog if isinstance(catalog, Catalog) else Catalog.load(catalog)
        if users is None:
            users = {DEFAULT_USER: "Demo User"}
        elif not isinstance(users, dict):
            users = {user: user for user in users}
        state_path = None if state_file is None else Path(state_file)
        self.store = Store(
            dict(users), token_lifetime=token_lifetime, state_file=state_path, clock=clock
        )
        self.store.add_user(login_user)
        self.accounts = Accounts(
            self.store, login_user, rotate_refresh_tokens=rotate_refresh_tokens
        )
        allowed = None if allow_list is None else frozenset(allow_list)
        self.api = WebApi(
            self.store,
            self.catalog,
            lambda: self.faults,
            allowed,
            strict_search=strict_search,
            eligible=self.fault_eligible,
        )
        self.record_responses = record_responses
        self.recorded_responses: list[ResponseRecord] = []
        self._clock = clock
        self._sleep = sleep
        self._injector = FaultInjector(faults or Faults(), clock=clock)
        self.store.set_stale_reads(self._injector.faults.stale_reads)
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port: int | None = None

    # --- lifecycle ---

    def start(self, port: int = 0) -> Emulator:
        """Serve on 127.0.0.1 (a free port when 0) from a daemon thread."""
        handler = type("BoundHandler", (Handler,), {"emulator": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.api.base_url = self.base_url
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # a quick stop() for test suites
            name=f"spotify-emulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = None

    def serve_forever(self, port: int = 0) -> None:
        """Block the calling thread until interrupted (the CLI's Ctrl-C); starts if needed."""
        if self._server is None:
            self.start(port)
        thread = self._thread
        try:
            while thread is not None and thread.is_alive():
                thread.join(timeout=0.5)
        finally:
            self.stop()

    def __enter__(self) -> Emulator:
        if self._server is None:
            self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("the emulator is not started: call .start() first")
        return f"http://127.0.0.1:{self.port}/"

    @property
    def api_url(self) -> str:
        return self.base_url + "v1/"

    @property
    def accounts_url(self) -> str:
        return self.base_url

    # --- accounts, faults and state for tests ---

    def add_user(self, user_id: str, display_name: str | None = None) -> None:
        self.store.add_user(user_id, display_name)

    def issue_refresh_token(
        self, user_id: str = DEFAULT_USER, scopes: Iterable[str] = SCOPES
    ) -> str:
        """A refresh token as a finished login would give (an emulator token, not a secret)."""
        return self.store.new_refresh_token(user_id, scopes)

    def issue_access_token(
        self, user_id: str = DEFAULT_USER, scopes: Iterable[str] = SCOPES
    ) -> str:
        refresh = self.issue_refresh_token(user_id, scopes)
        return self.store.refresh(refresh, "emulator")["access_token"]

    def revoke_refresh_token(self, token: str) -> None:
        self.store.revoke_refresh_token(token)

    def expire_tokens(self) -> None:
        """Every access token issued so far answers 401 "The access token expired" from now."""
        self.store.expire_tokens()

    def set_faults(self, faults: Faults) -> None:
        """Switch faults mid-run (a fresh random sequence and rate-limit window)."""
        self._injector = FaultInjector(faults, clock=self._clock)
        self.store.set_stale_reads(faults.stale_reads)

    @property
    def faults(self) -> Faults:
        return self._injector.faults

    @property
    def request_log(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    def playlists_state(self) -> dict[str, dict[str, object]]:
        return self.store.snapshot()

    def add_playlist(
        self,
        owner: str,
        name: str,
        items: Iterable[str] = (),
        *,
        public: bool = True,
        description: str = "",
    ) -> str:
        self.store.add_user(owner)
        return self.store.create_playlist(owner, name, description, public, uris=items).id

    def delete_playlist(self, playlist_id: str) -> None:
        """Delete as Spotify does: the owner unfollows; GET /playlists/{id} still answers."""
        playlist = self.store.playlist(playlist_id)
        self.store.follow(playlist, playlist.owner, False)

    # --- what the HTTP handler reports ---

    def fault_for(self, path: str, method: str = "", route: str | None = None) -> Decision:
        """The fault for this request, after the configured latency when it is eligible."""
        injector = self._injector
        if injector.eligible(path, method, route) and injector.faults.latency_ms > 0:
            self._sleep(injector.faults.latency_ms / 1000.0)
        return injector.decide(path, method, route)

    def fault_eligible(self, path: str, method: str = "", route: str | None = None) -> bool:
        """Whether the faults apply to this request (its path and route)."""
        return self._injector.eligible(path, method, route)

    def record(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        status: int | None,
        fault: str | None,
        route: str | None,
    ) -> None:
        """Append one request to the log."""
        with self._log_lock:
            self._log.append(RequestRecord(method, path, query, status, fault, route))

    def record_response(self, method: str, route: str, status: int, body: object) -> None:
        """Keep a JSON body sent, when asked to at construction."""
        if self.record_responses:
            self.recorded_responses.append(ResponseRecord(method, route, status, body))
