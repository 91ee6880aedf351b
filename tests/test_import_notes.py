"""import's notes count as its songs count, and a dry run says when the real run would refuse."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from soundtrack_playlists.cli import cli

ARTICLE = """Soundtrack – the music list

- Opening Theme – Someone

Episode 1: Nellie and Sam

Elastic Heart – Sia
Between Me And You – Brandon Flowers
"Love Is A Losing Game" by Amy Winehouse
"""


def run_import(tmp_path: Path, *extra: str) -> str:
    source = tmp_path / "article.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    args = ["import", str(source), "--show", "Soundtrack", "--season", "1", *extra]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_order_note_counts_only_the_lines_written_as_songs(tmp_path: Path) -> None:
    text = run_import(tmp_path, "--out", str(tmp_path / "s1"))
    assert "3 songs" in text and "1 line of prose skipped" in text
    # the line before the first heading is not imported: the note does not count it
    assert "line 3: - Opening Theme – Someone" in text
    assert "2 unquoted `A – B` lines read as title – artist" in text


def test_a_dry_run_into_an_existing_folder_says_the_real_run_would_refuse(tmp_path: Path) -> None:
    out = tmp_path / "s1"
    run_import(tmp_path, "--out", str(out))
    text = run_import(tmp_path, "--out", str(out), "--dry-run")
    assert text.startswith("Dry run, nothing written: the real run would refuse:")
    assert "--force" in text.splitlines()[0] and "would write" not in text
    forced = run_import(tmp_path, "--out", str(out), "--dry-run", "--force")
    assert forced.startswith(f"Dry run, nothing written: would write {out}")
