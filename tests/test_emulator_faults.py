"""Emulator faults: latency, 429s and their retry-after, 5xx, dropped connections, 403, expiry."""

from __future__ import annotations

import pytest
import requests
import spotipy

from soundtrack_playlists.emulator.api import NOT_REGISTERED
from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.faults import FaultInjector, Faults


def api(emulator, method, path, token, **kwargs):
    return requests.request(method, emulator.api_url + path, timeout=5,
                            headers={"Authorization": f"Bearer {token}"}, **kwargs)  # fmt: skip


def track_uris(emulator, count):
    return [t.uri for t in emulator.catalog.tracks[:count]]


# --- the injector itself ---


def test_same_seed_same_faults():
    faults = Faults(rate_429=0.3, rate_5xx=0.3, rate_drop=0.2, seed=42)
    runs = []
    for _ in range(2):
        injector = FaultInjector(faults)
        runs.append([injector.decide("/v1/search") for _ in range(200)])
    assert runs[0] == runs[1]
    kinds = {d.fault for d in runs[0]}
    assert {"rate_limited", "server_error", "drop", None} <= kinds


def test_other_seed_other_faults():
    one = FaultInjector(Faults(rate_5xx=0.5, seed=1))
    two = FaultInjector(Faults(rate_5xx=0.5, seed=2))
    assert [one.decide("/v1/me") for _ in range(50)] != [two.decide("/v1/me") for _ in range(50)]


def test_rolling_window_limit_frees_up_after_30_seconds():
    now = [0.0]
    injector = FaultInjector(Faults(limit_per_30s=3, retry_after=7), clock=lambda: now[0])
    assert [injector.decide("/v1/me").status for _ in range(3)] == [None] * 3
    limited = injector.decide("/v1/me")
    assert (limited.status, limited.retry_after) == (429, 7)
    now[0] = 29.0
    assert injector.decide("/v1/me").status == 429
    now[0] = 30.5  # the first three requests left the window
    assert injector.decide("/v1/me").status is None


def test_admin_and_excluded_paths_are_never_faulted():
    injector = FaultInjector(Faults(rate_5xx=1.0, exclude_paths=("/api/token",)))
    assert injector.decide("/_emulator/log").fault is None
    assert injector.decide("/api/token").fault is None
    assert injector.decide("/v1/me").status in (500, 502, 503)
    only_api = FaultInjector(Faults(rate_429=1.0, paths=("/v1/",)))
    assert only_api.decide("/authorize").fault is None
    assert only_api.decide("/v1/search").status == 429


def test_faults_validate_rates():
    with pytest.raises(ValueError, match="rate_429"):
        Faults(rate_429=1.5)


# --- over HTTP ---


@pytest.mark.parametrize(("retry_after", "header"), [(0, "0"), (3, "3"), (86400, "86400")])
def test_429_sends_lower_case_retry_after(retry_after, header):
    with Emulator(faults=Faults(rate_429=1.0, retry_after=retry_after)) as emulator:
        answer = requests.get(emulator.api_url + "me", timeout=5)
        assert answer.status_code == 429
        assert answer.json() == {"error": {"status": 429, "message": "API rate limit exceeded"}}
        raw_names = list(answer.raw.headers.keys())
        assert "retry-after" in raw_names and answer.headers["retry-after"] == header
        assert emulator.request_log[-1].fault == "rate_limited"


def test_429_without_retry_after_header():
    with Emulator(faults=Faults(rate_429=1.0, retry_after=None)) as emulator:
        answer = requests.get(emulator.api_url + "me", timeout=5)
        assert answer.status_code == 429 and "retry-after" not in answer.headers


def test_limit_per_window_over_http():
    with Emulator(faults=Faults(limit_per_30s=2)) as emulator:
        token = emulator.issue_access_token()
        statuses = [api(emulator, "GET", "me", token).status_code for _ in range(4)]
        assert statuses == [200, 200, 429, 429]


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors(status):
    with Emulator(faults=Faults(rate_5xx=1.0, statuses_5xx=(status,))) as emulator:
        token = emulator.issue_access_token()
        answer = api(emulator, "GET", "me", token)
        assert answer.status_code == status
        assert answer.json()["error"]["status"] == status
        assert emulator.request_log[-1].fault == "server_error"


def test_dropped_connection_before_a_write_changes_nothing():
    with Emulator() as emulator:
        token = emulator.issue_access_token()
        playlist = emulator.add_playlist(owner="demo-user", name="P")
        emulator.set_faults(Faults(rate_drop=1.0))
        with pytest.raises(requests.ConnectionError):
            api(emulator, "POST", f"playlists/{playlist}/items", token,
                json={"uris": track_uris(emulator, 2)})  # fmt: skip
        assert emulator.playlists_state()[playlist]["items"] == []
        record = emulator.request_log[-1]
        assert (record.status, record.fault) == (None, "drop")


