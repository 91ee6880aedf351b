"""Emulator faults over raw HTTP: malformed bodies, HTML errors, odd 429s, and Spotify's quirks."""

from __future__ import annotations

import json

import pytest
import requests

from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.faults import (
    MALFORMED_KINDS,
    FaultInjector,
    Faults,
    malformed_body,
)


def api(emulator: Emulator, method: str, path: str, token: str, **kwargs) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return requests.request(method, emulator.api_url + path, timeout=5, headers=headers, **kwargs)


def uris(emulator: Emulator, count: int) -> list[str]:
    return [track.uri for track in emulator.catalog.tracks[:count]]


# --- the injector ---


def test_malformed_kinds_are_seeded_and_limited_to_their_routes():
    faults = Faults(rate_malformed=0.5, seed=7, routes=("GET /me/playlists",))
    runs = []
    for _ in range(2):
        injector = FaultInjector(faults)
        runs.append(
            [injector.decide("/v1/me/playlists", "GET", "/me/playlists") for _ in range(60)]
        )
    assert runs[0] == runs[1]
    kinds = {decision.malformed for decision in runs[0]}
    assert kinds == {None, *MALFORMED_KINDS}
    injector = FaultInjector(faults)
    assert injector.decide("/v1/me/playlists", "POST", "/me/playlists").malformed is None
    assert injector.decide("/v1/me", "GET", "/me").malformed is None


def test_a_route_without_a_method_means_every_method():
    injector = FaultInjector(Faults(rate_5xx=1.0, routes=("/me/playlists",)))
    assert injector.decide("/v1/me/playlists", "POST", "/me/playlists").status in (500, 502, 503)
    assert injector.decide("/v1/me", "GET", "/me").status is None


def test_earlier_seeds_give_the_same_faults_as_before():
    # The malformed draw is made only when asked for: seeds of older tests keep their meaning.
    plain = FaultInjector(Faults(rate_429=0.3, rate_5xx=0.3, seed=3))
    with_kinds = FaultInjector(Faults(rate_429=0.3, rate_5xx=0.3, seed=3, malformed=("html",)))
    assert [plain.decide("/v1/me") for _ in range(50)] == [
        with_kinds.decide("/v1/me") for _ in range(50)
    ]


def test_faults_validate_the_new_values():
    with pytest.raises(ValueError, match="malformed"):
        Faults(rate_malformed=1.0, malformed=("gibberish",))
    with pytest.raises(ValueError, match="rate_malformed"):
        Faults(rate_malformed=2.0)
    with pytest.raises(ValueError, match="stale_reads"):
        Faults(stale_reads=-1)


@pytest.mark.parametrize("kind", MALFORMED_KINDS)
def test_each_malformed_body_is_what_it_says(kind):
    page = {"href": "h", "items": [{"id": "a"}], "next": None, "total": 1}
    payload, content_type = malformed_body(page, kind)
    if kind == "empty":
        assert payload == b""
    elif kind == "object":
        assert json.loads(payload) == {}
    elif kind == "html":
        assert payload.startswith(b"<!DOCTYPE html>") and content_type.startswith("text/html")
    elif kind == "truncated":
        with pytest.raises(ValueError):
            json.loads(payload)
        assert json.dumps(page).encode().startswith(payload)
    else:
        assert json.loads(payload) == {**page, "items": None}
        search = malformed_body({"tracks": {"items": [], "next": None}}, kind)[0]
        assert json.loads(search) == {"tracks": {"items": None, "next": None}}


# --- over HTTP ---


def test_a_malformed_create_still_makes_the_playlist():
    faults = Faults(rate_malformed=1.0, malformed=("empty",), routes=("POST /me/playlists",))
    with Emulator(faults=faults) as emulator:
        token = emulator.issue_access_token()
        made = api(emulator, "POST", "me/playlists", token, json={"name": "P"})
        assert made.status_code == 201 and made.content == b""
        assert [p["name"] for p in emulator.playlists_state().values()] == ["P"]
        listed = api(emulator, "GET", "me/playlists", token)
        assert listed.json()["items"][0]["name"] == "P"  # other routes answer normally
        assert emulator.request_log[0].fault == "malformed:empty"


