"""Propose matching-benchmark cases from the real catalog, for a person to review by hand.

Development only. It writes candidate rows (kind, line, expected track ids, the source rows and
how the line was made); a person reads every row, drops or fixes the wrong ones, and keeps the
result in benchmarks/data/matching_cases.csv. The expected ids come from the catalog rows the
line was made from (same title and artist, same version), never from the matcher under test.

    .venv/bin/python tools/propose_matching_cases.py > /tmp/proposed.csv
"""

from __future__ import annotations

import csv
import gzip
import random
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

CATALOG = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "catalog.csv.gz"
PER_KIND = 22
_SUFFIX = re.compile(r"^(?P<core>.*?)(?:\s+-\s+(?P<dash>.+)|\s*\((?P<paren>[^()]+)\))$")
_ANY_VERSION = re.compile(
    r"\b(live|remix|mix|karaoke|instrumental|acoustic|demo|cover|tribute|sped up|slowed|"
    r"originally performed|in the style|version|edit|reprise|medley|unplugged|session|"
    r"rework|bootleg|vip|dub|flip|remake|re-recorded)\b",
    re.IGNORECASE,
)
_ASKABLE = re.compile(r"\b(live|acoustic|remix|demo|instrumental|unplugged)\b", re.IGNORECASE)
_FEAT = re.compile(r"\s*[\(\[](?:feat\.?|ft\.?|with) (?P<who>[^\)\]]+)[\)\]]", re.IGNORECASE)
_REMASTER = re.compile(r"\s+-\s+[^-]*remaster[^-]*$|\s*\([^)]*remaster[^)]*\)", re.IGNORECASE)
_NOT_PERSON = re.compile(
    r"\b(the|and|band|orchestra|group|boys|brothers|sisters|crew|club|project|quartet|trio|"
    r"choir|cast|dj|mc|lil|de|la|el|los|da|van|von|of|feat|singers|collective|experience)\b|&|\d",
    re.IGNORECASE,
)
_SPELLINGS = [
    ("colour", "color"),
    ("grey", "gray"),
    ("favourite", "favorite"),
    ("honour", "honor"),
    ("neighbour", "neighbor"),
    ("centre", "center"),
    ("theatre", "theater"),
    ("rumour", "rumor"),
    ("harbour", "harbor"),
    ("flavour", "flavor"),
    ("saviour", "savior"),
    ("behaviour", "behavior"),
    ("realise", "realize"),
    ("apologise", "apologize"),
    ("paralysed", "paralyzed"),
    ("travelling", "traveling"),
    ("armour", "armor"),
    ("labour", "labor"),
    ("humour", "humor"),
]


def key(text: str) -> str:
    """A plain comparison key of this script's own (not the matcher's normaliser)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("&", " and ")
    text = re.sub(r"['\u2019]", "", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def split(name: str) -> tuple[str, str]:
    """(core title, suffix) of a catalog name, feat. credits and remaster notes removed."""
    name = _REMASTER.sub("", _FEAT.sub("", name)).strip()
    match = _SUFFIX.match(name)
    if not match:
        return name, ""
    return match.group("core").strip(), (match.group("dash") or match.group("paren") or "").strip()


def artists_of(row: dict[str, str]) -> list[str]:
    return [a.strip() for a in row["artists"].split(";") if a.strip()]


def load() -> list[dict[str, str]]:
    with gzip.open(CATALOG, "rt", encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["name"] and r["artists"]]


class Index:
    """The catalog grouped by (core title, primary artist), studio takes and versions apart."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.studio: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.versions: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        self.by_title: dict[str, set[str]] = defaultdict(set)  # core title -> every artist
        self.rows = rows
        for row in rows:
            core, suffix = split(row["name"])
            for artist in artists_of(row):
                self.by_title[key(core)].add(key(artist))
            group = (key(core), key(artists_of(row)[0]))
            versioned = _ANY_VERSION.search(suffix) or _ANY_VERSION.search(row["album"] or "")
            if suffix and versioned or re.search(r"\blive\b", row["album"], re.IGNORECASE):
                self.versions[group].append(row)
            else:
                self.studio[group].append(row["track_id"])


def emit(
    out: csv.writer,
    kind: str,
    title: str,
    artists: list[str],
    expected: list[str],
    source: str,
    how: str,
) -> None:
    out.writerow([kind, title, ";".join(artists), ";".join(sorted(set(expected))), source, how])


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 2)
    how = rng.choice(("swap", "drop", "double"))
    if how == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if how == "drop":
        return word[:i] + word[i + 1 :]
    return word[: i + 1] + word[i] + word[i + 1 :]


