"""Waits and retries are seen: -v/-q and the environment set the level; a terminal shows them."""

from __future__ import annotations

import logging
import os
import select
import shutil
import socket
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from emulator_login import emulator_env

from soundtrack_playlists.cli import cli, logs
from soundtrack_playlists.emulator.app import Emulator, demo_catalog_path
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.files.paths import default_season_dir
from soundtrack_playlists.spotify.answers import Retryable
from soundtrack_playlists.spotify.client import SpotifyClient
from soundtrack_playlists.spotify.http import RetryPolicy, wait_message

NOON = datetime(2026, 12, 1, 14, 2, 0, tzinfo=timezone.utc)


def test_a_429_wait_says_how_long_and_when_it_resumes() -> None:
    error = Retryable("429 Too Many Requests", status=429, retry_after=12)
    text = wait_message(error, 12.0, NOON, 2, RetryPolicy())
    assert text == "Spotify asked us to wait 12 s; retrying at 14:02:12 (attempt 2 of 5)"


def test_a_failure_retry_names_the_failure() -> None:
    error = Retryable("connection to http://127.0.0.1:9 failed")
    text = wait_message(error, 1.5, NOON, 3, RetryPolicy())
    assert "connection to http://127.0.0.1:9 failed" in text
    assert "waiting 1.5 s, retrying at 14:02:01 (attempt 3 of 5)" in text


@pytest.mark.parametrize(
    ("verbose", "quiet", "env", "level"),
    [
        (0, 0, "", logging.WARNING),
        (1, 0, "", logging.INFO),
        (2, 0, "", logging.DEBUG),
        (5, 0, "", logging.DEBUG),
        (0, 1, "", logging.ERROR),
        (0, 0, "debug", logging.DEBUG),
        (0, 1, "debug", logging.ERROR),  # the option wins over the environment
    ],
)
def test_level_from_options_then_environment(
    verbose: int, quiet: int, env: str, level: int
) -> None:
    assert logs.level_for(verbose, quiet, {logs.LEVEL_VARIABLE: env}) == level


def test_an_unknown_level_in_the_environment_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["tracklists"], env={logs.LEVEL_VARIABLE: "loud"})
    assert result.exit_code == 2 and logs.LEVEL_VARIABLE in result.output


def _sync_against(emulator: Emulator, season: Path, *options: str) -> tuple[int, str]:
    env = {
        "SPOTIFY_API_URL": emulator.api_url,
        "SPOTIFY_ACCOUNTS_URL": emulator.accounts_url,
        "SPOTIPY_CLIENT_ID": "emulator",
        "SPOTIFY_REFRESH_TOKEN": emulator.issue_refresh_token(),
    }
    kwdefaults = SpotifyClient.__init__.__kwdefaults__
    assert kwdefaults is not None
    real_sleep = kwdefaults["sleep"]
    kwdefaults["sleep"] = lambda seconds: None  # the waits are asked for, not slept
    try:
        result = CliRunner().invoke(cli, [*options, "sync", str(season)], env=env)
    finally:
        kwdefaults["sleep"] = real_sleep
    return result.exit_code, result.output


@pytest.fixture
def season(tmp_path: Path) -> Path:
    target = tmp_path / "season"
    shutil.copytree(default_season_dir(), target, ignore=shutil.ignore_patterns("*.json", "*.md"))
    return target


@pytest.fixture
def busy_emulator():
    # Seed 9 answers 429 to 6 of the first 40 requests whatever the threads' order (each
    # request takes the next draws); at 6 % five 429s in a row for one request, which would
    # end the run, are as good as impossible (at 15 % they happened under load).
    faults = Faults(rate_429=0.06, retry_after=12, seed=9)
    with Emulator(catalog=demo_catalog_path(), faults=faults, sleep=lambda s: None) as running:
        yield running


def test_every_wait_is_shown_at_the_default_level(busy_emulator: Emulator, season: Path) -> None:
    code, output = _sync_against(busy_emulator, season)
    assert code == 0, output
    refused = sum(1 for r in busy_emulator.request_log if r.status == 429)
    assert refused > 0
    assert output.count("Spotify asked us to wait 12 s; retrying at ") == refused


def test_quiet_hides_the_waits(busy_emulator: Emulator, season: Path) -> None:
    code, output = _sync_against(busy_emulator, season, "--quiet")
    assert code == 0, output
    assert any(r.status == 429 for r in busy_emulator.request_log)
    assert "Spotify asked us to wait" not in output


_CHILD = textwrap.dedent(
    """
    import sys
    from soundtrack_playlists.spotify.client import SpotifyClient
    SpotifyClient.__init__.__kwdefaults__["sleep"] = lambda seconds: None
    from soundtrack_playlists.cli import main
    sys.argv = ["soundtrack-playlists", "sync", sys.argv[1]]
    main()
    """
)


def _run_in_terminal(argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run a command with a pseudo-terminal as stdin, stdout and stderr; all it drew."""
    master, slave = os.openpty()
    process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return process.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_terminal_shows_the_wait_beside_the_bar(busy_emulator: Emulator, season: Path) -> None:
    env = {
        **os.environ,
        "SPOTIFY_API_URL": busy_emulator.api_url,
        "SPOTIFY_ACCOUNTS_URL": busy_emulator.accounts_url,
        "SPOTIPY_CLIENT_ID": "emulator",
        "SPOTIFY_REFRESH_TOKEN": busy_emulator.issue_refresh_token(),
        "TERM": "xterm",
        "COLUMNS": "100",
    }
    code, screen = _run_in_terminal([sys.executable, "-c", _CHILD, str(season)], env)
    assert code == 0, screen
    assert "Spotify asked us to wait 12 s; retrying at " in screen
    assert "(waiting 12 s for Spotify)" in screen  # the bar's label while it waits
    assert "\r\x1b[K" in screen  # the bar's line was cleared before the message


def test_a_dead_api_port_shows_each_retry_then_the_error(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    monkeypatch.setitem(SpotifyClient.__init__.__kwdefaults__, "sleep", lambda seconds: None)
    env = {
        "SPOTIFY_API_URL": f"http://127.0.0.1:{dead}/v1/",
        "SPOTIFY_ACCOUNTS_URL": emulator.accounts_url,
        "SPOTIPY_CLIENT_ID": "emulator",
        "SPOTIFY_REFRESH_TOKEN": emulator.issue_refresh_token(),
        "SPOTIFY_TOKEN_CACHE": str(tmp_path / "cache.json"),
    }
    result = CliRunner().invoke(cli, ["whoami"], env=env)
    assert result.exit_code != 0 and "Traceback" not in result.output
    retries = [line for line in result.output.splitlines() if "retrying at" in line]
    assert len(retries) == RetryPolicy().max_attempts - 1
    assert all(f"connection to http://127.0.0.1:{dead} failed" in line for line in retries)
    assert result.output.rstrip().splitlines()[-1].startswith("Error: Spotify did not answer")


def test_verbose_twice_shows_each_request(emulator: Emulator, tmp_path: Path) -> None:
    env = emulator_env(emulator, tmp_path / "cache.json", client_id="emulator")
    loud = CliRunner().invoke(cli, ["-vv", "whoami"], env=env)
    assert loud.exit_code == 0, loud.output
    assert "INFO soundtrack_playlists.spotify.http: GET /me -> 200 in " in loud.output
    assert " bytes" in loud.output  # -vv: the answer's size too
    assert env["SPOTIFY_REFRESH_TOKEN"] not in loud.output
    plain = CliRunner().invoke(cli, ["whoami"], env=env)
    assert "DEBUG" not in plain.output and "GET /me" not in plain.output
