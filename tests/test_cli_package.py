"""The command line package: every command registered, and its one progress adapter."""

from __future__ import annotations

import pytest

from soundtrack_playlists.cli import cli
from soundtrack_playlists.cli.progress import ProgressBars


def test_every_command_module_registers_its_commands() -> None:
    assert set(cli.commands) == {
        "tracklists",
        "import",
        "resolve",
        "review",
        "sync",
        "status",
        "login",
        "whoami",
        "doctor",
        "emulator",
        "demo",
        "remove",
        "paths",
        "export",
    }


def test_a_step_with_nothing_to_do_shows_no_bar(capsys: pytest.CaptureFixture[str]) -> None:
    with ProgressBars() as bars:
        bars("Resolving songs", 0, 0)  # every song came from the lock
    assert capsys.readouterr().err == ""


def test_each_step_gets_one_bar_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    with ProgressBars() as bars:
        for done in range(3):
            bars("Resolving songs", done, 2)
        bars("Syncing playlists", 0, 1)
        bars("Syncing playlists", 1, 1)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("Resolving songs") == 1
    assert captured.err.count("Syncing playlists") == 1
    assert captured.err.index("Resolving songs") < captured.err.index("Syncing playlists")


def test_disabled_bars_draw_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with ProgressBars(enabled=False) as bars:
        bars("Syncing playlists", 0, 3)
        bars("Syncing playlists", 3, 3)
    assert capsys.readouterr().err == ""
