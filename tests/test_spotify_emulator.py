"""The Spotify door against the local emulator over real HTTP: logins, refresh, faults."""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from emulator_login import CLIENT_ID, emulator_settings

from soundtrack_playlists.cli import cli
from soundtrack_playlists.doctor import run_checks
from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.emulator.state import DEFAULT_USER
from soundtrack_playlists.errors import LoginRequired, NotAllowListed, RateLimited
from soundtrack_playlists.settings import Settings
from soundtrack_playlists.spotify.client import SpotifyClient
from soundtrack_playlists.spotify.http import RetryPolicy
from soundtrack_playlists.spotify.login import login, login_auth

DEPRECATED_ROUTES = {"/users/{user_id}/playlists", "/playlists/{playlist_id}/tracks"}


@pytest.fixture
def emulator(emulator: Emulator) -> Iterator[Emulator]:
    """The shared emulator, then a check that no test here used a deprecated route."""
    yield emulator
    assert [r for r in emulator.request_log if r.route in DEPRECATED_ROUTES] == []


def settings_for(emulator: Emulator, tmp_path: Path, **changes: object) -> Settings:
    base = Settings(
        client_id=CLIENT_ID,
        redirect_uri="http://127.0.0.1:8888/callback",
        api_url=emulator.api_url,
        accounts_url=emulator.accounts_url,
        cache_path=tmp_path / "token-cache.json",
        timeout=5,
    )
    return replace(base, **changes)


def headless_client(
    emulator: Emulator, tmp_path: Path, **changes: object
) -> tuple[SpotifyClient, list[float]]:
    token = emulator.issue_refresh_token()
    waits: list[float] = []
    settings = settings_for(emulator, tmp_path, refresh_token=token, **changes)
    client = SpotifyClient(settings, sleep=waits.append, jitter=lambda: 0.5)
    return client, waits


def track_uris(emulator: Emulator, count: int) -> list[str]:
    return [track.uri for track in emulator.catalog.tracks[:count]]


def paths(emulator: Emulator, method: str | None = None) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in emulator.request_log if method in (None, r.method)]


def test_headless_refresh_runs_without_a_browser(emulator: Emulator, tmp_path: Path) -> None:
    client, _ = headless_client(emulator, tmp_path)
    assert client.current_user().id == DEFAULT_USER
    assert paths(emulator) == [("POST", "/api/token"), ("GET", "/v1/me")]


def test_a_playlist_round_trip_uses_only_current_routes(emulator: Emulator, tmp_path: Path) -> None:
    client, _ = headless_client(emulator, tmp_path)
    uris = track_uris(emulator, 230)
    made = client.create_playlist("S1E1 · Pilot", "Songs & more", public=False)
    client.replace_items(made.id, uris[:120])
    snapshot = client.append_items(made.id, uris[120:])
    assert client.playlist_item_uris(made.id) == uris
    details = client.playlist(made.id)
    assert (details.total, details.snapshot_id, details.description) == (
        230,
        snapshot,
        "Songs & more",
    )
    assert made.id in [p.id for p in client.my_playlists()]
    client.update_playlist(made.id, name="Renamed")
    assert client.playlist(made.id).name == "Renamed"
    found = client.search_tracks("a", limit=10)
    assert 0 < len(found) <= 10
    routes = {r.route for r in emulator.request_log if r.route}
    assert routes <= {
        "/me",
        "/me/playlists",
        "/playlists/{playlist_id}",
        "/playlists/{playlist_id}/items",
        "/search",
    }


def test_writes_through_dropped_connections_never_duplicate(
    emulator: Emulator, tmp_path: Path
) -> None:
    client, waits = headless_client(emulator, tmp_path)
    uris = track_uris(emulator, 260)
    made = client.create_playlist("Faulty", "", public=True)
    emulator.set_faults(
        Faults(rate_drop=0.25, drop_after_apply=True, seed=9, paths=("/v1/playlists/",))
    )
    client.replace_items(made.id, uris[:150])
    client.append_items(made.id, uris[150:])
    emulator.set_faults(Faults())
    assert client.playlist_item_uris(made.id) == uris
    dropped = [r for r in emulator.request_log if r.fault in ("drop", "drop_after_apply")]
    applied = [r for r in dropped if r.fault == "drop_after_apply" and r.method == "POST"]
    assert applied, "the seed should drop an add of items after applying it"
    assert any(r.method == "PUT" and r.fault == "drop_after_apply" for r in dropped)
    assert len(waits) == len(dropped)


