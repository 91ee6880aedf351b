"""Matching benchmark: hand-reviewed hard cases over the real catalog, ours beside three baselines.

The cases are benchmarks/data/matching_cases.csv: tracklist lines of thirteen kinds of
difficulty, each with the catalog track ids that are right for it (none for a negative
case), proposed by tools/propose_matching_cases.py and reviewed by hand (see
benchmarks/data/PROVENANCE.md). The labels never come from the matcher under test.

Every line is resolved by the real client over HTTP against the local emulator loaded with
benchmarks/data/catalog.csv.gz, with whatever search the emulator runs by default (Spotify-
like unless it is started strict). In the same run, three baselines see the results of one
search for "title artist":
  - first hit: the first result;
  - token_set_ratio >= 80: the first result whose "name artists" scores at least 80 against
    the line's "title artist" (rapidfuzz);
  - peer rule: the first result whose title contains the line's title and that shares an
    artist with the line (case-insensitive), as typical playlist scripts do.

    .venv/bin/python benchmarks/matching_bench.py [--workers 4] [--show-wrong] [--show-missed]
        [--strict-search]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from soundtrack_playlists.emulator.catalog import read_artists
from soundtrack_playlists.models import Episode, Season, Song, Status, Track
from soundtrack_playlists.resolve.resolver import resolve_season

DATA = Path(__file__).parent / "data"
CATALOG = DATA / "catalog.csv.gz"
CASES = DATA / "matching_cases.csv"
# Lines spelt as the catalog spells them: the bar is higher there.
CLEAN_KINDS = ("plain", "version exists")
METHODS = ("ours", "first hit", "token_set_ratio >= 80", "peer rule")


@dataclass(frozen=True)
class Case:
    kind: str
    song: Song
    correct: frozenset[str]  # right track URIs; empty for a negative case
    how: str


def read_cases(path: Path = CASES) -> list[Case]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Case(
                row["kind"],
                Song(row["title"], read_artists(row["artists"]), line=n),
                frozenset(f"spotify:track:{i}" for i in row["expected"].split(";") if i),
                row["how"],
            )
            for n, row in enumerate(csv.DictReader(handle), 1)
        ]


# --- the baselines: one search for "title artist", then a rule --------------------------------


def first_hit(song: Song, results: Sequence[Track]) -> Track | None:
    return results[0] if results else None


def token_set(song: Song, results: Sequence[Track]) -> Track | None:
    line = f"{song.title} {' '.join(song.artists)}".lower()
    for track in results:
        if fuzz.token_set_ratio(line, f"{track.name} {' '.join(track.artists)}".lower()) >= 80:
            return track
    return None


def peer_rule(song: Song, results: Sequence[Track]) -> Track | None:
    wanted = {artist.lower() for artist in song.artists}
    for track in results:
        if song.title.lower() in track.name.lower() and wanted & {a.lower() for a in track.artists}:
            return track
    return None


BASELINES: dict[str, Callable[[Song, Sequence[Track]], Track | None]] = {
    "first hit": first_hit,
    "token_set_ratio >= 80": token_set,
    "peer rule": peer_rule,
}


@dataclass
class Tally:
    """One method's outcomes on one kind of case."""

    cases: int = 0
    positives: int = 0
    matched: int = 0
    correct: int = 0
    wrong: list[str] = field(default_factory=list)  # "line -> track" of each wrong match
    missed: list[str] = field(default_factory=list)  # positives not matched, and why

    def add(self, case: Case, chosen: Track | None, why: str = "") -> None:
        self.cases += 1
        self.positives += bool(case.correct)
        if chosen is None:
            if case.correct:
                self.missed.append(f"{case.song.key}: {why}")
            return
        self.matched += 1
        if chosen.uri in case.correct:
            self.correct += 1
        else:
            self.wrong.append(f'{case.song.key} -> "{chosen.name}" by {", ".join(chosen.artists)}')

    def merge(self, other: Tally) -> None:
        self.cases += other.cases
        self.positives += other.positives
        self.matched += other.matched
        self.correct += other.correct
        self.wrong += other.wrong
        self.missed += other.missed

    @property
    def recall(self) -> float:
        return self.correct / self.positives if self.positives else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.matched if self.matched else 1.0

    def cell(self) -> str:
        if self.positives:
            return f"{self.recall:.0%} ({len(self.wrong)} wrong)"
        return f"{len(self.wrong)} wrong"


