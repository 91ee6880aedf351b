"""Choosing season folders (DIR…, show folders, the tracklists root) and reading show.toml."""

from __future__ import annotations

from pathlib import Path

import pytest
from resolved_songs import Resolved

from soundtrack_playlists.errors import TracklistError
from soundtrack_playlists.files import paths
from soundtrack_playlists.models import Season, Song, Status, Track
from soundtrack_playlists.sync.state import SHOW_KEY
from soundtrack_playlists.sync.targets import show_target
from soundtrack_playlists.tracklists.selection import (
    TRACKLISTS_ENV,
    ShowManifest,
    choose_tracklists,
    read_show_manifest,
    select,
)


def season(folder: Path, number: int = 1) -> Path:
    folder.mkdir(parents=True)
    (folder / "season.toml").write_text(f'show = "S"\nseason = {number}\n', encoding="utf-8")
    return folder


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for number in (1, 2, 10):
        season(tmp_path / "root" / "alpha" / f"season-{number}", number)
    season(tmp_path / "root" / "beta" / "season-1")
    (tmp_path / "root" / "beta" / "notes").mkdir()
    return tmp_path / "root"


def test_a_season_folder_is_itself(root: Path) -> None:
    chosen = select([root / "alpha" / "season-2"])
    assert chosen.seasons == (root / "alpha" / "season-2",) and chosen.shows == ()


def test_a_show_folder_is_its_seasons_in_natural_order(root: Path) -> None:
    chosen = select([root / "alpha"])
    assert [p.name for p in chosen.seasons] == ["season-1", "season-2", "season-10"]
    assert chosen.shows == (root / "alpha",)


def test_the_root_is_every_show_and_repeats_are_dropped(root: Path) -> None:
    chosen = select([root / "alpha" / "season-1", root])
    assert [f"{p.parent.name}/{p.name}" for p in chosen.seasons] == [
        "alpha/season-1",
        "alpha/season-2",
        "alpha/season-10",
        "beta/season-1",
    ]
    assert chosen.shows == (root / "alpha", root / "beta")


@pytest.mark.parametrize("name", ["missing", "empty"])
def test_a_folder_without_seasons_is_an_error(tmp_path: Path, name: str) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(TracklistError, match="no s"):
        select([tmp_path / name])


def test_tracklists_come_from_the_option_then_the_environment_then_cwd(tmp_path: Path) -> None:
    option, env = tmp_path / "opt", tmp_path / "env"
    assert choose_tracklists(option, {TRACKLISTS_ENV: str(env)}, tmp_path).source == "--tracklists"
    from_env = choose_tracklists(None, {TRACKLISTS_ENV: str(env)}, tmp_path)
    assert from_env.path == env and TRACKLISTS_ENV in from_env.describe()
    shipped = choose_tracklists(None, {}, tmp_path)
    assert shipped.path == paths.tracklists_root() and "installed" in shipped.describe()
    (tmp_path / "tracklists").mkdir()
    assert choose_tracklists(None, {}, tmp_path).path == tmp_path / "tracklists"


def test_show_toml_names_the_whole_show_playlist(tmp_path: Path) -> None:
    assert read_show_manifest(tmp_path, "Fallback") is None
    (tmp_path / "show.toml").write_text('[playlists]\nshow = "{show}: everything"\n', "utf-8")
    manifest = read_show_manifest(tmp_path, "Fallback")
    assert manifest is not None and manifest.playlist_name() == "Fallback: everything"
    (tmp_path / "show.toml").write_text('show = "Named"\n', "utf-8")
    manifest = read_show_manifest(tmp_path, "Fallback")
    assert manifest is not None and manifest.show == "Named" and manifest.playlist_name() is None


@pytest.mark.parametrize(
    "text",
    ['show = "A"\n[playlists]\nshow = "{season}"\n', "show = 3\n", "playlists = 1\n", "show = \n"],
)
def test_a_broken_show_toml_says_what_is_expected(tmp_path: Path, text: str) -> None:
    (tmp_path / "show.toml").write_text(text, "utf-8")
    with pytest.raises(TracklistError, match="show.toml"):
        read_show_manifest(tmp_path, "Fallback")


def _songs(season_number: int, statuses: list[Status]) -> list[Resolved]:
    return [
        Resolved(
            1,
            Song(f"Song {index}", ("Artist",)),
            status,
            Track(f"spotify:track:s{season_number}n{index}", f"Song {index}", ("Artist",)),
        )
        for index, status in enumerate(statuses)
    ]


def test_the_show_playlist_holds_every_kept_song_in_season_order(tmp_path: Path) -> None:
    manifest = ShowManifest(tmp_path, "Show", "{show} · All seasons")
    kept, review = Status.MATCHED, Status.REVIEW
    target = show_target(
        manifest,
        [
            (Season("Show", 2), _songs(2, [kept, Status.PINNED])),
            (Season("Show", 1), _songs(1, [kept, review, Status.UNRESOLVED, kept])),
        ],
        public=True,
    )
    (playlist,) = target.desired.playlists
    assert playlist.name == "Show · All seasons" and playlist.key == SHOW_KEY
    assert playlist.uris == tuple(
        f"spotify:track:{tail}" for tail in ("s1n0", "s1n3", "s2n0", "s2n1")
    )
    assert playlist.public is True and "Show" in playlist.description
    assert target.state_file == paths.state_path(tmp_path) and target.season is None
    assert playlist.cover is not None and playlist.cover.whole_show  # a cover of its own
    assert playlist.cover.show == "Show"
