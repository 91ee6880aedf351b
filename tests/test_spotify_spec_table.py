"""The one table of operations, scopes and limits: what the spec says, asked for, enforced."""

from __future__ import annotations

import re

import pytest

from soundtrack_playlists.emulator.api import RETIRED, ROUTES
from soundtrack_playlists.settings import SCOPES
from soundtrack_playlists.spotify import spec
from tools import derive_spotify_table as derive

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 64 + b"\xff\xd9"


def test_the_checked_in_table_is_what_the_spec_says():
    loaded = derive.load_spec()
    table = derive.table(loaded)
    assert {key: tuple(op) for key, op in spec.OPERATIONS.items()} == table
    for name, value in derive.limits(loaded).items():
        assert getattr(spec, name) == value, name
    assert spec.FIELD_SCOPES == derive.FIELD_SCOPES


def test_the_library_check_needs_the_library_scope_and_the_login_asks_for_it():
    # A deleted playlist was checked with a scope the login never asked for.
    assert "user-library-read" in spec.OPERATIONS["GET /me/library/contains"].needed
    assert "user-library-read" in SCOPES


def test_every_route_of_the_emulator_has_an_entry_in_the_table():
    keys = set(spec.OPERATIONS)
    for route, _pattern, methods in ROUTES:
        if methods == RETIRED:
            assert any(key.endswith(f" {route}") for key in keys), route
            continue
        assert isinstance(methods, dict)
        for method in methods:
            assert f"{method} {route}" in keys, f"{method} {route}"


def test_every_operation_the_client_calls_is_in_the_table_with_its_scopes_asked_for(
    emulator, connect
):
    client = connect()
    track = client.search_tracks("smile", limit=2)[0]
    client.track(track.uri.rsplit(":", 1)[-1])
    made = client.create_playlist("Scopes", "every call once", True)
    client.append_items(made.id, [track.uri], start=0)
    client.replace_items(made.id, [track.uri])
    client.update_playlist(made.id, description="changed")
    client.upload_cover(made.id, JPEG)
    client.my_playlists()
    client.playlist(made.id)
    client.playlist_item_uris(made.id)
    client.still_followed([made.id])
    client.unfollow_playlist(made.id)
    called = {
        f"{record.method} {record.route}"
        for record in emulator.request_log
        if record.path.startswith("/v1/")  # not the accounts service's token requests
    }
    assert "GET /me/library/contains" in called and "PUT /playlists/{playlist_id}/images" in called
    for key in called:
        operation = spec.OPERATIONS[key]
        missing = [scope for scope in operation.needed if scope not in SCOPES]
        assert not missing, f"{key} needs {missing}, which the login does not ask for"
        assert set(operation.scopes) - set(operation.needed) <= {
            scope for (where, scope) in spec.FIELD_SCOPES if where == key
        }


@pytest.mark.parametrize(
    "key", [key for key, op in spec.OPERATIONS.items() if op.needed and "/users/" not in key]
)
def test_the_emulator_refuses_a_token_without_a_scope_the_spec_demands(emulator, key):
    import requests

    method, route = key.split(" ", 1)
    playlist = emulator.add_playlist(owner="demo-user", name="Mine", items=[])
    path = re.sub(r"\{[a-z_]+\}", playlist, route)
    for scope in spec.OPERATIONS[key].needed:
        token = emulator.issue_access_token(scopes=[s for s in SCOPES if s != scope])
        answer = requests.request(
            method,
            emulator.api_url + path.lstrip("/"),
            headers={"Authorization": f"Bearer {token}"},
            params={"uris": f"spotify:playlist:{playlist}"},
            timeout=5,
        )
        if "/tracks" in route and route.startswith("/playlists"):
            assert answer.status_code == 403  # retired for everyone
            continue
        assert answer.status_code == 403, (key, scope, answer.text)
        assert answer.json()["error"]["message"] == "Insufficient client scope"
