"""Sync cost and speed: requests by kind, wall time and peak memory, beside a naive baseline.

Runs against the local emulator (a separate process, with added latency) for the shipped
season and for a generated large show, three situations each: a cold sync (no lock, no
playlists), a warm re-sync (nothing changed) and a sync after one tracklist line changed.

    .venv/bin/python benchmarks/sync_bench.py                  # both scenarios
    .venv/bin/python benchmarks/sync_bench.py --only season    # the shipped season only

Not part of the test suite: it measures, it does not pass or fail.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline import naive_sync  # noqa: E402
from generate_show import catalog_csv, song_lines, write_show  # noqa: E402

from soundtrack_playlists.emulator.app import demo_catalog_path  # noqa: E402
from soundtrack_playlists.paths import default_season_dir  # noqa: E402
from soundtrack_playlists.resolver import DEFAULT_WORKERS  # noqa: E402
from soundtrack_playlists.settings import Settings  # noqa: E402
from soundtrack_playlists.spotify.client import connect  # noqa: E402
from soundtrack_playlists.sync import sync_season  # noqa: E402
from soundtrack_playlists.tracklist import load_season  # noqa: E402

OUT = Path(__file__).parent / "out"
CLIENT_ID = "sync-bench"


@dataclass
class Measure:
    approach: str
    situation: str
    wall_s: float
    requests: dict[str, int]
    peak_mib: float | None = None
    songs: int = 0
    playlists: int = 0
    critical_path_requests: int | None = None
    notes: dict = field(default_factory=dict)

    @property
    def api_requests(self) -> int:
        return sum(n for kind, n in self.requests.items() if kind != "token")


class EmulatorProcess:
    """`soundtrack-playlists emulator` in its own process, so its work is not measured as ours."""

    def __init__(self, catalog: Path, latency_ms: float):
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
        for line in self.process.stdout:
            if match := re.match(
                r"\s*(SPOTIFY_API_URL|SPOTIFY_ACCOUNTS_URL|SPOTIFY_REFRESH_TOKEN)=(\S+)", line
            ):
                values[match[1]] = match[2]
            if "SPOTIFY_REFRESH_TOKEN" in values:
                break
        self.api_url = values["SPOTIFY_API_URL"]
        self.accounts_url = values["SPOTIFY_ACCOUNTS_URL"]
        self.refresh_token = values["SPOTIFY_REFRESH_TOKEN"]
        self.admin = self.accounts_url + "_emulator/"
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def log(self) -> list[dict]:
        return requests.get(self.admin + "log", timeout=30).json()["requests"]

    def clear_log(self) -> None:
        requests.delete(self.admin + "log", timeout=30).raise_for_status()

    def state(self) -> dict:
        return requests.get(self.admin + "state", timeout=30).json()


def kind_of(record: dict) -> str:
    path, method = record["path"], record["method"]
    if path == "/api/token":
        return "token"
    if path == "/v1/search":
        return "search"
    return "read" if method == "GET" else "write"


def measure(emulator: EmulatorProcess, run: Callable[[], None]) -> tuple[float, dict, float]:
    emulator.clear_log()
    tracemalloc.start()
    started = time.perf_counter()
    run()
    wall = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    counts = Counter(kind_of(record) for record in emulator.log())
    return wall, dict(counts), peak


WORKERS: int | None = None  # --workers: concurrent requests; None keeps the product's default


def ours(emulator: EmulatorProcess, folders: list[Path], cache: Path, situation: str) -> Measure:
    settings = Settings(
        client_id=CLIENT_ID,
        refresh_token=emulator.refresh_token,
        api_url=emulator.api_url,
        accounts_url=emulator.accounts_url,
        cache_path=cache,
    )
    per_season: list[tuple[int, int, tuple[int, int]]] = []  # songs, playlists, chain parts

    def run() -> None:
        for folder in folders:
            workers = DEFAULT_WORKERS if WORKERS is None else WORKERS
            result = sync_season(load_season(folder), connect(settings), workers=workers)
            # numbers only: holding every season's result would inflate the memory measured
            per_season.append((len(result.songs), len(result.outcomes), chain_parts(result)))

    wall, counts, peak = measure(emulator, run)
    songs = sum(season[0] for season in per_season)
    playlists = sum(season[1] for season in per_season)
    # Seasons are synced one after another (a command per season folder): chains add up.
    token = min(1, counts.get("token", 0))
    chain = sum(searches + writes + 1 for _, _, (searches, writes) in per_season) + token
    return Measure(
        "ours",
        situation,
        wall,
        counts,
        peak,
        songs,
        playlists,
        chain,
        {
            "searches_per_song": round(counts.get("search", 0) / max(songs, 1), 2),
            "writes_per_playlist": round(counts.get("write", 0) / max(playlists, 1), 2),
        },
    )


def chain_parts(result) -> tuple[int, int]:
    """One season's longest chains of dependent requests: searches, then writes.

    The critical path of a sync: a token (when needed), the reads of the user and the
    playlist list (they need only the token: one step), the song needing the most searches,
    then the playlist needing the most writes (its create, then its item chunks in turn).
    """
    most_searches = max((getattr(song, "searches", 0) for song in result.songs), default=0)
    most_writes = max(
        (
            (outcome.action == "create") + math.ceil(outcome.tracks / 100)
            for outcome in result.outcomes
            if outcome.action in ("create", "update")
        ),
        default=0,
    )
    return most_searches, most_writes


def baseline(
    emulator: EmulatorProcess, folders: list[Path], situation: str, token: list[str]
) -> Measure:
    songs = playlists = 0

    def run() -> None:
        nonlocal songs, playlists
        for folder in folders:
            season = load_season(folder)
            result = naive_sync(
                season,
                api_url=emulator.api_url,
                accounts_url=emulator.accounts_url,
                client_id=CLIENT_ID,
                refresh_token=token[0],
            )
            token[0] = result.refresh_token
            songs += len(season.songs)
            playlists += result.playlists

    wall, counts, peak = measure(emulator, run)
    return Measure("baseline", situation, wall, counts, peak, songs, playlists)


def change_one_line(folder: Path, new_line: str) -> None:
    """Replace the first song line of the first episode file."""
    path = sorted(folder.glob("*.txt"))[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith('"'))
    lines[index] = new_line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def scenario(
    name: str, catalog: Path, folders: list[Path], new_line: str, latency_ms: float, scratch: Path
) -> list[Measure]:
    results = []
    with (
        EmulatorProcess(catalog, latency_ms) as ours_emulator,
        EmulatorProcess(catalog, latency_ms) as base_emulator,
    ):
        token = [base_emulator.refresh_token]
        cache = scratch / f"{name}-token-cache.json"
        for situation in ("cold", "warm", "one line changed"):
            if situation == "one line changed":
                change_one_line(folders[0], new_line)
            mine = ours(ours_emulator, folders, cache, situation)
            theirs = baseline(base_emulator, folders, situation, token)
            for measured in (mine, theirs):
                measured.notes["latency_ms"] = latency_ms
                measured.notes["scenario"] = name
            results += [mine, theirs]
            print(row(mine, theirs), flush=True)
        final = ours_emulator.state()
        results[-2].notes["playlists_in_emulator"] = len(final)
    return results


HEADER = (
    "| scenario | situation | approach | API requests | search | read | write | token "
    "| wall s | peak MiB | critical path | wall / critical path |\n"
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def row(mine: Measure, theirs: Measure) -> str:
    lines = []
    for m in (mine, theirs):
        latency = m.notes["latency_ms"] / 1000
        critical = (
            (
                f"{m.critical_path_requests} × {m.notes['latency_ms']:.0f} ms = "
                f"{m.critical_path_requests * latency:.2f} s"
            )
            if m.critical_path_requests
            else ""
        )
        ratio = (
            f"{m.wall_s / (m.critical_path_requests * latency):.1f}×"
            if m.critical_path_requests
            else ""
        )
        lines.append(
            f"| {m.notes['scenario']} | {m.situation} | {m.approach} | {m.api_requests} "
            f"| {m.requests.get('search', 0)} | {m.requests.get('read', 0)} "
            f"| {m.requests.get('write', 0)} | {m.requests.get('token', 0)} | {m.wall_s:.2f} "
            f"| {m.peak_mib:.1f} | {critical} | {ratio} |"
        )
    lines.append(
        f"| | | **ratio** baseline / ours | {theirs.api_requests / max(mine.api_requests, 1):.1f}× "
        f"| | | {theirs.requests.get('write', 0) / max(mine.requests.get('write', 0), 1):.1f}× | "
        f"| {theirs.wall_s / mine.wall_s:.1f}× | | | |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("season", "large"))
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=100.0,
        help="added latency per request for the shipped season",
    )
    parser.add_argument(
        "--large-latency-ms",
        type=float,
        default=20.0,
        help="added latency per request for the large show (the baseline "
        "sends thousands of requests one at a time)",
    )
    parser.add_argument("--seasons", type=int, default=10)
    parser.add_argument("--episodes", type=int, default=20)
    parser.add_argument("--songs", type=int, default=8)
    parser.add_argument("--workers", type=int, help="concurrent requests (default: the product's)")
    args = parser.parse_args(argv)
    global WORKERS
    WORKERS = args.workers
    OUT.mkdir(exist_ok=True)
    results: list[Measure] = []
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as tmp:
        scratch = Path(tmp)
        if args.only in (None, "season"):
            season = scratch / "season"
            shutil.copytree(
                default_season_dir(),
                season,
                ignore=shutil.ignore_patterns("lock.json", "state.json", "*.md"),
            )
            results += scenario(
                "shipped season",
                demo_catalog_path(),
                [season],
                '"Roads" by Portishead',
                args.latency_ms,
                scratch,
            )
        if args.only in (None, "large"):
            size = args.seasons * args.episodes * args.songs
            folders = write_show(
                scratch / "large", seasons=args.seasons, episodes=args.episodes, songs=args.songs
            )
            replacement = song_lines(seed=7, count=size + 1)[-1]
            results += scenario(
                f"large show ({args.seasons}×{args.episodes}×{args.songs})",
                catalog_csv(scratch / "catalog.csv"),
                folders,
                replacement,
                args.large_latency_ms,
                scratch,
            )
    (OUT / "sync-bench.json").write_text(
        json.dumps([asdict(m) for m in results], indent=2) + "\n", encoding="utf-8"
    )
    print(f"\nWritten: {OUT / 'sync-bench.json'}")


if __name__ == "__main__":
    main()
