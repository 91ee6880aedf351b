"""The emulator's track catalog: read a normalised CSV once and index its words."""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from anyascii import anyascii

from soundtrack_playlists.errors import ConfigError
from soundtrack_playlists.text import fold

# Apostrophes vanish ("Reelin'" == "reelin", "Don't" == "dont"); every other non-word
# character separates words, so "Blood // Water" and "Blood Water" are the same words.
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`´]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_FALSE = ("false", "0", "no", "n")
REQUIRED_COLUMNS = ("track_id", "name", "artists", "album", "release_date", "duration_ms")
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
TRACK_ID = re.compile(r"^[0-9A-Za-z]{22}$")
# Joins a row's credited artists. Rows are normalised when a catalog is built (see
# tools/build_demo_catalog.py), so a comma is always part of a name ("Tyler, The Creator").
ARTIST_SEPARATOR = ";"


def words(text: str) -> tuple[str, ...]:
    """The searchable words of a text: folded, apostrophes dropped, "&" read as "and".

    Latin letters fold to ASCII ("MØ" -> "mo", "Łona" -> "lona"); letters of every other
    script stay in their own script ("Кино" -> "кино", "紅蓮華" -> "紅蓮華"), so a title in
    any script can be searched as written.
    """
    folded = _APOSTROPHES.sub("", fold(text)).replace("&", " and ")
    if folded.isascii():
        return tuple(word for word in _NON_WORD.split(folded) if word)
    spelt = "".join(_search_char(char) for char in unicodedata.normalize("NFC", folded))
    return tuple(spelt.split())


@lru_cache(maxsize=8192)
def _search_char(char: str) -> str:
    """One character as the index spells it: ASCII word characters kept, other Latin letters
    transliterated, letters, digits and marks of other scripts kept, the rest a space."""
    if char.isascii():
        return char if char.isalnum() else " "
    category = unicodedata.category(char)
    if category[0] not in "LNM":
        return " "
    if unicodedata.name(char, "").startswith("LATIN"):
        return _NON_WORD.sub(" ", anyascii(char).lower()) or " "
    return char


def seeded_unplayable(track_id: str, fraction: float, seed: int | None) -> bool:
    """Whether a seeded `fraction` of the catalog, this track among it, is not playable."""
    if fraction <= 0:
        return False
    digest = hashlib.sha1(f"{seed}:{track_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


@dataclass(frozen=True, slots=True)
class CatalogTrack:
    """One catalog row with the fields a Spotify track object needs."""

    id: str
    name: str
    artists: tuple[str, ...]
    album: str
    album_type: str
    release_date: str
    duration_ms: int
    popularity: int | None
    isrc: str = ""
    explicit: bool = False
    source: str = ""
    playable: bool = True  # False: not playable in the user's market (column `playable`)

    @property
    def uri(self) -> str:
        return f"spotify:track:{self.id}"

    @property
    def year(self) -> int | None:
        return int(self.release_date[:4]) if self.release_date[:4].isdigit() else None

    @property
    def release_date_precision(self) -> str:
        return {7: "month", 10: "day"}.get(len(self.release_date), "year")

    @property
    def album_id(self) -> str:
        first = self.artists[0] if self.artists else ""
        return stable_id(f"album:{self.album}|{first}|{self.release_date}")


def stable_id(text: str) -> str:
    """A 22-character base62 id derived from a text, so artists and albums keep their ids."""
    number = int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest(), "big")
    chars = []
    for _ in range(22):
        number, digit = divmod(number, 62)
        chars.append(_BASE62[digit])
    return "".join(chars)


def core_title_words(name: str) -> tuple[str, ...]:
    """The title's words without its version part: "Heat - Radio Edit" -> ("heat",)."""
    return words(re.split(r" - | \(|\[", name, maxsplit=1)[0])


def _int_or(value: str, default: int | None) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return default


def read_artists(field: str) -> tuple[str, ...]:
    """The credited artists of a normalised row: names joined with ARTIST_SEPARATOR."""
    return tuple(name.strip() for name in field.split(ARTIST_SEPARATOR) if name.strip())


def track_from_row(row: dict[str, str]) -> CatalogTrack:
    """A CatalogTrack from one normalised CSV row.

    Optional columns: album_type, popularity, isrc, explicit, source, playable.
    """
    return CatalogTrack(
        id=row["track_id"].strip(),
        name=row["name"].strip(),
        artists=read_artists(row["artists"]),
        album=(row.get("album") or "").strip(),
        album_type=(row.get("album_type") or "").strip() or "album",
        release_date=(row.get("release_date") or "").strip(),
        duration_ms=_int_or(row.get("duration_ms", ""), 0) or 0,
        popularity=_int_or(row.get("popularity", ""), None),
        isrc=(row.get("isrc") or "").strip(),
        explicit=(row.get("explicit") or "").strip().lower() in ("true", "1", "yes"),
        source=(row.get("source") or "").strip(),
        playable=(row.get("playable") or "").strip().lower() not in _FALSE,
    )


class Catalog:
    """Tracks by id plus an inverted index of normalised words for fast search."""

    def __init__(self, tracks: list[CatalogTrack]) -> None:
        self.tracks: list[CatalogTrack] = []
        self.by_id: dict[str, int] = {}
        self.name_words: list[tuple[str, ...]] = []
        self.artist_words: list[tuple[tuple[str, ...], ...]] = []
        self.album_words: list[tuple[str, ...]] = []
        self.all_words: list[frozenset[str]] = []
        self.core_words: list[tuple[str, ...]] = []  # title without " - Remastered" etc.
        self.strong_words: list[frozenset[str]] = []  # title and artist words
        self.postings: dict[str, list[int]] = defaultdict(list)
        for track in tracks:
            if track.id in self.by_id or not TRACK_ID.match(track.id):
                continue  # duplicate rows or unusable ids would make URIs ambiguous
            index = len(self.tracks)
            self.tracks.append(track)
            self.by_id[track.id] = index
            name_words = words(track.name)
            artist_words = tuple(words(artist) for artist in track.artists)
            album_words = words(track.album)
            strong = frozenset(name_words).union(*artist_words)
            every = strong.union(album_words)
            self.name_words.append(name_words)
            self.artist_words.append(artist_words)
            self.album_words.append(album_words)
            self.all_words.append(every)
            self.strong_words.append(strong)
            self.core_words.append(core_title_words(track.name) or name_words)
            for word in every:
                self.postings[word].append(index)
        self.postings = dict(self.postings)

    def __len__(self) -> int:
        return len(self.tracks)

    def get(self, track_id: str) -> CatalogTrack | None:
        index = self.by_id.get(track_id)
        return None if index is None else self.tracks[index]

    @classmethod
    def load(cls, path: str | Path) -> Catalog:
        """Read a catalog CSV (or .csv.gz): track_id,name,artists,album,release_date,..."""
        path = Path(path)
        try:
            with (
                gzip.open(path, "rt", encoding="utf-8", newline="")
                if path.suffix == ".gz"
                else path.open(encoding="utf-8", newline="")
            ) as handle:
                reader = csv.DictReader(handle)
                missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
                if missing:
                    raise ConfigError(
                        f"{path}: the catalog CSV lacks the column(s) {', '.join(missing)}; "
                        f"expected {','.join(REQUIRED_COLUMNS)},popularity"
                    )
                return cls([track_from_row(row) for row in reader])
        except FileNotFoundError:
            raise ConfigError(f"{path}: no such catalog file; pass --catalog FILE.csv") from None