def test_rate_limits_and_server_errors_are_waited_out(emulator: Emulator, tmp_path: Path) -> None:
    client, waits = headless_client(emulator, tmp_path)
    client.current_user()
    emulator.set_faults(Faults(rate_429=0.3, retry_after=2, rate_5xx=0.2, seed=7))
    for query in ("love", "night", "home", "road", "heart"):
        client.search_tracks(query)
    faulted = [r for r in emulator.request_log if r.status in (429, 500, 502, 503)]
    assert faulted
    assert waits.count(2.0) == len([r for r in faulted if r.status == 429])


def test_a_long_rate_limit_stops_with_exit_code_75(emulator: Emulator, tmp_path: Path) -> None:
    client, waits = headless_client(emulator, tmp_path)
    client.current_user()
    emulator.set_faults(Faults(rate_429=1.0, retry_after=13749))
    with pytest.raises(RateLimited) as caught:
        client.search_tracks("love")
    assert caught.value.exit_code == 75
    assert "13749 s" in str(caught.value)
    assert waits == []


def test_an_expired_access_token_is_refreshed_once(emulator: Emulator, tmp_path: Path) -> None:
    client, waits = headless_client(emulator, tmp_path)
    client.current_user()
    emulator.expire_tokens()
    client._me = None
    assert client.current_user().id == DEFAULT_USER
    statuses = [(r.path, r.status) for r in emulator.request_log]
    assert statuses[-3:] == [("/v1/me", 401), ("/api/token", 200), ("/v1/me", 200)]
    assert waits == []


def test_a_revoked_refresh_token_asks_for_a_new_login(emulator: Emulator, tmp_path: Path) -> None:
    client, _ = headless_client(emulator, tmp_path)
    emulator.revoke_refresh_token(client.settings.refresh_token)
    with pytest.raises(LoginRequired, match="expired or was revoked"):
        client.current_user()


def test_a_user_off_the_allow_list(tmp_path: Path) -> None:
    with Emulator(allow_list=["someone-else"]) as emulator:
        client, _ = headless_client(emulator, tmp_path)
        with pytest.raises(NotAllowListed, match="User Management"):
            client.current_user()


# --- headless: rotated refresh tokens ------------------------------------------------


def cache_of(settings: Settings) -> dict:
    return json.loads(settings.token_cache.read_text(encoding="utf-8"))


def live_refresh_tokens(emulator: Emulator) -> list[str]:
    return [t.token for t in emulator.store.refresh_tokens.values() if not t.revoked]


def test_consecutive_headless_runs_keep_working_as_the_refresh_token_rotates(
    emulator: Emulator, tmp_path: Path
) -> None:
    seed = emulator.issue_refresh_token()
    settings = settings_for(emulator, tmp_path, refresh_token=seed)
    for run in range(3):
        emulator.expire_tokens()  # each run must refresh: the previous access token is dead
        client = SpotifyClient(settings, sleep=pytest.fail)
        assert client.current_user().id == DEFAULT_USER, f"run {run + 1}"
    token_answers = [r.status for r in emulator.request_log if r.path == "/api/token"]
    assert token_answers == [200, 200, 200]
    kept = cache_of(settings)
    assert kept["seed"] == hashlib.sha256(seed.encode()).hexdigest()
    assert kept["token"]["refresh_token"] in live_refresh_tokens(emulator)
    assert seed not in live_refresh_tokens(emulator)  # the seed really was used up
    assert seed not in settings.token_cache.read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(settings.token_cache).st_mode) == 0o600


