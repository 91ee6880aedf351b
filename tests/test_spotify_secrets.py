"""Secrets (client secret, access and refresh tokens) never reach output, logs or errors."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pytest
import responses
from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.errors import SoundtrackError
from soundtrack_playlists.settings import Settings
from soundtrack_playlists.spotify.client import SpotifyClient
from soundtrack_playlists.spotify.http import RetryPolicy

CLIENT_ID = "0123456789abcdef0123456789abcdef"
CLIENT_SECRET = "client-SECRET-5b1e9c"


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every logger at DEBUG, spotipy's and urllib3's included."""
    caplog.set_level(logging.DEBUG)
    for name in ("spotipy", "spotipy.client", "spotipy.oauth2", "urllib3"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(
        f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for record in caplog.records
    )


def assert_absent(secrets: Iterable[str], *texts: str) -> None:
    for secret in secrets:
        assert secret
        for text in texts:
            assert secret not in text


@pytest.mark.parametrize("secret", [CLIENT_SECRET, ""], ids=["with-secret", "pkce-rotating"])
def test_commands_never_show_secrets_even_with_debug_logging(
    debug_logs: pytest.LogCaptureFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    secret: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    with Emulator() as emulator:
        refresh = emulator.issue_refresh_token()
        env = {
            "SPOTIPY_CLIENT_ID": CLIENT_ID,
            "SPOTIPY_CLIENT_SECRET": secret,
            "SPOTIFY_REFRESH_TOKEN": refresh,
            "SPOTIFY_API_URL": emulator.api_url,
            "SPOTIFY_ACCOUNTS_URL": emulator.accounts_url,
        }
        runner = CliRunner()
        outputs = [runner.invoke(cli, [command], env=env) for command in ("whoami", "doctor")]
        assert [result.exit_code for result in outputs] == [0, 0], outputs[1].output
        # the same with failures: a 401 that forces a refresh, then a revoked login
        emulator.set_faults(Faults(expire_token_after=1))
        outputs.append(runner.invoke(cli, ["whoami"], env=env))
        for token in list(emulator.store.refresh_tokens):  # the seed and any rotated one
            emulator.revoke_refresh_token(token)
        emulator.expire_tokens()
        failed = runner.invoke(cli, ["whoami"], env=env)
        assert failed.exit_code == 1 and "expired or was revoked" in failed.output
        outputs.append(failed)
        tokens = [r for r in emulator.request_log if r.path == "/api/token"]
        assert len(tokens) >= 3  # refreshes happened, so access tokens were in play
    # every access and refresh token the emulator handed out
    issued = [*emulator.store.access_tokens, *emulator.store.refresh_tokens]
    # doctor reuses whoami's cached access token; PKCE refreshes rotate the refresh token
    assert len(issued) >= (3 if secret else 5)
    texts = [result.output for result in outputs] + [everything_logged(debug_logs)]
    assert "Traceback" not in "".join(texts)
    assert_absent([CLIENT_SECRET, refresh, *issued], *texts)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (401, {"error": {"status": 401, "message": "The access token expired"}}),
        (403, {"error": {"status": 403, "message": "Insufficient client scope"}}),
        (403, {"error": {"status": 403, "message": "the user may not be registered."}}),
        (404, {"error": {"status": 404, "message": "Resource not found"}}),
        (429, {}),
        (503, {}),
    ],
)
def test_exceptions_and_logs_never_carry_tokens(
    debug_logs: pytest.LogCaptureFixture, tmp_path: Path, status: int, body: dict
) -> None:
    access = "access-SECRET-in-cache"
    refreshed = "access-SECRET-refreshed"
    refresh = "refresh-SECRET-abc"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as http:
        http.post(
            "https://accounts.spotify.com/api/token",
            json={"access_token": refreshed, "expires_in": 3600, "scope": "x"},
        )
        http.get(
            "https://api.spotify.com/v1/playlists/p",
            status=status,
            json=body,
            headers={"retry-after": "99999"} if status == 429 else {},
        )
        client = SpotifyClient(
            Settings(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, refresh_token=refresh),
            policy=RetryPolicy(max_attempts=2),
            sleep=lambda _: None,
        )
        client.auth.cache.save_token_to_cache(
            {"access_token": access, "refresh_token": refresh, "expires_at": 4102444800}
        )
        with pytest.raises(SoundtrackError) as caught:
            client.playlist("p")
        sent = [call.request.headers.get("Authorization", "") for call in http.calls]
    assert any(access in header for header in sent)  # the secret was really in play
    error = caught.value
    texts = [str(error), repr(error), repr(error.args), everything_logged(debug_logs)]
    assert_absent([access, refreshed, refresh, CLIENT_SECRET], *texts)
