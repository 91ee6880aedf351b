"""A command run inside a season folder works on that folder, and says so."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.files.paths import default_season_dir, season_dir_here


def test_a_season_folder_is_recognised_by_its_manifest(tmp_path):
    assert season_dir_here(tmp_path) is None
    (tmp_path / "season.toml").write_text('show = "X"\nseason = 1\n', encoding="utf-8")
    assert season_dir_here(tmp_path) == tmp_path


def test_tracklists_without_dir_reads_the_season_folder_it_runs_in(tmp_path, monkeypatch):
    folder = tmp_path / "season-1"
    shutil.copytree(default_season_dir(), folder)
    episode = folder / "episode-01.txt"
    episode.write_text(
        episode.read_text(encoding="utf-8") + '"A Song Only Here" by Someone\n', "utf-8"
    )
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(cli, ["tracklists"])
    assert result.exit_code == 0, result.output
    assert "A Song Only Here" in result.output
    assert result.stderr.splitlines()[0] == f"Folder: {folder} (the season folder here)"


def test_outside_a_season_folder_the_installed_season_is_used_and_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["tracklists"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == f"Folder: {default_season_dir()} (the installed copy)"
    assert "Nellie and Sam" in result.output
