"""Shared stand-ins for the Spotify tests over mocked HTTP: constants, a client, answers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import responses
from urllib3.exceptions import ProtocolError

from soundtrack_playlists.settings import SCOPES, Settings
from soundtrack_playlists.spotify.auth import TokenCache
from soundtrack_playlists.spotify.client import SpotifyClient
from soundtrack_playlists.spotify.http import RetryPolicy

API = "https://api.spotify.com/v1/"
ACCOUNTS = "https://accounts.spotify.com/"
TOKEN_URL = ACCOUNTS + "api/token"
CLIENT_ID = "0123456789abcdef0123456789abcdef"
REFRESH = "refresh-SECRET-7f3a"
ACCESS = "access-SECRET-1"
NEW_ACCESS = "access-SECRET-2"
# 10:12:51 + 13749 s is 14:02:00: the message must say "rerun after 14:02".
CLOCK = datetime(2026, 11, 26, 10, 12, 51, tzinfo=timezone.utc)
DEPRECATED = re.compile(r"/users/[^/]+/playlists|/playlists/[^/]+/tracks")
# jitter fixed at 0.5: backoff for attempt n is 0.75 * 2**(n-1) seconds
BACKOFF = [0.75, 1.5, 3.0, 6.0]


def deprecated_calls(calls: Iterable[Any]) -> list[str]:
    return [
        call.request.url for call in calls if DEPRECATED.search(urlsplit(call.request.url).path)
    ]


ALL_SCOPES = " ".join(SCOPES)


def token_answer(access: str = ACCESS, scope: str = ALL_SCOPES, refresh: str | None = None) -> dict:
    body = {"access_token": access, "token_type": "Bearer", "expires_in": 3600, "scope": scope}
    if refresh:
        body["refresh_token"] = refresh
    return body


def make_client(
    tmp_path: Path, http: responses.RequestsMock, **settings: object
) -> tuple[SpotifyClient, list[float]]:
    """A headless client (refresh token from the environment) recording its waits."""
    http.post(TOKEN_URL, json=token_answer())
    options = dict(client_id=CLIENT_ID, refresh_token=REFRESH, cache_path=tmp_path / "cache.json")
    options.update(settings)
    waits: list[float] = []
    client = SpotifyClient(
        Settings(**options),
        policy=RetryPolicy(max_attempts=5, max_wait=60),
        sleep=waits.append,
        jitter=lambda: 0.5,
        clock=lambda: CLOCK,
    )
    return client, waits


def api_calls(
    http: responses.RequestsMock, method: str | None = None, path: str | None = None
) -> list[Any]:
    found = []
    for call in http.calls:
        url = urlsplit(call.request.url)
        if not call.request.url.startswith(API):
            continue
        if method and call.request.method != method:
            continue
        if path and url.path != urlsplit(API + path).path:
            continue
        found.append(call)
    return found


def token_calls(http: responses.RequestsMock) -> list[Any]:
    return [call for call in http.calls if call.request.url == TOKEN_URL]


ME = {"id": "alice", "display_name": "Alice"}


def reset_by_peer() -> requests.exceptions.ConnectionError:
    return requests.exceptions.ConnectionError(
        ProtocolError("Connection aborted.", ConnectionResetError(104, "Connection reset by peer"))
    )


def logged_in_client(
    tmp_path: Path, http: responses.RequestsMock, access: str = ACCESS
) -> tuple[SpotifyClient, list[float]]:
    """A client with a token cache from an earlier login (not headless)."""
    cache = tmp_path / "cache.json"
    token = {**token_answer(access), "refresh_token": REFRESH, "expires_at": 4102444800}
    TokenCache(cache, CLIENT_ID, ACCOUNTS).save_token_to_cache(token)
    waits: list[float] = []
    client = SpotifyClient(
        Settings(client_id=CLIENT_ID, cache_path=cache),
        sleep=waits.append,
        jitter=lambda: 0.5,
        clock=lambda: CLOCK,
    )
    return client, waits


def search_item(uri: str = "spotify:track:abc", **extra: object) -> dict:
    item = {
        "uri": uri,
        "name": "Tennessee Whiskey",
        "artists": [{"name": "Chris Stapleton"}],
        "album": {"name": "Traveller", "album_type": "album", "release_date": "2015-05-04"},
        "duration_ms": 293026,
        "is_playable": True,
    }
    item.update(extra)
    return item


ROTATED = "refresh-SECRET-rotated-1"


def mocked_http() -> Iterator[responses.RequestsMock]:
    """Mocked HTTP; fails the test if any retired route was called."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
        assert deprecated_calls(mock.calls) == []
