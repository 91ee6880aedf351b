"""`emulator` prints lines a shell takes as they are; doctor accepts it; a busy port is named."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from dotenv import dotenv_values

from soundtrack_playlists.cli import cli
from soundtrack_playlists.cli.local_spotify import ENV_FILE_MARK
from soundtrack_playlists.doctor import check_settings
from soundtrack_playlists.emulator.state import DEFAULT_USER
from soundtrack_playlists.settings import Settings

COMMAND = [sys.executable, "-m", "soundtrack_playlists"]


def _start(tmp_path: Path, *options: str) -> tuple[subprocess.Popen[str], list[str]]:
    process = subprocess.Popen(
        [*COMMAND, "emulator", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    lines: list[str] = []
    while not any(line.startswith("export SPOTIFY_REFRESH_TOKEN=") for line in lines):
        line = process.stdout.readline()
        assert line, f"the emulator ended early: {lines}"
        lines.append(line.rstrip("\n"))
    return process, lines


def _stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=30)
    return out


def test_the_printed_lines_paste_into_a_shell_and_work(tmp_path: Path) -> None:
    process, lines = _start(tmp_path)
    try:
        assert all(line.startswith(("# ", "export ")) for line in lines), lines
        script = "\n".join(lines) + "\nexec " + " ".join(COMMAND) + " whoami"
        child_env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("SPOTIFY_", "SPOTIPY_"))
        }
        done = subprocess.run(
            ["sh", "-c", script], env=child_env, cwd=tmp_path, capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert f"User:        {DEFAULT_USER}" in done.stdout
    finally:
        out = _stop(process)
    assert "Emulator stopped." in out


def test_env_file_is_written_private_and_loads(tmp_path: Path) -> None:
    env_file = tmp_path / "emulator.env"
    process, lines = _start(tmp_path, "--env-file", str(env_file))
    _stop(process)
    assert env_file.read_text(encoding="utf-8").startswith(ENV_FILE_MARK)
    assert oct(env_file.stat().st_mode & 0o777) == "0o600"
    values = dotenv_values(env_file)
    exported = dict(line.removeprefix("export ").split("=", 1) for line in lines if "=" in line)
    assert values == exported and values["SPOTIPY_CLIENT_ID"] == "emulator"


def test_env_file_never_overwrites_someone_elses_file(tmp_path: Path) -> None:
    mine = tmp_path / ".env"
    mine.write_text("SPOTIPY_CLIENT_ID=" + "a" * 32 + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["emulator", "--env-file", str(mine)])
    assert result.exit_code == 2
    assert "--env-file" in result.output and "not written by this command" in result.output
    assert mine.read_text(encoding="utf-8") == "SPOTIPY_CLIENT_ID=" + "a" * 32 + "\n"


def test_a_busy_port_is_a_clear_error_naming_the_option() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["emulator", "--port", str(port)])
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 is busy" in result.output and "--port" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("api", "ok"),
    [("http://127.0.0.1:8765/v1/", True), ("https://api.example.com/v1/", False)],
)
def test_doctor_takes_any_client_id_for_a_local_emulator(api: str, ok: bool) -> None:
    accounts = api.removesuffix("v1/")
    settings = Settings(client_id="emulator", api_url=api, accounts_url=accounts)
    finding = next(f for f in check_settings(settings) if f.check == "client id")
    assert finding.ok is ok
    if not ok:
        assert "32 hexadecimal" in finding.message


def test_the_sync_benchmark_reads_the_lines_the_emulator_prints():
    """benchmarks/sync_bench.py starts `emulator` and reads its export lines (it once waited
    forever for a form the command no longer printed)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    try:
        from sync_bench import EmulatorProcess
    finally:
        sys.path.pop(0)
    from soundtrack_playlists.emulator.app import demo_catalog_path

    with EmulatorProcess(demo_catalog_path(), 0.0) as emulator:
        assert emulator.api_url.startswith("http://127.0.0.1:") and emulator.api_url.endswith(
            "/v1/"
        )
        assert emulator.refresh_token.startswith("EMUR-")
        emulator.clear_log()
        assert emulator.log() == []
