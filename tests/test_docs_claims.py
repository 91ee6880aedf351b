"""What the README and .env.example claim about files and sizes is what the code does."""

from __future__ import annotations

import re
from pathlib import Path

import platformdirs

from soundtrack_playlists.covers import CoverSpec, render_cover
from soundtrack_playlists.files.paths import APP_NAME, default_season_dir, token_cache_path
from soundtrack_playlists.tracklists.folders import load_season

ROOT = Path(__file__).resolve().parent.parent


def test_the_cover_sizes_the_readme_gives_are_the_shipped_season_s() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    low, high = map(int, re.search(r"JPEGs of (\d+)–(\d+) KB", readme).groups())  # type: ignore[union-attr]
    season = load_season(default_season_dir())
    specs = [CoverSpec(season.show, season.season, e.number, e.title) for e in season.episodes]
    specs += [CoverSpec(season.show, season.season, year=season.year)]
    specs += [CoverSpec(season.show, 0, whole_show=True)]
    sizes = [len(render_cover(spec)) / 1024 for spec in specs]
    assert low <= min(sizes) and max(sizes) <= high, sizes


def test_env_example_and_readme_put_the_token_cache_where_the_code_does() -> None:
    cache = token_cache_path("https://accounts.spotify.com/", "0" * 32)
    assert Path(platformdirs.user_state_dir(APP_NAME)) in cache.parents
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    said = " ".join(
        example.split("SPOTIFY_TOKEN_CACHE", 1)[0].rsplit("\n\n", 1)[-1].replace("#", " ").split()
    )
    assert "state folder" in said and "cache folder" not in said
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "The token cache lives in your per-user state folder" in readme
