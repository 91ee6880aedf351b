"""doctor's checks without a network: each problem named with its fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.doctor import Finding, check_settings, run_checks
from soundtrack_playlists.settings import Settings
from soundtrack_playlists.spotify.auth import TokenCache
from soundtrack_playlists.spotify.client import SpotifyClient

CLIENT_ID = "0123456789abcdef0123456789abcdef"


def fixes(findings: list[Finding]) -> dict[str, str]:
    return {finding.check: finding.message for finding in findings if not finding.ok}


def test_a_missing_client_id_stops_before_any_request() -> None:
    def no_client(settings: Settings) -> SpotifyClient:
        raise AssertionError("no client may be built without a client id")

    findings = run_checks(Settings(), no_client)
    found = fixes(findings)
    assert "SPOTIPY_CLIENT_ID is not set" in found["client id"]
    assert "skipped" in found["login"]


@pytest.mark.parametrize(
    ("uri", "words"),
    [
        ("http://localhost:8888/callback", "localhost"),
        ("http://my-box.lan:8888/callback", "127.0.0.1 or [::1]"),
    ],
)
def test_a_bad_redirect_uri_is_named(uri: str, words: str) -> None:
    found = fixes(check_settings(Settings(client_id=CLIENT_ID, redirect_uri=uri)))
    assert words in found["redirect URI"]


def test_not_logged_in(tmp_path: Path) -> None:
    findings = run_checks(Settings(client_id=CLIENT_ID, cache_path=tmp_path / "none.json"))
    assert "run `soundtrack-playlists login`" in fixes(findings)["login"]


def test_a_token_cache_readable_by_others_is_named(tmp_path: Path) -> None:
    cache = tmp_path / "cache.json"
    TokenCache(cache, CLIENT_ID, "https://accounts.spotify.com/").save_token_to_cache({})
    settings = Settings(client_id=CLIENT_ID, cache_path=cache)
    assert "token cache" not in fixes(check_settings(settings))
    cache.chmod(0o644)
    assert f"chmod 600 {cache}" in fixes(check_settings(settings))["token cache"]


def test_non_default_urls_are_pointed_out() -> None:
    settings = Settings(client_id=CLIENT_ID, api_url="http://127.0.0.1:1/v1/")
    (finding,) = [f for f in check_settings(settings) if f.check == "Spotify URLs"]
    assert "SPOTIFY_API_URL" in finding.message


def test_finding_lines() -> None:
    assert Finding("client id", True, "abc").line() == "ok   client id: abc"
    assert Finding("login", False, "run x").line() == "FIX  login: run x"


def test_doctor_command_exits_1_when_something_needs_fixing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    result = CliRunner().invoke(cli, ["doctor"], env={"SPOTIFY_TOKEN_CACHE": str(tmp_path / "c")})
    assert result.exit_code == 1
    assert "FIX  client id: SPOTIPY_CLIENT_ID is not set" in result.output
    assert "Traceback" not in result.output
