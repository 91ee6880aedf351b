"""One rule for the folder a command works on, always named on its first stderr line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.files import paths
from soundtrack_playlists.tracklists.selection import default_folder


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clone's folder (tracklists/ in the current folder) beside an installed copy elsewhere."""
    installed = tmp_path / "site-packages" / "tracklists"
    shutil.copytree(paths.tracklists_root(), installed)
    monkeypatch.setattr(paths, "tracklists_root", lambda: installed)
    clone = tmp_path / "clone"
    shutil.copytree(installed, clone / "tracklists")
    monkeypatch.chdir(clone)
    return clone


def test_a_clone_s_tracklists_win_over_the_installed_copy(clone: Path) -> None:
    season = clone / "tracklists" / paths.SHIPPED_SEASON
    episode = season / "episode-06.txt"
    episode.write_text(episode.read_text("utf-8") + '"Only In The Clone" by Someone\n', "utf-8")
    result = CliRunner().invoke(cli, ["tracklists"])
    assert result.exit_code == 0, result.output
    assert "Only In The Clone" in result.stdout
    assert result.stderr.splitlines()[0] == f"Folder: {season} (./tracklists)"


def test_the_same_rule_for_all(clone: Path) -> None:
    chosen = default_folder(season=False)
    assert (chosen.path, chosen.source) == (clone / "tracklists", "./tracklists")


def test_paths_lists_the_seasons_the_commands_use(clone: Path) -> None:
    result = CliRunner().invoke(cli, ["paths"])
    assert f"Season {clone / 'tracklists' / paths.SHIPPED_SEASON}:" in result.output
    assert "site-packages" not in result.output


def test_an_unused_tracklists_folder_is_warned_about(tmp_path: Path) -> None:
    (tmp_path / "tracklists" / "my-show").mkdir(parents=True)
    chosen = default_folder(season=True, environ={}, cwd=tmp_path)
    assert chosen.path == paths.default_season_dir()
    assert chosen.warning and str(tmp_path / "tracklists") in chosen.warning


COMMANDS = [
    ["tracklists"],
    ["resolve"],
    ["review"],
    ["export", "--format", "json"],
    ["sync", "--dry-run"],
    ["sync", "--all", "--dry-run"],
    ["status"],
    ["remove", "--dry-run"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_names_its_folder_first_and_not_under_q(
    args: list[str], cli_env: None, tmp_path: Path
) -> None:
    shutil.copytree(paths.default_season_dir(), tmp_path / "tracklists" / paths.SHIPPED_SEASON)
    result = CliRunner().invoke(cli, args, input="\n" * 60)
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"Folder: {tmp_path / 'tracklists'}"), result.output
    quiet = CliRunner().invoke(cli, [*args, "-q"], input="\n" * 60)
    assert "Folder:" not in quiet.stderr, quiet.output


def test_logging_options_work_after_the_command(tmp_path: Path) -> None:
    season = tmp_path / "season-1"
    shutil.copytree(paths.default_season_dir(), season)
    for args in (["tracklists", str(season), "-v"], ["tracklists", "-q", str(season)]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
    assert CliRunner().invoke(cli, ["tracklists", "-q", str(season)]).stderr == ""
