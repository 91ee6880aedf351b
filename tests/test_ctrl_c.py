"""Ctrl-C at any prompt, in a real terminal, ends the run with 130 and keeps what was done."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from emulator_login import emulator_env

from soundtrack_playlists.cli import cli
from soundtrack_playlists.emulator.app import Emulator
from tests.test_outcomes import unknown_season

ROOT = Path(__file__).resolve().parent.parent


def run_to_ctrl_c(args: list[str], env: dict[str, str], prompt: str) -> tuple[int, str]:
    """Run the command on a pseudo-terminal, press Ctrl-C at `prompt`; its exit code and text."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, with the terminal as its controlling one
        # as in a shell's foreground job, whatever the test runner's parent ignores
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.execve(sys.executable, [sys.executable, "-m", "soundtrack_playlists", *args], env)
    seen, ended = b"", False
    deadline = time.monotonic() + 60
    try:
        while prompt.encode() not in seen and time.monotonic() < deadline:
            chunk = _read(fd)
            if chunk == b"":
                ended = True
                break
            seen += chunk or b""
        assert prompt.encode() in seen, seen.decode(errors="replace")
        # Ctrl-C, as the terminal sends it: SIGINT to the command. Pressed again after a
        # quiet second, as a person would: one that lands between the prompt being shown and
        # the read starting only wakes the command at the next.
        chunk: bytes | None = None
        while time.monotonic() < deadline:
            if chunk is None:
                os.write(fd, b"\x03")
            chunk = _read(fd)
            if chunk == b"":  # the terminal closed: the command ended
                ended = True
                break
            seen += chunk or b""
    finally:
        if not ended:  # never left hanging: a command that did not end is ended
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode(errors="replace")


def _read(fd: int) -> bytes | None:
    """What the terminal shows next (None: nothing within a second; b"": it closed)."""
    ready, _, _ = select.select([fd], [], [], 1)
    if not ready:
        return None
    try:
        return os.read(fd, 4096)
    except OSError:  # Linux: the other side closed
        return b""


@pytest.fixture
def child_env(emulator: Emulator, tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SPOTIF")}
    env.update(emulator_env(emulator, tmp_path / "token-cache.json"))
    env["PYTHONPATH"] = str(ROOT)
    env["NO_COLOR"] = "1"
    return env


def test_ctrl_c_in_review_exits_130(
    cli_env: None, tmp_path: Path, child_env: dict[str, str]
) -> None:
    season = unknown_season(tmp_path / "nowhere")
    assert CliRunner().invoke(cli, ["resolve", str(season)]).exit_code == 0
    code, text = run_to_ctrl_c(["review", str(season)], child_env, "Enter to skip")
    assert code == 130, text
    assert "Aborted!" not in text and "interrupted" in text


def test_ctrl_c_at_the_login_paste_prompt_exits_130(child_env: dict[str, str]) -> None:
    del child_env["SPOTIFY_REFRESH_TOKEN"]
    code, text = run_to_ctrl_c(["login", "--no-browser"], child_env, "paste the address")
    assert code == 130, text
    assert "Aborted!" not in text


def test_ctrl_c_at_remove_s_question_exits_130_and_removes_nothing(
    cli_env: None, season_dir: Path, child_env: dict[str, str], emulator: Emulator
) -> None:
    assert CliRunner().invoke(cli, ["sync", str(season_dir)]).exit_code == 0
    code, text = run_to_ctrl_c(["remove", str(season_dir)], child_env, "[y/N]")
    assert code == 130, text
    assert "Aborted!" not in text
    followed = [p for p in emulator.playlists_state().values() if p["followers"]]
    assert len(followed) == 10
