"""The Spotify door over mocked HTTP: retries, waits, error classes, idempotent writes."""

from __future__ import annotations

import hashlib
import json
import re
import stat
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from urllib3.exceptions import ProtocolError

from soundtrack_playlists.errors import (
    ConfigError,
    Forbidden,
    LoginRequired,
    MissingScope,
    NotAllowListed,
    NotFound,
    RateLimited,
    SpotifyError,
    SpotifyUnavailable,
)
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


def deprecated_calls(calls) -> list[str]:
    return [
        call.request.url for call in calls if DEPRECATED.search(urlsplit(call.request.url).path)
    ]


@pytest.fixture
def http():
    """Mocked HTTP; fails the test if any retired route was called."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
        assert deprecated_calls(mock.calls) == []


ALL_SCOPES = " ".join(SCOPES)


def token_answer(access=ACCESS, scope=ALL_SCOPES, refresh=None):
    body = {"access_token": access, "token_type": "Bearer", "expires_in": 3600, "scope": scope}
    if refresh:
        body["refresh_token"] = refresh
    return body


def make_client(tmp_path, http, **settings) -> tuple[SpotifyClient, list[float]]:
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


@pytest.fixture
def client(tmp_path, http):
    return make_client(tmp_path, http)


def api_calls(http, method=None, path=None):
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


def token_calls(http):
    return [call for call in http.calls if call.request.url == TOKEN_URL]


ME = {"id": "alice", "display_name": "Alice"}


# --- 429 ------------------------------------------------------------------------------


@pytest.mark.parametrize(("retry_after", "wait"), [("0", 0.0), ("3", 3.0), ("60", 60.0)])
def test_429_with_a_retry_after_within_the_cap_waits_exactly_that(client, http, retry_after, wait):
    client, waits = client
    http.get(API + "me", status=429, headers={"retry-after": retry_after}, body="")
    http.get(API + "me", json=ME)
    assert client.current_user().id == "alice"
    assert waits == [wait]
    assert len(api_calls(http, "GET", "me")) == 2


def test_429_above_the_cap_stops_at_once_with_exit_code_75(client, http):
    client, waits = client
    http.get(API + "me", status=429, headers={"retry-after": "13749"}, json={})
    with pytest.raises(RateLimited) as caught:
        client.current_user()
    assert waits == []
    assert len(api_calls(http, "GET", "me")) == 1
    assert caught.value.exit_code == 75
    assert caught.value.retry_after == 13749
    assert str(caught.value) == (
        "Spotify asked to wait 13749 s (about 3 h 49 min) before the next request; "
        "everything done so far is saved: rerun after 14:02"
    )


def test_429_for_a_day_names_the_date_to_rerun_after(client, http):
    client, waits = client
    body = {"error": {"status": 429, "message": "API rate limit exceeded", "reason": "QUOTA"}}
    http.get(API + "me", status=429, headers={"Retry-After": "79892"}, json=body)
    with pytest.raises(RateLimited) as caught:
        client.current_user()
    resume = CLOCK + timedelta(seconds=79892)  # 08:24:23 the next day -> 08:25
    assert "about 22 h 12 min" in str(caught.value)
    assert f"rerun after {resume:%Y-%m-%d} 08:25" in str(caught.value)
    assert waits == []


def test_the_cap_is_configurable(tmp_path, http):
    client, waits = make_client(tmp_path, http)
    client.http.policy = RetryPolicy(max_wait=5)
    http.get(API + "me", status=429, headers={"retry-after": "6"})
    with pytest.raises(RateLimited):
        client.current_user()
    assert waits == []


def test_429_without_retry_after_backs_off_exponentially_with_jitter(client, http):
    client, waits = client
    for _ in range(3):
        http.get(API + "me", status=429, body="")
    http.get(API + "me", json=ME)
    client.current_user()
    assert waits == BACKOFF[:3]


def test_429_without_retry_after_that_never_ends_is_rate_limited(client, http):
    client, waits = client
    http.get(API + "me", status=429, body="")
    with pytest.raises(RateLimited) as caught:
        client.current_user()
    assert len(api_calls(http, "GET", "me")) == 5
    assert waits == BACKOFF
    assert caught.value.retry_after is None
    assert caught.value.exit_code == 75


def test_short_429s_that_never_end_say_so_not_a_long_wait(client, http):
    # regression: five `retry-after: 1` answers once read "asked to wait 1 s (about 1 min)"
    client, waits = client
    http.get(API + "me", status=429, body="", headers={"retry-after": "1"})
    with pytest.raises(RateLimited) as caught:
        client.current_user()
    assert waits == [1.0] * 4 and len(api_calls(http, "GET", "me")) == 5
    assert "kept answering 429" in str(caught.value) and "about" not in str(caught.value)
    assert caught.value.exit_code == 75


def test_jitter_spreads_the_backoff(tmp_path, http):
    client, waits = make_client(tmp_path, http)
    draws = iter([0.0, 0.999])
    client.http.jitter = lambda: next(draws)
    http.get(API + "me", status=503)
    http.get(API + "me", status=503)
    http.get(API + "me", json=ME)
    client.current_user()
    assert waits[0] == 0.5  # attempt 1: ceiling 1 s, no jitter
    assert 1.99 < waits[1] < 2.0  # attempt 2: ceiling 2 s, nearly all jitter


# --- 5xx, dropped connections, timeouts ----------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried_with_backoff(client, http, status):
    client, waits = client
    http.get(API + "me", status=status, body="<html>oops</html>")
    http.get(API + "me", status=status, json={"error": {"status": status, "message": "x"}})
    http.get(API + "me", json=ME)
    assert client.current_user().id == "alice"
    assert waits == BACKOFF[:2]
    assert len(api_calls(http, "GET", "me")) == 3


def test_server_errors_that_outlast_the_attempts_are_unavailable(client, http):
    client, waits = client
    http.get(API + "me", status=503)
    with pytest.raises(SpotifyUnavailable) as caught:
        client.current_user()
    assert len(api_calls(http, "GET", "me")) == 5
    assert waits == BACKOFF
    assert "503" in str(caught.value) and "5 attempts" in str(caught.value)


def reset_by_peer():
    return requests.exceptions.ConnectionError(
        ProtocolError("Connection aborted.", ConnectionResetError(104, "Connection reset by peer"))
    )


def test_a_reset_connection_is_retried(client, http):
    client, waits = client
    http.get(API + "me", body=reset_by_peer())
    http.get(API + "me", json=ME)
    assert client.current_user().id == "alice"
    assert waits == BACKOFF[:1]
    assert len(api_calls(http, "GET", "me")) == 2


def test_a_timeout_is_retried_and_every_request_has_a_timeout(client, http):
    client, waits = client
    http.get(API + "me", body=requests.exceptions.ReadTimeout("read timed out"))
    http.get(API + "me", json=ME)
    client.current_user()
    assert waits == BACKOFF[:1]
    assert [call.request.req_kwargs["timeout"] for call in http.calls] == [20.0, 20.0, 20.0]
    assert len(token_calls(http)) == 1  # the token request had its timeout too


def test_an_unreachable_api_says_where_it_tried(client, http):
    client, waits = client
    http.get(API + "me", body=requests.exceptions.ConnectionError("Failed to establish"))
    with pytest.raises(SpotifyUnavailable) as caught:
        client.current_user()
    assert "https://api.spotify.com" in str(caught.value)
    assert len(waits) == 4


# --- 401, invalid_grant, 403, 404 ----------------------------------------------------


def logged_in_client(tmp_path, http, access=ACCESS):
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


def test_401_refreshes_once_and_retries(tmp_path, http):
    client, waits = logged_in_client(tmp_path, http)
    expired = {"error": {"status": 401, "message": "The access token expired"}}
    http.get(API + "me", status=401, json=expired)
    http.get(API + "me", json=ME)
    http.post(TOKEN_URL, json=token_answer(NEW_ACCESS))
    assert client.current_user().id == "alice"
    calls = api_calls(http, "GET", "me")
    assert [c.request.headers["Authorization"] for c in calls] == [
        f"Bearer {ACCESS}",
        f"Bearer {NEW_ACCESS}",
    ]
    assert len(token_calls(http)) == 1
    assert parse_qs(token_calls(http)[0].request.body)["refresh_token"] == [REFRESH]
    assert waits == []


def test_401_after_a_refresh_asks_to_log_in(tmp_path, http):
    client, _ = logged_in_client(tmp_path, http)
    http.get(API + "me", status=401, json={"error": {"status": 401, "message": "Invalid token"}})
    http.post(TOKEN_URL, json=token_answer(NEW_ACCESS))
    with pytest.raises(LoginRequired) as caught:
        client.current_user()
    assert len(api_calls(http, "GET", "me")) == 2
    assert "soundtrack-playlists login" in str(caught.value)


def test_pkce_refresh_sends_the_client_id_and_no_secret(client, http):
    client, _ = client
    http.get(API + "me", json=ME)
    client.current_user()
    (call,) = token_calls(http)
    form = parse_qs(call.request.body)
    assert form == {
        "refresh_token": [REFRESH],
        "grant_type": ["refresh_token"],
        "client_id": [CLIENT_ID],
    }
    assert "Authorization" not in call.request.headers
    assert call.request.req_kwargs["timeout"] == 20.0


def test_with_a_secret_the_refresh_uses_basic_auth(tmp_path, http):
    client, _ = make_client(tmp_path, http, client_secret="client-SECRET-9")
    http.get(API + "me", json=ME)
    client.current_user()
    (call,) = token_calls(http)
    assert call.request.headers["Authorization"].startswith("Basic ")
    assert "client_id" not in parse_qs(call.request.body)


def test_invalid_grant_means_log_in_again(tmp_path, http):
    http.post(
        TOKEN_URL,
        status=400,
        json={"error": "invalid_grant", "error_description": "Refresh token revoked"},
    )
    client = SpotifyClient(
        Settings(client_id=CLIENT_ID, refresh_token=REFRESH), sleep=pytest.fail, jitter=lambda: 0
    )
    with pytest.raises(LoginRequired) as caught:
        client.current_user()
    message = str(caught.value)
    assert "expired or was revoked" in message and "six months" in message
    assert "run `soundtrack-playlists login`" in message
    assert "SPOTIFY_REFRESH_TOKEN" in message  # headless: says where the new token goes
    assert len(token_calls(http)) == 1
    assert api_calls(http) == []


def test_a_wrong_client_id_is_a_configuration_error(tmp_path, http):
    http.post(TOKEN_URL, status=400, json={"error": "invalid_client", "error_description": "x"})
    client = SpotifyClient(Settings(client_id=CLIENT_ID, refresh_token=REFRESH), sleep=pytest.fail)
    with pytest.raises(ConfigError, match="SPOTIPY_CLIENT_ID"):
        client.current_user()


def test_a_failing_token_endpoint_is_retried_like_the_api(client, http):
    client, waits = client
    http.replace(responses.POST, TOKEN_URL, status=503)
    http.post(TOKEN_URL, json=token_answer())
    http.get(API + "me", json=ME)
    client.current_user()
    assert waits == BACKOFF[:1]
    assert len(token_calls(http)) == 2


def test_not_logged_in_at_all(tmp_path, http):
    client = SpotifyClient(Settings(client_id=CLIENT_ID, cache_path=tmp_path / "none.json"))
    with pytest.raises(LoginRequired, match="run `soundtrack-playlists login`"):
        client.current_user()
    assert len(http.calls) == 0


def test_no_client_id_names_every_way_to_set_it():
    with pytest.raises(ConfigError) as caught:
        SpotifyClient(Settings())
    assert "SPOTIPY_CLIENT_ID" in str(caught.value) and ".env" in str(caught.value)


ALLOW_LIST_MESSAGES = [
    "Check settings on developer.spotify.com/dashboard, the user may not be registered.",
    "The user is not registered for this application. Please check your settings on "
    "https://developer.spotify.com/dashboard.",
    "User not registered in the Developer Dashboard",
]


@pytest.mark.parametrize("message", ALLOW_LIST_MESSAGES)
def test_403_for_a_user_off_the_allow_list_says_which_setting(client, http, message):
    client, waits = client
    http.get(API + "me", status=403, json={"error": {"status": 403, "message": message}})
    with pytest.raises(NotAllowListed) as caught:
        client.current_user()
    assert "Dashboard -> your app -> User Management" in str(caught.value)
    assert "name and email" in str(caught.value)
    assert len(api_calls(http)) == 1 and waits == []


def test_403_plain_text_not_approved(client, http):
    client, _ = client
    http.get(API + "me", status=403, body="User not approved for app")
    with pytest.raises(NotAllowListed):
        client.current_user()


def test_403_for_a_missing_scope_says_log_in_again(client, http):
    client, waits = client
    body = {"error": {"status": 403, "message": "Insufficient client scope"}}
    http.post(API + "me/playlists", status=403, json=body)
    with pytest.raises(MissingScope) as caught:
        client.create_playlist("S1", "", False)
    assert "soundtrack-playlists login" in str(caught.value)
    assert "playlist-modify-private" in str(caught.value)
    assert len(api_calls(http)) == 1 and waits == []


def test_other_403_is_forbidden(client, http):
    client, _ = client
    body = {
        "error": {"status": 403, "message": "You cannot add tracks to a playlist you don't own."}
    }
    http.put(API + "playlists/theirs/items", status=403, json=body)
    with pytest.raises(Forbidden, match="playlists you own"):
        client.replace_items("theirs", ["spotify:track:a"])


def test_404_is_not_found_and_not_retried(client, http):
    client, waits = client
    body = {"error": {"status": 404, "message": "Resource not found"}}
    http.get(API + "playlists/37i9dQZF1DX", status=404, json=body)
    with pytest.raises(NotFound) as caught:
        client.playlist("37i9dQZF1DX")
    assert "/playlists/37i9dQZF1DX" in str(caught.value)
    assert len(api_calls(http)) == 1 and waits == []


def test_400_is_reported_with_spotifys_message(client, http):
    client, _ = client
    body = {"error": {"status": 400, "message": "Invalid limit"}}
    http.get(API + "search", status=400, json=body)
    with pytest.raises(SpotifyError, match="Invalid limit"):
        client.search_tracks("x")


# --- reads ---------------------------------------------------------------------------


def search_item(uri="spotify:track:abc", **extra):
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


def test_search_sends_the_query_with_a_limit_of_at_most_ten(client, http):
    client, _ = client
    http.get(API + "search", json={"tracks": {"items": [search_item(), None]}})
    (track,) = client.search_tracks('track:"Tennessee Whiskey" artist:Stapleton')
    query = parse_qs(urlsplit(api_calls(http, "GET", "search")[0].request.url).query)
    assert query == {
        "q": ['track:"Tennessee Whiskey" artist:Stapleton'],
        "type": ["track"],
        "limit": ["10"],
        "market": ["from_token"],
    }
    assert track.uri == "spotify:track:abc" and track.artists == ("Chris Stapleton",)
    assert track.album_type == "album" and track.release_date == "2015-05-04"
    assert track.popularity is None and track.is_playable is True


def test_search_refuses_a_limit_spotify_would_refuse(client, http):
    client, _ = client
    with pytest.raises(ValueError):
        client.search_tracks("x", limit=11)
    assert api_calls(http) == []


def test_search_without_market(client, http):
    client, _ = client
    http.get(API + "search", json={"tracks": {"items": []}})
    assert client.search_tracks("x", limit=3, market=None) == []
    query = parse_qs(urlsplit(api_calls(http)[0].request.url).query)
    assert "market" not in query and query["limit"] == ["3"]


def playlist_json(
    pid, name="P", owner="alice", total=0, snapshot="s0", description="", key="items"
):
    return {
        "id": pid,
        "name": name,
        "owner": {"id": owner},
        "description": description,
        "public": False,
        "snapshot_id": snapshot,
        key: {"total": total},
    }


def test_my_playlists_reads_every_page_by_offset(client, http):
    client, _ = client
    first = [playlist_json(f"p{i}") for i in range(50)]
    page1 = {
        "items": first,
        "total": 52,
        "next": "https://api.spotify.com/v1/users/alice/playlists",
    }
    http.get(API + "me/playlists", json=page1)
    http.get(
        API + "me/playlists",
        json={"items": [playlist_json("p50"), playlist_json("p51")], "total": 52, "next": None},
    )
    playlists = client.my_playlists()
    assert [p.id for p in playlists] == [f"p{i}" for i in range(52)]
    offsets = [parse_qs(urlsplit(c.request.url).query)["offset"] for c in api_calls(http)]
    assert offsets == [["0"], ["50"]]  # the `next` URL (a retired route) was not followed


def test_playlist_details_read_items_or_tracks_and_unescape_the_description(client, http):
    client, _ = client
    http.get(API + "playlists/a", json=playlist_json("a", total=7, description="Rock &amp; Roll"))
    http.get(API + "playlists/b", json=playlist_json("b", total=3, key="tracks"))
    a, b = client.playlist("a"), client.playlist("b")
    assert (a.total, a.description, a.owner_id) == (7, "Rock & Roll", "alice")
    assert b.total == 3


def test_playlist_item_uris_reads_item_or_track_and_skips_missing(client, http):
    client, _ = client
    entries = [
        {"item": {"uri": "spotify:track:1"}},
        {"track": {"uri": "spotify:track:2"}},
        {"item": None, "track": None},
        {"item": {"uri": "spotify:track:3"}, "track": {"uri": "spotify:track:3"}},
    ]
    http.get(API + "playlists/x/items", json={"items": entries, "total": 4})
    assert client.playlist_item_uris("x") == [
        "spotify:track:1",
        "spotify:track:2",
        "spotify:track:3",
    ]


# --- writes: a fake playlist that can fail after (or before) applying a write -----------


class FakePlaylist:
    """One playlist behind the mock; `faults` scripts what each POST of items does."""

    def __init__(self, http, pid="pl1", items=(), faults=()):
        self.pid, self.items, self.version = pid, list(items), 0
        self.faults = list(faults)  # "apply-then-timeout", "apply-then-502", "503", "reset"
        self.posts: list[dict] = []
        self.put_faults: list[str] = []
        base = f"{API}playlists/{pid}"
        http.add_callback(responses.GET, base, callback=self.details)
        http.add_callback(responses.GET, base + "/items", callback=self.page)
        http.add_callback(responses.POST, base + "/items", callback=self.post)
        http.add_callback(responses.PUT, base + "/items", callback=self.put)

    def answer(self, status=200, body=None):
        return status, {}, json.dumps(body if body is not None else {"snapshot_id": self.snapshot})

    @property
    def snapshot(self):
        return f"snap-{self.version}"

    def details(self, request):
        return self.answer(
            body=playlist_json(self.pid, total=len(self.items), snapshot=self.snapshot)
        )

    def page(self, request):
        query = parse_qs(urlsplit(request.url).query)
        offset, limit = int(query["offset"][0]), int(query["limit"][0])
        assert limit <= 50
        entries = [{"item": {"uri": uri}} for uri in self.items[offset : offset + limit]]
        return self.answer(body={"items": entries, "total": len(self.items)})

    def post(self, request):
        body = json.loads(request.body)
        self.posts.append(body)
        assert len(body["uris"]) <= 100
        fault = self.faults.pop(0) if self.faults else None
        if fault in ("503", "reset"):  # failed before Spotify applied anything
            return reset_by_peer() if fault == "reset" else self.answer(503, {})
        position = body.get("position", len(self.items))
        self.items[position:position] = body["uris"]
        self.version += 1
        if fault == "apply-then-timeout":
            return requests.exceptions.ReadTimeout("read timed out")
        if fault == "apply-then-502":
            return self.answer(502, {})
        return self.answer(201)

    def put(self, request):
        self.items = list(json.loads(request.body)["uris"])
        self.version += 1
        if self.put_faults and self.put_faults.pop(0) == "apply-then-timeout":
            return requests.exceptions.ReadTimeout("read timed out")
        return self.answer()


URIS = [f"spotify:track:t{i:03d}" for i in range(250)]


@pytest.mark.parametrize("fault", ["apply-then-timeout", "apply-then-502"])
def test_an_append_that_landed_before_the_failure_is_not_sent_again(client, http, fault):
    client, waits = client
    fake = FakePlaylist(http, items=["spotify:track:old"], faults=[fault])
    snapshot = client.append_items("pl1", URIS[:3])
    assert fake.items == ["spotify:track:old", *URIS[:3]]
    assert len(fake.posts) == 1
    assert snapshot == fake.snapshot
    assert waits == BACKOFF[:1]


@pytest.mark.parametrize("fault", ["503", "reset"])
def test_an_append_that_did_not_land_is_sent_again_once(client, http, fault):
    client, waits = client
    fake = FakePlaylist(http, items=["spotify:track:old"], faults=[fault])
    snapshot = client.append_items("pl1", URIS[:3])
    assert fake.items == ["spotify:track:old", *URIS[:3]]
    assert fake.posts == [{"uris": URIS[:3], "position": 1}] * 2
    assert snapshot == fake.snapshot


def test_append_in_chunks_of_100_at_the_end(client, http):
    client, _ = client
    fake = FakePlaylist(http, items=["spotify:track:old"])
    client.append_items("pl1", URIS)
    assert [len(post["uris"]) for post in fake.posts] == [100, 100, 50]
    assert [post["position"] for post in fake.posts] == [1, 101, 201]
    assert fake.items == ["spotify:track:old", *URIS]


def test_append_at_a_known_start_reads_nothing_first(client, http):
    client, _ = client
    fake = FakePlaylist(http, items=URIS[:120])
    snapshot = client.append_items("pl1", URIS[120:], start=120)
    assert api_calls(http, "GET") == []
    assert [post["position"] for post in fake.posts] == [120, 220]
    assert fake.items == URIS and snapshot == fake.snapshot


@pytest.mark.parametrize("fault", ["apply-then-timeout", "503"])
def test_append_at_a_known_start_still_checks_after_an_ambiguous_failure(client, http, fault):
    client, waits = client
    fake = FakePlaylist(http, items=["spotify:track:old"], faults=[fault])
    snapshot = client.append_items("pl1", URIS[:3], start=1)
    assert fake.items == ["spotify:track:old", *URIS[:3]]
    assert len(fake.posts) == (1 if fault == "apply-then-timeout" else 2)
    assert snapshot == fake.snapshot
    assert waits == BACKOFF[:1]


def test_append_refuses_a_negative_start(client):
    client, _ = client
    with pytest.raises(ValueError, match="start"):
        client.append_items("pl1", URIS[:1], start=-1)


def test_append_the_same_songs_twice_on_purpose_still_adds_them(client, http):
    """A playlist may end with the very chunk we add: the position check is exact."""
    client, _ = client
    fake = FakePlaylist(http, items=URIS[:2], faults=["503"])
    client.append_items("pl1", URIS[:2])
    assert fake.items == URIS[:2] * 2


def test_replace_puts_the_first_100_then_appends_safely(client, http):
    client, waits = client
    fake = FakePlaylist(http, items=["spotify:track:old"] * 3, faults=["apply-then-timeout"])
    snapshot = client.replace_items("pl1", URIS)
    assert fake.items == URIS
    puts = api_calls(http, "PUT", "playlists/pl1/items")
    assert [json.loads(c.request.body) for c in puts] == [{"uris": URIS[:100]}]
    assert [post["position"] for post in fake.posts] == [100, 200]
    assert snapshot == fake.snapshot
    assert waits == BACKOFF[:1]


def test_replace_with_nothing_empties_the_playlist(client, http):
    client, _ = client
    fake = FakePlaylist(http, items=URIS[:5])
    client.replace_items("pl1", [])
    assert fake.items == [] and fake.posts == []


def test_a_retried_replace_is_harmless(client, http):
    client, waits = client
    fake = FakePlaylist(http, items=URIS[:5])
    fake.put_faults = ["apply-then-timeout"]
    client.replace_items("pl1", URIS[:2])
    assert fake.items == URIS[:2]
    assert len(api_calls(http, "PUT", "playlists/pl1/items")) == 2
    assert waits == BACKOFF[:1]


def test_create_playlist_posts_to_me_playlists(client, http):
    client, _ = client
    http.post(API + "me/playlists", status=201, json=playlist_json("new", name="S1E1"))
    made = client.create_playlist("S1E1", "Songs of episode 1", public=False)
    assert made.id == "new"
    (call,) = api_calls(http, "POST", "me/playlists")
    assert json.loads(call.request.body) == {
        "name": "S1E1",
        "description": "Songs of episode 1",
        "public": False,
    }


def test_a_create_that_landed_before_a_timeout_is_adopted_not_repeated(client, http):
    client, waits = client
    made = []

    def create(request):
        made.append(playlist_json("new", name="S1E1", description="d &amp; e"))
        return requests.exceptions.ReadTimeout("read timed out")

    http.add_callback(responses.POST, API + "me/playlists", callback=create)
    http.get(API + "me", json=ME)
    http.add_callback(
        responses.GET,
        API + "me/playlists",
        callback=lambda request: (200, {}, json.dumps({"items": made, "total": len(made)})),
    )
    found = client.create_playlist("S1E1", "d & e", public=False)
    assert found.id == "new"
    assert len(api_calls(http, "POST", "me/playlists")) == 1
    assert waits == BACKOFF[:1]


def test_update_playlist_sends_only_what_changes(client, http):
    client, _ = client
    http.put(API + "playlists/p", body="")
    client.update_playlist("p", description="new words")
    client.update_playlist("p")  # nothing to change: no request
    (call,) = api_calls(http, "PUT", "playlists/p")
    assert json.loads(call.request.body) == {"description": "new words"}


# --- the deprecated-route guard itself -------------------------------------------------


def test_the_guard_spots_retired_routes():
    class Call:
        def __init__(self, url):
            self.request = requests.Request("GET", url).prepare()

    calls = [
        Call(API + "users/alice/playlists"),
        Call(API + "playlists/x/tracks?offset=0"),
        Call(API + "playlists/x/items"),
        Call(API + "me/playlists"),
    ]
    assert deprecated_calls(calls) == [
        API + "users/alice/playlists",
        API + "playlists/x/tracks?offset=0",
    ]


# --- token cache -----------------------------------------------------------------------


def test_a_refreshed_token_is_cached_with_mode_0600(tmp_path, http):
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


ROTATED = "refresh-SECRET-rotated-1"


def test_a_rotated_refresh_token_from_a_logged_in_client_is_cached(tmp_path, http):
    client, _ = logged_in_client(tmp_path, http)
    cache = tmp_path / "cache.json"
    data = json.loads(cache.read_text())
    data["token"]["expires_at"] = 0
    cache.write_text(json.dumps(data))
    http.post(TOKEN_URL, json=token_answer(NEW_ACCESS, refresh=ROTATED))
    http.get(API + "me", json=ME)
    client.current_user()
    assert json.loads(cache.read_text())["token"]["refresh_token"] == ROTATED


def test_headless_use_keeps_the_newest_tokens_in_the_cache_never_the_seed(tmp_path, http):
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


def test_a_headless_run_starts_from_the_cache_the_same_seed_left(tmp_path, http):
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
def test_a_headless_run_ignores_a_cache_of_another_seed_or_app(tmp_path, http, change):
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


def test_an_unwritable_cache_keeps_the_run_going_with_a_warning(tmp_path, http, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    http.post(TOKEN_URL, json=token_answer(refresh=ROTATED))
    client, _ = make_client(tmp_path, http, cache_path=blocker / "cache.json")
    http.get(API + "me", json=ME)
    http.get(API + "playlists/p", json={"id": "p", "owner": {"id": "alice"}})
    client.current_user()
    client.playlist("p")
    assert len(token_calls(http)) == 1  # the newest token stayed in memory
    assert "SPOTIFY_TOKEN_CACHE" in caplog.text
    assert ROTATED not in caplog.text and REFRESH not in caplog.text


def test_a_cache_from_another_app_or_server_is_ignored(tmp_path):
    path = tmp_path / "cache.json"
    TokenCache(path, CLIENT_ID, "http://127.0.0.1:9/").save_token_to_cache({"access_token": "x"})
    assert TokenCache(path, CLIENT_ID, ACCOUNTS).get_cached_token() is None
    assert TokenCache(path, "f" * 32, "http://127.0.0.1:9/").get_cached_token() is None
    assert TokenCache(path, CLIENT_ID, "http://127.0.0.1:9/").get_cached_token() == {
        "access_token": "x"
    }


def test_the_default_cache_is_in_the_user_cache_folder(isolated_user_dirs, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    path = Settings(client_id=CLIENT_ID).token_cache
    assert path.is_relative_to(isolated_user_dirs)
    assert not path.is_relative_to(tmp_path)


def test_accounts_url_override_leaves_spotipy_classes_alone(tmp_path, http):
    from spotipy.oauth2 import SpotifyOAuth, SpotifyPKCE

    local = "http://127.0.0.1:9999/"
    http.post(local + "api/token", json=token_answer())
    http.get("http://127.0.0.1:9999/v1/me", json=ME)
    client = SpotifyClient(
        Settings(
            client_id=CLIENT_ID, refresh_token=REFRESH, api_url=local + "v1", accounts_url=local
        )
    )
    assert client.current_user().id == "alice"
    assert [c.request.url for c in http.calls] == [local + "api/token", local + "v1/me"]
    assert SpotifyPKCE.OAUTH_TOKEN_URL == TOKEN_URL
    assert SpotifyOAuth.OAUTH_AUTHORIZE_URL == ACCOUNTS + "authorize"


def test_concurrent_searches_share_one_token_refresh(client, http):
    from concurrent.futures import ThreadPoolExecutor

    client, _ = client
    http.get(API + "search", json={"tracks": {"items": [search_item()]}})
    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(client.search_tracks, "abcdefghijklmnop"))
    assert all(len(tracks) == 1 for tracks in found)
    assert len(token_calls(http)) == 1


def test_only_the_spotipy_compat_module_imports_spotipy():
    from pathlib import Path

    import soundtrack_playlists

    package = Path(soundtrack_playlists.__file__).parent
    importers = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if re.search(r"^\s*(import spotipy|from spotipy)", path.read_text(), re.MULTILINE)
    ]
    assert importers == ["spotify/spotipy_compat.py"]


def test_the_installed_spotipy_lies_in_the_tested_range():
    from importlib.metadata import version
    from pathlib import Path

    from soundtrack_playlists.spotify.spotipy_compat import TESTED_SPOTIPY

    installed = tuple(int(part) for part in version("spotipy").split(".")[:2])
    first, below = TESTED_SPOTIPY
    assert first <= installed < below
    # pyproject.toml promises the same range to installers.
    pyproject = Path(__file__).parent.parent / "pyproject.toml"
    spec = re.search(r'"spotipy([^"]*)"', pyproject.read_text(encoding="utf-8"))
    assert spec is not None
    assert spec.group(1) == ">={}.{},<{}.{}".format(*first, *below)


def test_only_spotipy_compat_touches_spotipys_private_attributes():
    from pathlib import Path

    import soundtrack_playlists

    private = re.compile(r"_internal_call|\.prefix\b|_handle_oauth_error|_add_custom_values_to_")
    package = Path(soundtrack_playlists.__file__).parent
    users = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "emulator" not in path.parts and private.search(path.read_text(encoding="utf-8"))
    ]
    assert users == ["spotify/spotipy_compat.py"]


def test_spotipys_log_filter_is_installed_once(tmp_path, http):
    import logging

    from soundtrack_playlists.spotify.spotipy_compat import SPOTIPY_LOGGERS, QuietSpotipy

    make_client(tmp_path, http)
    make_client(tmp_path, http)
    for name in SPOTIPY_LOGGERS:
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, QuietSpotipy) for f in filters) == 1