def test_apply_then_drop_leaves_the_write_done():
    with Emulator() as emulator:
        token = emulator.issue_access_token()
        playlist = emulator.add_playlist(owner="demo-user", name="P")
        emulator.set_faults(Faults(rate_drop=1.0, drop_after_apply=True))
        with pytest.raises(requests.ConnectionError):
            api(emulator, "POST", f"playlists/{playlist}/items", token,
                json={"uris": track_uris(emulator, 2)})  # fmt: skip
        assert emulator.playlists_state()[playlist]["items"] == track_uris(emulator, 2)
        assert emulator.request_log[-1].fault == "drop_after_apply"


def test_user_not_on_the_allow_list_gets_403():
    with Emulator(faults=Faults(not_allow_listed=True)) as emulator:
        refresh = emulator.issue_refresh_token()
        token = requests.post(emulator.accounts_url + "api/token", timeout=5,
                              data={"grant_type": "refresh_token", "refresh_token": refresh,
                                    "client_id": "c"}).json()["access_token"]  # fmt: skip
        answer = api(emulator, "GET", "me", token)
        assert answer.status_code == 403
        assert answer.json()["error"]["message"] == NOT_REGISTERED
        assert emulator.request_log[-1].fault == "not_allow_listed"


def test_allow_list_admits_only_listed_users():
    with Emulator(users=["alice", "bob"], allow_list=["alice"]) as emulator:
        assert api(emulator, "GET", "me", emulator.issue_access_token("alice")).ok
        answer = api(emulator, "GET", "me", emulator.issue_access_token("bob"))
        assert answer.status_code == 403 and answer.json()["error"]["message"] == NOT_REGISTERED


def test_token_expires_mid_run_and_refresh_recovers():
    with Emulator(faults=Faults(expire_token_after=2)) as emulator:
        refresh = emulator.issue_refresh_token()
        form = {"grant_type": "refresh_token", "refresh_token": refresh, "client_id": "c"}
        first = requests.post(emulator.accounts_url + "api/token", data=form, timeout=5).json()
        token = first["access_token"]
        statuses = [api(emulator, "GET", "me", token).status_code for _ in range(3)]
        assert statuses == [200, 200, 401]
        assert emulator.request_log[-1].fault == "token_expired"
        form["refresh_token"] = first["refresh_token"]  # PKCE refresh tokens work once
        fresh = requests.post(emulator.accounts_url + "api/token", data=form,
                              timeout=5).json()["access_token"]  # fmt: skip
        assert api(emulator, "GET", "me", fresh).status_code == 200


def test_expire_tokens_now(emulator):
    token = emulator.issue_access_token()
    emulator.expire_tokens()
    answer = api(emulator, "GET", "me", token)
    assert answer.json()["error"]["message"] == "The access token expired"


def test_latency_is_added_to_faulted_paths_only():
    waits = []
    with Emulator(faults=Faults(latency_ms=250), sleep=waits.append) as emulator:
        token = emulator.issue_access_token()
        api(emulator, "GET", "me", token)
        requests.get(emulator.base_url + "_emulator/log", timeout=5)
    assert waits == [0.25]


def test_chaos_run_keeps_state_consistent_with_what_clients_saw():
    """Random 429/5xx/drops at high rates: every request is logged with its fault and the
    playlist holds exactly the writes that the emulator applied."""
    faults = Faults(rate_429=0.2, rate_5xx=0.2, rate_drop=0.2, drop_after_apply=True,
                    retry_after=0, seed=7, paths=("/v1/",))  # fmt: skip
    with Emulator(faults=faults) as emulator:
        token = emulator.issue_access_token()
        playlist = emulator.add_playlist(owner="demo-user", name="Chaos")
        applied = []
        for uri in track_uris(emulator, 40):
            try:
                answer = api(emulator, "POST", f"playlists/{playlist}/items", token,
                             json={"uris": [uri]})  # fmt: skip
                if answer.status_code == 201:
                    applied.append(uri)
            except requests.ConnectionError:
                applied.append(uri)  # dropped after the write was applied
        log = [r for r in emulator.request_log if r.route == "/playlists/{playlist_id}/items"]
        assert len(log) == 40
        faults_seen = {r.fault for r in log}
        assert {"rate_limited", "server_error", "drop_after_apply", None} <= faults_seen
        assert emulator.playlists_state()[playlist]["items"] == applied


def test_spotipy_sees_a_429_as_an_exception_when_its_retries_are_off(emulator):
    emulator.set_faults(Faults(rate_429=1.0, retry_after=5, paths=("/v1/",)))
    client = spotipy.Spotify(auth=emulator.issue_access_token(), retries=0, status_retries=0)
    client.prefix = emulator.api_url
    with pytest.raises(spotipy.SpotifyException) as error:
        client.me()
    assert error.value.http_status == 429
