"""The emulator's answers have every field real Spotify answers have (bar a few, each with why)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from real_answers import ANSWERS, data

from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.faults import Faults

LOCAL = "spotify:local:Fugees+%28Refugee+Camp%29:The+Score:No+Woman%2C+No+Cry:273"
EPISODE = "spotify:episode:5ytYkag3JZJ3GP2uuFAEBe"
JPEG = base64.b64encode(b"\xff\xd8\xff\xe0" + b"0" * 32 + b"\xff\xd9")

# Fields real answers have that ours leave out on purpose: a part of the path -> why.
DELIBERATE = {
    ".followers": "playlist and profile followers: no count of followers is kept or read",
    ".birthdate": "a field of 2015's GET /me, long gone",
    ".email": "needs user-read-email, which the tool does not ask for",
    ".images[]": "pictures of profiles, albums and episodes: the catalog has none",
    ".external_ids.isrc": "sent for catalog rows that have an ISRC; many demo rows have none",
    "track.resume_point": "an episode's resume point: the client reads an episode's URI only",
    "track.show.": "an episode's full show: the client reads an episode's URI only",
}


def paths(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every key path of a JSON value with its type ("[]" for any list element)."""
    kind = "null" if value is None else type(value).__name__
    yield prefix, kind
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from paths(inner, f"{prefix}.{key}")
    elif isinstance(value, list):
        for inner in value:
            yield from paths(inner, f"{prefix}[]")


def shapes(values: list[Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for value in values:
        for path, kind in paths(value):
            found.setdefault(path, set()).add(kind)
    return found


def emulator_answers(emulator: Emulator) -> dict[str, list[Any]]:
    """One answer or more of every operation the client calls, with the odd items real
    playlists hold (a local file, an episode), a cover, a relinked and an unplayable track."""
    token = emulator.issue_access_token()
    api = emulator.api_url

    def call(method: str, path: str, **kwargs: Any) -> Any:
        answer = requests.request(
            method, api + path, headers={"Authorization": f"Bearer {token}"}, timeout=5, **kwargs
        )
        assert answer.status_code < 300, (path, answer.text)
        return answer.json() if answer.content else None

    tracks = emulator.catalog.tracks
    emulator.set_faults(Faults(unplayable_rate=0.5, seed=1, relinked={tracks[0].id: tracks[1].id}))
    made = call("POST", "me/playlists", json={"name": "Shapes", "public": False})
    added = call(
        "POST", f"playlists/{made['id']}/items", json={"uris": [t.uri for t in tracks[:4]]}
    )
    call("PUT", f"playlists/{made['id']}/images", data=JPEG)
    odd = emulator.add_playlist("demo-user", "Odd", items=[LOCAL, EPISODE, tracks[2].uri])
    emulator.add_playlist("someone-else", "Theirs", items=[tracks[3].uri])
    search = {"q": "love", "type": "track", "limit": 10}
    return {
        "GET /me": [call("GET", "me")],
        "GET /search": [
            call("GET", "search", params=search),
            call("GET", "search", params={**search, "market": "from_token"}),
        ],
        "GET /tracks/{id}": [
            call("GET", f"tracks/{tracks[0].id}", params={"market": "from_token"}),
            call("GET", f"tracks/{tracks[2].id}"),
        ],
        "GET /playlists/{playlist_id}": [
            call("GET", f"playlists/{made['id']}"),
            call("GET", f"playlists/{odd}", params={"market": "from_token"}),
        ],
        "POST /me/playlists": [made],
        "GET /playlists/{playlist_id}/items": [
            call("GET", f"playlists/{odd}/items", params={"market": "from_token"}),
            call("GET", f"playlists/{made['id']}/items"),
        ],
        "GET /me/playlists": [call("GET", "me/playlists", params={"limit": 50})],
        "POST /playlists/{playlist_id}/items": [added],
        "GET /me/library/contains": [
            call("GET", "me/library/contains", params={"uris": f"spotify:playlist:{odd}"})
        ],
    }


@pytest.fixture(scope="module")
def ours() -> dict[str, list[Any]]:
    with Emulator(sleep=lambda seconds: None) as emulator:
        return emulator_answers(emulator)


@pytest.mark.parametrize("operation", sorted(set(ANSWERS.values())))
def test_the_emulator_answers_have_every_field_real_answers_have(ours, operation):
    real = shapes([data(name) for name, op in ANSWERS.items() if op == operation])
    mine = shapes(ours[operation])
    missing = sorted(
        path for path in real if path not in mine and not any(part in path for part in DELIBERATE)
    )
    assert missing == [], f"{operation}: real answers have fields ours lack"
    clashing = sorted(
        path
        for path in real.keys() & mine.keys()
        if (real[path] - {"null"}) and (mine[path] - {"null"}) and not (real[path] & mine[path])
    )
    assert clashing == [], f"{operation}: fields of another type than in real answers"


def test_a_relinked_track_names_the_one_asked_for_and_an_unplayable_one_says_why(emulator):
    tracks = emulator.catalog.tracks
    emulator.set_faults(Faults(relinked={tracks[0].id: tracks[1].id}))
    token = emulator.issue_access_token()
    headers = {"Authorization": f"Bearer {token}"}
    url = emulator.api_url + f"tracks/{tracks[0].id}"
    answer = requests.get(url, params={"market": "from_token"}, headers=headers, timeout=5).json()
    assert answer["id"] == tracks[1].id and answer["linked_from"]["id"] == tracks[0].id
    plain = requests.get(url, headers=headers, timeout=5).json()
    assert plain["id"] == tracks[0].id and "linked_from" not in plain  # no market, no relinking
    emulator.set_faults(Faults(unplayable_rate=1.0))
    gone = requests.get(url, params={"market": "US"}, headers=headers, timeout=5).json()
    assert gone["is_playable"] is False and gone["restrictions"] == {"reason": "market"}
    assert "US" not in gone["available_markets"]


def test_item_only_entries_and_metadata_only_playlists_of_others(emulator):
    tracks = emulator.catalog.tracks
    mine = emulator.add_playlist("demo-user", "Mine", items=[tracks[0].uri, LOCAL, EPISODE])
    theirs = emulator.add_playlist("someone-else", "Theirs", items=[tracks[1].uri])
    emulator.store.follow(emulator.store.playlist(theirs), "demo-user", True)
    emulator.set_faults(Faults(item_only=True, metadata_only=True))
    token = emulator.issue_access_token()
    headers = {"Authorization": f"Bearer {token}"}
    page = requests.get(emulator.api_url + f"playlists/{mine}/items", headers=headers, timeout=5)
    entries = page.json()["items"]
    assert all("track" not in entry for entry in entries)
    assert [entry["item"]["uri"] for entry in entries] == [tracks[0].uri, LOCAL, EPISODE]
    assert entries[1]["is_local"] is True and entries[1]["item"]["id"] is None
    listed = requests.get(emulator.api_url + "me/playlists", headers=headers, timeout=5).json()
    by_id = {entry["id"]: entry for entry in listed["items"]}
    assert "items" not in by_id[theirs] and "tracks" not in by_id[theirs]
    assert by_id[theirs]["owner"]["display_name"] is None and by_id[theirs]["images"] is None
    assert by_id[mine]["items"]["total"] == 3
