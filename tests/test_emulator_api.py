"""Emulator routes over HTTP with spotipy and requests: accounts, search, playlists, errors."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import spotipy
from spotipy.oauth2 import SpotifyPKCE

from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.settings import SCOPES as PROJECT_SCOPES

REDIRECT = "http://127.0.0.1:8999/callback"
JPEG = base64.b64encode(b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9").decode()


def pkce_login(emulator, scopes=PROJECT_SCOPES) -> spotipy.Spotify:
    """Log in as a person would, with the browser step replaced by following the redirect."""
    auth = SpotifyPKCE(
        client_id="test-client",
        redirect_uri=REDIRECT,
        scope=" ".join(scopes),
        open_browser=False,
        cache_handler=spotipy.MemoryCacheHandler(),
    )
    auth.OAUTH_AUTHORIZE_URL = emulator.accounts_url + "authorize"
    auth.OAUTH_TOKEN_URL = emulator.accounts_url + "api/token"
    answer = requests.get(auth.get_authorize_url(state="s1"), allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    auth.get_access_token(auth.parse_response_code(answer.headers["Location"]), check_cache=False)
    client = spotipy.Spotify(auth_manager=auth, retries=0, status_retries=0, requests_timeout=5)
    client.prefix = emulator.api_url
    return client


def api(emulator, method, path, token=None, **kwargs):
    headers = kwargs.pop("headers", {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.request(method, emulator.api_url + path, headers=headers, timeout=5, **kwargs)


def token_post(emulator, **form):
    return requests.post(emulator.accounts_url + "api/token", data=form, timeout=5)


def uris(client, q, limit=10):
    return [t["uri"] for t in client.search(q, limit=limit)["tracks"]["items"]]


@pytest.fixture
def client(emulator):
    return pkce_login(emulator)


# --- accounts ---


def test_authorize_redirects_with_code_and_state(emulator):
    answer = requests.get(
        emulator.accounts_url + "authorize",
        params={"client_id": "c", "response_type": "code", "redirect_uri": REDIRECT,
                "state": "abc", "scope": "playlist-read-private"},
        allow_redirects=False, timeout=5,
    )  # fmt: skip
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["abc"] and query["code"][0]


@pytest.mark.parametrize("redirect", ["http://localhost:8888/cb", "http://example.com/cb"])
def test_authorize_refuses_insecure_redirect_uris(emulator, redirect):
    answer = requests.get(
        emulator.accounts_url + "authorize",
        params={"client_id": "c", "response_type": "code", "redirect_uri": redirect},
        allow_redirects=False, timeout=5,
    )  # fmt: skip
    assert answer.status_code == 400
    assert "Insecure redirect URI" in answer.text


def test_pkce_login_then_me(client):
    me = client.me()
    assert me["id"] == "demo-user" and me["type"] == "user"


def test_pkce_wrong_verifier_is_invalid_grant(emulator):
    answer = requests.get(
        emulator.accounts_url + "authorize",
        params={"client_id": "c", "response_type": "code", "redirect_uri": REDIRECT,
                "code_challenge": "x" * 43, "code_challenge_method": "S256"},
        allow_redirects=False, timeout=5,
    )  # fmt: skip
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    reply = token_post(emulator, grant_type="authorization_code", code=code,
                       redirect_uri=REDIRECT, client_id="c", code_verifier="not-it")  # fmt: skip
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid_grant"


def test_authorization_code_is_single_use(emulator):
    answer = requests.get(
        emulator.accounts_url + "authorize",
        params={"client_id": "c", "response_type": "code", "redirect_uri": REDIRECT},
        allow_redirects=False, timeout=5,
    )  # fmt: skip
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    form = dict(grant_type="authorization_code", code=code, redirect_uri=REDIRECT, client_id="c")
    assert token_post(emulator, **form).status_code == 200
    assert token_post(emulator, **form).json()["error"] == "invalid_grant"


def test_refresh_token_grant_and_its_failures(emulator):
    refresh = emulator.issue_refresh_token()
    answer = token_post(emulator, grant_type="refresh_token", refresh_token=refresh, client_id="c")
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert set(body["scope"].split()) == set(PROJECT_SCOPES)
    assert api(emulator, "GET", "me", body["access_token"]).json()["id"] == "demo-user"

    unknown = token_post(emulator, grant_type="refresh_token", refresh_token="nope", client_id="c")
    assert (unknown.status_code, unknown.json()["error"]) == (400, "invalid_grant")
    emulator.revoke_refresh_token(refresh)
    revoked = token_post(emulator, grant_type="refresh_token", refresh_token=refresh, client_id="c")
    assert (revoked.status_code, revoked.json()["error"]) == (400, "invalid_grant")


def test_a_pkce_refresh_rotates_the_refresh_token_and_the_old_one_dies(emulator):
    first = emulator.issue_refresh_token()
    answer = token_post(emulator, grant_type="refresh_token", refresh_token=first, client_id="c")
    assert answer.status_code == 200
    second = answer.json()["refresh_token"]
    assert second and second != first
    reused = token_post(emulator, grant_type="refresh_token", refresh_token=first, client_id="c")
    assert reused.status_code == 400
    assert reused.json() == {"error": "invalid_grant", "error_description": "Refresh token revoked"}
    # the new one works once too, and hands on a third
    following = token_post(emulator, grant_type="refresh_token", refresh_token=second,
                           client_id="c")  # fmt: skip
    assert following.status_code == 200
    assert following.json()["refresh_token"] not in (first, second)
    assert api(emulator, "GET", "me", following.json()["access_token"]).status_code == 200


def test_a_client_with_a_secret_keeps_its_refresh_token(emulator):
    refresh = emulator.issue_refresh_token()
    basic = base64.b64encode(b"c:secret").decode()
    for _ in range(2):
        answer = requests.post(emulator.accounts_url + "api/token",
                               data={"grant_type": "refresh_token", "refresh_token": refresh},
                               headers={"Authorization": f"Basic {basic}"}, timeout=5)  # fmt: skip
        assert answer.status_code == 200
        assert "refresh_token" not in answer.json()


def test_rotation_can_be_turned_off():
    with Emulator(rotate_refresh_tokens=False) as emulator:
        refresh = emulator.issue_refresh_token()
        form = {"grant_type": "refresh_token", "refresh_token": refresh, "client_id": "c"}
        answers = [token_post(emulator, **form) for _ in range(2)]
        assert [answer.status_code for answer in answers] == [200, 200]
        assert all("refresh_token" not in answer.json() for answer in answers)


def test_a_rotated_refresh_token_survives_a_restart(tmp_path):
    state_file = tmp_path / "emulator-state.json"
    with Emulator(state_file=state_file) as first:
        seed = first.issue_refresh_token()
        form = {"grant_type": "refresh_token", "client_id": "c"}
        rotated = token_post(first, refresh_token=seed, **form).json()["refresh_token"]
    with Emulator(state_file=state_file) as second:
        assert token_post(second, refresh_token=seed, **form).json()["error"] == "invalid_grant"
        assert token_post(second, refresh_token=rotated, **form).status_code == 200


def test_client_credentials_token_can_search_but_has_no_user(emulator):
    basic = base64.b64encode(b"c:secret").decode()
    answer = requests.post(emulator.accounts_url + "api/token",
                           data={"grant_type": "client_credentials"},
                           headers={"Authorization": f"Basic {basic}"}, timeout=5)  # fmt: skip
    token = answer.json()["access_token"]
    assert "refresh_token" not in answer.json()
    assert api(emulator, "GET", "search", token, params={"q": "smile", "type": "track"}).ok
    assert api(emulator, "GET", "me", token).status_code == 401


def test_unsupported_grant_type(emulator):
    answer = token_post(emulator, grant_type="password", client_id="c")
    assert (answer.status_code, answer.json()["error"]) == (400, "unsupported_grant_type")


def test_access_tokens_expire_after_their_lifetime():
    now = [1_000_000.0]
    with Emulator(token_lifetime=60, clock=lambda: now[0]) as emulator:
        token = emulator.issue_access_token()
        assert api(emulator, "GET", "me", token).status_code == 200
        now[0] += 61
        answer = api(emulator, "GET", "me", token)
        assert answer.status_code == 401
        assert answer.json() == {"error": {"status": 401, "message": "The access token expired"}}


def test_missing_or_unknown_token_is_401(emulator):
    assert api(emulator, "GET", "me").status_code == 401
    answer = api(emulator, "GET", "me", "made-up")
    assert answer.json()["error"]["message"] == "Invalid access token"


# --- search ---


def test_search_returns_full_track_objects_with_market(client):
    result = client.search('track:"Smile" artist:"Nat King Cole"', limit=5, market="from_token")
    page = result["tracks"]
    assert page["total"] == 1 and page["limit"] == 5 and page["offset"] == 0
    track = page["items"][0]
    assert track["name"] == "Smile" and track["artists"][0]["name"] == "Nat King Cole"
    assert track["is_playable"] is True
    assert track["album"]["album_type"] == "album" and track["album"]["release_date"] == "1954"
    assert track["uri"] == f"spotify:track:{track['id']}"


def test_search_without_market_omits_is_playable(client):
    track = client.search("track:smile", limit=1)["tracks"]["items"][0]
    assert "is_playable" not in track


@pytest.mark.parametrize("limit", ["-1", "11", "50", "x"])
def test_search_limit_outside_0_to_10_is_invalid(emulator, limit):  # the 2026 spec: minimum 0
    token = emulator.issue_access_token()
    answer = api(emulator, "GET", "search", token,
                 params={"q": "smile", "type": "track", "limit": limit})  # fmt: skip
    assert answer.status_code == 400
    assert answer.json() == {"error": {"status": 400, "message": "Invalid limit"}}


def test_search_pages_with_absolute_next_urls(emulator):
    token = emulator.issue_access_token()
    params = {"q": "smile", "type": "track", "limit": 2}
    first = api(emulator, "GET", "search", token, params=params).json()["tracks"]
    assert first["total"] > 4 and first["next"].startswith(emulator.api_url)
    second = requests.get(first["next"], headers={"Authorization": f"Bearer {token}"}, timeout=5)
    page = second.json()["tracks"]
    assert page["offset"] == 2 and page["previous"].startswith(emulator.api_url)
    assert {t["id"] for t in page["items"]}.isdisjoint(t["id"] for t in first["items"])


def test_search_requires_q_and_type(emulator):
    token = emulator.issue_access_token()
    assert api(emulator, "GET", "search", token, params={"type": "track"}).status_code == 400
    assert api(emulator, "GET", "search", token, params={"q": "x"}).status_code == 400


# --- playlists ---


def test_create_add_replace_read_remove(client, emulator):
    playlist = client.current_user_playlist_create("S1E1", public=False, description="ep 1")
    assert playlist["owner"]["id"] == "demo-user" and playlist["public"] is False
    smiles = uris(client, "smile")
    first = playlist["snapshot_id"]
    added = client.playlist_add_items(playlist["id"], smiles)["snapshot_id"]
    assert added != first
    replaced = client.playlist_replace_items(playlist["id"], smiles[:3])["snapshot_id"]
    assert replaced != added
    entries = client.playlist_items(playlist["id"])["items"]
    assert [e["item"]["uri"] for e in entries] == smiles[:3]
    assert all(e["track"] == e["item"] and e["added_by"]["id"] == "demo-user" for e in entries)
    removed = client.playlist_remove_all_occurrences_of_items(playlist["id"], smiles[:1])
    assert removed["snapshot_id"] != replaced
    assert emulator.playlists_state()[playlist["id"]]["items"] == smiles[1:3]


def test_add_at_position_and_query_uris(client, emulator):
    playlist = client.current_user_playlist_create("P")
    a, b, c = uris(client, "smile", limit=3)
    client.playlist_add_items(playlist["id"], [a, c])
    client.playlist_add_items(playlist["id"], [b], position=1)
    assert emulator.playlists_state()[playlist["id"]]["items"] == [a, b, c]


def test_remove_takes_every_occurrence(client, emulator):
    playlist = client.current_user_playlist_create("P")
    a, b = uris(client, "smile", limit=2)
    client.playlist_add_items(playlist["id"], [a, b, a])
    client.playlist_remove_all_occurrences_of_items(playlist["id"], [a])
    assert emulator.playlists_state()[playlist["id"]]["items"] == [b]


def test_reorder_items(client, emulator):
    playlist = client.current_user_playlist_create("P")
    a, b, c = uris(client, "smile", limit=3)
    client.playlist_add_items(playlist["id"], [a, b, c])
    client.playlist_reorder_items(playlist["id"], range_start=2, insert_before=0)
    assert emulator.playlists_state()[playlist["id"]]["items"] == [c, a, b]


def test_items_page_at_most_50_with_absolute_next(client, emulator):
    playlist = client.current_user_playlist_create("Long")
    catalog_uris = [t.uri for t in emulator.catalog.tracks[:120]]
    client.playlist_add_items(playlist["id"], catalog_uris[:100])
    client.playlist_add_items(playlist["id"], catalog_uris[100:])
    page = client.playlist_items(playlist["id"], limit=50)
    assert len(page["items"]) == 50 and page["total"] == 120
    assert page["next"] == f"{emulator.api_url}playlists/{playlist['id']}/items?offset=50&limit=50"
    seen = [e["item"]["uri"] for e in page["items"]]
    while page["next"]:
        page = client.next(page)
        seen += [e["item"]["uri"] for e in page["items"]]
    assert seen == catalog_uris
    with pytest.raises(spotipy.SpotifyException) as error:
        client.playlist_items(playlist["id"], limit=51)
    assert error.value.http_status == 400


def test_more_than_100_items_per_write_is_refused(client, emulator):
    playlist = client.current_user_playlist_create("P")
    too_many = [t.uri for t in emulator.catalog.tracks[:101]]
    for write in (client.playlist_add_items, client.playlist_replace_items):
        with pytest.raises(spotipy.SpotifyException) as error:
            write(playlist["id"], too_many)
        assert error.value.http_status == 400
    assert emulator.playlists_state()[playlist["id"]]["items"] == []


def test_unknown_or_malformed_track_uris_are_refused(client):
    playlist = client.current_user_playlist_create("P")
    for bad in ("spotify:track:" + "Z" * 22, "spotify:album:" + "A" * 22):
        with pytest.raises(spotipy.SpotifyException) as error:
            client._post(f"playlists/{playlist['id']}/items", payload={"uris": [bad]})
        assert error.value.http_status == 400


def test_get_playlist_carries_items_and_tracks(client):
    playlist = client.current_user_playlist_create("P")
    client.playlist_add_items(playlist["id"], uris(client, "smile", limit=2))
    full = client.playlist(playlist["id"])
    assert full["items"]["total"] == 2 and full["tracks"]["total"] == 2
    assert full["items"]["items"][0]["item"]["type"] == "track"


def test_change_details_changes_snapshot(client, emulator):
    playlist = client.current_user_playlist_create("Old", public=True)
    client.playlist_change_details(playlist["id"], name="New", description="d", public=False)
    state = emulator.playlists_state()[playlist["id"]]
    assert (state["name"], state["description"], state["public"]) == ("New", "d", False)
    assert state["snapshot_id"] != playlist["snapshot_id"]


def test_my_playlists_pages_newest_first(client):
    made = [client.current_user_playlist_create(f"P{i}")["id"] for i in range(3)]
    first = client.current_user_playlists(limit=2)
    assert first["total"] == 3 and [p["id"] for p in first["items"]] == made[::-1][:2]
    assert first["items"][0]["items"]["total"] == 0
    rest = client.next(first)
    assert [p["id"] for p in rest["items"]] == made[:1]


def test_deleted_playlist_still_answers_but_leaves_my_playlists(client, emulator):
    kept = client.current_user_playlist_create("Kept")["id"]
    gone = client.current_user_playlist_create("Gone")["id"]
    client.current_user_unfollow_playlist(gone)
    assert [p["id"] for p in client.current_user_playlists()["items"]] == [kept]
    assert client.playlist(gone)["name"] == "Gone"
    emulator.delete_playlist(kept)
    assert client.current_user_playlists()["items"] == []


def test_cover_image_upload(client, emulator):
    playlist = client.current_user_playlist_create("P")
    client.playlist_upload_cover_image(playlist["id"], JPEG)
    assert emulator.playlists_state()[playlist["id"]]["has_image"] is True
    image = client.playlist_cover_image(playlist["id"])[0]
    assert requests.get(image["url"], timeout=5).content.startswith(b"\xff\xd8")


def test_cover_image_must_be_a_small_jpeg(client, emulator):
    playlist = client.current_user_playlist_create("P")
    cut_short = base64.b64encode(b"\xff\xd8\xff\xe0" + b"\x00" * 64).decode()
    bad_images = ((base64.b64encode(b"GIF89a").decode(), 400), ("A" * 300_000, 413))
    for bad, status in (*bad_images, (cut_short, 400)):
        with pytest.raises(spotipy.SpotifyException) as error:
            client.playlist_upload_cover_image(playlist["id"], bad)
        assert error.value.http_status == status


def test_cover_image_needs_the_upload_scope(emulator):
    scopes = [s for s in PROJECT_SCOPES if s != "ugc-image-upload"]
    client = pkce_login(emulator, scopes)
    playlist = client.current_user_playlist_create("P")
    with pytest.raises(spotipy.SpotifyException) as error:
        client.playlist_upload_cover_image(playlist["id"], JPEG)
    assert error.value.http_status == 403 and "Insufficient client scope" in error.value.msg


def test_private_playlist_needs_the_private_scope(emulator):
    client = pkce_login(emulator, ["playlist-modify-public", "playlist-read-private"])
    with pytest.raises(spotipy.SpotifyException) as error:
        client.current_user_playlist_create("P", public=False)
    assert error.value.http_status == 403


def test_writes_to_someone_elses_playlist_are_forbidden(client, emulator):
    theirs = emulator.add_playlist(owner="someone-else", name="Theirs",
                                   items=[emulator.catalog.tracks[0].uri])  # fmt: skip
    a = uris(client, "smile", limit=1)
    for write in (
        lambda: client.playlist_add_items(theirs, a),
        lambda: client.playlist_replace_items(theirs, a),
        lambda: client.playlist_remove_all_occurrences_of_items(theirs, a),
        lambda: client.playlist_change_details(theirs, name="Mine now"),
        lambda: client.playlist_upload_cover_image(theirs, JPEG),
    ):
        with pytest.raises(spotipy.SpotifyException) as error:
            write()
        assert error.value.http_status == 403
    state = emulator.playlists_state()[theirs]
    assert state["name"] == "Theirs" and state["items"] == [emulator.catalog.tracks[0].uri]
    # reading another user's items is forbidden too; the playlist itself shows without items
    with pytest.raises(spotipy.SpotifyException) as error:
        client.playlist_items(theirs)
    assert error.value.http_status == 403
    assert "items" not in client.playlist(theirs)


def test_unknown_playlist_is_404(client):
    with pytest.raises(spotipy.SpotifyException) as error:
        client.playlist("0" * 22)
    assert error.value.http_status == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "users/demo-user/playlists"),
        ("POST", "users/demo-user/playlists"),
        ("GET", "playlists/{id}/tracks"),
        ("POST", "playlists/{id}/tracks"),
        ("PUT", "playlists/{id}/tracks"),
        ("DELETE", "playlists/{id}/tracks"),
    ],
)
def test_deprecated_routes_answer_403(emulator, method, path):
    token = emulator.issue_access_token()
    playlist = emulator.add_playlist(owner="demo-user", name="P")
    answer = api(emulator, method, path.format(id=playlist), token, json={"name": "x"})
    assert answer.status_code == 403
    assert answer.json()["error"]["status"] == 403
    assert emulator.playlists_state()[playlist]["items"] == []


def test_unknown_route_and_bad_json(emulator):
    token = emulator.issue_access_token()
    assert api(emulator, "GET", "nothing/here", token).status_code == 404
    answer = api(emulator, "POST", "me/playlists", token, data=b"{not json",
                 headers={"Content-Type": "application/json"})  # fmt: skip
    assert answer.status_code == 400


# --- introspection and persistence ---


def test_request_log_records_every_request_including_tokens(client, emulator):
    client.search("smile", limit=1)
    log = emulator.request_log
    assert [r.path for r in log[:2]] == ["/authorize", "/api/token"]
    search = [r for r in log if r.route == "/search"][0]
    assert (search.method, search.status, search.query["q"]) == ("GET", 200, "smile")
    emulator.clear_log()
    assert emulator.request_log == []


def test_admin_paths_serve_log_and_state_and_are_not_logged(client, emulator):
    playlist = client.current_user_playlist_create("P")["id"]
    log = requests.get(emulator.base_url + "_emulator/log", timeout=5).json()["requests"]
    assert log[-1]["route"] == "/me/playlists" and log[-1]["status"] == 201
    state = requests.get(emulator.base_url + "_emulator/state", timeout=5).json()
    assert state["playlists"][playlist]["owner"] == "demo-user"
    assert not any(r.path.startswith("/_emulator") for r in emulator.request_log)
    requests.delete(emulator.base_url + "_emulator/log", timeout=5)
    assert emulator.request_log == []


def test_state_file_survives_a_restart(tmp_path):
    state_file = tmp_path / "emulator-state.json"
    with Emulator(state_file=state_file) as first:
        refresh = first.issue_refresh_token()
        client = pkce_login(first)
        playlist = client.current_user_playlist_create("Kept")["id"]
        client.playlist_add_items(playlist, uris(client, "smile", limit=2))
        before = first.playlists_state()
    assert json.loads(state_file.read_text())["playlists"][0]["id"] == playlist
    with Emulator(state_file=state_file) as second:
        assert second.playlists_state() == before
        answer = token_post(second, grant_type="refresh_token", refresh_token=refresh,
                            client_id="c")  # fmt: skip
        assert answer.status_code == 200


def test_emulator_binds_loopback_only(emulator):
    assert emulator._server.server_address[0] == "127.0.0.1"
    assert emulator.api_url.startswith("http://127.0.0.1:")


def test_emulator_command_prints_its_urls_and_an_emulator_token(monkeypatch):
    from click.testing import CliRunner

    from soundtrack_playlists.cli import cli

    served = []

    def interrupted(self, port=0):
        served.append((self.api_url, self.faults))
        self.stop()
        raise KeyboardInterrupt

    monkeypatch.setattr(Emulator, "serve_forever", interrupted)
    result = CliRunner().invoke(
        cli, ["emulator", "--rate-429", "0.5", "--retry-after", "none", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    api_url, faults = served[0]
    assert f"export SPOTIFY_API_URL={api_url}" in result.output
    assert "SPOTIFY_REFRESH_TOKEN=EMUR-" in result.output
    assert (faults.rate_429, faults.retry_after, faults.seed) == (0.5, None, 3)
