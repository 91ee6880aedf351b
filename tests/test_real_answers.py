"""Every recorded real answer parses, and odd real entries don't stop a sync."""

from __future__ import annotations

import pytest
from real_answers import ANSWERS, ERRORS, NOT_OURS, REENCODED, body, data, every_file

from soundtrack_playlists.errors import Forbidden, PremiumRequired, SpotifyError
from soundtrack_playlists.models import PlaylistInfo
from soundtrack_playlists.spotify import wire
from soundtrack_playlists.spotify.answers import classify


def reply(name: str) -> wire.Reply:
    method, route = ANSWERS[name].split(" ", 1)
    return wire.Reply(f"{method} {route}", 200, body(name))


def test_every_recorded_body_is_accounted_for():
    assert every_file() == set(ANSWERS) | set(ERRORS) | set(NOT_OURS)


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_every_recorded_body_parses(name: str) -> None:
    operation = ANSWERS[name]
    answer = reply(name)
    if operation == "GET /search":
        tracks = wire.search_tracks(answer)
        assert len(tracks) == len([t for t in data(name)["tracks"]["items"] if t])
    elif operation == "GET /tracks/{id}":
        assert wire.track(answer).uri.startswith("spotify:track:")
    elif operation in ("GET /playlists/{playlist_id}", "POST /me/playlists"):
        playlist = wire.playlist(answer)
        assert playlist.id == data(name)["id"]
        embedded = data(name).get("items") or data(name).get("tracks")
        if isinstance(embedded, dict) and "items" in embedded and name not in REENCODED:
            page = wire.items_page(wire.Reply(answer.where, 200, _json(embedded)))
            assert len(page.items) == len(embedded["items"])
    elif operation == "GET /playlists/{playlist_id}/items":
        page = wire.items_page(answer)
        assert len(page.items) == len(data(name)["items"])
    elif operation == "GET /me/playlists":
        page = wire.playlists_page(answer)
        assert all(isinstance(entry, PlaylistInfo) for entry in page.items if entry)
    elif operation == "GET /me":
        assert wire.user(answer).id == data(name)["id"]
    elif operation == "POST /playlists/{playlist_id}/items":
        assert wire.snapshot_id(answer)
    elif operation == "GET /me/library/contains":
        assert wire.booleans(answer, len(data(name))) == data(name)
    else:  # pragma: no cover - every operation above
        raise AssertionError(operation)


def _json(value: object) -> bytes:
    import json

    return json.dumps(value).encode("utf-8")


def test_the_2026_playlist_list_reads_both_counts_and_null_images():
    page = wire.playlists_page(reply("real-2026/joostlek_me_playlists_2026_p1.json"))
    entries = [entry for entry in page.items if isinstance(entry, PlaylistInfo)]
    assert len(entries) == 48 and page.offset == 0 and page.has_next
    raw = {
        entry["id"]: entry
        for entry in data("real-2026/joostlek_me_playlists_2026_p1.json")["items"]
    }
    assert any(entry["images"] is None for entry in raw.values())
    for entry in entries:
        assert entry.total == raw[entry.id]["items"]["total"]


def test_local_files_and_episodes_are_read_for_what_they_are():
    local = wire.items_page(reply("real-2026/joostlek_items_page_local_track.json"))
    assert local.items[0] is not None and local.items[0].startswith("spotify:local:")
    assert local.items[1] == "spotify:track:4oeRfmp9XpKWym6YD1WvBP"
    episodes = wire.items_page(reply("real-2026/joostlek_items_page_episodes.json"))
    assert any(uri and uri.startswith("spotify:episode:") for uri in episodes.items)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_every_recorded_error_body_is_read_and_said(name: str) -> None:
    message, _ = wire.error_message(body(name))
    error = classify(ERRORS[name], message, "GET /me/playlists", retry_after=None, scopes=None)
    assert isinstance(error, SpotifyError)
    if "premium" in name:
        assert isinstance(error, PremiumRequired)
    elif "forbidden" in name:
        assert isinstance(error, Forbidden) and "playlists you own" in str(error)
    else:
        assert "Invalid limit" in str(error)


