"""The emulator's track catalog: read a CSV once, derive Spotify-like fields, index its words."""

from __future__ import annotations

import csv
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from soundtrack_playlists.errors import ConfigError
from soundtrack_playlists.text import fold

# Apostrophes vanish ("Reelin'" == "reelin", "Don't" == "dont"); every other non-word
# character separates words, so "Blood // Water" and "Blood Water" are the same words.
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`´]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
REQUIRED_COLUMNS = ("track_id", "name", "artists", "album", "release_date", "duration_ms")
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
TRACK_ID = re.compile(r"^[0-9A-Za-z]{22}$")

# Band names that contain ", " and must survive the split of a comma-joined artist list.
_COMMA_NAMES = frozenset(
    fold(name)
    for name in (
        "Tyler, The Creator",
        "Earth, Wind & Fire",
        "Crosby, Stills & Nash",
        "Crosby, Stills, Nash & Young",
        "Emerson, Lake & Palmer",
        "Blood, Sweat & Tears",
        "Peter, Paul and Mary",
        "Peter, Paul & Mary",
        "Phillips, Craig & Dean",
        "Ecstasy, Passion & Pain",
    )
)
# A piece after ", " that belongs to the name before it ("Hank Williams, Jr.").
_NAME_SUFFIX = re.compile(r"^(jr\.?|sr\.?|ii|iii|the creator|the illstrumentalist)$", re.IGNORECASE)
# Sources whose artist string is always one credit as written (commas are part of names).
_WHOLE_NAME_SOURCES = frozenset(
    {"tidytuesday2020", "jacky_genre_scrape", "spotifyfeatures_partial"}
)
_FEATURING = re.compile(r"\s+(?:featuring|feat\.|ft\.)\s+", re.IGNORECASE)
_COMPILATION_WORDS = re.compile(
    r"\b(greatest hits|best of|the best|essential|essentials|collection|hits|anthology|gold|"
    r"platinum|definitive|ultimate|very best|complete|number ones|#1s|retrospective|"
    r"now that s what i call|classics)\b"
)


def words(text: str) -> tuple[str, ...]:
    """The searchable words of a text: folded, apostrophes dropped, "&" read as "and"."""
    folded = _APOSTROPHES.sub("", fold(text)).replace("&", " and ")
    return tuple(word for word in _NON_WORD.split(folded) if word)


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


def split_artists(text: str, source: str = "") -> tuple[str, ...]:
    """The credited artists of a dataset artist string, without breaking "Tyler, The Creator".

    Datasets differ: some list several artists joined with ", ", Billboard-style rows say
    "A Featuring B, C & D", others keep one credit whose name may contain a comma.
    """
    text = text.strip()
    if not text:
        return ()
    if source in _WHOLE_NAME_SOURCES:
        return (text,)
    main, *featured = _FEATURING.split(text)
    if source == "hit_predictor":
        credits = [main]
        for part in featured:
            credits.extend(p for p in re.split(r",\s+|\s+&\s+", part) if p)
        return tuple(credits)
    credits = []
    for part in [main, *featured]:
        credits.extend(_split_commas(part))
    return tuple(credits)


def _split_commas(text: str) -> list[str]:
    if fold(text) in _COMMA_NAMES:
        return [text]
    merged: list[str] = []
    for piece in text.split(", "):
        joined = f"{merged[-1]}, {piece}" if merged else piece
        if merged and (_NAME_SUFFIX.match(piece) or _is_comma_name_prefix(joined)):
            merged[-1] = joined
        else:
            merged.append(piece)
    return [piece for piece in merged if piece]


def _is_comma_name_prefix(text: str) -> bool:
    folded = fold(text)
    return any(name == folded or name.startswith(folded + ", ") for name in _COMMA_NAMES)


def infer_album_type(album: str, name: str) -> str:
    """Spotify's album_type guessed from names: "compilation", "single" or "album"."""
    if not album:
        return "album"
    album_words = " ".join(words(album))
    if _COMPILATION_WORDS.search(album_words):
        return "compilation"
    title = name.split(" - ")[0]  # "Heat - Radio Edit" is still the single "Heat"
    if album_words in (" ".join(words(name)), " ".join(words(title))):
        return "single"
    return "album"


def core_title_words(name: str) -> tuple[str, ...]:
    """The title's words without its version part: "Heat - Radio Edit" -> ("heat",)."""
    return words(re.split(r" - | \(|\[", name, maxsplit=1)[0])


def _int_or(value: str, default: int | None) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return default


def track_from_row(row: dict[str, str]) -> CatalogTrack:
    """A CatalogTrack from one CSV row; optional columns: album_type, isrc, explicit, source."""
    source = (row.get("source") or "").strip()
    name = row["name"].strip()
    album = (row.get("album") or "").strip()
    album_type = (row.get("album_type") or "").strip() or infer_album_type(album, name)
    return CatalogTrack(
        id=row["track_id"].strip(),
        name=name,
        artists=split_artists(row["artists"], source),
        album=album,
        album_type=album_type,
        release_date=(row.get("release_date") or "").strip(),
        duration_ms=_int_or(row.get("duration_ms", ""), 0) or 0,
        popularity=_int_or(row.get("popularity", ""), None),
        isrc=(row.get("isrc") or "").strip(),
        explicit=(row.get("explicit") or "").strip().lower() in ("true", "1", "yes"),
        source=source,
    )


class Catalog:
    """Tracks by id plus an inverted index of normalised words for fast search."""

    def __init__(self, tracks: list[CatalogTrack]):
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
        """Read a catalog CSV: track_id,name,artists,album,release_date,duration_ms,..."""
        path = Path(path)
        try:
            with path.open(encoding="utf-8", newline="") as handle:
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
