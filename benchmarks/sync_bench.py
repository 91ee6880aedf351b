"""Sync cost and speed beside a fair sequential peer: requests, median wall time, peak memory.

Runs against the local emulator (a separate process, with added latency per request) for
the shipped season and for a generated 10-season show synced in one command; three
situations each: cold (no lock, no playlists), warm (nothing changed) and one tracklist
line changed. The peer (benchmarks/baseline.py) is a careful sequential script: first
search hit, find-or-create by name, adds of up to 100, replace on a re-run. Ours runs with
covers off (as `sync --no-covers`) so both do the same job; `--covers` turns them on.

Every situation is timed `--repeats` times (each repeat on a fresh emulator and fresh
folders) with tracemalloc off; the median and the spread (min–max) are reported. Peak
memory comes from one more, separate run with tracemalloc on.

    .venv/bin/python benchmarks/sync_bench.py                  # both scenarios
    .venv/bin/python benchmarks/sync_bench.py --only season    # the shipped season only

Not part of the test suite: it measures, it does not pass or fail.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline import fair_sync  # noqa: E402
from generate_show import catalog_csv, song_lines, write_show  # noqa: E402

from soundtrack_playlists.emulator.app import demo_catalog_path  # noqa: E402
from soundtrack_playlists.files.paths import default_season_dir  # noqa: E402
from soundtrack_playlists.settings import Settings  # noqa: E402
from soundtrack_playlists.spotify.client import connect  # noqa: E402
from soundtrack_playlists.sync.run import SyncOptions, sync_seasons  # noqa: E402
from soundtrack_playlists.tracklists.folders import load_season  # noqa: E402

OUT = Path(__file__).parent / "out"
CLIENT_ID = "sync-bench"
SITUATIONS = ("cold", "warm", "one line changed")
APPROACHES = ("ours", "fair peer")
COVERS = False  # --covers: ours also uploads a generated cover per new playlist (the peer never)


@dataclass
class Run:
    """One timed (or memory-measured) run of one approach in one situation."""

    wall_s: float
    requests: dict[str, int]
    peak_mib: float | None = None


@dataclass
class Measure:
    scenario: str
    situation: str
    approach: str
    runs: list[Run] = field(default_factory=list)
    peak_mib: float | None = None  # from the separate tracemalloc run

    @property
    def walls(self) -> list[float]:
        return [run.wall_s for run in self.runs]

    @property
    def requests(self) -> dict[str, int]:
        return self.runs[0].requests

    @property
    def api_requests(self) -> int:
        return sum(n for kind, n in self.requests.items() if kind != "token")


class EmulatorProcess:
    """`soundtrack-playlists emulator` in its own process, so its work is not measured as ours."""

    def __init__(self, catalog: Path, latency_ms: float) -> None:
        self.command = [
            sys.executable,
            "-m",
            "soundtrack_playlists",
            "emulator",
            "--catalog",
            str(catalog),
            "--latency-ms",
            str(latency_ms),
        ]

    def __enter__(self) -> EmulatorProcess:
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, text=True)
        values = {}
        assert self.process.stdout is not None  # stdout=PIPE
        for line in itertools.islice(self.process.stdout, 20):  # its header is a few lines
            # The lines to paste into a shell: `export NAME=value`, the value shell-quoted.
            if match := re.match(
                r"\s*(?:export\s+)?(SPOTIFY_API_URL|SPOTIFY_ACCOUNTS_URL|SPOTIFY_REFRESH_TOKEN)=(\S+)",
                line,
            ):
                values[match[1]] = shlex.split(match[2])[0]
            if "SPOTIFY_REFRESH_TOKEN" in values:
                break
        if "SPOTIFY_REFRESH_TOKEN" not in values:
            self.process.terminate()
            raise RuntimeError(f"`{' '.join(self.command)}` printed no settings to read")
        self.api_url = values["SPOTIFY_API_URL"]
        self.accounts_url = values["SPOTIFY_ACCOUNTS_URL"]
        self.refresh_token = values["SPOTIFY_REFRESH_TOKEN"]
        self.admin = self.accounts_url + "_emulator/"
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def log(self) -> list[dict[str, Any]]:
        return list(requests.get(self.admin + "log", timeout=30).json()["requests"])

    def clear_log(self) -> None:
        requests.delete(self.admin + "log", timeout=30).raise_for_status()


def kind_of(record: dict[str, Any]) -> str:
    path, method = record["path"], record["method"]
    if path == "/api/token":
        return "token"
    if path == "/v1/search":
        return "search"
    return "read" if method == "GET" else "write"


def measure(emulator: EmulatorProcess, run: Callable[[], None], *, memory: bool) -> Run:
    """One run: wall time (tracemalloc off) or peak memory (tracemalloc on), and requests."""
    emulator.clear_log()
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    run()
    wall = time.perf_counter() - started
    peak = None
    if memory:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    counts = Counter(kind_of(record) for record in emulator.log())
    return Run(wall, dict(counts), peak)


def ours(emulator: EmulatorProcess, folders: list[Path], cache: Path) -> Callable[[], None]:
    settings = Settings(
        client_id=CLIENT_ID,
        refresh_token=emulator.refresh_token,
        api_url=emulator.api_url,
        accounts_url=emulator.accounts_url,
        cache_path=cache,
    )

    def run() -> None:  # one command: `sync SHOW_FOLDER`
        seasons = [load_season(folder) for folder in folders]
        sync_seasons(seasons, connect(settings), SyncOptions(covers=COVERS))

    return run


def peer(emulator: EmulatorProcess, folders: list[Path], token: list[str]) -> Callable[[], None]:
    def run() -> None:
        result = fair_sync(
            [load_season(folder) for folder in folders],
            api_url=emulator.api_url,
            accounts_url=emulator.accounts_url,
            client_id=CLIENT_ID,
            refresh_token=token[0],
        )
        token[0] = result.refresh_token

    return run


def change_one_line(folder: Path, new_line: str) -> None:
    """Replace the first song line of the first episode file."""
    path = sorted(folder.glob("*.txt"))[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith('"'))
    lines[index] = new_line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


Make = Callable[[Path], list[Path]]  # fresh season folders under a scratch folder


def one_pass(
    make: Make, catalog: Path, new_line: str, latency_ms: float, scratch: Path, *, memory: bool
) -> dict[tuple[str, str], Run]:
    """Cold, warm and one line changed, for both approaches, on fresh emulators and folders."""
    runs: dict[tuple[str, str], Run] = {}
    with (
        EmulatorProcess(catalog, latency_ms) as ours_emulator,
        EmulatorProcess(catalog, latency_ms) as peer_emulator,
    ):
        shutil.rmtree(scratch, ignore_errors=True)
        mine, theirs = make(scratch / "ours"), make(scratch / "peer")
        ours_run = ours(ours_emulator, mine, scratch / "token-cache.json")
        peer_run = peer(peer_emulator, theirs, [peer_emulator.refresh_token])
        for situation in SITUATIONS:
            if situation == "one line changed":
                change_one_line(mine[0], new_line)
                change_one_line(theirs[0], new_line)
            runs[("ours", situation)] = measure(ours_emulator, ours_run, memory=memory)
            runs[("fair peer", situation)] = measure(peer_emulator, peer_run, memory=memory)
    return runs


def scenario(
    name: str,
    make: Make,
    catalog: Path,
    new_line: str,
    latency_ms: float,
    scratch: Path,
    repeats: int,
) -> list[Measure]:
    measures = {
        (approach, situation): Measure(name, situation, approach)
        for situation in SITUATIONS
        for approach in APPROACHES
    }
    for repeat in range(repeats):
        for key, run in one_pass(
            make, catalog, new_line, latency_ms, scratch, memory=False
        ).items():
            measures[key].runs.append(run)
        print(f"  {name}: pass {repeat + 1}/{repeats} done", file=sys.stderr, flush=True)
    for key, run in one_pass(make, catalog, new_line, latency_ms, scratch, memory=True).items():
        measures[key].peak_mib = run.peak_mib
    return list(measures.values())


HEADER = (
    "| scenario | situation | approach | API requests | search | read | write "
    "| wall s, median | spread (min–max) | peak MiB |\n"
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def row(m: Measure) -> str:
    approach = m.approach if m.approach != "ours" or COVERS else "ours (--no-covers)"
    counts = {kind: m.requests.get(kind, 0) for kind in ("search", "read", "write")}
    varied = " (varied)" if any(run.requests != m.requests for run in m.runs) else ""
    return (
        f"| {m.scenario} | {m.situation} | {approach} | {m.api_requests}{varied} "
        f"| {counts['search']} | {counts['read']} | {counts['write']} "
        f"| {statistics.median(m.walls):.2f} | {min(m.walls):.2f}–{max(m.walls):.2f} "
        f"| {m.peak_mib:.1f} |"
    )


def ratio_row(mine: Measure, theirs: Measure) -> str:
    requests_ratio = theirs.api_requests / max(mine.api_requests, 1)
    wall_ratio = statistics.median(theirs.walls) / statistics.median(mine.walls)
    return f"| | | *peer / ours* | {requests_ratio:.1f}× | | | | {wall_ratio:.1f}× | | |"


def table(results: list[Measure]) -> str:
    lines = [HEADER]
    for index in range(0, len(results), 2):
        mine, theirs = results[index], results[index + 1]
        lines += [row(mine), row(theirs), ratio_row(mine, theirs)]
    return "\n".join(lines)


def copy_shipped(destination: Path) -> list[Path]:
    season = destination / "season-1"
    shutil.copytree(
        default_season_dir(), season, ignore=shutil.ignore_patterns("lock.json", "state.json")
    )
    return [season]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", choices=("season", "show"))
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per situation")
    parser.add_argument("--latency-ms", type=float, default=100.0, help="for the shipped season")
    parser.add_argument(
        "--show-latency-ms",
        type=float,
        default=20.0,
        help="for the large show (the peer sends thousands of requests one at a time)",
    )
    parser.add_argument("--seasons", type=int, default=10)
    parser.add_argument("--episodes", type=int, default=20)
    parser.add_argument("--songs", type=int, default=8)
    parser.add_argument(
        "--covers",
        action="store_true",
        help="let ours upload covers too (default: off, the same job as the peer's)",
    )
    args = parser.parse_args(argv)
    global COVERS
    COVERS = args.covers
    OUT.mkdir(exist_ok=True)
    results: list[Measure] = []
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as tmp:
        scratch = Path(tmp)
        if args.only in (None, "season"):
            results += scenario(
                "shipped season",
                copy_shipped,
                demo_catalog_path(),
                '"Roads" by Portishead',
                args.latency_ms,
                scratch / "season",
                args.repeats,
            )
        if args.only in (None, "show"):
            size = args.seasons * args.episodes * args.songs

            def make_show(destination: Path) -> list[Path]:
                return write_show(
                    destination, seasons=args.seasons, episodes=args.episodes, songs=args.songs
                )

            results += scenario(
                f"{args.seasons}-season show ({args.seasons}×{args.episodes}×{args.songs}), "
                "one command",
                make_show,
                catalog_csv(scratch / "catalog.csv"),
                song_lines(seed=7, count=size + 1)[-1],
                args.show_latency_ms,
                scratch / "show",
                args.repeats,
            )
    print(table(results))
    (OUT / "sync-bench.json").write_text(
        json.dumps([asdict(m) for m in results], indent=2) + "\n", encoding="utf-8"
    )
    print(f"\nWritten: {OUT / 'sync-bench.json'}")


if __name__ == "__main__":
    main()
