"""Answers that are not what the Web API sends, over mocked HTTP: each is a clear error."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote_plus, urlsplit

import pytest
import requests
import responses
from spotify_fakes import (
    API,
    BACKOFF,
    CLIENT_ID,
    ME,
    REFRESH,
    TOKEN_URL,
    api_calls,
    make_client,
    mocked_http,
    search_item,
)

from soundtrack_playlists.errors import (
    EndlessPages,
    LoginRequired,
    MalformedAnswer,
    RateLimited,
    SoundtrackError,
    SpotifyError,
    SpotifyUnavailable,
)
from soundtrack_playlists.spotify.client import SpotifyClient

CLIENT_SECRET = "client-SECRET-5b1e9c"
HTML = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><h1>502 Bad Gateway</h1>" + "<p>nginx</p>" * 2000 + "</body></html>"
)


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    yield from mocked_http()


@pytest.fixture
def client(tmp_path: Path, http: responses.RequestsMock) -> SpotifyClient:
    return make_client(tmp_path, http)[0]


def playlist_json(pid: str, name: str = "P", total: int = 0, description: str = "") -> dict:
    return {
        "id": pid,
        "name": name,
        "owner": {"id": "alice"},
        "description": description,
        "public": False,
        "snapshot_id": "s0",
        "items": {"total": total},
    }


def page(items: list, following: str | None = None, **extra: object) -> dict:
    return {"items": items, "next": following, **extra}


MALFORMED_PAGES = {
    "empty": ("", "an empty body"),
    "object": ("{}", "no `items`"),
    "html": (HTML, "an HTML page instead of JSON"),
    "truncated": (json.dumps(page([playlist_json("a")]))[:40], "JSON cut short"),
    "null-items": (json.dumps(page(None)), "`items` is null"),  # type: ignore[arg-type]
    "no-next": (json.dumps({"items": [playlist_json("a")], "total": 1}), "no `next`"),
    "entry-without-id": (
        json.dumps(page([{"name": "P", "owner": {"id": "alice"}, "items": {"total": 0}}])),
        "no `items.0.id`",
    ),
    "not-an-object": ("[1, 2]", "JSON that is not an object"),
}


def assert_names_the_request(error: SoundtrackError, where: str) -> None:
    text = str(error)
    assert f"answer to {where} was not what Spotify sends" in text
    assert "nothing more was written" in text and "run the command again" in text
    assert REFRESH not in text and "access-SECRET" not in text and "<" not in text


@pytest.mark.parametrize("shape", MALFORMED_PAGES, ids=list(MALFORMED_PAGES))
def test_a_malformed_playlist_page_is_an_error_never_no_playlists(
    client: SpotifyClient, http: responses.RequestsMock, shape: str
) -> None:
    body, problem = MALFORMED_PAGES[shape]
    http.get(API + "me", json=ME)  # an entry of the user's own must be whole
    http.get(API + "me/playlists", body=body, status=200)
    with pytest.raises(MalformedAnswer) as caught:
        client.my_playlists()
    assert_names_the_request(caught.value, "GET /me/playlists")
    assert problem in str(caught.value)
    assert len(api_calls(http, "GET", "me/playlists")) == 1  # not retried into a loop


@pytest.mark.parametrize("shape", ["empty", "object", "html", "truncated", "null-items"])
def test_a_malformed_items_page_is_an_error(
    client: SpotifyClient, http: responses.RequestsMock, shape: str
) -> None:
    http.get(API + "playlists/x/items", body=MALFORMED_PAGES[shape][0])
    with pytest.raises(MalformedAnswer) as caught:
        client.playlist_item_uris("x")
    assert_names_the_request(caught.value, "GET /playlists/x/items")


def test_me_answered_with_an_empty_object(client: SpotifyClient, http: responses.RequestsMock):
    http.get(API + "me", json={})
    with pytest.raises(MalformedAnswer) as caught:
        client.current_user()
    assert_names_the_request(caught.value, "GET /me")
    assert "(no `id`)" in str(caught.value)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("{}", "no `tracks`"),
        (json.dumps({"tracks": {"items": None}}), "`tracks.items` is null"),
        (json.dumps({"tracks": {"items": [{"name": "x"}]}}), "no `tracks.items.0.uri`"),
        ("", "an empty body"),
    ],
)
def test_a_malformed_search_is_an_error_not_no_match(
    client: SpotifyClient, http: responses.RequestsMock, body: str, problem: str
) -> None:
    http.get(API + "search", body=body)
    with pytest.raises(MalformedAnswer) as caught:
        client.search_tracks("Tennessee Whiskey")
    assert_names_the_request(caught.value, "GET /search")
    assert problem in str(caught.value)


def test_a_search_with_null_entries_keeps_the_others(
    client: SpotifyClient, http: responses.RequestsMock
) -> None:
    http.get(API + "search", json={"tracks": {"items": [None, search_item()], "next": None}})
    assert [track.uri for track in client.search_tracks("x")] == ["spotify:track:abc"]


# --- paging ----------------------------------------------------------------------------------


def offsets(http: responses.RequestsMock) -> list[int]:
    return [int(parse_qs(urlsplit(c.request.url).query)["offset"][0]) for c in api_calls(http)]


def test_a_server_that_ignores_offset_is_caught_on_the_second_page(
    client: SpotifyClient, http: responses.RequestsMock
) -> None:
    first = [playlist_json(f"p{i}") for i in range(50)]

    def same_page(request: requests.PreparedRequest) -> tuple[int, dict, str]:
        offset = int(parse_qs(urlsplit(request.url).query)["offset"][0])
        body = page(first, f"{API}me/playlists?offset={offset + 50}", total=1_000_000)
        return 200, {}, json.dumps({**body, "offset": offset})  # it even echoes the offset

    http.add_callback(responses.GET, API + "me/playlists", callback=same_page)
    with pytest.raises(EndlessPages) as caught:
        client.my_playlists()
    assert offsets(http) == [0, 50]
    assert "GET /me/playlists" in str(caught.value) and "ignored `offset`" in str(caught.value)


def test_a_page_claiming_another_offset_is_caught(
    client: SpotifyClient, http: responses.RequestsMock
) -> None:
    first = [playlist_json(f"p{i}") for i in range(50)]
    body = page(first, API + "me/playlists?offset=50", offset=0, total=1_000_000)
    http.get(API + "me/playlists", json=body)
    with pytest.raises(EndlessPages):
        client.my_playlists()
    assert offsets(http) == [0, 50]


def test_paging_that_never_ends_stops_at_the_bound(
    client: SpotifyClient, http: responses.RequestsMock
) -> None:
    def endless(request: requests.PreparedRequest) -> tuple[int, dict, str]:
        offset = int(parse_qs(urlsplit(request.url).query)["offset"][0])
        items = [playlist_json(f"p{offset + i}") for i in range(50)]
        return 200, {}, json.dumps(page(items, f"{API}me/playlists?o={offset + 50}", offset=offset))

    http.add_callback(responses.GET, API + "me/playlists", callback=endless)
    client.max_pages = 4
    with pytest.raises(EndlessPages) as caught:
        client.my_playlists()
    assert offsets(http) == [0, 50, 100, 150]
    assert "more than 4 pages" in str(caught.value)


def test_paging_stops_on_the_pages_not_on_total(
    client: SpotifyClient, http: responses.RequestsMock
) -> None:
    http.get(API + "me/playlists", json=page([playlist_json("a")], None, total=1_000_000))
    assert [p.id for p in client.my_playlists()] == ["a"]
    http.get(API + "playlists/x/items", json=page([], API + "more", total=1_000_000))
    assert client.playlist_item_uris("x") == []  # an empty page ends it whatever `next` says
    assert len(api_calls(http)) == 2


# --- writes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", "{}", HTML])
def test_a_create_answered_without_a_playlist_finds_the_one_it_made(
    client: SpotifyClient, http: responses.RequestsMock, body: str
) -> None:
    made = playlist_json("new", name="S1E1", description="d")
    http.post(API + "me/playlists", status=201, body=body)
    http.get(API + "me", json=ME)
    http.get(API + "me/playlists", json=page([playlist_json("old", name="S1E1"), made]))
    found = client.create_playlist("S1E1", "d", public=False)
    assert found.id == "new"
    assert len(api_calls(http, "POST", "me/playlists")) == 1  # never a second playlist


def test_a_create_answered_without_a_playlist_that_cannot_be_found_is_an_error(
    client: SpotifyClient, http: responses.RequestsMock
) -> None:
    http.post(API + "me/playlists", status=200, body="")
    http.get(API + "me", json=ME)
    http.get(API + "me/playlists", json=page([]))
    with pytest.raises(MalformedAnswer) as caught:
        client.create_playlist("S1E1", "d", public=False)
    assert_names_the_request(caught.value, "POST /me/playlists")
    assert len(api_calls(http, "POST", "me/playlists")) == 1


def test_an_add_answered_without_a_snapshot_is_an_error(
    client: SpotifyClient, http: responses.RequestsMock
) -> None:
    http.post(API + "playlists/x/items", status=201, body="")
    with pytest.raises(MalformedAnswer) as caught:
        client.append_items("x", ["spotify:track:a"], start=0)
    assert_names_the_request(caught.value, "POST /playlists/x/items")


# --- odd error answers and headers -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "waits"),
    [("-5", BACKOFF[:1]), ("soon", BACKOFF[:1]), ("nan", BACKOFF[:1]), ("", BACKOFF[:1])],
)
def test_an_unreadable_retry_after_backs_off_as_if_absent(
    tmp_path: Path, http: responses.RequestsMock, value: str, waits: list[float]
) -> None:
    client, asked = make_client(tmp_path, http)
    http.get(API + "me", status=429, headers={"retry-after": value}, body="")
    http.get(API + "me", json=ME)
    assert client.current_user().id == "alice"
    assert asked == waits


@pytest.mark.parametrize("value", ["1e400", "inf", "1e300", "99999999999999999999"])
def test_an_absurd_retry_after_stops_at_once_without_a_traceback(
    tmp_path: Path, http: responses.RequestsMock, value: str
) -> None:
    client, asked = make_client(tmp_path, http)
    http.get(API + "me", status=429, headers={"retry-after": value}, body="")
    with pytest.raises(RateLimited) as caught:
        client.current_user()
    assert asked == []
    assert "Spotify asked to wait 604800 s (about 168 h 0 min)" in str(caught.value)
    assert caught.value.exit_code == 75


def test_html_error_pages_are_summarised_on_one_line(
    client: SpotifyClient, http: responses.RequestsMock
) -> None:
    http.get(API + "me", status=400, body=HTML, content_type="text/html")
    with pytest.raises(SpotifyError) as caught:
        client.current_user()
    text = str(caught.value)
    assert text == "Spotify refused GET /me: 400 an HTML page titled “502 Bad Gateway”"


@pytest.mark.parametrize("body", ["[1, 2]", '{"error": "nope"}', '{"error": 5}', "\x1b[31mred"])
def test_error_bodies_of_any_shape_are_errors_not_tracebacks(
    client: SpotifyClient, http: responses.RequestsMock, body: str
) -> None:
    http.get(API + "me", status=403, body=body)
    with pytest.raises(SpotifyError) as caught:
        client.current_user()
    assert "\x1b" not in str(caught.value)


def test_html_5xx_pages_are_retried_then_unavailable(
    tmp_path: Path, http: responses.RequestsMock
) -> None:
    client, asked = make_client(tmp_path, http)
    http.get(API + "me", status=502, body=HTML, content_type="text/html")
    with pytest.raises(SpotifyUnavailable):
        client.current_user()
    assert asked == BACKOFF


def test_a_redirect_loop_is_an_error(client: SpotifyClient, http: responses.RequestsMock) -> None:
    http.get(API + "me", status=302, headers={"Location": API + "me"})
    with pytest.raises(SpotifyError) as caught:
        client.current_user()
    assert "GET /me was redirected in a loop: check SPOTIFY_API_URL" in str(caught.value)


# --- the token endpoint --------------------------------------------------------------------


def bare_client(tmp_path: Path, http: responses.RequestsMock, **settings: object) -> SpotifyClient:
    """make_client's client, with the token endpoint left for the test to answer."""
    client, _ = make_client(tmp_path, http, **settings)
    http.remove(responses.POST, TOKEN_URL)
    return client


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (HTML, "a body that is not JSON"),
        ("", "a body that is not JSON"),
        ("{}", "no `access_token`"),
        ('{"access_token": "x"}', "no `token_type`"),
        ("[]", "JSON that is not an object"),
    ],
)
def test_a_token_endpoint_answering_nonsense_is_an_error(
    tmp_path: Path, http: responses.RequestsMock, body: str, problem: str
) -> None:
    client = bare_client(tmp_path, http)
    http.post(TOKEN_URL, status=200, body=body)
    with pytest.raises(MalformedAnswer) as caught:
        client.current_user()
    assert_names_the_request(caught.value, "POST /api/token")
    assert problem in str(caught.value)
    assert not (tmp_path / "cache.json").exists()  # nothing cached from it
    assert api_calls(http) == []


