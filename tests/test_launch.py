"""Ctrl-C while the command's modules load: exit 130 and one line, never a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent

# A child Python that runs the command as the console script or `python -m` does, but first
# holds still at the start of importing one module, says so on stdout and waits for a signal.
CHILD = """
import runpy, signal, sys
held, how, entry = sys.argv[1:4]

class HoldAt:
    def find_spec(self, name, path=None, target=None):
        if name == held:
            sys.meta_path.remove(self)
            print("loading", name, flush=True)
            signal.pause()  # the parent's SIGINT lands here, in the middle of the imports
        return None

sys.meta_path.insert(0, HoldAt())
sys.argv = ["soundtrack-playlists", "--help"]
if how == "script":  # what the installed console script's wrapper does
    module, _, function = entry.partition(":")
    sys.exit(getattr(__import__(module, fromlist=[function]), function)())
runpy.run_module("soundtrack_playlists", run_name="__main__", alter_sys=True)
"""


def console_script() -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["project"]["scripts"]["soundtrack-playlists"]


def _interrupt_while_loading(held: str, how: str) -> subprocess.CompletedProcess[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, held, how, console_script()],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    assert first.startswith("loading"), f"the child never reached {held}: {first!r}"
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    return subprocess.CompletedProcess(child.args, child.returncode, first + out, err)


HELD_AT = ["soundtrack_playlists.cli", "click", "soundtrack_playlists.cli.sync"]  # first to last


@pytest.mark.parametrize("how", ["script", "python -m"])
@pytest.mark.parametrize("held", HELD_AT)
def test_ctrl_c_while_the_modules_load_exits_130_without_a_traceback(held, how):
    done = _interrupt_while_loading(held, how)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 130, (done.returncode, done.stderr)
    assert done.stderr.strip() == "Interrupted."


def test_the_console_script_is_the_launcher_and_the_launcher_loads_nothing_heavy():
    assert console_script() == "soundtrack_playlists.launch:main"
    probe = (
        "import sys, soundtrack_playlists.launch; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('click', 'requests', 'pydantic', 'importlib') or m.startswith('soundtrack_playlists.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "['soundtrack_playlists.launch']", done.stdout


def test_the_command_still_runs_through_the_launcher_and_the_old_entry_point():
    for module in ("soundtrack_playlists", "soundtrack_playlists.cli"):
        done = subprocess.run(
            [sys.executable, "-m", module, "--version"], cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0 and done.stdout.startswith("soundtrack-playlists"), done
    from soundtrack_playlists.cli import main

    assert callable(main)


def test_the_version_is_looked_up_on_first_use():
    import soundtrack_playlists

    assert isinstance(soundtrack_playlists.__version__, str)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        soundtrack_playlists.nothing_here  # noqa: B018 - the lookup is the test
