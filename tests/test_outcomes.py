"""A sync's last lines point at the fix: `review DIR` for songs left out, a code when none made."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.errors import NothingMade
from soundtrack_playlists.files.paths import default_season_dir


def unknown_season(folder: Path) -> Path:
    """A season whose songs no catalog holds: nothing resolves."""
    folder.mkdir()
    (folder / "season.toml").write_text('show = "Nowhere"\nseason = 1\nyear = 2020\n', "utf-8")
    for number in (1, 2, 3):
        (folder / f"episode-0{number}.txt").write_text(
            f'Episode {number}: Nothing\n\n"Zqxv Wlorp {number}" by Nobody Known At All\n', "utf-8"
        )
    return folder


def test_a_sync_that_makes_nothing_says_so_and_exits_4(cli_env: None, tmp_path: Path) -> None:
    season = unknown_season(tmp_path / "nowhere")
    result = CliRunner().invoke(cli, ["sync", str(season)])
    assert result.exit_code == NothingMade.exit_code == 4, result.output
    assert "Nothing to write" not in result.output
    assert "Error: no playlist could be made" in result.stderr
    assert f"`soundtrack-playlists review {season}`" in result.stdout
    assert "3 songs left out" in result.stdout


def test_status_agrees_with_sync_on_a_playlist_with_nothing_resolved(
    cli_env: None, tmp_path: Path
) -> None:
    season = unknown_season(tmp_path / "nowhere")
    result = CliRunner().invoke(cli, ["status", str(season)])
    assert result.exit_code == 1, result.output
    assert "sync` updates" not in result.output
    assert "cannot make them either" in result.output
    assert f"`soundtrack-playlists review {season}`" in result.output


def test_songs_left_out_name_the_review_command(
    cli_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    season = tmp_path / "season-1"
    shutil.copytree(default_season_dir(), season)
    episode = season / "episode-02.txt"
    episode.write_text(episode.read_text("utf-8") + '"Zqxv Wlorp" by Nobody Known\n', "utf-8")
    result = CliRunner().invoke(cli, ["sync", str(season)])
    assert result.exit_code == 0, result.output
    assert (
        f"1 song left out (review or unresolved): pick their tracks with "
        f"`soundtrack-playlists review {season}`, then sync again." in result.stdout
    )
