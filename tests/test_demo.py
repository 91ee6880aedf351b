"""The offline demo: the README's first command must work and leave the shipped folder alone."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from soundtrack_playlists.cli import cli
from soundtrack_playlists.demo import run_demo
from soundtrack_playlists.files.paths import default_season_dir, demo_covers_dir


def shipped_files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(default_season_dir().iterdir())}


def test_the_demo_creates_ten_playlists_then_changes_nothing(tmp_path):
    before = shipped_files()
    printed: list[str] = []
    run = run_demo(printed.append, report_dir=tmp_path)

    assert [outcome.action for outcome in run.first.outcomes] == ["create"] * 10
    assert [len(lines) for _, lines in run.playlists] == [7, 5, 6, 7, 5, 1, 5, 4, 5, 45]
    assert run.playlists[0][1][0] == "Elastic Heart — Sia"
    assert [outcome.action for outcome in run.second.outcomes] == ["unchanged"] * 10
    assert run.second_sync_writes == 0
    assert "# Sync report: Soundtrack, season 1" in run.report
    assert any("Finale" in line for line in printed)
    assert shipped_files() == before  # no lock, state or report beside the real tracklists
    assert run.report_path == tmp_path / "sync-report.md"
    assert run.report_path.read_text(encoding="utf-8") == run.report
    assert "open.spotify.com/track" not in run.report  # emulator ids have no page there
    assert "open.spotify.com/playlist" not in run.report


def test_the_demo_command_tells_a_short_story_and_names_the_report():
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert (
        "create    “Soundtrack S1E01 · Nellie and Sam” (private, 7 tracks, a cover)"
        in result.output
    )
    assert "Soundtrack · Season 1 (2019) (45 tracks)" in result.output
    assert "Elastic Heart — Sia · " in result.output  # an episode playlist's songs
    assert "10 of 10 playlists unchanged on the second sync" in result.output
    assert "0 of them writes" in result.output
    assert "# Sync report" not in result.output  # the report is named, not printed
    assert "open.spotify.com" not in result.output
    report = result.output.split("The full report (every song and the track chosen): ")[1]
    assert Path(report.splitlines()[0]).read_text(encoding="utf-8").startswith("# Sync report")
    assert len(result.output.splitlines()) < 70


def test_the_demo_saves_the_uploaded_covers_where_it_says(tmp_path):
    printed: list[str] = []
    run = run_demo(printed.append, covers_dir=tmp_path / "covers")
    assert [path.name for path in run.covers] == [f"episode-{n:02d}.jpg" for n in range(1, 10)] + [
        "season.jpg"
    ]
    for path in run.covers:
        assert Image.open(io.BytesIO(path.read_bytes())).size == (640, 640)
    assert any(str(tmp_path / "covers") in line for line in printed)


def test_the_demo_command_saves_covers_in_the_cache_folder():
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert f"saved in {demo_covers_dir()}" in result.output
    assert (demo_covers_dir() / "season.jpg").is_file()
