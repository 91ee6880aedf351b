"""Importing article-like text: prose skipped, song lines kept verbatim, nothing clobbered."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.errors import TracklistError
from soundtrack_playlists.importer import extract_episodes, import_article
from soundtrack_playlists.paths import default_season_dir
from soundtrack_playlists.tracklist import load_season

ARTICLE = Path(__file__).parent / "data" / "article-season-1.txt"
SHIPPED_ARGS = ["--show", "Soundtrack", "--season", "1", "--year", "2019", "--network", "Netflix"]


def files_of(folder: Path) -> dict[str, str]:
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(folder.iterdir())
        if p.name == "season.toml" or p.suffix == ".txt"
    }


def test_importing_the_article_reproduces_the_shipped_files_exactly(tmp_path):
    out = tmp_path / "season-1"
    result = CliRunner().invoke(cli, ["import", str(ARTICLE), *SHIPPED_ARGS, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "10 episodes, 45 songs" in result.output
    assert files_of(out) == files_of(default_season_dir())


def test_prose_is_skipped_even_when_it_opens_with_a_quote():
    episodes = extract_episodes(ARTICLE.read_text(encoding="utf-8"))
    lines = [line for episode in episodes for line in episode.lines]
    assert not any("paragraph" in line.lower() or "reviewer" in line for line in lines)
    assert len(lines) == 38  # song lines: a mashup or a medley is one line


def test_an_existing_folder_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "season-1"
    out.mkdir()
    (out / "lock.json").write_text("{}")
    result = CliRunner().invoke(cli, ["import", str(ARTICLE), *SHIPPED_ARGS, "--out", str(out)])
    assert result.exit_code == 1 and "--force" in result.output
    assert [p.name for p in out.iterdir()] == ["lock.json"]


def test_force_replaces_tracklists_and_keeps_the_lock(tmp_path):
    out = tmp_path / "season-1"
    out.mkdir()
    (out / "lock.json").write_text("{}")
    (out / "episode-99.txt").write_text("Episode 99: Old\n")
    result = CliRunner().invoke(
        cli, ["import", str(ARTICLE), *SHIPPED_ARGS, "--out", str(out), "--force"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "lock.json").read_text() == "{}"
    assert not (out / "episode-99.txt").exists()
    assert len(load_season(out).songs) == 45


def test_the_default_folder_is_named_after_show_and_season(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = 'Episode 1: Pilot\n\nSome prose.\n\n"Smile" by Nat King Cole\n'
    (tmp_path / "a.txt").write_text(text)
    result = CliRunner().invoke(cli, ["import", "a.txt", "--show", "Glee!", "--season", "2"])
    assert result.exit_code == 0, result.output
    season = load_season(tmp_path / "tracklists" / "glee" / "season-2")
    assert (season.show, season.season, season.year) == ("Glee!", 2, None)
    assert [s.title for s in season.songs] == ["Smile"]


def test_text_without_headings_is_refused_and_writes_nothing(tmp_path):
    with pytest.raises(TracklistError, match="no episode headings"):
        import_article("just prose\n", tmp_path / "out", show="S", season=1)
    assert not (tmp_path / "out").exists()


def test_a_repeated_heading_is_refused(tmp_path):
    with pytest.raises(TracklistError, match="episode 1 appears twice"):
        import_article("Episode 1: A\nEpisode 1: B\n", tmp_path / "out", show="S", season=1)
