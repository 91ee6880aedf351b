"""Concurrent runs in real processes: one run per season at a time, one token refresh at a time."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from emulator_login import emulator_env

from soundtrack_playlists.cli import cli
from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.errors import EX_TEMPFAIL
from soundtrack_playlists.files import paths, runlock

ROOT = Path(__file__).resolve().parent.parent


def child_env(emulator: Emulator, tmp_path: Path, token: str) -> dict[str, str]:
    """The environment of a run in its own process: the emulator, a headless login, no .env."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SPOTIF")}
    env.update(emulator_env(emulator, tmp_path / "token-cache.json", refresh_token=token))
    env["PYTHONPATH"] = str(ROOT)
    return env


def playlist_names(emulator: Emulator, user: str = "demo-user") -> Counter[str]:
    return Counter(
        playlist["name"]
        for playlist in emulator.playlists_state().values()
        if playlist["owner"] == user and user in playlist["followers"]
    )


def test_two_syncs_of_one_season_at_once_never_duplicate_a_playlist_or_an_item(
    emulator: Emulator, season_dir: Path, tmp_path: Path
) -> None:
    env = child_env(emulator, tmp_path, emulator.issue_refresh_token())
    command = [sys.executable, "-m", "soundtrack_playlists", "sync", str(season_dir)]
    runs = [
        subprocess.Popen(
            command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    results = [
        (run.wait(timeout=120), run.stderr.read().decode() if run.stderr else "") for run in runs
    ]
    for run in runs:
        for stream in (run.stdout, run.stderr):
            if stream is not None:
                stream.close()
    for code, stderr in results:
        # The second run either waited for the first (then found nothing to do) or gave up.
        assert code == 0 or (code == EX_TEMPFAIL and "another run is using" in stderr), stderr
    assert any(code == 0 for code, _ in results)
    names = playlist_names(emulator)
    assert len(names) == 10
    assert all(count == 1 for count in names.values()), names
    for playlist in emulator.playlists_state().values():
        items = playlist["items"]
        if playlist["name"].endswith("(2019)"):
            continue  # the season playlist may hold a song twice (it plays in two episodes)
        assert len(items) == len(set(items)), playlist["name"]


HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from soundtrack_playlists.files.runlock import season_run

    with season_run(Path(sys.argv[1]), "soundtrack-playlists sync (held by a test)"):
        print("held", flush=True)
        sys.stdin.readline()
    """
)


def test_a_second_run_stops_with_a_message_naming_the_run_that_holds_the_season(
    season_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(season_dir)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(runlock, "WAIT_SECONDS", 0.0)
        for args in (
            ["sync", str(season_dir)],
            ["resolve", str(season_dir)],
            ["review", str(season_dir)],
            ["remove", str(season_dir), "--yes"],
        ):
            result = CliRunner().invoke(cli, args)
            assert result.exit_code == EX_TEMPFAIL, result.output
            assert "another run is using this season" in result.output
            assert f"process {holder.pid}" in result.output
            # said at once, before the wait: who holds it and how long this run waits
            assert "waiting up to 0 s for it to finish" in result.stderr.splitlines()[1]
            assert "held by a test" in result.output
            assert "Traceback" not in result.output
    finally:
        if holder.stdin is not None:
            holder.stdin.close()
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
    # Released: the next run takes the season at once, and the holder's note is gone.
    with runlock.season_run(season_dir, "test", wait=0):
        pass
    assert not (season_dir / paths.RUN_INFO_FILE).exists()


REFRESHER = textwrap.dedent(
    """
    import sys
    import requests
    from soundtrack_playlists.errors import SoundtrackError
    from soundtrack_playlists.settings import Settings
    from soundtrack_playlists.spotify.auth import Auth

    auth = Auth(Settings.from_env(), requests.Session())
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        auth.get_access_token()
        print("ok", flush=True)
    except SoundtrackError as error:
        print(type(error).__name__, flush=True)
    """
)


def test_headless_runs_refreshing_at_once_never_burn_the_rotating_refresh_token(
    tmp_path: Path,
) -> None:
    # Token answers take a moment, as Spotify's do: enough for the refreshes to overlap.
    faults = Faults(latency_ms=150, paths=("/api/token",))
    with Emulator(faults=faults) as emulator:
        env = child_env(emulator, tmp_path, emulator.issue_refresh_token())
        children = [
            subprocess.Popen(
                [sys.executable, "-c", REFRESHER],
                env=env,
                cwd=tmp_path,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        for child in children:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        for child in children:  # all at once
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        answers = []
        for child in children:
            out, _ = child.communicate(timeout=60)
            answers.append(out.strip())
    assert answers == ["ok"] * 4