def test_a_second_run_reuses_a_still_valid_access_token(emulator: Emulator, tmp_path: Path) -> None:
    settings = settings_for(emulator, tmp_path, refresh_token=emulator.issue_refresh_token())
    SpotifyClient(settings).current_user()
    SpotifyClient(settings).current_user()
    assert paths(emulator) == [("POST", "/api/token"), ("GET", "/v1/me"), ("GET", "/v1/me")]


def test_the_demo_pattern_of_several_clients_on_one_cache(
    emulator: Emulator, tmp_path: Path
) -> None:
    from soundtrack_playlists.spotify.client import connect

    settings = emulator_settings(emulator, tmp_path / "token-cache.json", client_id="emulator")
    for made in range(3):
        client = connect(settings)
        emulator.expire_tokens()
        assert [p.name for p in client.my_playlists()] == ["Kept"] * made
        client.create_playlist("Kept", "", public=False)
    assert len(emulator.playlists_state()) == 3


def test_an_expired_access_token_mid_run_keeps_the_rotated_refresh_token(
    emulator: Emulator, tmp_path: Path
) -> None:
    settings = settings_for(emulator, tmp_path, refresh_token=emulator.issue_refresh_token())
    client = SpotifyClient(settings, sleep=pytest.fail)
    client.current_user()
    first = cache_of(settings)["token"]["refresh_token"]
    emulator.expire_tokens()
    client.create_playlist("Mid-run", "", public=True)
    second = cache_of(settings)["token"]["refresh_token"]
    assert second != first and live_refresh_tokens(emulator) == [second]
    statuses = [(r.path, r.status) for r in emulator.request_log]
    assert statuses[-3:] == [("/v1/me/playlists", 401), ("/api/token", 200),
                             ("/v1/me/playlists", 201)]  # fmt: skip
    # a new run still starts from the cache, not from the used-up environment token
    emulator.expire_tokens()
    assert SpotifyClient(settings, sleep=pytest.fail).my_playlists()[0].name == "Mid-run"


def test_a_new_environment_token_starts_afresh_over_an_old_cache(
    emulator: Emulator, tmp_path: Path
) -> None:
    old = settings_for(emulator, tmp_path, refresh_token=emulator.issue_refresh_token())
    SpotifyClient(old).current_user()
    for token in live_refresh_tokens(emulator):
        emulator.revoke_refresh_token(token)  # the old login is gone
    new_seed = emulator.issue_refresh_token()
    new = replace(old, refresh_token=new_seed)
    emulator.expire_tokens()
    assert SpotifyClient(new, sleep=pytest.fail).current_user().id == DEFAULT_USER
    assert cache_of(new)["seed"] == hashlib.sha256(new_seed.encode()).hexdigest()


def test_a_lost_cache_after_the_seed_was_used_says_what_to_do(
    emulator: Emulator, tmp_path: Path
) -> None:
    seed = emulator.issue_refresh_token()
    settings = settings_for(emulator, tmp_path, refresh_token=seed)
    SpotifyClient(settings).current_user()
    settings.token_cache.unlink()
    with pytest.raises(LoginRequired) as caught:
        SpotifyClient(settings, sleep=pytest.fail).current_user()
    message = str(caught.value)
    assert "soundtrack-playlists login" in message and "SPOTIFY_REFRESH_TOKEN" in message
    assert "works only once" in message and str(settings.token_cache) in message
    assert seed not in message and seed not in repr(caught.value)


def test_with_a_secret_the_environment_token_is_not_rotated(
    emulator: Emulator, tmp_path: Path
) -> None:
    seed = emulator.issue_refresh_token()
    settings = settings_for(emulator, tmp_path, refresh_token=seed, client_secret="s3cret")
    SpotifyClient(settings).current_user()
    assert cache_of(settings)["token"]["refresh_token"] == seed
    assert seed in live_refresh_tokens(emulator)


def test_a_logged_in_client_keeps_the_rotated_refresh_token(
    emulator: Emulator, tmp_path: Path
) -> None:
    settings = settings_for(emulator, tmp_path)
    auth = login_auth(settings)
    auth.finish_login(follow_to_callback(auth.authorize_url()))
    for _ in range(3):
        emulator.expire_tokens()
        assert SpotifyClient(settings, sleep=pytest.fail).current_user().id == DEFAULT_USER
    kept = cache_of(settings)["token"]["refresh_token"]
    assert live_refresh_tokens(emulator) == [kept]


