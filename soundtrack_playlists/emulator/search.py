"""Spotify's q syntax parsed, and the strict track search: every word required, exact fit first."""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass

from soundtrack_playlists.emulator.catalog import Catalog, words
from soundtrack_playlists.text import fold

FIELDS = ("track", "artist", "album", "year", "isrc", "upc", "genre", "tag")
_TERM = re.compile(
    r'(?P<field>[A-Za-z]+):"(?P<fquoted>[^"]*)"?'
    r"|(?P<field2>[A-Za-z]+):(?P<fbare>\S+)"
    r'|"(?P<quoted>[^"]*)"?'
    r"|(?P<bare>\S+)"
)
_YEAR = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


@dataclass(frozen=True)
class Filter:
    """One `field:value` term; `phrase` when the value was quoted (its words must be adjacent)."""

    field: str
    value: str
    words: tuple[str, ...]
    phrase: bool = False


@dataclass(frozen=True)
class Query:
    free_words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    filters: tuple[Filter, ...] = ()

    @property
    def required_words(self) -> set[str]:
        """Every word that must occur somewhere in a matching track."""
        required = set(self.free_words)
        for phrase in self.phrases:
            required.update(phrase)
        for item in self.filters:
            if item.field in ("track", "artist", "album"):
                required.update(item.words)
        return required

    def field_words(self, field: str) -> tuple[str, ...]:
        return tuple(w for f in self.filters if f.field == field for w in f.words)


def parse_query(q: str) -> Query:
    """Split Spotify's q into free words, quoted phrases and field filters.

    As on Spotify, an unquoted filter takes one word: `artist:Nat King Cole` filters on
    "Nat" and leaves "King Cole" as free words.
    """
    free: list[str] = []
    phrases: list[tuple[str, ...]] = []
    filters: list[Filter] = []
    for match in _TERM.finditer(q):
        field = (match.group("field") or match.group("field2") or "").lower()
        value = match.group("fquoted") if match.group("field") else match.group("fbare")
        if field in FIELDS:
            quoted = match.group("field") is not None
            filters.append(Filter(field, value, words(value), phrase=quoted))
        elif match.group("quoted") is not None:
            phrase = words(match.group("quoted"))
            if phrase:
                phrases.append(phrase)
        else:
            free.extend(words(match.group(0)))
    return Query(tuple(free), tuple(phrases), tuple(filters))


def _contains_run(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _year_range(value: str) -> tuple[int, int] | None:
    match = _YEAR.match(value.strip())
    if not match:
        return None
    start = int(match.group(1))
    return start, int(match.group(2) or start)


class Searcher:
    """Answers parsed queries against one Catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._isrc: dict[str, list[int]] | None = None

    def matches(self, index: int, query: Query) -> bool:
        """True when track `index` satisfies every word, phrase and filter of the query."""
        cat = self.catalog
        every = cat.all_words[index]
        if not every.issuperset(query.free_words):
            return False
        name = cat.name_words[index]
        artists = cat.artist_words[index]
        album = cat.album_words[index]
        joined_artists = tuple(w for a in artists for w in a)
        for phrase in query.phrases:
            if not (
                _contains_run(name, phrase)
                or _contains_run(album, phrase)
                or any(_contains_run(a, phrase) for a in artists)
            ):
                return False
        for item in query.filters:
            target: tuple[tuple[str, ...], ...]
            if item.field == "track":
                target = (name,)
            elif item.field == "artist":
                target = (*artists, joined_artists)
            elif item.field == "album":
                target = (album,)
            elif item.field == "year":
                span = _year_range(item.value)
                year = cat.tracks[index].year
                if span is None or year is None or not span[0] <= year <= span[1]:
                    return False
                continue
            elif item.field == "isrc":
                if fold(cat.tracks[index].isrc) != fold(item.value.strip()):
                    return False
                continue
            else:
                return False  # upc, genre, tag: the catalog carries no such data
            if item.phrase:
                if not any(_contains_run(t, item.words) for t in target):
                    return False
            elif not set(joined_artists if item.field == "artist" else target[0]).issuperset(
                item.words
            ):
                return False
        return True

    def _candidates(self, query: Query) -> Sequence[int]:
        required = query.required_words
        if required:
            postings = [self.catalog.postings.get(word, ()) for word in required]
            return min(postings, key=len)
        isrcs = [f.value for f in query.filters if f.field == "isrc"]
        if isrcs:
            return self._isrc_index().get(fold(isrcs[0].strip()), [])
        if query.filters:
            return range(len(self.catalog))
        return []

    def _isrc_index(self) -> dict[str, list[int]]:
        if self._isrc is None:
            index: dict[str, list[int]] = {}
            for i, track in enumerate(self.catalog.tracks):
                if track.isrc:
                    index.setdefault(fold(track.isrc), []).append(i)
            self._isrc = index
        return self._isrc

    def score(self, index: int, query: Query) -> float:
        """How well the words fit: the title and an artist explained fully by the query first."""
        return self._score(index, query, query.required_words, query.field_words("track"))

    def _score(self, index: int, query: Query, asked: set[str], title: tuple[str, ...]) -> float:
        cat = self.catalog
        core = cat.core_words[index]
        score = 0.0
        if title and core == title:
            score += 2.0  # the exact title asked for, not a longer title containing it
        if core:
            score += len(asked.intersection(core)) / len(core)
        best_artist = 0.0
        for artist in cat.artist_words[index]:
            if artist:
                best_artist = max(best_artist, len(asked.intersection(artist)) / len(artist))
        score += best_artist
        if query.free_words:
            # words found only in the album title are weaker evidence than title/artist words
            strong = cat.strong_words[index]
            score += 0.5 * sum(w in strong for w in query.free_words) / len(query.free_words)
        if len(cat.name_words[index]) > len(core):
            score -= 0.1  # "- Remastered", "(Live)": the plain recording first on equal terms
        return round(score, 4)

    def search(self, query: Query, *, limit: int, offset: int = 0) -> tuple[int, list[int]]:
        """(total matches, catalog indexes of the requested page, best first)."""
        candidates = self._candidates(query)
        if query.phrases or query.filters:
            hits = [i for i in candidates if self.matches(i, query)]
        else:  # free words only: a set test per candidate is all it takes
            wanted = set(query.free_words)
            every = self.catalog.all_words
            hits = [i for i in candidates if wanted.issubset(every[i])]
        tracks = self.catalog.tracks
        asked = query.required_words
        title = query.field_words("track")

        def key(i: int) -> tuple[float, int, str]:
            score = self._score(i, query, asked, title)
            return (-score, -(tracks[i].popularity or 0), tracks[i].id)

        page = heapq.nsmallest(offset + limit, hits, key=key)[offset:]
        return len(hits), page