def _variant(entry: dict, kind: str) -> dict | None:
    """A real foreign entry turned into one of the shapes 2026 answers take."""
    changed = dict(entry)
    if kind == "no-count":
        changed.pop("items", None)
        changed.pop("tracks", None)
    elif kind == "name-null":
        changed["name"] = None
    elif kind == "no-owner-name":
        changed["owner"] = {**entry["owner"], "display_name": None}
    elif kind == "images-null":
        changed["images"] = None
    elif kind == "item-only":
        changed.pop("tracks", None)
    elif kind == "metadata-only":
        changed = {key: entry[key] for key in ("id", "name", "owner", "uri", "type")}
    elif kind == "no-owner":
        changed.pop("owner")
    elif kind == "null":
        return None
    return changed


VARIANTS = (
    "no-count", "name-null", "no-owner-name", "images-null", "item-only", "metadata-only",
    "no-owner", "null",
)  # fmt: skip


@pytest.mark.parametrize("kind", VARIANTS)
def test_an_odd_entry_of_someone_elses_is_left_out_not_a_failure(tmp_path, kind, caplog):
    import logging

    import responses
    from spotify_fakes import API, ME, make_client, mocked_http

    answer = data("real-2026/joostlek_me_playlists_2026_p1.json")
    foreign = [i for i, entry in enumerate(answer["items"]) if entry["owner"]["id"] != ME["id"]]
    answer["items"][foreign[0]] = _variant(answer["items"][foreign[0]], kind)
    answer["next"] = None
    for mock in mocked_http():
        client, _ = make_client(tmp_path, mock)
        mock.get(API + "me", json=ME)
        mock.get(API + "me/playlists", json=answer)
        with caplog.at_level(logging.INFO):
            listed = client.my_playlists()
        expected = 48 if kind in ("no-owner-name", "images-null", "item-only") else 47
        assert len(listed) == expected
        if expected == 47 and kind != "null":
            assert "left out playlist" in caplog.text
        assert isinstance(mock, responses.RequestsMock)


def test_an_entry_of_the_users_own_without_a_count_is_still_an_error(tmp_path):
    from spotify_fakes import API, ME, make_client, mocked_http

    from soundtrack_playlists.errors import MalformedAnswer

    answer = data("real-2026/joostlek_me_playlists_2026_p1.json")
    answer["items"][0] = {**_variant(answer["items"][0], "no-count"), "owner": {"id": ME["id"]}}
    answer["next"] = None
    for mock in mocked_http():
        client, _ = make_client(tmp_path, mock)
        mock.get(API + "me", json=ME)
        mock.get(API + "me/playlists", json=answer)
        with pytest.raises(MalformedAnswer, match="no item count"):
            client.my_playlists()


@pytest.mark.parametrize("kind", ["item-only", "null", "added-by-null", "empty-id", "no-uri"])
def test_odd_playlist_items_are_kept_as_holes_or_foreign_items(kind):
    import json

    answer = data("real-2026/joostlek_playlist_items_2026.json")
    entry = answer["items"][0]
    if kind == "item-only":
        entry.pop("track")
    elif kind == "null":
        answer["items"][0] = None
    elif kind == "added-by-null":
        entry["added_by"] = None
    elif kind == "empty-id":
        entry["item"] = {**entry["item"], "id": ""}
        entry.pop("track")
    elif kind == "no-uri":
        entry["item"] = {key: value for key, value in entry["item"].items() if key != "uri"}
        entry.pop("track")
    page = wire.items_page(
        wire.Reply("GET /playlists/x/items", 200, json.dumps(answer).encode("utf-8"))
    )
    hole = kind in ("null", "no-uri")
    assert page.items[0] == (None if hole else "spotify:track:3ZL9gPzeCnKG9l5SB1SlcZ")
