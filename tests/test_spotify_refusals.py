"""Every 403 said truly, and a login made before a scope was needed: named, and waited around."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import responses
from click.testing import CliRunner
from simulated_clock import SimulatedClock
from spotify_fakes import API, make_client, mocked_http

from soundtrack_playlists.cli import cli
from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.errors import (
    Forbidden,
    MissingScope,
    NotAllowListed,
    PremiumRequired,
)
from soundtrack_playlists.settings import SCOPES
from soundtrack_playlists.spotify.client import SpotifyClient
from tests.test_spotify_emulator import settings_for

REAL = Path(__file__).parent / "data" / "real-answers" / "real-2026"
PREMIUM_SAID = "the Spotify account that owns the app needs Premium"
OLD_SCOPES = tuple(s for s in SCOPES if s not in ("user-library-read", "user-follow-read"))


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    yield from mocked_http()


# --- 403s, on the real bodies ---------------------------------------------------------------


@pytest.mark.parametrize(
    "body", ["err403_premium_required_json.json", "err403_premium_required_text.txt"]
)
@pytest.mark.parametrize("route", ["me", "me/playlists"])
def test_premium_required_is_said_as_such_json_or_text(tmp_path, http, body, route):
    # Was "…: you can only change playlists you own".
    client, waits = make_client(tmp_path, http)
    http.get(API + route, status=403, body=(REAL / body).read_bytes())
    with pytest.raises(PremiumRequired) as caught:
        client.current_user() if route == "me" else client.my_playlists()
    assert PREMIUM_SAID in str(caught.value) and "a few hours" in str(caught.value)
    assert "playlists you own" not in str(caught.value) and waits == []


def test_a_bare_forbidden_on_a_playlist_not_ours_says_so(tmp_path, http):
    client, _ = make_client(tmp_path, http)
    body = (REAL / "err403_bare_forbidden_2026.json").read_bytes()
    http.put(API + "playlists/theirs/items", status=403, body=body)
    with pytest.raises(Forbidden, match="you can only change playlists you own"):
        client.replace_items("theirs", ["spotify:track:a"])


def test_any_other_403_is_quoted_verbatim(tmp_path, http):
    client, _ = make_client(tmp_path, http)
    said = "Spotify is sunsetting this endpoint for your app tier"
    http.get(API + "me", status=403, json={"error": {"status": 403, "message": said}})
    with pytest.raises(Forbidden) as caught:
        client.current_user()
    assert said in str(caught.value) and "playlists you own" not in str(caught.value)


@pytest.mark.parametrize(
    "said",
    [
        "The user is not registered for this application. Please check your settings on "
        "https://developer.spotify.com/dashboard.",
        "Check settings on developer.spotify.com/dashboard, the user may not be registered.",
        "User not approved for app",
    ],
)
def test_a_user_missing_from_the_allow_list_is_told_where_to_add_them(tmp_path, http, said):
    client, _ = make_client(tmp_path, http)
    http.get(API + "me", status=403, json={"error": {"status": 403, "message": said}})
    with pytest.raises(NotAllowListed, match="User Management"):
        client.current_user()


def test_a_missing_scope_is_named_from_the_spec_and_the_login(emulator: Emulator, tmp_path):
    token = emulator.issue_refresh_token(scopes=OLD_SCOPES)
    client = SpotifyClient(settings_for(emulator, tmp_path, refresh_token=token))
    with pytest.raises(MissingScope) as caught:
        client.http.request("GET", "me/library/contains", {"uris": "spotify:playlist:x"})
    assert caught.value.missing == ("user-library-read", "user-follow-read")
    assert "lacks user-library-read user-follow-read" in str(caught.value)
    assert "soundtrack-playlists login` once" in str(caught.value)


@pytest.mark.parametrize("form", ["json", "text"])
def test_the_commands_and_doctor_say_premium_from_the_emulator(
    emulator: Emulator, cli_env: None, tmp_path: Path, form: str
) -> None:
    emulator.set_faults(Faults(premium_required=form))
    whoami = CliRunner().invoke(cli, ["whoami"])
    assert whoami.exit_code == 1 and PREMIUM_SAID in whoami.output
    assert "Traceback" not in whoami.output and "playlists you own" not in whoami.output
    doctor = CliRunner().invoke(cli, ["doctor"])
    assert doctor.exit_code == 1 and f"FIX  Premium: Spotify refused GET /me: {PREMIUM_SAID}" in (
        doctor.output
    )


# --- a login made before the library check needed its scopes -------------------------------


def test_whoami_and_doctor_name_the_missing_permission(
    emulator: Emulator, cli_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPOTIFY_REFRESH_TOKEN", emulator.issue_refresh_token(scopes=OLD_SCOPES))
    whoami = CliRunner().invoke(cli, ["whoami"])
    assert whoami.exit_code == 0
    assert "lacks the permission user-library-read user-follow-read" in whoami.output
    assert "run `soundtrack-playlists login` once" in whoami.output
    doctor = CliRunner().invoke(cli, ["doctor"])
    assert doctor.exit_code == 1
    assert "FIX  scopes: the login lacks the permission user-library-read" in doctor.output


def test_without_the_scope_the_library_check_waits_out_the_lag_and_lists_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = SimulatedClock()
    with Emulator(sleep=lambda seconds: None, clock=clock.time) as emulator:
        emulator.set_faults(Faults(stale_reads=5.0))
        token = emulator.issue_refresh_token(scopes=OLD_SCOPES)
        settings = settings_for(emulator, tmp_path, refresh_token=token, read_lag=20.0)
        client = SpotifyClient(settings, sleep=clock.sleep, jitter=lambda: 0.0, clock=clock.now)
        kept = emulator.add_playlist("demo-user", "Kept")
        gone = emulator.add_playlist("demo-user", "Gone")
        made = client.create_playlist("Made just now", "", True)  # the list does not show it yet
        client.unfollow_playlist(gone)
        with caplog.at_level(logging.WARNING):
            followed = client.still_followed([kept, gone, made.id])
    assert followed == {kept, made.id}
    assert 20.0 in clock.waits
    assert "lacks user-library-read user-follow-read" in caplog.text
    assert "run `soundtrack-playlists login` once" in caplog.text
