"""Settings from anywhere: the environment, then ./.env, then the per-user settings file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.files.paths import user_settings_path
from soundtrack_playlists.settings import Settings

ONE, TWO, THREE = "1" * 32, "2" * 32, "3" * 32


def write_user_settings(text: str) -> Path:
    path = user_settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_per_user_file_comes_after_the_environment_and_dot_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_user_settings(f"SPOTIPY_CLIENT_ID={ONE}\nSPOTIFY_MAX_WAIT=7\n")
    settings = Settings.from_env(environ={})
    assert (settings.client_id, settings.max_wait) == (ONE, 7.0)
    assert settings.sources["client_id"] == "settings file"
    (tmp_path / ".env").write_text(f"SPOTIPY_CLIENT_ID={TWO}\n", encoding="utf-8")
    assert Settings.from_env(environ={}).client_id == TWO
    assert Settings.from_env(environ={"SPOTIPY_CLIENT_ID": THREE}).client_id == THREE


def test_a_command_run_in_another_folder_finds_the_user_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_user_settings("SPOTIFY_API_URL=http://127.0.0.1:9/v1/\n")
    assert Settings.from_env().api_url == "http://127.0.0.1:9/v1/"


def test_not_set_names_every_place_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["whoami"])
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "SPOTIPY_CLIENT_ID is not set" in text
    assert f"the environment, then {tmp_path / '.env'}, then {user_settings_path()}" in text


def test_paths_names_the_user_settings_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["paths"])
    assert f"user config: {user_settings_path()}" in result.output
