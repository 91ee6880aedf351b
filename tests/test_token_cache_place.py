"""The token cache lives in the user state folder, one per accounts service and app; old moves."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import platformdirs
import requests

from soundtrack_playlists.files.paths import APP_NAME, legacy_token_cache_path, token_cache_path
from soundtrack_playlists.settings import Settings
from soundtrack_playlists.spotify.auth import Auth

CLIENT_ID = "0123456789abcdef0123456789abcdef"
SPOTIFY = "https://accounts.spotify.com/"
EMULATOR = "http://127.0.0.1:8765/"


def test_one_cache_per_service_and_app_in_the_state_folder() -> None:
    spotify = token_cache_path(SPOTIFY, CLIENT_ID)
    assert Path(platformdirs.user_state_dir(APP_NAME)) in spotify.parents
    assert Path(platformdirs.user_cache_dir(APP_NAME)) not in spotify.parents
    others = {
        token_cache_path(EMULATOR, CLIENT_ID),
        token_cache_path(SPOTIFY, "f" * 32),
        token_cache_path("http://127.0.0.1:9999/", CLIENT_ID),
    }
    assert spotify not in others and len(others) == 3
    assert "/" not in token_cache_path("http://x/", "../../etc").name


def test_settings_use_it_unless_a_path_is_given(tmp_path: Path) -> None:
    settings = Settings(client_id=CLIENT_ID, accounts_url=EMULATOR)
    assert settings.token_cache == token_cache_path(EMULATOR, CLIENT_ID)
    given = Settings(client_id=CLIENT_ID, cache_path=tmp_path / "mine.json")
    assert given.token_cache == tmp_path / "mine.json"


def _old_cache(accounts_url: str) -> dict:
    data = {
        "app": {"client_id": CLIENT_ID, "accounts_url": accounts_url},
        "token": {"access_token": "a", "refresh_token": "r", "expires_at": 0},
    }
    legacy = legacy_token_cache_path()
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_text(json.dumps(data), encoding="utf-8")
    return data


def test_the_old_cache_moves_to_its_service_and_app() -> None:
    data = _old_cache(SPOTIFY)
    auth = Auth(Settings(client_id=CLIENT_ID), requests.Session())
    new = token_cache_path(SPOTIFY, CLIENT_ID)
    assert json.loads(new.read_text(encoding="utf-8")) == data
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert not legacy_token_cache_path().exists()
    assert auth.token() == data["token"]  # the login still works after the move


def test_the_old_cache_of_another_service_stays_put() -> None:
    _old_cache(SPOTIFY)
    Auth(Settings(client_id=CLIENT_ID, accounts_url=EMULATOR), requests.Session())
    assert legacy_token_cache_path().exists()
    assert not token_cache_path(EMULATOR, CLIENT_ID).exists()


def test_an_existing_new_cache_is_never_overwritten() -> None:
    _old_cache(SPOTIFY)
    new = token_cache_path(SPOTIFY, CLIENT_ID)
    new.parent.mkdir(parents=True, exist_ok=True)
    new.write_text('{"kept": true}', encoding="utf-8")
    Auth(Settings(client_id=CLIENT_ID), requests.Session())
    assert json.loads(new.read_text(encoding="utf-8")) == {"kept": True}
