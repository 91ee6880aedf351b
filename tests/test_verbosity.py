"""-q says only errors and one result line; -v each request and decision; -vv sizes, timings."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import click
import pytest
from click.testing import CliRunner
from emulator_login import CLIENT_ID

from soundtrack_playlists.cli import cli
from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.models import Song, Status
from soundtrack_playlists.resolve.results import Resolution, SongResolution
from soundtrack_playlists.resolve.table import resolution_table
from soundtrack_playlists.text import display_width
from tests.test_spotify_emulator import follow_to_callback


def test_quiet_sync_prints_one_result_line_and_nothing_on_stderr(
    cli_env: None, season_dir: Path
) -> None:
    dry = CliRunner().invoke(cli, ["-q", "sync", str(season_dir), "--dry-run"])
    assert dry.stdout.startswith("Dry run, nothing written: 10 playlists: 10 created")
    result = CliRunner().invoke(cli, ["-q", "sync", str(season_dir)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "10 playlists: 10 created, 0 updated, 0 unchanged, 0 skipped; 0 songs left out."
    ]
    again = CliRunner().invoke(cli, ["sync", str(season_dir), "--quiet"])
    assert again.stdout.splitlines() == [
        "10 playlists: 0 created, 0 updated, 10 unchanged, 0 skipped; 0 songs left out."
    ]
    status = CliRunner().invoke(cli, ["status", str(season_dir), "-q"])
    assert (status.stdout, status.stderr) == ("All 10 playlists match the tracklists.\n", "")
    resolved = CliRunner().invoke(cli, ["resolve", str(season_dir), "-q"])
    assert resolved.stderr == "" and len(resolved.stdout.splitlines()) == 1


def test_verbose_logs_each_request_and_each_decision(cli_env: None, season_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["sync", str(season_dir), "-v"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert any(line.startswith("GET /me -> 200 in ") for line in lines), result.stderr
    assert any(line.startswith("GET /search q='") and "-> 200 in" in line for line in lines)
    assert any(line.startswith("POST /me/playlists -> 201 in ") for line in lines)
    assert any(line.startswith("E01 matched") and "Elastic Heart" in line for line in lines)
    assert not any("bytes" in line or "stage " in line for line in lines)
    debug = CliRunner().invoke(cli, ["-vv", "sync", str(season_dir)])
    assert "bytes" in debug.stderr and "stage apply and report took" in debug.stderr


def test_no_secret_is_ever_logged(
    emulator: Emulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    season_dir: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.chdir(tmp_path)
    secret = "s3cr3t-client-secret-0123456789"
    env = {
        "SPOTIPY_CLIENT_ID": CLIENT_ID,
        "SPOTIPY_CLIENT_SECRET": secret,
        "SPOTIFY_API_URL": emulator.api_url,
        "SPOTIFY_ACCOUNTS_URL": emulator.accounts_url,
        "SPOTIFY_TOKEN_CACHE": str(tmp_path / "cache.json"),
    }
    pasted: list[str] = []
    real_echo = click.echo

    def echo_then_remember(message: object = None, *args: object, **kwargs: object) -> None:
        if str(message).startswith(emulator.accounts_url + "authorize?"):
            pasted.append(follow_to_callback(str(message)))
        real_echo(message, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(click, "echo", echo_then_remember)
    monkeypatch.setattr(click, "prompt", lambda text, err=False: pasted[0])
    said = [CliRunner().invoke(cli, ["-vv", "login", "--no-browser"], env=env)]
    monkeypatch.setattr(click, "echo", real_echo)
    said.append(CliRunner().invoke(cli, ["-vv", "sync", str(season_dir)], env=env))
    headless = {**env, "SPOTIFY_REFRESH_TOKEN": emulator.issue_refresh_token()}
    headless["SPOTIFY_TOKEN_CACHE"] = str(tmp_path / "other-cache.json")
    said.append(CliRunner().invoke(cli, ["-vv", "status", str(season_dir)], env=headless))
    assert [result.exit_code for result in said] == [0, 0, 0], [r.output for r in said]
    code = parse_qs(urlsplit(pasted[0]).query)["code"][0]
    secrets = {secret, code, headless["SPOTIFY_REFRESH_TOKEN"]}
    secrets |= set(emulator.store.access_tokens) | set(emulator.store.refresh_tokens)
    text = "\n".join([r.output for r in said] + [r.getMessage() for r in caplog.records])
    assert "GET /me" in text  # the requests were logged
    assert len(secrets) >= 5
    assert not [value for value in secrets if value in text]


def test_the_resolve_table_lines_up_on_double_width_characters() -> None:
    songs = tuple(
        SongResolution(1, Song(title, ("Artist",)), Status.UNRESOLVED, None, None, "")
        for title in ("深夜食堂のテーマ", "Plain Title")
    )
    table = resolution_table(Resolution(songs, 0)).splitlines()
    columns = {display_width(line.split("unresolved")[0]) for line in table[1:3]}
    assert len(columns) == 1, table