# --- login ---------------------------------------------------------------------------


def follow_to_callback(url: str) -> str:
    """What a browser does after the user presses Agree: Spotify redirects to the callback."""
    answer = requests.get(url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    return answer.headers["Location"]


def test_login_by_pasting_the_redirect_url(emulator: Emulator, tmp_path: Path) -> None:
    settings = settings_for(emulator, tmp_path)
    said: list[str] = []

    def ask(prompt: str) -> str:
        url = next(line for line in said if line.startswith(emulator.accounts_url))
        return follow_to_callback(url)

    result = login(settings, no_browser=True, ask=ask, say=said.append)
    assert result.user.id == DEFAULT_USER
    cache = tmp_path / "token-cache.json"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert result.refresh_token and result.refresh_token not in "\n".join(said)
    authorize = next(line for line in said if "/authorize?" in line)
    assert "code_challenge_method=S256" in authorize and "state=" in authorize
    # the login works for API calls afterwards, without a browser
    client = SpotifyClient(settings)
    assert client.current_user().id == DEFAULT_USER


def test_login_with_a_secret_uses_the_classic_flow(emulator: Emulator, tmp_path: Path) -> None:
    settings = settings_for(emulator, tmp_path, client_secret="emulator-secret")
    said: list[str] = []
    result = login(
        settings,
        no_browser=True,
        ask=lambda _: follow_to_callback(next(s for s in said if "/authorize?" in s)),
        say=said.append,
    )
    assert result.user.id == DEFAULT_USER
    assert "code_challenge" not in next(s for s in said if "/authorize?" in s)


def test_a_pasted_url_from_another_attempt_is_refused(emulator: Emulator, tmp_path: Path) -> None:
    settings = settings_for(emulator, tmp_path)
    earlier_attempt = login_auth(settings).authorize_url()  # another state
    with pytest.raises(LoginRequired, match="another login attempt"):
        login(
            settings,
            no_browser=True,
            ask=lambda _: follow_to_callback(earlier_attempt),
            say=lambda _: None,
        )
    assert not (tmp_path / "token-cache.json").exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_browser_login_catches_the_redirect_on_the_loopback_port(
    emulator: Emulator, tmp_path: Path
) -> None:
    port = free_port()
    settings = settings_for(emulator, tmp_path, redirect_uri=f"http://127.0.0.1:{port}/callback")
    opened: list[str] = []

    def browser(url: str) -> None:
        opened.append(url)
        # the browser follows Spotify's redirect to our local server, as a real one would
        threading.Thread(target=requests.get, args=(url,), kwargs={"timeout": 5}).start()

    result = login(settings, open_url=browser, say=lambda _: None)
    assert result.user.id == DEFAULT_USER
    assert len(opened) == 1 and opened[0].startswith(emulator.accounts_url + "authorize?")


def test_login_no_browser_command_over_real_http(emulator: Emulator, tmp_path: Path) -> None:
    """The installed command, in its own process: read the URL, paste back the redirect."""
    env = {
        **os.environ,
        "SPOTIPY_CLIENT_ID": CLIENT_ID,
        "SPOTIFY_API_URL": emulator.api_url,
        "SPOTIFY_ACCOUNTS_URL": emulator.accounts_url,
        "SPOTIFY_TOKEN_CACHE": str(tmp_path / "cache.json"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "soundtrack_playlists", "login", "--no-browser"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        url = None
        while url is None:
            line = process.stderr.readline()
            assert line, "the command ended before printing the login address"
            if line.startswith(emulator.accounts_url):
                url = line.strip()
        out, err = process.communicate(follow_to_callback(url) + "\n", timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert f"Logged in as Demo User ({DEFAULT_USER})" in out
    assert stat.S_IMODE((tmp_path / "cache.json").stat().st_mode) == 0o600
    token = json.loads((tmp_path / "cache.json").read_text())["token"]
    for secret in (token["refresh_token"], token["access_token"]):
        assert secret not in out and secret not in err


# --- whoami and doctor over the CLI ----------------------------------------------------


def cli_env(emulator: Emulator, tmp_path: Path, **extra: object) -> dict:
    env = {
        "SPOTIPY_CLIENT_ID": CLIENT_ID,
        "SPOTIFY_API_URL": emulator.api_url,
        "SPOTIFY_ACCOUNTS_URL": emulator.accounts_url,
        "SPOTIFY_TOKEN_CACHE": str(tmp_path / "cache.json"),
    }
    env.update(extra)
    return env


def test_whoami_headless(emulator: Emulator, tmp_path: Path) -> None:
    token = emulator.issue_refresh_token()
    env = cli_env(emulator, tmp_path, SPOTIFY_REFRESH_TOKEN=token)
    result = CliRunner().invoke(cli, ["whoami"], env=env)
    assert result.exit_code == 0, result.output
    assert re.search(rf"User:\s+{DEFAULT_USER}", result.output)
    assert str(tmp_path / "cache.json") in result.output
    assert "SPOTIFY_REFRESH_TOKEN" in result.output
    assert token not in result.output


def test_doctor_all_good(emulator: Emulator, tmp_path: Path) -> None:
    token = emulator.issue_refresh_token()
    result = CliRunner().invoke(
        cli, ["doctor"], env=cli_env(emulator, tmp_path, SPOTIFY_REFRESH_TOKEN=token)
    )
    assert result.exit_code == 0, result.output
    assert "FIX" not in result.output
    assert "logged in as Demo User" in result.output
    assert token not in result.output


def doctor_fixes(settings: Settings) -> dict[str, str]:
    fast = RetryPolicy(max_attempts=2, max_wait=1, backoff_base=0)
    findings = run_checks(settings, lambda s: SpotifyClient(s, policy=fast, sleep=lambda _: None))
    return {f.check: f.message for f in findings if not f.ok}


def test_doctor_names_a_missing_scope(emulator: Emulator, tmp_path: Path) -> None:
    token = emulator.issue_refresh_token(scopes=["playlist-read-private"])
    fixes = doctor_fixes(settings_for(emulator, tmp_path, refresh_token=token))
    assert "playlist-modify-public" in fixes["scopes"]
    assert "soundtrack-playlists login" in fixes["scopes"]


def test_doctor_names_a_revoked_login(emulator: Emulator, tmp_path: Path) -> None:
    token = emulator.issue_refresh_token()
    emulator.revoke_refresh_token(token)
    fixes = doctor_fixes(settings_for(emulator, tmp_path, refresh_token=token))
    assert "expired or was revoked" in fixes["login"]


def test_doctor_names_the_allow_list(tmp_path: Path) -> None:
    with Emulator(allow_list=[]) as emulator:
        token = emulator.issue_refresh_token()
        fixes = doctor_fixes(settings_for(emulator, tmp_path, refresh_token=token))
    assert "User Management" in fixes["allow-list"]


def test_doctor_says_when_the_api_is_unreachable(tmp_path: Path) -> None:
    emulator = Emulator().start()
    token = emulator.issue_refresh_token()
    settings = settings_for(emulator, tmp_path, refresh_token=token)
    emulator.stop()
    fixes = doctor_fixes(settings)
    assert "unreachable" in fixes["Spotify API"]


def test_whoami_under_a_long_rate_limit_exits_75_without_a_traceback(
    emulator: Emulator, tmp_path: Path
) -> None:
    token = emulator.issue_refresh_token()
    emulator.set_faults(Faults(rate_429=1.0, retry_after=13749, paths=("/v1/",)))
    env = cli_env(emulator, tmp_path, SPOTIFY_REFRESH_TOKEN=token)
    result = CliRunner().invoke(cli, ["whoami"], env=env)
    assert result.exit_code == 75
    assert result.output.startswith("Error: Spotify asked to wait 13749 s (about 3 h 49 min)")
    assert "rerun after" in result.output and "Traceback" not in result.output
    assert [r.status for r in emulator.request_log if r.path == "/v1/me"] == [429]