Results = dict[str, dict[str, Tally]]  # method -> kind -> tally


def run(cases: list[Case], workers: int, strict: bool = False) -> tuple[Results, int]:
    """Resolve every case with ours and the baselines; (tallies, our search count)."""
    from soundtrack_playlists.emulator.app import Emulator
    from soundtrack_playlists.settings import Settings
    from soundtrack_playlists.spotify.client import connect

    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "catalog.csv"
        with gzip.open(CATALOG, "rb") as packed:
            plain.write_bytes(packed.read())
        with Emulator(catalog=plain, strict_search=strict) as emulator:
            settings = Settings(
                client_id="matching-benchmark",
                refresh_token=emulator.issue_refresh_token(),
                api_url=emulator.api_url,
                accounts_url=emulator.accounts_url,
                cache_path=Path(tmp) / "token-cache.json",
            )
            client = connect(settings)
            songs = tuple(case.song for case in cases)
            season = Season("Benchmark", 1, episodes=(Episode(1, "Cases", songs),))
            resolution = resolve_season(season, client.search_tracks, workers=workers)

            def one_search(case: Case) -> list[Track]:
                return client.search_tracks(f"{case.song.title} {' '.join(case.song.artists)}")

            with ThreadPoolExecutor(max_workers=workers) as pool:
                plain_results = list(pool.map(one_search, cases))
    results: Results = {method: {} for method in METHODS}
    for case, item, found in zip(cases, resolution.songs, plain_results, strict=True):
        ours = item.track if item.status == Status.MATCHED else None
        why = f"{item.status}, {item.reason}"
        results["ours"].setdefault(case.kind, Tally()).add(case, ours, why)
        for name, rule in BASELINES.items():
            results[name].setdefault(case.kind, Tally()).add(case, rule(case.song, found))
    return results, resolution.searches


def total(results: Results, method: str, kinds: Sequence[str] | None = None) -> Tally:
    summed = Tally()
    for kind, tally in results[method].items():
        if kinds is None or kind in kinds:
            summed.merge(tally)
    return summed


def table(results: Results) -> str:
    """The per-kind table in Markdown, with the overall figures below it."""
    kinds = list(results["ours"])
    head = "| kind | cases | " + " | ".join(METHODS) + " |"
    lines = [head, "|" + " --- |" * (len(METHODS) + 2)]
    for kind in kinds:
        tallies = [results[m][kind] for m in METHODS]
        sign = "" if tallies[0].positives else " (negative)"
        lines.append(
            f"| {kind}{sign} | {tallies[0].cases} | " + " | ".join(t.cell() for t in tallies) + " |"
        )
    positive = [k for k in kinds if results["ours"][k].positives]
    negative = [k for k in kinds if not results["ours"][k].positives]
    rows = {
        "precision, all cases": lambda t: f"{t.precision:.1%} ({t.correct}/{t.matched})",
        "recall, clean kinds": lambda t: f"{t.recall:.1%}",
        "recall, all positive kinds": lambda t: f"{t.recall:.1%}",
        "wrong matches on negative kinds": lambda t: f"{len(t.wrong)}",
    }
    scopes = {
        "precision, all cases": None,
        "recall, clean kinds": list(CLEAN_KINDS),
        "recall, all positive kinds": positive,
        "wrong matches on negative kinds": negative,
    }
    for label, show in rows.items():
        cells = [show(total(results, m, scopes[label])) for m in METHODS]
        lines.append(f"| **{label}** | | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--show-wrong", action="store_true", help="List every wrong match.")
    parser.add_argument("--show-missed", action="store_true", help="List our missed positives.")
    parser.add_argument(
        "--strict-search", action="store_true", help="Run the emulator's strict search instead."
    )
    args = parser.parse_args(argv)
    cases = read_cases()
    results, searches = run(cases, args.workers, args.strict_search)
    engine = "strict" if args.strict_search else "Spotify-like"
    print(
        f"{len(cases)} cases, {engine} search; our searches per line: {searches / len(cases):.2f}\n"
    )
    print(table(results))
    if args.show_wrong:
        for method in METHODS:
            for kind, tally in results[method].items():
                for wrong in tally.wrong:
                    print(f"  WRONG [{method}] [{kind}] {wrong}")
    if args.show_missed:
        for kind, tally in results["ours"].items():
            for missed in tally.missed:
                print(f"  MISSED [{kind}] {missed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
