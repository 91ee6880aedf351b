"""Playlist names within Spotify's 100 characters: shortened at a word, the full name kept."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.playlist_names import NAME_LIMIT, full_name_note, shorten
from soundtrack_playlists.sync.targets import desired_state
from soundtrack_playlists.tracklists.folders import load_season
from tests.test_covers_e2e import rename_episode

LONG_TITLE = (
    "The One Where Everybody Finally Finds Out About Everything That Happened At The Beach "
    "House Last Summer"
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Short", "Short"),
        ("x" * 100, "x" * 100),
        ("word " * 30, ("word " * 20).rstrip() + "…"),
        ("word " * 19 + "wordy" * 3, ("word " * 19).rstrip() + "…"),  # cut at a word
        ("y" * 150, "y" * 99 + "…"),  # one long word: cut mid-word
        ("a" * 95 + " · " + "b" * 20, "a" * 95 + "…"),  # no dangling separator
    ],
)
def test_shorten(name: str, expected: str) -> None:
    assert shorten(name) == expected
    assert len(shorten(name)) <= NAME_LIMIT


def test_the_full_name_is_kept_only_when_shortened() -> None:
    assert full_name_note("Short") == ""
    assert full_name_note("z" * 101) == "z" * 101 + ". "


def test_a_long_episode_title_makes_a_name_spotify_takes_and_keeps_it_whole(season_dir):
    # Was: a 120-character name, refused when the playlist is created.
    rename_episode(season_dir, 1, LONG_TITLE)
    season = load_season(season_dir)
    first = desired_state(season, []).playlists[0]
    assert len(first.name) <= NAME_LIMIT and first.name.endswith("…")
    assert first.description.startswith(season.episode_playlist_name(
        season.episodes[0], full=True))  # fmt: skip
    assert len(first.description) <= 300


def test_sync_dry_run_shows_the_shortened_name(season_dir, cli_env):
    rename_episode(season_dir, 1, LONG_TITLE)
    season = load_season(season_dir)
    short = season.episode_playlist_name(season.episodes[0])
    result = CliRunner().invoke(cli, ["sync", str(season_dir), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert short in result.output and LONG_TITLE not in result.output.replace("\n", " ")