def test_a_token_endpoint_error_page_in_html(tmp_path: Path, http: responses.RequestsMock) -> None:
    client = bare_client(tmp_path, http)
    http.post(TOKEN_URL, status=400, body=HTML, content_type="text/html")
    with pytest.raises(LoginRequired) as caught:
        client.current_user()
    assert "(400 an HTML page titled “502 Bad Gateway”)" in str(caught.value)


def test_a_token_endpoint_redirect_loop(tmp_path: Path, http: responses.RequestsMock) -> None:
    client = bare_client(tmp_path, http)
    http.post(TOKEN_URL, status=307, headers={"Location": TOKEN_URL})
    with pytest.raises(SpotifyError) as caught:
        client.current_user()
    assert "POST /api/token was redirected in a loop" in str(caught.value)


@pytest.mark.parametrize("status", [400, 401])
@pytest.mark.parametrize("shape", ["oauth-json", "html", "text"])
def test_secrets_the_accounts_service_echoes_are_scrubbed(
    tmp_path: Path, http: responses.RequestsMock, status: int, shape: str
) -> None:
    client = bare_client(tmp_path, http, client_secret=CLIENT_SECRET)

    def echo(request: requests.PreparedRequest) -> tuple[int, dict, str]:
        said = f"{request.body} {request.headers.get('Authorization')}"
        if shape == "oauth-json":
            return status, {}, json.dumps({"error": "invalid_request", "error_description": said})
        if shape == "html":
            return status, {}, f"<html><head><title>{said}</title></head></html>"
        return status, {}, said

    http.add_callback(responses.POST, TOKEN_URL, callback=echo)
    with pytest.raises(SoundtrackError) as caught:
        client.current_user()
    (call,) = [c for c in http.calls if c.request.url == TOKEN_URL]
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert basic in call.request.headers["Authorization"]  # the echo did carry them
    assert REFRESH in str(call.request.body)
    text = str(caught.value)
    for secret in (REFRESH, CLIENT_SECRET, basic, quote_plus(basic), quote_plus(REFRESH)):
        assert secret not in text
    assert "***" in text


