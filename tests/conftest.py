"""Fixtures shared by the whole suite."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from soundtrack_playlists.emulator.app import Emulator
    from soundtrack_playlists.spotify.client import SpotifyClient

_SETTINGS_VARIABLES = (
    "SPOTIPY_CLIENT_ID",
    "SPOTIPY_CLIENT_SECRET",
    "SPOTIPY_REDIRECT_URI",
    "SPOTIFY_REFRESH_TOKEN",
    "SPOTIFY_API_URL",
    "SPOTIFY_ACCOUNTS_URL",
    "SPOTIFY_TOKEN_CACHE",
    "SPOTIFY_MAX_WAIT",
    "SPOTIFY_READ_LAG",
)


_LOOPBACK_NAMES = ("localhost", "::1")
LONGEST_REAL_SLEEP = 0.5  # seconds: a longer one means a wait that was not injected


@pytest.fixture(autouse=True)
def no_long_real_sleep(monkeypatch):
    """Tests never sleep for real: the library's waits go through `time.sleep` at call time,
    so a wait nobody injected (a retry, the read lag) fails here instead of costing seconds."""
    real_sleep = time.sleep

    def sleep(seconds: float) -> None:
        if seconds > LONGEST_REAL_SLEEP:
            raise AssertionError(
                f"a real sleep of {seconds} s in a test: inject the sleep or set the read lag"
            )
        real_sleep(seconds)

    monkeypatch.setattr(time, "sleep", sleep)


def _is_loopback(host) -> bool:
    return isinstance(host, str) and (host.startswith("127.") or host in _LOOPBACK_NAMES)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch, request):
    """Tests never reach the network: only 127.0.0.0/8 and ::1 may be looked up or dialled.

    The one exception is a `live` contract check, run only on request with `pytest -m live`.
    """
    if request.node.get_closest_marker("live") is not None:
        return
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):
        if not _is_loopback(host):
            raise socket.gaierror(f"tests may not look up {host!r}: use the emulator")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise ConnectionRefusedError(f"tests may not reach {address[0]}: use the emulator")
        return real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never read or write the developer's own settings, caches or tokens."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    for variable in _SETTINGS_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return home


# --- emulator fixtures ---


@pytest.fixture(scope="session", autouse=True)
def emulator_responses():
    """Every JSON body any emulator sent during the session, end-to-end tests included.

    The schema test, which runs last, checks them against Spotify's OpenAPI spec; so does the
    end of the session, in each worker of a parallel run (each sees only its own answers).
    """
    from soundtrack_playlists.emulator.app import Emulator, ResponseRecord

    sent: list[ResponseRecord] = []
    original = Emulator.record_response

    def record_response(self, method, route, status, body):
        sent.append(ResponseRecord(method, route, status, body))
        original(self, method, route, status, body)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Emulator, "record_response", record_response)
        yield sent
    from spotify_schema import check, load_spec, spec_components

    spec = load_spec()
    problems = check(spec, spec_components(spec), sent)
    assert problems == [], "emulator answers that Spotify's spec does not allow"


def pytest_collection_modifyitems(config, items):
    """Tests marked `runs_last` see what every other test of the run did.

    Checks marked `live` talk to real Spotify: they run only when asked for with `-m live`.
    """
    items.sort(key=lambda item: item.get_closest_marker("runs_last") is not None)
    if "live" not in (config.getoption("markexpr") or ""):
        skip = pytest.mark.skip(reason="a live check against real Spotify: run `pytest -m live`")
        for item in items:
            if item.get_closest_marker("live") is not None:
                item.add_marker(skip)


@pytest.fixture
def season_dir(tmp_path):
    """A copy of the shipped season: a sync writes its lock, state and report beside it."""
    import shutil

    from soundtrack_playlists.files.paths import default_season_dir

    target = tmp_path / "season-1"
    shutil.copytree(default_season_dir(), target)
    return target


@pytest.fixture
def emulator():
    """A started local Spotify emulator on the bundled demo catalog, stopped after the test."""
    from soundtrack_playlists.emulator.app import Emulator

    with Emulator(sleep=_no_real_sleep) as running:
        yield running


def _no_real_sleep(seconds: float) -> None:
    """Tests never sleep for real: added latency is recorded by the request log instead."""


@pytest.fixture
def connect(emulator: Emulator, tmp_path: Path) -> Callable[..., SpotifyClient]:
    """Makes a fresh client per call, as each CLI run would have, on one headless login to the
    emulator; retries never sleep for real.

    `client_class` swaps in a subclass; `scopes` logs in afresh with only those, on a token
    cache of its own.
    """
    from emulator_login import emulator_settings

    from soundtrack_playlists.spotify.client import SpotifyClient

    token = emulator.issue_refresh_token()

    def make(
        client_class: type[SpotifyClient] = SpotifyClient, scopes: Sequence[str] | None = None
    ) -> SpotifyClient:
        if scopes is None:
            settings = emulator_settings(
                emulator, tmp_path / "token-cache.json", refresh_token=token
            )
        else:
            settings = emulator_settings(
                emulator,
                tmp_path / f"token-cache-{len(scopes)}.json",
                refresh_token=emulator.issue_refresh_token(scopes=scopes),
            )
        return client_class(settings, sleep=lambda seconds: None, jitter=lambda: 0.0)

    return make


@pytest.fixture
def cli_env(emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment a user would set to point the commands at the emulator, logged in."""
    from emulator_login import log_in_commands

    monkeypatch.chdir(tmp_path)  # no .env of the developer's is read
    log_in_commands(monkeypatch, emulator, tmp_path / "token-cache.json")


@pytest.fixture
def clocked_world(tmp_path: Path):
    """A copy of the shipped season and an emulator on a simulated clock, logged in:
    (emulator, settings, season folder, clock). Waits cost no real time."""
    import shutil

    from emulator_login import emulator_settings
    from simulated_clock import SimulatedClock

    from soundtrack_playlists.emulator.app import Emulator
    from soundtrack_playlists.files.paths import default_season_dir

    clock = SimulatedClock()
    folder = tmp_path / "season-1"
    shutil.copytree(default_season_dir(), folder)
    with Emulator(sleep=lambda seconds: None, clock=clock.time) as emulator:
        yield emulator, emulator_settings(emulator, tmp_path / "token-cache.json"), folder, clock
