"""Emulator benchmark: catalog load time and search latency (in-process and over HTTP).

    python benchmarks/emulator_bench.py [--catalog PATH/TO/tracks.csv] [--queries 300]

Without --catalog it uses the benchmark catalog (benchmarks/data/catalog.csv.gz, 41k rows).
Both search engines are timed: the Spotify-like one (the default) and the strict one. The
emulator reads rows as normalised (artists joined with ";", see tools/build_demo_catalog.py).
Queries mix the resolver's precise form
(`track:"T" artist:"A"`), free words, and one-word titles drawn from the catalog itself.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

import requests

from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.catalog import Catalog
from soundtrack_playlists.emulator.fuzzy import FuzzySearcher
from soundtrack_playlists.emulator.search import Searcher, parse_query

BENCH_CATALOG = Path(__file__).resolve().parent / "data" / "catalog.csv.gz"


def make_queries(catalog: Catalog, count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        track = catalog.tracks[rng.randrange(len(catalog))]
        artist = track.artists[0] if track.artists else ""
        title = track.name.split(" - ")[0].replace('"', "")
        form = rng.random()
        if form < 0.5:
            queries.append(f'track:"{title}" artist:"{artist}"')
        elif form < 0.8:
            queries.append(f"{title} {artist}")
        else:
            queries.append(title.split()[0] if title.split() else "love")
    return queries


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(label: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(
        f"{label:<22} n={len(ms):<5} p50={percentile(ms, 0.5):7.2f} ms  "
        f"p95={percentile(ms, 0.95):7.2f} ms  max={max(ms):7.2f} ms  "
        f"mean={statistics.fmean(ms):7.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=BENCH_CATALOG)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()

    started = time.perf_counter()
    catalog = Catalog.load(args.catalog)
    load_seconds = time.perf_counter() - started
    print(f"catalog: {args.catalog} ({len(catalog)} tracks) loaded in {load_seconds:.2f} s")
    strict = Searcher(catalog)
    started = time.perf_counter()
    fuzzy = FuzzySearcher.of(catalog)  # the emulators below share this index
    print(f"Spotify-like word index built in {time.perf_counter() - started:.2f} s")

    queries = make_queries(catalog, args.queries)
    for label, engine in (("spotify-like", fuzzy), ("strict", strict)):
        timings = []
        for q in queries:
            started = time.perf_counter()
            engine.search(parse_query(q), limit=10)
            timings.append(time.perf_counter() - started)
        report(f"{label} in-process", timings)

    for strict_search in (False, True):
        label = "strict" if strict_search else "spotify-like"
        with Emulator(catalog=catalog, strict_search=strict_search) as emulator:
            token = emulator.issue_access_token()
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {token}"
            for name, batch in ((f"{label} HTTP", queries), (f"{label} stop-words", STOP_WORDS)):
                timings = []
                for q in batch:
                    started = time.perf_counter()
                    params: dict[str, str | int] = {"q": q, "type": "track", "limit": 10}
                    answer = session.get(emulator.api_url + "search", params=params)
                    answer.raise_for_status()
                    timings.append(time.perf_counter() - started)
                report(name, timings)


STOP_WORDS = ["the", "love", "a", "you", "me"]


if __name__ == "__main__":
    main()
