"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest

_SETTINGS_VARIABLES = (
    "SPOTIPY_CLIENT_ID",
    "SPOTIPY_CLIENT_SECRET",
    "SPOTIPY_REDIRECT_URI",
    "SPOTIFY_REFRESH_TOKEN",
    "SPOTIFY_API_URL",
    "SPOTIFY_ACCOUNTS_URL",
    "SPOTIFY_TOKEN_CACHE",
    "SPOTIFY_MAX_WAIT",
)


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


@pytest.fixture(scope="session")
def emulator_responses():
    """Every JSON body the `emulator` fixture sent this session; the schema test checks them."""
    return []


@pytest.fixture
def emulator(emulator_responses):
    """A started local Spotify emulator on the bundled demo catalog, stopped after the test."""
    from soundtrack_playlists.emulator import Emulator

    with Emulator(record_responses=True, sleep=_no_real_sleep) as running:
        yield running
    emulator_responses.extend(running.recorded_responses)


def _no_real_sleep(seconds: float) -> None:
    """Tests never sleep for real: added latency is recorded by the request log instead."""