def propose(rows: list[dict[str, str]], out: csv.writer, rng: random.Random) -> None:
    """Up to PER_KIND candidate cases of every kind (a long function: one block per kind)."""
    index = Index(rows)
    plain = [
        r for r in rows if not split(r["name"])[1] and len(r["name"]) > 2 and r["name"].isascii()
    ]
    rng.shuffle(plain)
    shared = [r for r in plain if len(index.by_title[key(r["name"])]) > 1]

    def studio_ids(row: dict[str, str]) -> list[str]:
        return index.studio[(key(split(row["name"])[0]), key(artists_of(row)[0]))]

    for row in shared[:PER_KIND]:
        emit(
            out,
            "plain",
            row["name"],
            artists_of(row)[:1],
            studio_ids(row),
            row["track_id"],
            "as in the catalog; other artists recorded the title too",
        )

    asked = []
    for (title, artist), versions in index.versions.items():
        if title and index.studio.get((title, artist)):
            for row in versions:
                suffix = split(row["name"])[1]
                if suffix and _ASKABLE.search(suffix):
                    asked.append(row)
    rng.shuffle(asked)
    by_label: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in asked:  # remixes outnumber the rest by far: take each kind of version in turn
        by_label[_ASKABLE.search(split(row["name"])[1]).group(1).lower()].append(row)  # type: ignore[union-attr]
    turns = [group[n] for n in range(PER_KIND) for group in by_label.values() if n < len(group)]
    for row in turns[:PER_KIND]:
        core, suffix = split(row["name"])
        same = [
            r["track_id"]
            for r in index.versions[(key(core), key(artists_of(row)[0]))]
            if key(split(r["name"])[1]) == key(suffix)
        ]
        emit(
            out,
            "version exists",
            f"{core} ({suffix})",
            artists_of(row)[:1],
            same,
            row["track_id"],
            "the version's own suffix; the studio take is in the catalog too",
        )

    studio_only = [
        r for r in plain if not index.versions.get((key(r["name"]), key(artists_of(r)[0])))
    ]
    for n, row in enumerate(studio_only[PER_KIND : 2 * PER_KIND]):
        label = ("Live", "Acoustic", "Remix", "Demo", "Live at Wembley", "Instrumental")[n % 6]
        emit(
            out,
            "version asked, only studio",
            f"{row['name']} ({label})",
            artists_of(row)[:1],
            [],
            row["track_id"],
            f"the studio take with ({label}) added; no such version",
        )

    only_versions = [
        rows_[0]
        for group, rows_ in index.versions.items()
        if group[0]
        and not index.studio.get(group)
        and _ASKABLE.search(split(rows_[0]["name"])[1] + rows_[0]["album"])
    ]
    rng.shuffle(only_versions)
    for row in only_versions[:PER_KIND]:
        core = split(row["name"])[0]
        emit(
            out,
            "only a version exists",
            core,
            artists_of(row)[:1],
            [],
            row["track_id"],
            "the plain title; the catalog has only this version by the artist",
        )

    surnames: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for artist in artists_of(row):
            surnames[key(artist).split()[-1] if key(artist) else ""].add(artist)
    similar = []
    for row in shared:
        artist = artists_of(row)[0]
        last = key(artist).split()[-1] if key(artist) else ""
        for other in sorted(surnames.get(last, ())):
            if key(other) != key(artist) and key(other) not in index.by_title[key(row["name"])]:
                similar.append((row, other))
                break
    for row, other in similar[:PER_KIND]:
        emit(
            out,
            "similar artist",
            row["name"],
            [other],
            [],
            row["track_id"],
            f"the title by {other}, who shares a name with {artists_of(row)[0]}"
            " and never recorded it",
        )

    long_titles = [r for r in plain if max(map(len, r["name"].split())) >= 6]
    for row in long_titles[:PER_KIND]:
        words = row["name"].split()
        at = max(range(len(words)), key=lambda i: len(words[i]))
        words[at] = _typo(words[at], rng)
        emit(
            out,
            "typo",
            " ".join(words),
            artists_of(row)[:1],
            studio_ids(row),
            row["track_id"],
            "one slip in the title's longest word",
        )
    long_artists = [r for r in plain[200:] if max(map(len, artists_of(r)[0].split())) >= 6]
    for row in long_artists[: PER_KIND // 2]:
        words = artists_of(row)[0].split()
        at = max(range(len(words)), key=lambda i: len(words[i]))
        words[at] = _typo(words[at], rng)
        emit(
            out,
            "typo",
            row["name"],
            [" ".join(words)],
            studio_ids(row),
            row["track_id"],
            "one slip in the artist's longest word",
        )

    for row in rows:
        core, suffix = split(row["name"])
        if suffix:
            continue
        for uk, us in _SPELLINGS:
            for a, b in ((uk, us), (us, uk)):
                pattern = re.compile(rf"\b{a}", re.IGNORECASE)
                if pattern.search(core):
                    written = pattern.sub(
                        lambda m, b=b: b.title() if m.group(0)[0].isupper() else b, core
                    )
                    emit(
                        out,
                        "spelling variant",
                        written,
                        artists_of(row)[:1],
                        studio_ids(row),
                        row["track_id"],
                        f"{a} written {b}",
                    )
                    break

    people = [
        r
        for r in plain
        if 2 <= len(artists_of(r)[0].split()) <= 3 and not _NOT_PERSON.search(artists_of(r)[0])
    ]
    for row in people[:PER_KIND]:
        emit(
            out,
            "surname only",
            row["name"],
            [artists_of(row)[0].split()[-1]],
            studio_ids(row),
            row["track_id"],
            "the artist by surname alone",
        )

    feats = [r for r in rows if _FEAT.search(r["name"]) and not split(r["name"])[1]]
    rng.shuffle(feats)
    for n, row in enumerate(feats[:PER_KIND]):
        who = _FEAT.search(row["name"]).group("who")  # type: ignore[union-attr]
        core = _FEAT.sub("", row["name"]).strip()
        ids = [
            r["track_id"]
            for r in rows
            if key(_FEAT.sub("", r["name"])) == key(core)
            and key(artists_of(r)[0]) == key(artists_of(row)[0])
        ]
        if n % 2:
            emit(
                out,
                "feat. folded",
                f"{core} feat. {who}",
                artists_of(row)[:1],
                ids,
                row["track_id"],
                "the featured artist written into the title",
            )
        else:
            emit(
                out,
                "feat. folded",
                core,
                [f"{artists_of(row)[0]} ft. {who}"],
                ids,
                row["track_id"],
                "the featured artist written into the artist",
            )

    subtitled = [
        r
        for r in rows
        if (s := split(r["name"])[1])
        and not _ANY_VERSION.search(s)
        and "(" in r["name"]
        and not _FEAT.search(r["name"])
    ]
    rng.shuffle(subtitled)
    for row in subtitled[:PER_KIND]:
        core = split(row["name"])[0]
        ids = [
            r["track_id"]
            for r in rows
            if r["name"] == row["name"] and artists_of(r)[0] == artists_of(row)[0]
        ]
        emit(
            out,
            "subtitle dropped",
            core,
            artists_of(row)[:1],
            ids,
            row["track_id"],
            "the bracketed subtitle left out",
        )

    scripts = [
        r for r in rows if any(ord(c) > 0x2FF for c in r["name"]) and not split(r["name"])[1]
    ]
    rng.shuffle(scripts)
    for row in scripts[:PER_KIND]:
        emit(
            out,
            "non-Latin",
            row["name"],
            artists_of(row)[:1],
            studio_ids(row),
            row["track_id"],
            "as in the catalog, in its own script",
        )

    accented = [
        r
        for r in rows
        if not split(r["name"])[1] and not r["name"].isascii() or not r["artists"].isascii()
    ]
    accented = [r for r in accented if all(ord(c) < 0x250 for c in r["name"] + r["artists"])]
    rng.shuffle(accented)
    for row in accented[:PER_KIND]:
        plain_title = "".join(
            c for c in unicodedata.normalize("NFKD", row["name"]) if not unicodedata.combining(c)
        )
        plain_artist = "".join(
            c
            for c in unicodedata.normalize("NFKD", artists_of(row)[0])
            if not unicodedata.combining(c)
        )
        plain_artist = (
            plain_artist.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("ł", "l")
        )
        emit(
            out,
            "accents",
            plain_title,
            [plain_artist],
            studio_ids(row),
            row["track_id"],
            "written without accents",
        )


def main() -> int:
    out = csv.writer(sys.stdout)
    out.writerow(["kind", "title", "artists", "expected", "source", "how"])
    propose(load(), out, random.Random(13))
    return 0


if __name__ == "__main__":
    sys.exit(main())
