"""The emulator's JSON responses checked against the response schemas of Spotify's OpenAPI spec."""

from __future__ import annotations

import base64

import pytest
import requests
from spotify_schema import check, load_spec, spec_components

from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.faults import Faults


@pytest.fixture(scope="module")
def spec():
    return load_spec()


@pytest.fixture(scope="module")
def components(spec):
    return spec_components(spec)


def exercise_every_route(emulator: Emulator) -> None:
    """One call of every route the emulator serves, successes and errors alike."""
    token = emulator.issue_access_token()
    headers = {"Authorization": f"Bearer {token}"}
    api = emulator.api_url

    def call(method, path, **kwargs):
        return requests.request(method, api + path, headers=headers, timeout=5, **kwargs)

    call("GET", "me")
    call("GET", "search", params={"q": "smile", "type": "track", "limit": 10})
    call("GET", "search", params={"q": "smile", "type": "track", "market": "from_token"})
    call("GET", "search", params={"q": "smile", "type": "track,album"})
    call("GET", "search", params={"q": "smile", "type": "track", "limit": 11})
    created = call("POST", "me/playlists", json={"name": "Schema", "public": False}).json()
    playlist = created["id"]
    uris = [t.uri for t in emulator.catalog.tracks[:3]]
    call("POST", f"playlists/{playlist}/items", json={"uris": uris})
    call("PUT", f"playlists/{playlist}/items", json={"uris": uris[:2]})
    call("DELETE", f"playlists/{playlist}/items", json={"items": [{"uri": uris[0]}]})
    call("GET", f"playlists/{playlist}/items")
    call("GET", f"playlists/{playlist}")
    call("PUT", f"playlists/{playlist}", json={"name": "Renamed"})
    jpeg = base64.b64encode(b"\xff\xd8\xff\xd9")
    call("PUT", f"playlists/{playlist}/images", data=jpeg)
    call("GET", f"playlists/{playlist}/images")
    call("GET", "me/playlists")
    theirs = emulator.add_playlist(owner="other", name="Theirs", items=uris[:1])
    call("GET", f"playlists/{theirs}")
    call("POST", f"playlists/{theirs}/items", json={"uris": uris})
    call("GET", f"playlists/{'0' * 22}")
    call("GET", f"playlists/{playlist}/tracks")
    call("GET", "users/demo-user/playlists")
    requests.get(api + "me", timeout=5)  # no token: 401
    emulator.set_faults(Faults(rate_429=1.0))
    call("GET", "me")
    emulator.set_faults(Faults(rate_5xx=1.0, statuses_5xx=(503,)))
    call("GET", "search", params={"q": "x", "type": "track"})
    emulator.set_faults(Faults())


def test_every_route_answers_in_the_spec_shapes(spec, components):
    with Emulator(record_responses=True) as emulator:
        exercise_every_route(emulator)
        records = emulator.recorded_responses
    routes = {(r.method, r.route) for r in records}
    assert len(routes) >= 12  # the scenario did reach the routes it means to check
    assert {r.status for r in records} >= {200, 201, 400, 401, 403, 404, 429, 503}
    assert check(spec, components, records) == []


@pytest.mark.runs_last
def test_every_response_sent_during_the_run_matches_the_spec(spec, components, emulator_responses):
    """Everything every emulator answered in this run, end-to-end tests included."""
    assert emulator_responses, "no emulator answered during this run: nothing was checked"
    assert check(spec, components, emulator_responses) == []
    emulator_responses.clear()  # checked: the end of the session checks only what follows


def test_the_check_catches_a_wrong_shape(spec, components):
    from soundtrack_playlists.emulator.app import ResponseRecord

    wrong = ResponseRecord("GET", "/search", 200, {"tracks": {"items": [{"type": "album"}]}})
    problems = check(spec, components, [wrong])
    assert any("href" in p for p in problems) and any("'track'" in p for p in problems)
