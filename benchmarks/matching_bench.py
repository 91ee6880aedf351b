"""Matching benchmark: labelled tracklist lines from a real catalog, resolved over the emulator.

Cases are drawn deterministically (a seed) from benchmarks/data/catalog.csv.gz (the MIT and
Apache-2.0 rows of the reference catalog, see benchmarks/data/PROVENANCE.md) and written the
way people write tracklists: no apostrophes, "and" for "&", featured artists after the main
one, no remaster or version suffixes, odd capitals. Half the positive cases are titles that
other artists also recorded. Negative cases pair a title with an artist who never recorded it:
those must never be matched. Every song goes through the real client, HTTP and the emulator.

    .venv/bin/python benchmarks/matching_bench.py [--positives 300] [--negatives 100] [--seed 5]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from soundtrack_playlists.emulator.catalog import read_artists
from soundtrack_playlists.matching.normalise import normalise
from soundtrack_playlists.models import Episode, Season, Song, Status
from soundtrack_playlists.resolver import SongResolution, resolve_season

CATALOG = Path(__file__).parent / "data" / "catalog.csv.gz"
# Rows that are versions rather than the song (the labels must not call them right answers).
_VERSION = re.compile(
    r"\b(live|remix|mix|karaoke|instrumental|acoustic|demo|cover|tribute|sped up|slowed|"
    r"originally performed|in the style|version|edit|reprise|medley)\b",
    re.IGNORECASE,
)
_FEAT = re.compile(r"\s*[\(\[](?:feat\.?|ft\.?|featuring|with) ([^\)\]]+)[\)\]]", re.IGNORECASE)
_SUFFIX = re.compile(r"\s+-\s+.*$|\s*[\(\[][^\)\]]*"
                     r"(remaster|version|edit|mix|mono|stereo)[^\)\]]*[\)\]]",
                     re.IGNORECASE)  # fmt: skip


@dataclass(frozen=True)
class Case:
    song: Song
    correct: frozenset[str]  # acceptable track URIs; empty for a negative case


def read_rows() -> list[dict[str, str]]:
    with gzip.open(CATALOG, "rt", encoding="utf-8", newline="") as handle:
        # a few source rows have neither title nor artist: nothing to build a case from
        return [row for row in csv.DictReader(handle) if row["name"] and _artists(row)]


def _artists(row: dict[str, str]) -> list[str]:
    # the catalog is stored normalised: several credited artists are joined with ";"
    return list(read_artists(row["artists"]))


def _core(name: str) -> str:
    return _SUFFIX.sub("", _FEAT.sub("", name)).strip()


def _fan_style(text: str, rng: random.Random) -> str:
    text = re.sub(r"['\u2019]", "", text).replace("&", "and")
    style = rng.choice(("as is", "lower", "title", "upper", "as is"))
    return {"lower": text.lower(), "title": text.title(), "upper": text.upper()}.get(style, text)


def build_cases(
    rows: list[dict[str, str]], positives: int, negatives: int, seed: int
) -> list[Case]:
    rng = random.Random(seed)
    usable = [r for r in rows if not _VERSION.search(r["name"]) and len(_core(r["name"])) > 1]
    by_song: dict[tuple[str, str], set[str]] = defaultdict(set)
    artists_of_title: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        title = normalise(_core(row["name"]))
        for artist in _artists(row):
            artists_of_title[title].add(normalise(artist))
        if not _VERSION.search(row["name"]):
            by_song[(title, normalise(_artists(row)[0]))].add(f"spotify:track:{row['track_id']}")
    shared = [r for r in usable if len(artists_of_title[normalise(_core(r["name"]))]) > 1]
    picked = rng.sample(shared, positives // 2) + rng.sample(usable, positives - positives // 2)
    cases: list[Case] = []
    seen: set[tuple[str, str]] = set()
    for row in picked:
        title = normalise(_core(row["name"]))
        main = normalise(_artists(row)[0])
        if (title, main) in seen:
            continue
        seen.add((title, main))
        credits = _artists(row) + [m.group(1) for m in _FEAT.finditer(row["name"])]
        song = Song(
            _fan_style(_core(row["name"]), rng),
            tuple(dict.fromkeys(_fan_style(a, rng) for a in credits)),
        )
        cases.append(Case(song, frozenset(by_song[(title, main)])))
    all_artists = sorted({a for r in usable for a in _artists(r)})
    while len(cases) < len(seen) + negatives:
        row, artist = rng.choice(usable), rng.choice(all_artists)
        title = normalise(_core(row["name"]))
        if normalise(artist) in artists_of_title[title]:
            continue  # this artist did record it: not a negative case
        cases.append(Case(Song(_fan_style(_core(row["name"]), rng), (artist,)), frozenset()))
    return cases


Outcome = tuple[Case, SongResolution]


@dataclass(frozen=True)
class Result:
    """What the benchmark measured over its cases."""

    cases: int
    positives: int
    matched: int
    correct: int
    wrong: list[Outcome]  # matched to a track that is not a right answer
    missed: list[Outcome]  # findable but not matched
    searches: int
    statuses: dict[str, int]  # songs per status, by its text

    @property
    def negatives(self) -> int:
        return self.cases - self.positives

    @property
    def wrong_on_negatives(self) -> int:
        return sum(1 for case, _ in self.wrong if not case.correct)

    @property
    def precision(self) -> float:
        return self.correct / self.matched if self.matched else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.positives if self.positives else 1.0


def _is_right(case: Case, item: SongResolution) -> bool:
    return item.track is not None and item.track.uri in case.correct


def run(cases: list[Case], workers: int) -> Result:
    from soundtrack_playlists.emulator.app import Emulator
    from soundtrack_playlists.settings import Settings
    from soundtrack_playlists.spotify.client import connect

    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "catalog.csv"
        with gzip.open(CATALOG, "rb") as packed:
            plain.write_bytes(packed.read())
        with Emulator(catalog=plain) as emulator:
            settings = Settings(
                client_id="matching-benchmark",
                refresh_token=emulator.issue_refresh_token(),
                api_url=emulator.api_url,
                accounts_url=emulator.accounts_url,
                cache_path=Path(tmp) / "token-cache.json",
            )
            client = connect(settings)
            songs = tuple(
                Song(c.song.title, c.song.artists, line=n) for n, c in enumerate(cases, 1)
            )
            season = Season("Benchmark", 1, episodes=(Episode(1, "Cases", songs),))
            resolution = resolve_season(season, client.search_tracks, workers=workers)
    outcomes = list(zip(cases, resolution.songs, strict=True))
    matched = [(c, r) for c, r in outcomes if r.status == Status.MATCHED]
    statuses: dict[str, int] = defaultdict(int)
    for item in resolution.songs:
        statuses[item.status.value] += 1
    return Result(
        cases=len(cases),
        positives=sum(1 for c in cases if c.correct),
        matched=len(matched),
        correct=sum(1 for c, r in matched if _is_right(c, r)),
        wrong=[(c, r) for c, r in matched if not _is_right(c, r)],
        missed=[(c, r) for c, r in outcomes if c.correct and r.status != Status.MATCHED],
        searches=resolution.searches,
        statuses=dict(statuses),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--positives", type=int, default=300)
    parser.add_argument("--negatives", type=int, default=100)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--show-missed", action="store_true", help="List positives not matched.")
    args = parser.parse_args(argv)
    cases = build_cases(read_rows(), args.positives, args.negatives, args.seed)
    r = run(cases, args.workers)
    print(f"cases: {r.cases} ({r.positives} findable, {r.negatives} negative)")
    print(f"outcomes: {r.statuses}")
    print(f"precision: {r.precision:.1%} ({r.correct}/{r.matched} matches correct)")
    print(f"recall: {r.recall:.1%} ({r.correct}/{r.positives} findable songs matched)")
    print(f"wrong matches: {len(r.wrong)} ({r.wrong_on_negatives} on negative cases)")
    print(f"searches per song: {r.searches / r.cases:.2f}")
    for case, item in r.wrong:
        print(f"  WRONG {case.song.key} -> {item.reason}")
    if args.show_missed:
        for case, item in r.missed:
            print(f"  MISSED ({item.status}) {case.song.key}: {item.reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
