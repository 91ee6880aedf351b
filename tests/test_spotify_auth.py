"""Tokens over mocked HTTP: the cache files, rotation, refresh shared between threads."""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import responses
from spotify_fakes import (
    ACCESS,
    ACCOUNTS,
    API,
    CLIENT_ID,
    ME,
    NEW_ACCESS,
    REFRESH,
    ROTATED,
    TOKEN_URL,
    api_calls,
    logged_in_client,
    make_client,
    mocked_http,
    search_item,
    token_answer,
    token_calls,
)

from soundtrack_playlists.errors import LocalFileError
from soundtrack_playlists.settings import Settings
from soundtrack_playlists.spotify.auth import TokenCache
from soundtrack_playlists.spotify.client import SpotifyClient


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    """Mocked HTTP; fails the test if any retired route was called."""
    yield from mocked_http()


@pytest.fixture
def client(tmp_path: Path, http: responses.RequestsMock) -> tuple[SpotifyClient, list[float]]:
    return make_client(tmp_path, http)


# --- token cache -----------------------------------------------------------------------


def test_a_refreshed_token_is_cached_with_mode_0600(
    tmp_path: Path, http: responses.RequestsMock
) -> None:
    client, _ = logged_in_client(tmp_path, http)
    cache = tmp_path / "cache.json"
    data = json.loads(cache.read_text())
    data["token"]["expires_at"] = 0  # expired: the next call refreshes
    cache.write_text(json.dumps(data))
    cache.chmod(0o644)
    http.post(TOKEN_URL, json=token_answer(NEW_ACCESS))
    http.get(API + "me", json=ME)
    client.current_user()
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    token = json.loads(cache.read_text())["token"]
    assert token["access_token"] == NEW_ACCESS and token["refresh_token"] == REFRESH


def test_a_rotated_refresh_token_from_a_logged_in_client_is_cached(
    tmp_path: Path, http: responses.RequestsMock
) -> None:
    client, _ = logged_in_client(tmp_path, http)
    cache = tmp_path / "cache.json"
    data = json.loads(cache.read_text())
    data["token"]["expires_at"] = 0
    cache.write_text(json.dumps(data))
    http.post(TOKEN_URL, json=token_answer(NEW_ACCESS, refresh=ROTATED))
    http.get(API + "me", json=ME)
    client.current_user()
    assert json.loads(cache.read_text())["token"]["refresh_token"] == ROTATED


def test_headless_use_keeps_the_newest_tokens_in_the_cache_never_the_seed(
    tmp_path: Path, http: responses.RequestsMock
) -> None:
    http.post(TOKEN_URL, json=token_answer(refresh=ROTATED))
    client, _ = make_client(tmp_path, http)
    http.get(API + "me", json=ME)
    client.current_user()
    cache = tmp_path / "cache.json"
    text = cache.read_text()
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    data = json.loads(text)
    assert data["app"] == {"client_id": CLIENT_ID, "accounts_url": ACCOUNTS}
    assert data["seed"] == hashlib.sha256(REFRESH.encode()).hexdigest()
    assert data["token"]["refresh_token"] == ROTATED
    assert REFRESH not in text
    assert str(cache) in client.auth.cache_description
    assert REFRESH not in client.auth.cache_description


def test_a_headless_run_starts_from_the_cache_the_same_seed_left(
    tmp_path: Path, http: responses.RequestsMock
) -> None:
    http.post(TOKEN_URL, json=token_answer(refresh=ROTATED))
    first, _ = make_client(tmp_path, http)
    http.get(API + "me", json=ME)
    first.current_user()
    cache = tmp_path / "cache.json"
    data = json.loads(cache.read_text())
    data["token"]["expires_at"] = 0  # the next run must refresh
    cache.write_text(json.dumps(data))
    http.replace(responses.POST, TOKEN_URL, json=token_answer(NEW_ACCESS, refresh="r-SECRET-2"))
    second, _ = make_client(tmp_path, http)
    second.current_user()
    sent = [parse_qs(call.request.body)["refresh_token"] for call in token_calls(http)]
    assert sent == [[REFRESH], [ROTATED]]
    assert json.loads(cache.read_text())["token"]["refresh_token"] == "r-SECRET-2"


@pytest.mark.parametrize(
    "change",
    [
        {"seed": hashlib.sha256(b"another-token").hexdigest()},
        {"seed": None},
        {"app": {"client_id": "f" * 32, "accounts_url": ACCOUNTS}},
    ],
)
def test_a_headless_run_ignores_a_cache_of_another_seed_or_app(
    tmp_path: Path, http: responses.RequestsMock, change: dict[str, str]
) -> None:
    cache = tmp_path / "cache.json"
    data = {
        "app": {"client_id": CLIENT_ID, "accounts_url": ACCOUNTS},
        "seed": hashlib.sha256(REFRESH.encode()).hexdigest(),
        "token": {**token_answer("access-SECRET-old"), "refresh_token": "refresh-SECRET-old",
                  "expires_at": 4102444800},
    }  # fmt: skip
    cache.write_text(json.dumps({**data, **change}))
    client, _ = make_client(tmp_path, http)
    http.get(API + "me", json=ME)
    client.current_user()
    assert [parse_qs(call.request.body)["refresh_token"] for call in token_calls(http)] == [
        [REFRESH]
    ]
    assert api_calls(http)[0].request.headers["Authorization"] == f"Bearer {ACCESS}"


def test_an_unwritable_cache_stops_the_run_before_the_refresh_token_is_spent(
    tmp_path: Path, http: responses.RequestsMock
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    http.post(TOKEN_URL, json=token_answer(refresh=ROTATED))
    client, _ = make_client(tmp_path, http, cache_path=blocker / "cache.json")
    with pytest.raises(LocalFileError, match="SPOTIFY_TOKEN_CACHE") as raised:
        client.current_user()
    assert str(blocker) in str(raised.value) and "expired" not in str(raised.value)
    assert token_calls(http) == []  # a rotating refresh token is not used up for nothing


def test_a_cache_from_another_app_or_server_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "cache.json"
    token = {"access_token": "x", "expires_at": 1}
    TokenCache(path, CLIENT_ID, "http://127.0.0.1:9/").save_token_to_cache(token)
    assert TokenCache(path, CLIENT_ID, ACCOUNTS).get_cached_token() is None
    assert TokenCache(path, "f" * 32, "http://127.0.0.1:9/").get_cached_token() is None
    assert TokenCache(path, CLIENT_ID, "http://127.0.0.1:9/").get_cached_token() == token


def test_the_default_cache_is_in_the_user_cache_folder(
    isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    path = Settings(client_id=CLIENT_ID).token_cache
    assert path.is_relative_to(isolated_user_dirs)
    assert not path.is_relative_to(tmp_path)


def test_concurrent_searches_share_one_token_refresh(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    client, _ = client
    http.get(API + "search", json={"tracks": {"items": [search_item()]}})
    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(client.search_tracks, "abcdefghijklmnop"))
    assert all(len(tracks) == 1 for tracks in found)
    assert len(token_calls(http)) == 1
