"""Development-only: prove two checkouts' command outputs are the same, byte for byte.

    python tools/compare_outputs.py OLD_ROOT NEW_ROOT [--keep DIR]

Runs one scenario under each checkout (the code picked with PYTHONPATH=ROOT, the interpreter
this script runs with): the `--help` of the group and of every command, `demo`, and, against a
fresh local emulator on 127.0.0.1 with a headless login, resolve / sync / status / review /
export / paths / tracklists / remove / import on a temporary copy of the root's
`tracklists/soundtrack/season-1`. Each run is captured as exit code + stdout + stderr, masked
for emulator ports, temporary paths, the checkout root, the emulator's random playlist ids,
snapshot ids, tokens, timestamps and durations. Prints a unified diff of every output that
differs, or "identical: N outputs" (exit 0; 1 when any differs).

Every command runs with cwd in a fresh temporary folder, HOME and XDG dirs in it, no real
Spotify variables, SPOTIFY_READ_LAG=0, `--workers 1` where offered, and a `sitecustomize`
that refuses any socket that is not loopback: nothing reaches the real network.

Internally each root is run by `python compare_outputs.py --run ROOT OUT.json`, a child with
PYTHONPATH=ROOT, so the emulator is the root's own.
"""

from __future__ import annotations

import argparse
import base64
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

COMMAND_TIMEOUT = 600  # seconds; a run that hangs is reported, not waited for forever
CLIENT_ID = "0123456789abcdef0123456789abcdef"  # the emulator accepts any well-formed id
SEASON = Path("tracklists") / "soundtrack" / "season-1"
ARTICLE = Path("tests") / "data" / "article-season-1.txt"

# Loaded in every child: only loopback may be looked up or dialled (as tests/conftest.py does).
_GUARD = """
import socket as _socket

def _loopback(host):
    return isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1"))

_real_getaddrinfo, _real_connect = _socket.getaddrinfo, _socket.socket.connect

def _getaddrinfo(host, *args, **kwargs):
    if host is not None and not _loopback(host):
        raise _socket.gaierror(f"compare_outputs: may not look up {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)

def _connect(sock, address):
    if sock.family in (_socket.AF_INET, _socket.AF_INET6) and not _loopback(address[0]):
        raise ConnectionRefusedError(f"compare_outputs: may not reach {address[0]}")
    return _real_connect(sock, address)

_socket.getaddrinfo = _getaddrinfo
_socket.socket.connect = _connect
"""


# --- masking ---------------------------------------------------------------------------------


class Masker:
    """Replaces what differs between runs by nature, keeping everything else byte for byte.

    Playlist ids are numbered by first appearance across the whole scenario, so the same
    playlist keeps one placeholder from command to command.
    """

    def __init__(self, literals: list[tuple[str, str]]) -> None:
        # Longest first, so a path inside another is not half-replaced.
        self.literals = sorted({(a, b) for a, b in literals if a}, key=lambda x: -len(x[0]))
        self.playlist_ids: set[str] = set()
        self.numbered: dict[str, str] = {}

    def add_literal(self, literal: str, placeholder: str) -> None:
        self.literals = sorted(
            {*self.literals, (literal, placeholder)}, key=lambda x: (-len(x[0]), x[0])
        )

    def add_playlist_ids(self, ids) -> None:
        self.playlist_ids.update(ids)

    def _number(self, value: str) -> str:
        if value not in self.numbered:
            self.numbered[value] = f"<PLAYLIST_{len(self.numbered) + 1}>"
        return self.numbered[value]

    def mask(self, text: str, durations: bool = True) -> str:
        """`durations=False` for help texts, whose figures (`--limit-per-30s`) are static."""
        for literal, placeholder in self.literals:
            text = text.replace(literal, placeholder)
        # Temporary folders made by the commands themselves (demo's copy, tempfile names).
        text = re.sub(r"/tmp/soundtrack-demo-[A-Za-z0-9_-]+", "<DEMO_TMP>", text)
        text = re.sub(r"(?<![A-Za-z0-9])tmp[a-z0-9_]{8}(?![A-Za-z0-9])", "<TMPNAME>", text)
        text = re.sub(r"/tmp/[A-Za-z0-9_.-]+", "<TMP_OTHER>", text)
        # Ports of the emulator (any loopback address).
        text = re.sub(r"(127\.0\.0\.1|localhost|\[::1\]):\d+", r"\1:<PORT>", text)
        # Tokens and snapshot ids the emulator draws at random.
        text = re.sub(r"EMUR?-[A-Za-z0-9]+", "<TOKEN>", text)
        text = re.sub(r"(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])", "<SNAPSHOT>", text)
        text = re.sub(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40,}={0,2}", _snapshot, text)
        # Playlist ids: those the harness's emulator holds, and (for demo, whose emulator is
        # its own) any id in a playlist URI or URL.
        if self.playlist_ids:
            pattern = "|".join(
                re.escape(i) for i in sorted(self.playlist_ids, key=len, reverse=True)
            )
            text = re.sub(
                rf"(?<![A-Za-z0-9])({pattern})(?![A-Za-z0-9])", lambda m: self._number(m[1]), text
            )
        text = re.sub(
            r"(playlists?[/:])([A-Za-z0-9]{22})(?![A-Za-z0-9])",
            lambda m: m[1] + self._number(m[2]),
            text,
        )
        # Timestamps and times of day.
        text = re.sub(
            r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?", "<TIMESTAMP>", text
        )
        text = re.sub(r"(?<![\d.])\d\d:\d\d:\d\d(\.\d+)?(?![\d.])", "<CLOCK>", text)
        if not durations:
            return text
        # Durations and request-time figures: "in 0.3 s", "12 ms", "1.2s", "p95 40ms".
        text = re.sub(
            r"(?<![\w.-])\d+(\.\d+)? ?(ms|s|sec|secs|seconds?|min|minutes?)(?![\w])",
            "<DURATION>",
            text,
        )
        text = re.sub(
            r'("(?:elapsed|duration|seconds|took|time)[a-z_]*": )[0-9.]+', r"\1<DURATION>", text
        )
        return text


