"""Read-only places: each file we write fails with an Error naming the folder and the setting
that moves it, or, where optional (the demo's covers and report), is skipped with a warning."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from emulator_login import emulator_env

from soundtrack_playlists.cli import cli
from soundtrack_playlists.demo import run_demo
from soundtrack_playlists.emulator.app import Emulator


def not_a_folder(tmp_path: Path) -> Path:
    """A path under a file: no folder can be made there, whoever runs the test (root too)."""
    blocker = tmp_path / "read-only"
    blocker.write_text("a file where a folder would go\n", encoding="utf-8")
    return blocker / "inside"


def test_the_demo_skips_its_covers_and_report_with_a_warning(tmp_path: Path) -> None:
    printed: list[str] = []
    place = not_a_folder(tmp_path)
    run = run_demo(printed.append, report_dir=place / "report", covers_dir=place / "covers")
    assert run.covers == () and run.report_path is None
    warnings = [line for line in printed if "Warning: the demo's" in line]
    assert len(warnings) == 2 and all(str(place) in line for line in warnings)
    assert [outcome.action for outcome in run.second.outcomes] == ["unchanged"] * 10


def test_the_demo_command_in_a_read_only_home_ends_well(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_folder(tmp_path)))
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "set XDG_CACHE_HOME to move" in result.output


def test_the_demo_leaves_nothing_in_the_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    assert CliRunner().invoke(cli, ["demo"]).exit_code == 0
    assert list(temp.iterdir()) == []


def test_a_token_cache_that_cannot_be_written_is_an_error_not_an_expired_login(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = emulator_env(emulator, not_a_folder(tmp_path) / "token-cache.json")
    stopped = CliRunner().invoke(cli, ["whoami"], env=env)
    assert stopped.exit_code == 1, stopped.output
    assert "the Spotify token cache cannot be written there" in stopped.stderr
    assert str(not_a_folder(tmp_path).parent) in stopped.stderr
    assert "SPOTIFY_TOKEN_CACHE" in stopped.stderr and "expired" not in stopped.output
    # the login was not used up meanwhile: a writable cache works with the same token
    env["SPOTIFY_TOKEN_CACHE"] = str(tmp_path / "cache.json")
    again = CliRunner().invoke(cli, ["whoami"], env=env)
    assert again.exit_code == 0, again.output


def test_doctor_checks_the_token_cache_folder_is_writable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {
        "SPOTIPY_CLIENT_ID": "0123456789abcdef0123456789abcdef",
        "SPOTIFY_TOKEN_CACHE": str(not_a_folder(tmp_path) / "token-cache.json"),
    }
    result = CliRunner().invoke(cli, ["doctor"], env=env)
    assert result.exit_code == 1
    assert "FIX  token cache:" in result.output and "SPOTIFY_TOKEN_CACHE" in result.output


def test_login_stops_before_the_browser_when_it_could_not_keep_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {
        "SPOTIPY_CLIENT_ID": "0123456789abcdef0123456789abcdef",
        "SPOTIFY_TOKEN_CACHE": str(not_a_folder(tmp_path) / "token-cache.json"),
    }
    result = CliRunner().invoke(cli, ["login", "--no-browser"], env=env, input="\n")
    assert result.exit_code == 1
    assert "authorize?" not in result.output and "SPOTIFY_TOKEN_CACHE" in result.stderr


def test_a_season_folder_that_cannot_be_written_names_what_moves_it(tmp_path: Path) -> None:
    from soundtrack_playlists.errors import LocalFileError
    from soundtrack_playlists.files import paths
    from soundtrack_playlists.files.runlock import check_writable

    installed = Path(paths.files_dir(paths.default_season_dir()))
    assert paths.moved_by(paths.user_settings_path().parent).startswith("set XDG_CONFIG_HOME")
    assert paths.moved_by(installed, paths.SEASON_ELSEWHERE) in (
        paths.SEASON_ELSEWHERE,
        f"set XDG_DATA_HOME to move {Path(paths.platformdirs.user_data_dir(paths.APP_NAME))}",
    )
    with pytest.raises(LocalFileError, match="name it as DIR"):
        check_writable(not_a_folder(tmp_path))


def test_import_and_export_name_the_folder_they_cannot_write(tmp_path: Path) -> None:
    source = tmp_path / "article.txt"
    source.write_text('Episode 1: One\n\n"Elastic Heart" by Sia\n', encoding="utf-8")
    place = not_a_folder(tmp_path)
    args = ["import", str(source), "--show", "S", "--season", "1", "--out", str(place / "s1")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Error: {place}: cannot write there" in result.stderr
    assert "choose another --out" in result.stderr
