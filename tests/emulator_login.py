"""A headless login to a running local emulator: its settings and its environment variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.settings import Settings

CLIENT_ID = "0123456789abcdef0123456789abcdef"  # the emulator accepts any well-formed id


def emulator_settings(
    emulator: Emulator,
    cache_path: Path,
    *,
    refresh_token: str | None = None,
    client_id: str = CLIENT_ID,
) -> Settings:
    """Settings for `emulator`, logged in with `refresh_token` or else a freshly issued one."""
    return Settings(
        client_id=client_id,
        refresh_token=emulator.issue_refresh_token() if refresh_token is None else refresh_token,
        api_url=emulator.api_url,
        accounts_url=emulator.accounts_url,
        cache_path=cache_path,
    )


def emulator_env(
    emulator: Emulator,
    cache_path: Path,
    *,
    refresh_token: str | None = None,
    client_id: str = CLIENT_ID,
) -> dict[str, str]:
    """The variables a user would set to run the commands against `emulator`, logged in."""
    return {
        "SPOTIPY_CLIENT_ID": client_id,
        "SPOTIFY_REFRESH_TOKEN": (
            emulator.issue_refresh_token() if refresh_token is None else refresh_token
        ),
        "SPOTIFY_API_URL": emulator.api_url,
        "SPOTIFY_ACCOUNTS_URL": emulator.accounts_url,
        "SPOTIFY_TOKEN_CACHE": str(cache_path),
        # The emulator's reads never lag unless a test says so: no run waits for them.
        "SPOTIFY_READ_LAG": "0",
    }


def log_in_commands(monkeypatch: pytest.MonkeyPatch, emulator: Emulator, cache_path: Path) -> None:
    """Points the commands run in this process at `emulator`, logged in headless."""
    for name, value in emulator_env(emulator, cache_path).items():
        monkeypatch.setenv(name, value)