def _snapshot(match: re.Match) -> str:
    """The emulator's snapshot ids are base64 of "VERSION,SHA1" (the SHA1 of a random salt):
    the version stays, the rest is masked. Anything else is left as it is."""
    try:
        decoded = base64.b64decode(match[0], validate=True).decode("ascii")
    except ValueError:
        return match[0]
    version, _, digest = decoded.partition(",")
    if version.isdigit() and re.fullmatch(r"[0-9a-f]{40}", digest):
        return f"<SNAPSHOT v{version}>"
    return match[0]


# --- one root's scenario (the child) --------------------------------------------------------


class Scenario:
    def __init__(self, root: Path, scratch: Path) -> None:
        self.root = root
        self.scratch = scratch
        self.python = sys.executable
        self.outputs: list[tuple[str, str]] = []
        self.raw: list[tuple[str, int, str, str]] = []
        self.emulator = None
        guard_dir = scratch / "guard"
        guard_dir.mkdir()
        (guard_dir / "sitecustomize.py").write_text(_GUARD)
        home = scratch / "home"
        home.mkdir()
        self.base_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": f"{root}{os.pathsep}{guard_dir}",
            "PYTHONHASHSEED": "0",
            "PYTHONIOENCODING": "utf-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TZ": "UTC",
            "NO_COLOR": "1",
            "TERM": "dumb",
            "COLUMNS": "120",
            "LINES": "50",
            "HOME": str(home),
            "SPOTIFY_READ_LAG": "0",
        }
        for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
            self.base_env[variable] = str(home / variable.lower())
        self.masker = Masker(
            [
                (str(scratch), "<SCRATCH>"),
                (os.path.realpath(scratch), "<SCRATCH>"),
                (str(root), "<ROOT>"),
                (os.path.realpath(root), "<ROOT>"),
                (str(home), "<HOME>"),
            ]
        )

    def run(self, name: str, args: list[str], *, cwd: Path | None = None, env_extra=None) -> None:
        """Runs the CLI with `args` in a fresh folder (unless `cwd`), stdin empty and closed."""
        if cwd is None:
            # Numbered, not random: the folder's name shows in `paths` (its `.env`).
            cwd = self.scratch / f"cwd-{len(self.raw) + 1:03d}"
            cwd.mkdir()
        env = dict(self.base_env)
        env.update(env_extra or {})
        try:
            done = subprocess.run(
                [self.python, "-m", "soundtrack_playlists.cli", *args],
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=COMMAND_TIMEOUT,
            )
            code, out, err = done.returncode, done.stdout, done.stderr
        except subprocess.TimeoutExpired as timeout:
            code, out, err = "TIMEOUT", timeout.stdout or b"", timeout.stderr or b""
        out_text = out.decode("utf-8", "backslashreplace")
        err_text = err.decode("utf-8", "backslashreplace")
        self.raw.append((name, code, out_text, err_text))
        if self.emulator is not None:
            self.masker.add_playlist_ids(self.emulator.playlists_state().keys())
        shown = f"$ {' '.join(args)}\n[exit {code}]\n"
        self.outputs.append((name, f"{shown}--- stdout ---\n{out_text}--- stderr ---\n{err_text}"))
        print(f"  {name}: exit {code}", file=sys.stderr, flush=True)

    def add_file(self, name: str, path: Path) -> None:
        """Records a file a command wrote, as one more output."""
        text = path.read_text("utf-8", "backslashreplace") if path.is_file() else "<absent>\n"
        self.outputs.append((name, f"# file {path}\n{text}"))

    def commands(self) -> list[str]:
        done = subprocess.run(
            [self.python, "-m", "soundtrack_playlists.cli", "--help"],
            cwd=self.scratch,
            env=self.base_env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
        names, listing = [], False
        for line in done.stdout.splitlines():
            if line.strip() == "Commands:":
                listing = True
            elif listing and line.startswith("  ") and line.strip():
                names.append(line.split()[0])
            elif listing and line.strip() and not line.startswith(" "):
                listing = False
        return names

    def help_of(self, command: str) -> str:
        """The `--help` of `command` as the scenario captured it (raw, unmasked)."""
        for name, _code, out, _err in self.raw:
            if name == f"help {command}":
                return out
        return ""

    def play(self) -> None:
        # --help of the group and of every command.
        self.run("help", ["--help"])
        commands = self.commands()
        for command in commands:
            self.run(f"help {command}", [command, "--help"])

        # demo: its own emulator.
        self.run("demo", ["demo"])

        # A fresh emulator of this root's code, never sleeping for real, and a headless login.
        from soundtrack_playlists.emulator.app import Emulator

        emulator = Emulator(sleep=lambda seconds: None)
        emulator.start()
        self.emulator = emulator
        try:
            self.play_with_emulator(emulator, commands)
        finally:
            self.emulator = None
            emulator.stop()

    def play_with_emulator(self, emulator, commands: list[str]) -> None:
        work = self.scratch / "work"
        work.mkdir()
        season = work / "season-1"
        shutil.copytree(self.root / SEASON, season)
        self.base_env.update(
            {
                "SPOTIPY_CLIENT_ID": CLIENT_ID,
                "SPOTIFY_REFRESH_TOKEN": emulator.issue_refresh_token(),
                "SPOTIFY_API_URL": emulator.api_url,
                "SPOTIFY_ACCOUNTS_URL": emulator.accounts_url,
                "SPOTIFY_TOKEN_CACHE": str(self.scratch / "token-cache.json"),
            }
        )
        self.masker.add_literal(emulator.api_url, "<API_URL>")
        self.masker.add_literal(emulator.accounts_url, "<ACCOUNTS_URL>")
        d = str(season)
        resolve_workers = ["--workers", "1"] if "--workers" in self.help_of("resolve") else []

        if "whoami" in commands:
            self.run("whoami", ["whoami"])
        if "doctor" in commands:
            self.run("doctor", ["doctor"])
        self.run("tracklists", ["tracklists", d])
        self.run("tracklists --json", ["tracklists", "--json", d])
        self.run("paths", ["paths", d])
        self.run("paths --json", ["paths", "--json", d])
        self.run("status (before any sync)", ["status", d])
        self.run("resolve", ["resolve", *resolve_workers, d])
        self.run("resolve --json", ["resolve", "--json", *resolve_workers, d])
        self.run("sync --dry-run", ["sync", "--dry-run", d])
        self.run("sync", ["sync", d])
        self.run("sync (again)", ["sync", d])
        self.run("status", ["status", d])
        if "--json" in self.help_of("status"):
            self.run("status --json", ["status", "--json", d])
        self.run("review", ["review", d])

        # An edited episode: one song gone, another come.
        episode = season / "episode-02.txt"
        lines = episode.read_text("utf-8").splitlines(keepends=True)
        lines = [line for line in lines if "Never Gonna Happen" not in line]
        lines.append('"Elastic Heart" by Sia\n')
        lines.append('"Zzqx Nowhere Tune" by Qwvx Nobody Band\n')  # found by no search
        episode.write_text("".join(lines), "utf-8")
        self.run("sync --dry-run (edited)", ["sync", "--dry-run", d])
        self.run("sync (edited)", ["sync", d])
        self.run("status (edited)", ["status", d])
        self.run("review (edited, stdin empty)", ["review", d])
        self.run("sync --json (edited, again)", ["sync", "--json", d])

        export_help = self.help_of("export")
        formats = re.search(r"--format \[([^\]]+)\]", export_help)
        for fmt in formats[1].split("|") if formats else []:
            self.run(f"export --format {fmt}", ["export", d, "--format", fmt])
        if formats:
            out_file = work / "export.m3u8"
            fmt = formats[1].split("|")[0]
            self.run(
                f"export --format {fmt} --episode 2 --out",
                ["export", d, "--format", fmt, "--episode", "2", "--out", str(out_file)],
            )
            self.add_file("export --out (file)", out_file)

        self.run("paths (after sync)", ["paths", d])
        self.run("tracklists (edited)", ["tracklists", d])
        for written in sorted(p.name for p in season.iterdir()):
            if not written.startswith("episode-") and written != "season.toml":
                self.outputs.append((f"season folder lists {written}", f"# file {written}\n"))
        for written in ("lock.json", "state.json", "sync-report.md"):
            self.add_file(f"file {written}", season / written)

        remove_help = self.help_of("remove")
        if "--dry-run" in remove_help:
            self.run("remove --dry-run", ["remove", "--dry-run", d])
        self.run("remove (stdin empty: asks)", ["remove", d])
        if "--yes" in remove_help:
            self.run("remove --yes", ["remove", "--yes", d])
            self.run("status (after remove)", ["status", d])

        # import of the article into a temporary folder.
        article = self.root / ARTICLE
        imported = work / "imported"
        self.run(
            "import --dry-run",
            [
                "import",
                str(article),
                "--show",
                "Soundtrack",
                "--season",
                "1",
                "--out",
                str(imported),
                "--dry-run",
            ],
        )
        self.run(
            "import",
            [
                "import",
                str(article),
                "--show",
                "Soundtrack",
                "--season",
                "1",
                "--out",
                str(imported),
            ],
        )
        self.run(
            "import --json --force",
            [
                "import",
                str(article),
                "--show",
                "Soundtrack",
                "--season",
                "1",
                "--out",
                str(imported),
                "--json",
                "--force",
            ],
        )
        self.run("tracklists (imported)", ["tracklists", str(imported)])
        for written in sorted(imported.iterdir()) if imported.is_dir() else []:
            self.add_file(f"imported {written.name}", written)


def run_child(root: Path, out: Path) -> int:
    exec(compile(_GUARD, "<guard>", "exec"), {})  # this process too: the emulator is in it
    scratch = Path(tempfile.mkdtemp(prefix="compare-outputs-"))
    scenario = Scenario(root, scratch)
    try:
        scenario.play()
    finally:
        masked = [
            (name, scenario.masker.mask(text, durations=not name.startswith("help")))
            for name, text in scenario.outputs
        ]
        out.write_text(json.dumps({"outputs": masked, "raw": scenario.raw}, indent=1), "utf-8")
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


# --- the comparison (the parent) ------------------------------------------------------------


def run_root(root: Path, keep: Path, label: str) -> list[tuple[str, str]]:
    out = keep / f"{label}.json"
    print(f"running the scenario under {root} ...", file=sys.stderr, flush=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPOTIFY", "SPOTIPY"))}
    env["PYTHONPATH"] = str(root)
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    neutral = Path(tempfile.mkdtemp(prefix="compare-cwd-"))
    try:
        subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--run", str(root), str(out)],
            cwd=neutral,
            env=env,
            check=True,
        )
    finally:
        shutil.rmtree(neutral, ignore_errors=True)
    return [tuple(pair) for pair in json.loads(out.read_text("utf-8"))["outputs"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run", nargs=2, metavar=("ROOT", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("old_root", nargs="?")
    parser.add_argument("new_root", nargs="?")
    parser.add_argument("--keep", type=Path, help="keep each root's outputs (JSON) in this folder")
    args = parser.parse_args(argv)
    if args.run:
        return run_child(Path(args.run[0]).resolve(), Path(args.run[1]))
    if not (args.old_root and args.new_root):
        parser.error("give OLD_ROOT and NEW_ROOT")
    keep = args.keep or Path(tempfile.mkdtemp(prefix="compare-outputs-result-"))
    keep.mkdir(parents=True, exist_ok=True)
    old = run_root(Path(args.old_root).resolve(), keep, "old")
    new = run_root(Path(args.new_root).resolve(), keep, "new")
    old_by, new_by = dict(old), dict(new)
    names = list(dict.fromkeys([n for n, _ in old] + [n for n, _ in new]))
    differing = []
    for name in names:
        a, b = old_by.get(name, "<not run>\n"), new_by.get(name, "<not run>\n")
        if a != b:
            differing.append(name)
            sys.stdout.writelines(
                difflib.unified_diff(
                    a.splitlines(keepends=True),
                    b.splitlines(keepends=True),
                    f"old: {name}",
                    f"new: {name}",
                )
            )
            print()
    if differing:
        print(f"differ: {len(differing)} of {len(names)} outputs:")
        for name in differing:
            print(f"  {name}")
        return 1
    print(f"identical: {len(names)} outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
