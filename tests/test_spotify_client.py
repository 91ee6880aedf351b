"""The endpoints over mocked HTTP: reads by page, and writes that a retry never doubles."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from spotify_fakes import (
    API,
    BACKOFF,
    ME,
    api_calls,
    deprecated_calls,
    make_client,
    mocked_http,
    reset_by_peer,
    search_item,
)

from soundtrack_playlists.spotify.client import SpotifyClient


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    """Mocked HTTP; fails the test if any retired route was called."""
    yield from mocked_http()


@pytest.fixture
def client(tmp_path: Path, http: responses.RequestsMock) -> tuple[SpotifyClient, list[float]]:
    return make_client(tmp_path, http)


# --- reads ---------------------------------------------------------------------------


def test_search_sends_the_query_with_a_limit_of_at_most_ten(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
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


def test_search_refuses_a_limit_spotify_would_refuse(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, _ = client
    with pytest.raises(ValueError):
        client.search_tracks("x", limit=11)
    assert api_calls(http) == []


def test_search_without_market(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, _ = client
    http.get(API + "search", json={"tracks": {"items": []}})
    assert client.search_tracks("x", limit=3, market=None) == []
    query = parse_qs(urlsplit(api_calls(http)[0].request.url).query)
    assert "market" not in query and query["limit"] == ["3"]


def playlist_json(
    pid: str,
    name: str = "P",
    owner: str = "alice",
    total: int = 0,
    snapshot: str = "s0",
    description: str = "",
    key: str = "items",
) -> dict:
    return {
        "id": pid,
        "name": name,
        "owner": {"id": owner},
        "description": description,
        "public": False,
        "snapshot_id": snapshot,
        key: {"total": total},
    }


def test_my_playlists_reads_every_page_by_offset(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
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


def test_playlist_details_read_items_or_tracks_and_unescape_the_description(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, _ = client
    http.get(API + "playlists/a", json=playlist_json("a", total=7, description="Rock &amp; Roll"))
    http.get(API + "playlists/b", json=playlist_json("b", total=3, key="tracks"))
    a, b = client.playlist("a"), client.playlist("b")
    assert (a.total, a.description, a.owner_id) == (7, "Rock & Roll", "alice")
    assert b.total == 3


def test_playlist_item_uris_reads_item_or_track_and_keeps_holes(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, _ = client
    entries = [
        {"item": {"uri": "spotify:track:1"}},
        {"track": {"uri": "spotify:track:2"}},
        {"item": None, "track": None},
        {"item": {"uri": "spotify:track:3"}, "track": {"uri": "spotify:track:3"}},
    ]
    http.get(API + "playlists/x/items", json={"items": entries, "total": 4, "next": None})
    assert client.playlist_item_uris("x") == [
        "spotify:track:1",
        "spotify:track:2",
        None,  # a track Spotify no longer has: a hole, so the positions after it stay right
        "spotify:track:3",
    ]


# --- writes: a fake playlist that can fail after (or before) applying a write -----------


Answer = tuple[int, dict, str]  # what a `responses` callback returns: status, headers, body


class FakePlaylist:
    """One playlist behind the mock; `faults` scripts what each POST of items does."""

    def __init__(
        self,
        http: responses.RequestsMock,
        pid: str = "pl1",
        items: Iterable[str] = (),
        faults: Iterable[str] = (),
    ) -> None:
        self.pid, self.items, self.version = pid, list(items), 0
        self.faults = list(faults)  # "apply-then-timeout", "apply-then-502", "503", "reset"
        self.posts: list[dict] = []
        self.put_faults: list[str] = []
        base = f"{API}playlists/{pid}"
        http.add_callback(responses.GET, base, callback=self.details)
        http.add_callback(responses.GET, base + "/items", callback=self.page)
        http.add_callback(responses.POST, base + "/items", callback=self.post)
        http.add_callback(responses.PUT, base + "/items", callback=self.put)

    def answer(self, status: int = 200, body: dict | None = None) -> Answer:
        return status, {}, json.dumps(body if body is not None else {"snapshot_id": self.snapshot})

    @property
    def snapshot(self) -> str:
        return f"snap-{self.version}"

    def details(self, request: requests.PreparedRequest) -> Answer:
        return self.answer(
            body=playlist_json(self.pid, total=len(self.items), snapshot=self.snapshot)
        )

    def page(self, request: requests.PreparedRequest) -> Answer:
        query = parse_qs(urlsplit(request.url).query)
        offset, limit = int(query["offset"][0]), int(query["limit"][0])
        assert limit <= 50
        entries = [{"item": {"uri": uri}} for uri in self.items[offset : offset + limit]]
        more = offset + limit < len(self.items)
        following = f"{API}playlists/{self.pid}/items?offset={offset + limit}" if more else None
        return self.answer(body={"items": entries, "total": len(self.items), "next": following})

    def post(self, request: requests.PreparedRequest) -> Answer | Exception:
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

    def put(self, request: requests.PreparedRequest) -> Answer | Exception:
        self.items = list(json.loads(request.body)["uris"])
        self.version += 1
        if self.put_faults and self.put_faults.pop(0) == "apply-then-timeout":
            return requests.exceptions.ReadTimeout("read timed out")
        return self.answer()


URIS = [f"spotify:track:t{i:03d}" for i in range(250)]


@pytest.mark.parametrize("fault", ["apply-then-timeout", "apply-then-502"])
def test_an_append_that_landed_before_the_failure_is_not_sent_again(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock, fault: str
) -> None:
    client, waits = client
    fake = FakePlaylist(http, items=["spotify:track:old"], faults=[fault])
    snapshot = client.append_items("pl1", URIS[:3])
    assert fake.items == ["spotify:track:old", *URIS[:3]]
    assert len(fake.posts) == 1
    assert snapshot == fake.snapshot
    assert waits == BACKOFF[:1]


@pytest.mark.parametrize("fault", ["503", "reset"])
def test_an_append_that_did_not_land_is_sent_again_once(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock, fault: str
) -> None:
    client, waits = client
    fake = FakePlaylist(http, items=["spotify:track:old"], faults=[fault])
    snapshot = client.append_items("pl1", URIS[:3])
    assert fake.items == ["spotify:track:old", *URIS[:3]]
    assert fake.posts == [{"uris": URIS[:3], "position": 1}] * 2
    assert snapshot == fake.snapshot
    assert sum(waits) <= BACKOFF[0] + client.read_lag  # the waits end, even unslept


def test_append_in_chunks_of_100_at_the_end(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, _ = client
    fake = FakePlaylist(http, items=["spotify:track:old"])
    client.append_items("pl1", URIS)
    assert [len(post["uris"]) for post in fake.posts] == [100, 100, 50]
    assert [post["position"] for post in fake.posts] == [1, 101, 201]
    assert fake.items == ["spotify:track:old", *URIS]


def test_append_at_a_known_start_reads_nothing_first(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, _ = client
    fake = FakePlaylist(http, items=URIS[:120])
    snapshot = client.append_items("pl1", URIS[120:], start=120)
    assert api_calls(http, "GET") == []
    assert [post["position"] for post in fake.posts] == [120, 220]
    assert fake.items == URIS and snapshot == fake.snapshot


@pytest.mark.parametrize("fault", ["apply-then-timeout", "503"])
def test_append_at_a_known_start_still_checks_after_an_ambiguous_failure(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock, fault: str
) -> None:
    client, waits = client
    fake = FakePlaylist(http, items=["spotify:track:old"], faults=[fault])
    snapshot = client.append_items("pl1", URIS[:3], start=1)
    assert fake.items == ["spotify:track:old", *URIS[:3]]
    assert len(fake.posts) == (1 if fault == "apply-then-timeout" else 2)
    assert snapshot == fake.snapshot
    if fault == "apply-then-timeout":
        assert waits == BACKOFF[:1]  # seen at the first look: nothing more to wait for
    else:  # not there: sent again only once a read can no longer lag behind the first POST
        assert waits[0] == BACKOFF[0]
        assert client.read_lag - 1 < sum(waits[1:]) <= client.read_lag


def test_append_refuses_a_negative_start(client: tuple[SpotifyClient, list[float]]) -> None:
    client, _ = client
    with pytest.raises(ValueError, match="start"):
        client.append_items("pl1", URIS[:1], start=-1)


def test_append_the_same_songs_twice_on_purpose_still_adds_them(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    """A playlist may end with the very chunk we add: the position check is exact."""
    client, _ = client
    fake = FakePlaylist(http, items=URIS[:2], faults=["503"])
    client.append_items("pl1", URIS[:2])
    assert fake.items == URIS[:2] * 2


def test_replace_puts_the_first_100_then_appends_safely(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, waits = client
    fake = FakePlaylist(http, items=["spotify:track:old"] * 3, faults=["apply-then-timeout"])
    snapshot = client.replace_items("pl1", URIS)
    assert fake.items == URIS
    puts = api_calls(http, "PUT", "playlists/pl1/items")
    assert [json.loads(c.request.body) for c in puts] == [{"uris": URIS[:100]}]
    assert [post["position"] for post in fake.posts] == [100, 200]
    assert snapshot == fake.snapshot
    assert waits == BACKOFF[:1]


def test_replace_with_nothing_empties_the_playlist(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, _ = client
    fake = FakePlaylist(http, items=URIS[:5])
    client.replace_items("pl1", [])
    assert fake.items == [] and fake.posts == []


def test_a_retried_replace_is_harmless(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, waits = client
    fake = FakePlaylist(http, items=URIS[:5])
    fake.put_faults = ["apply-then-timeout"]
    client.replace_items("pl1", URIS[:2])
    assert fake.items == URIS[:2]
    assert len(api_calls(http, "PUT", "playlists/pl1/items")) == 2
    assert waits == BACKOFF[:1]


def test_create_playlist_posts_to_me_playlists(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
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


def test_a_create_that_landed_before_a_timeout_is_adopted_not_repeated(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, waits = client
    made = []

    def create(request: requests.PreparedRequest) -> Exception:
        made.append(playlist_json("new", name="S1E1", description="d &amp; e"))
        return requests.exceptions.ReadTimeout("read timed out")

    http.add_callback(responses.POST, API + "me/playlists", callback=create)
    http.get(API + "me", json=ME)
    http.add_callback(
        responses.GET,
        API + "me/playlists",
        callback=lambda request: (
            200,
            {},
            json.dumps({"items": made, "total": len(made), "next": None}),
        ),
    )
    found = client.create_playlist("S1E1", "d & e", public=False)
    assert found.id == "new"
    assert len(api_calls(http, "POST", "me/playlists")) == 1
    assert waits == BACKOFF[:1]


def test_update_playlist_sends_only_what_changes(
    client: tuple[SpotifyClient, list[float]], http: responses.RequestsMock
) -> None:
    client, _ = client
    http.put(API + "playlists/p", body="")
    client.update_playlist("p", description="new words")
    client.update_playlist("p")  # nothing to change: no request
    (call,) = api_calls(http, "PUT", "playlists/p")
    assert json.loads(call.request.body) == {"description": "new words"}


# --- the deprecated-route guard itself -------------------------------------------------


def test_the_guard_spots_retired_routes() -> None:
    class Call:
        def __init__(self, url: str) -> None:
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