def test_html_error_pages_for_injected_and_real_errors():
    with Emulator(faults=Faults(html_errors=True, rate_5xx=1.0, routes=("/me",))) as emulator:
        token = emulator.issue_access_token()
        failed = api(emulator, "GET", "me", token)
        assert failed.status_code in (500, 502, 503)
        assert failed.headers["Content-Type"].startswith("text/html")
        assert b"<title>" in failed.content
        emulator.set_faults(Faults(html_errors=True))
        missing = api(emulator, "GET", "playlists/nope", token)
        assert missing.status_code == 404 and missing.content.startswith(b"<!DOCTYPE html>")
        assert b"404 Not Found" in missing.content


@pytest.mark.parametrize("retry_after", [None, 3])
def test_an_empty_429(retry_after):
    faults = Faults(rate_429=1.0, empty_429=True, retry_after=retry_after)
    with Emulator(faults=faults) as emulator:
        answer = requests.get(emulator.api_url + "me", timeout=5)
        assert answer.status_code == 429 and answer.content == b""
        assert answer.headers.get("retry-after") == (None if retry_after is None else "3")


def test_an_unavailable_track_is_a_null_entry_in_its_place():
    # Its own emulator: the spec's schema has no null entry, though Spotify sends them, so
    # these answers stay out of the suite's schema check.
    with Emulator() as emulator:
        token = emulator.issue_access_token()
        a, b, c = uris(emulator, 3)
        playlist = emulator.add_playlist("demo-user", "P", [a, b, c])
        emulator.set_faults(Faults(unavailable=frozenset({b})))
        entries = api(emulator, "GET", f"playlists/{playlist}/items", token).json()["items"]
        assert [e["item"]["uri"] if e["item"] else None for e in entries] == [a, None, c]
        assert entries[1]["track"] is None
        assert api(emulator, "GET", f"playlists/{playlist}", token).json()["items"]["total"] == 3


def test_reads_lag_behind_writes_by_the_configured_delay():
    now = [1000.0]
    with Emulator(faults=Faults(stale_reads=5), clock=lambda: now[0]) as emulator:
        token = emulator.issue_access_token()
        made = api(emulator, "POST", "me/playlists", token, json={"name": "P"}).json()
        assert api(emulator, "GET", "me/playlists", token).json()["items"] == []
        now[0] += 6
        listed = api(emulator, "GET", "me/playlists", token).json()["items"]
        assert [p["name"] for p in listed] == ["P"]
        items = f"playlists/{made['id']}/items"
        api(emulator, "POST", items, token, json={"uris": uris(emulator, 2)})
        stale = api(emulator, "GET", items, token).json()
        assert stale["items"] == [] and stale["total"] == 0  # the add is not seen yet
        now[0] += 6
        assert api(emulator, "GET", items, token).json()["total"] == 2
        assert emulator.playlists_state()[made["id"]]["items"] == uris(emulator, 2)
        emulator.set_faults(Faults())  # off: every read current again
        assert api(emulator, "GET", "me/playlists", token).json()["total"] == 1


def test_a_server_that_ignores_offset_serves_the_first_page_forever(emulator):
    token = emulator.issue_access_token()
    for number in range(3):
        emulator.add_playlist("demo-user", f"P{number}")
    emulator.set_faults(Faults(ignore_offset=True, routes=("/me/playlists",)))
    first = api(emulator, "GET", "me/playlists", token, params={"limit": 2}).json()
    later = api(emulator, "GET", "me/playlists", token, params={"limit": 2, "offset": 500}).json()
    assert later["items"] == first["items"]
    assert later["offset"] == 500 and later["total"] == 1_000_000
    assert later["next"].endswith("offset=502")


def test_descriptions_come_back_html_escaped_as_spotify_sends_them(emulator):
    token = emulator.issue_access_token()
    text = "Tom & Jerry's <mix>"
    made = api(emulator, "POST", "me/playlists", token, json={"name": "P", "description": text})
    assert made.json()["description"] == "Tom &amp; Jerry&#x27;s &lt;mix&gt;"
    listed = api(emulator, "GET", "me/playlists", token).json()["items"][0]
    assert listed["description"] == "Tom &amp; Jerry&#x27;s &lt;mix&gt;"
    assert emulator.playlists_state()[made.json()["id"]]["description"] == text
