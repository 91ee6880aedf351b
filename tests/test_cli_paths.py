"""`paths` shows where settings, the token cache and each season's lock, state and report live."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.files.paths import default_season_dir, lock_path, report_path, state_path
from soundtrack_playlists.settings import Settings


def test_paths_lists_every_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("SPOTIPY_CLIENT_ID=" + "a" * 32 + "\n", encoding="utf-8")
    mine = tmp_path / "mine" / "season-2"
    mine.mkdir(parents=True)
    (mine / "lock.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(cli, ["paths", str(mine)])
    assert result.exit_code == 0, result.output
    cache = Settings.from_env().token_cache
    assert f"settings:    {tmp_path / '.env'} (read when present" in result.output
    assert f"token cache: {cache} (for https://accounts.spotify.com/; not there yet)" in (
        result.output
    )
    for season in (default_season_dir(), mine):
        assert f"Season {season}:" in result.output
        for path in (lock_path(season), state_path(season), report_path(season)):
            assert str(path) in result.output
    assert f"{lock_path(mine)} (the track chosen for each song)\n" in result.output


def test_paths_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "tokens.json"
    result = CliRunner().invoke(cli, ["paths", "--json"], env={"SPOTIFY_TOKEN_CACHE": str(cache)})
    assert result.exit_code == 0, result.output
    value = json.loads(result.stdout)
    assert {"what": "token cache", "path": str(cache), "exists": False} in value["settings"]
    folders = [season["folder"] for season in value["seasons"]]
    assert str(default_season_dir()) in folders
    files = value["seasons"][0]["files"]
    assert [f["what"] for f in files] == ["lock", "state", "report"]