def test_an_api_error_echoing_the_access_token_is_scrubbed(
    client: SpotifyClient, http: responses.RequestsMock
) -> None:
    def echo(request: requests.PreparedRequest) -> tuple[int, dict, str]:
        return 400, {}, json.dumps({"error": {"message": request.headers["Authorization"]}})

    http.add_callback(responses.GET, API + "me", callback=echo)
    with pytest.raises(SpotifyError) as caught:
        client.current_user()
    assert "access-SECRET" not in str(caught.value) and "Bearer ***" in str(caught.value)


def test_two_pages_of_holes_are_not_taken_for_a_repeated_page(
    client: SpotifyClient, http: responses.RequestsMock
) -> None:
    def holes(request: requests.PreparedRequest) -> tuple[int, dict, str]:
        offset = int(parse_qs(urlsplit(request.url).query)["offset"][0])
        entries = [
            {"item": None, "track": None, "added_at": f"2026-01-01T00:00:{offset + i:02d}Z"}
            for i in range(50)
        ]
        following = f"{API}playlists/x/items?offset=50" if offset == 0 else None
        return 200, {}, json.dumps(page(entries, following, offset=offset, total=100))

    http.add_callback(responses.GET, API + "playlists/x/items", callback=holes)
    assert client.playlist_item_uris("x") == [None] * 100


def test_pages_of_holes_are_read_through_when_the_server_answers_our_offsets(
    client: SpotifyClient, http: responses.RequestsMock
) -> None:
    # One write added 120 tracks that have all since left Spotify: every entry of every page
    # is the same (null track, one added_at). Was: EndlessPages "the server ignored `offset`".
    def holes(request: requests.PreparedRequest) -> tuple[int, dict, str]:
        offset = int(parse_qs(urlsplit(request.url).query)["offset"][0])
        count = min(50, 120 - offset)
        entries = [{"added_at": "2026-01-01T00:00:00Z", "item": None, "track": None}] * count
        following = f"{API}playlists/x/items?offset={offset + 50}" if offset + 50 < 120 else None
        return 200, {}, json.dumps(page(entries, following, offset=offset, total=120))

    http.add_callback(responses.GET, API + "playlists/x/items", callback=holes)
    assert client.playlist_item_uris("x") == [None] * 120
    assert offsets(http) == [0, 50, 100]
