"""The one request function over mocked HTTP: retries, waits and the error each answer becomes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests
import responses
from spotify_fakes import (
    ACCESS,
    API,
    BACKOFF,
    CLIENT_ID,
    CLOCK,
    ME,
    NEW_ACCESS,
    REFRESH,
    TOKEN_URL,
    api_calls,
    logged_in_client,
    make_client,
    mocked_http,
    reset_by_peer,
    token_answer,
    token_calls,
)

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
from soundtrack_playlists.settings import Settings
from soundtrack_playlists.spotify.client import SpotifyClient
from soundtrack_playlists.spotify.http import RetryPolicy


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    """Mocked HTTP; fails the test if any retired route was called."""
    yield from mocked_http()


@pytest.fixture
def client(tmp_path: Path, http: responses.RequestsMock) -> tuple[SpotifyClient, list[float]]:
    return make_client(tmp_path, http)


# --- 429 ------------------------------------------------------------------------------


@pytest.mark.parametrize(("retry_after", "wait"), [("0", 0.0), ("3", 3.0), ("60", 60.0)])
def test_429_with_a_retry_after_within_the_cap_waits_exactly_that(
    client: tuple[SpotifyClient, list[float]],
    http: responses.RequestsMock,
    retry_after: str,
    wait: float,
) -> None:
    client, waits = client
    http.get(API + "me", status=429, headers={"retry-after": retry_after}, body="")
    http.get(API + "me", json=ME)
    assert client.current_user().id == "alice"
    assert waits == [wait]
    assert len(api_calls(http, "GET", "me")) == 2


def test_429_above_the_cap_stops_at_once_with_exit_code_75(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
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


def test_429_for_a_day_names_the_date_to_rerun_after(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, waits = client
    body = {"error": {"status": 429, "message": "API rate limit exceeded", "reason": "QUOTA"}}
    http.get(API + "me", status=429, headers={"Retry-After": "79892"}, json=body)
    with pytest.raises(RateLimited) as caught:
        client.current_user()
    resume = CLOCK + timedelta(seconds=79892)  # 08:24:23 the next day -> 08:25
    assert "about 22 h 12 min" in str(caught.value)
    assert f"rerun after {resume:%Y-%m-%d} 08:25" in str(caught.value)
    assert waits == []


def test_the_cap_is_configurable(tmp_path: Path, http: responses.RequestsMock) -> None:
    client, waits = make_client(tmp_path, http)
    client.http.policy = RetryPolicy(max_wait=5)
    http.get(API + "me", status=429, headers={"retry-after": "6"})
    with pytest.raises(RateLimited):
        client.current_user()
    assert waits == []


def test_429_without_retry_after_backs_off_exponentially_with_jitter(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, waits = client
    for _ in range(3):
        http.get(API + "me", status=429, body="")
    http.get(API + "me", json=ME)
    client.current_user()
    assert waits == BACKOFF[:3]


def test_429_without_retry_after_that_never_ends_is_rate_limited(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, waits = client
    http.get(API + "me", status=429, body="")
    with pytest.raises(RateLimited) as caught:
        client.current_user()
    assert len(api_calls(http, "GET", "me")) == 5
    assert waits == BACKOFF
    assert caught.value.retry_after is None
    assert caught.value.exit_code == 75


def test_short_429s_that_never_end_say_so_not_a_long_wait(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    # regression: five `retry-after: 1` answers once read "asked to wait 1 s (about 1 min)"
    client, waits = client
    http.get(API + "me", status=429, body="", headers={"retry-after": "1"})
    with pytest.raises(RateLimited) as caught:
        client.current_user()
    assert waits == [1.0] * 4 and len(api_calls(http, "GET", "me")) == 5
    assert "kept answering 429" in str(caught.value) and "about" not in str(caught.value)
    assert caught.value.exit_code == 75


def test_jitter_spreads_the_backoff(tmp_path: Path, http: responses.RequestsMock) -> None:
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
def test_server_errors_are_retried_with_backoff(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock, status: int
) -> None:
    client, waits = client
    http.get(API + "me", status=status, body="<html>oops</html>")
    http.get(API + "me", status=status, json={"error": {"status": status, "message": "x"}})
    http.get(API + "me", json=ME)
    assert client.current_user().id == "alice"
    assert waits == BACKOFF[:2]
    assert len(api_calls(http, "GET", "me")) == 3


def test_server_errors_that_outlast_the_attempts_are_unavailable(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, waits = client
    http.get(API + "me", status=503)
    with pytest.raises(SpotifyUnavailable) as caught:
        client.current_user()
    assert len(api_calls(http, "GET", "me")) == 5
    assert waits == BACKOFF
    assert "503" in str(caught.value) and "5 attempts" in str(caught.value)


def test_a_reset_connection_is_retried(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, waits = client
    http.get(API + "me", body=reset_by_peer())
    http.get(API + "me", json=ME)
    assert client.current_user().id == "alice"
    assert waits == BACKOFF[:1]
    assert len(api_calls(http, "GET", "me")) == 2


def test_a_timeout_is_retried_and_every_request_has_a_timeout(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, waits = client
    http.get(API + "me", body=requests.exceptions.ReadTimeout("read timed out"))
    http.get(API + "me", json=ME)
    client.current_user()
    assert waits == BACKOFF[:1]
    assert [call.request.req_kwargs["timeout"] for call in http.calls] == [20.0, 20.0, 20.0]
    assert len(token_calls(http)) == 1  # the token request had its timeout too


def test_an_unreachable_api_says_where_it_tried(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, waits = client
    http.get(API + "me", body=requests.exceptions.ConnectionError("Failed to establish"))
    with pytest.raises(SpotifyUnavailable) as caught:
        client.current_user()
    assert "https://api.spotify.com" in str(caught.value)
    assert len(waits) == 4


# --- 401, invalid_grant, 403, 404 ----------------------------------------------------


def test_401_refreshes_once_and_retries(tmp_path: Path, http: responses.RequestsMock) -> None:
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


def test_401_after_a_refresh_asks_to_log_in(tmp_path: Path, http: responses.RequestsMock) -> None:
    client, _ = logged_in_client(tmp_path, http)
    http.get(API + "me", status=401, json={"error": {"status": 401, "message": "Invalid token"}})
    http.post(TOKEN_URL, json=token_answer(NEW_ACCESS))
    with pytest.raises(LoginRequired) as caught:
        client.current_user()
    assert len(api_calls(http, "GET", "me")) == 2
    assert "soundtrack-playlists login" in str(caught.value)


def test_pkce_refresh_sends_the_client_id_and_no_secret(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
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


def test_with_a_secret_the_refresh_uses_basic_auth(
    tmp_path: Path, http: responses.RequestsMock
) -> None:
    client, _ = make_client(tmp_path, http, client_secret="client-SECRET-9")
    http.get(API + "me", json=ME)
    client.current_user()
    (call,) = token_calls(http)
    assert call.request.headers["Authorization"].startswith("Basic ")
    assert "client_id" not in parse_qs(call.request.body)


def test_invalid_grant_means_log_in_again(tmp_path: Path, http: responses.RequestsMock) -> None:
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


def test_a_wrong_client_id_is_a_configuration_error(
    tmp_path: Path, http: responses.RequestsMock
) -> None:
    http.post(TOKEN_URL, status=400, json={"error": "invalid_client", "error_description": "x"})
    client = SpotifyClient(Settings(client_id=CLIENT_ID, refresh_token=REFRESH), sleep=pytest.fail)
    with pytest.raises(ConfigError, match="SPOTIPY_CLIENT_ID"):
        client.current_user()


def test_a_failing_token_endpoint_is_retried_like_the_api(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, waits = client
    http.replace(responses.POST, TOKEN_URL, status=503)
    http.post(TOKEN_URL, json=token_answer())
    http.get(API + "me", json=ME)
    client.current_user()
    assert waits == BACKOFF[:1]
    assert len(token_calls(http)) == 2


def test_not_logged_in_at_all(tmp_path: Path, http: responses.RequestsMock) -> None:
    client = SpotifyClient(Settings(client_id=CLIENT_ID, cache_path=tmp_path / "none.json"))
    with pytest.raises(LoginRequired, match="run `soundtrack-playlists login`"):
        client.current_user()
    assert len(http.calls) == 0


def test_no_client_id_names_every_way_to_set_it() -> None:
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
def test_403_for_a_user_off_the_allow_list_says_which_setting(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock, message: str
) -> None:
    client, waits = client
    http.get(API + "me", status=403, json={"error": {"status": 403, "message": message}})
    with pytest.raises(NotAllowListed) as caught:
        client.current_user()
    assert "Dashboard -> your app -> User Management" in str(caught.value)
    assert "name and email" in str(caught.value)
    assert len(api_calls(http)) == 1 and waits == []


def test_403_plain_text_not_approved(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, _ = client
    http.get(API + "me", status=403, body="User not approved for app")
    with pytest.raises(NotAllowListed):
        client.current_user()


def test_403_for_a_missing_scope_says_log_in_again(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, waits = client
    body = {"error": {"status": 403, "message": "Insufficient client scope"}}
    http.post(API + "me/playlists", status=403, json=body)
    with pytest.raises(MissingScope) as caught:
        client.create_playlist("S1", "", False)
    assert "soundtrack-playlists login" in str(caught.value)
    assert "playlist-modify-private" in str(caught.value)
    assert len(api_calls(http)) == 1 and waits == []


def test_other_403_is_forbidden(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, _ = client
    body = {
        "error": {"status": 403, "message": "You cannot add tracks to a playlist you don't own."}
    }
    http.put(API + "playlists/theirs/items", status=403, json=body)
    with pytest.raises(Forbidden, match="playlists you own"):
        client.replace_items("theirs", ["spotify:track:a"])


def test_404_is_not_found_and_not_retried(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, waits = client
    body = {"error": {"status": 404, "message": "Resource not found"}}
    http.get(API + "playlists/37i9dQZF1DX", status=404, json=body)
    with pytest.raises(NotFound) as caught:
        client.playlist("37i9dQZF1DX")
    assert "/playlists/37i9dQZF1DX" in str(caught.value)
    assert len(api_calls(http)) == 1 and waits == []


def test_400_is_reported_with_spotifys_message(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, _ = client
    body = {"error": {"status": 400, "message": "Invalid limit"}}
    http.get(API + "search", status=400, json=body)
    with pytest.raises(SpotifyError, match="Invalid limit"):
        client.search_tracks("x")
