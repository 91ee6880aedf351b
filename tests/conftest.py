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
