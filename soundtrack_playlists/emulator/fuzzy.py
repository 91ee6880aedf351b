"""Spotify-like track search: forgiving words (typos, prefixes), looser hits, popularity first."""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from soundtrack_playlists.emulator.catalog import Catalog
from soundtrack_playlists.emulator.search import Query, Searcher

# How much a query word's fit weighs against popularity (0..100): an exact word is worth
# RELEVANCE points more than a typo'd one at most, so a much more popular track with a
# looser fit still comes first, as on Spotify.
RELEVANCE = 30.0
PHRASE_BONUS = 5.0  # a quoted phrase found as written, words adjacent
EXACT, PREFIX, TYPO = 1.0, 0.6, 0.4
SCOPES = ("track", "artist", "album")


def typo_budget(word: str) -> int:
    """Edits forgiven in a word: none in short words or numbers, one from 4 letters, two from 8."""
    if not word.isascii() or not any(ch.isalpha() for ch in word) or len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def prefix_allowed(word: str) -> bool:
    """A partial word counts from 3 letters (2 in scripts whose letters carry more)."""
    return len(word) >= (3 if word.isascii() else 2)


class Vocabulary:
    """The catalog's distinct words, for expanding a query word to the words it may mean."""

    def __init__(self, words: list[str]) -> None:
        self.sorted = sorted(words)
        self.known = frozenset(words)
        self.by_length: dict[int, list[str]] = {}
        for word in self.sorted:
            self.by_length.setdefault(len(word), []).append(word)
        self._cache: dict[str, dict[str, float]] = {}

    def expand(self, word: str) -> dict[str, float]:
        """Catalog words this query word may mean, each with how well it fits (1.0 exact)."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        fits: dict[str, float] = {}
        budget = typo_budget(word)
        for length in range(len(word) - budget, len(word) + budget + 1):
            near = self.by_length.get(length)
            if budget and near:
                for other, _, _ in process.extract(
                    word, near, scorer=OSA.distance, score_cutoff=budget, limit=None
                ):
                    fits[other] = TYPO
        if prefix_allowed(word):
            at = bisect_left(self.sorted, word)
            while at < len(self.sorted) and self.sorted[at].startswith(word):
                fits[self.sorted[at]] = max(fits.get(self.sorted[at], 0.0), PREFIX)
                at += 1
        if word in self.known:
            fits[word] = EXACT
        self._cache[word] = fits
        return fits


@dataclass(frozen=True)
class Term:
    """One query word and the field it must be found in ("any", "track", "artist", "album")."""

    word: str
    scope: str


def terms_of(query: Query) -> list[Term]:
    """Every word of the query with its field; quoted phrases count word by word."""
    terms = [Term(word, "any") for word in query.free_words]
    terms += [Term(word, "any") for phrase in query.phrases for word in phrase]
    for item in query.filters:
        if item.field in SCOPES:
            terms += [Term(word, item.field) for word in item.words]
    return terms


class FuzzySearcher:
    """Answers parsed queries as Spotify does: forgiving, looser when nothing fits every word.

    A word matches a catalog word exactly, as a prefix, or within a small edit distance;
    field filters keep their words to their field but are as forgiving. Tracks that fit every
    word rank by popularity plus a bonus for how exactly they fit; when none fits every word,
    the tracks fitting most of them (at least half) are returned instead. `year:` and `isrc:`
    stay exact, as they do on Spotify.
    """

    def __init__(self, catalog: Catalog, strict: Searcher | None = None) -> None:
        self.catalog = catalog
        self.strict = strict or Searcher(catalog)
        self.vocabulary = Vocabulary(list(catalog.postings))
        self.fields: dict[str, list[frozenset[str]]] = {
            "track": [frozenset(name) for name in catalog.name_words],
            "artist": [frozenset().union(*artists) for artists in catalog.artist_words],
            "album": [frozenset(album) for album in catalog.album_words],
        }

    def _fits(self, term: Term) -> dict[int, float]:
        """Catalog index -> the best fit of this term in that track (in its field)."""
        best: dict[int, float] = {}
        field = self.fields.get(term.scope)
        postings = self.catalog.postings
        for word, fit in self.vocabulary.expand(term.word).items():
            for index in postings.get(word, ()):
                if field is not None and word not in field[index]:
                    continue
                if best.get(index, 0.0) < fit:
                    best[index] = fit
        return best

    def _exact_filters(self, query: Query) -> Callable[[int], bool]:
        """The filters honoured exactly: year, isrc, and those the catalog has no data for."""
        exact = [f for f in query.filters if f.field not in SCOPES]
        if not exact:
            return lambda index: True
        only_exact = Query(filters=tuple(exact))
        return lambda index: self.strict.matches(index, only_exact)

    def search(self, query: Query, *, limit: int, offset: int = 0) -> tuple[int, list[int]]:
        """(total hits, catalog indexes of the requested page, best first)."""
        terms = terms_of(query)
        if not terms:  # year:/isrc: alone: the exact filters decide, popularity ranks
            total, hits = self.strict.search(query, limit=len(self.catalog) or 1)
            return total, self._page(hits, lambda i: -self._popularity(i), limit, offset)
        fits = [self._fits(term) for term in terms]
        allowed = self._exact_filters(query)
        smallest: dict[int, float] = min(fits, key=len)
        everywhere = set(smallest)
        for other in fits:
            everywhere.intersection_update(other)
        hits = [i for i in everywhere if allowed(i)]
        if hits:
            n = len(terms)

            def full(i: int) -> float:
                fit = sum(f[i] for f in fits) / n
                return -(self._popularity(i) + RELEVANCE * fit + self._phrase_bonus(i, query))

            return len(hits), self._page(hits, full, limit, offset)
        return self._looser(fits, allowed, limit, offset)

    def _looser(
        self, fits: list[dict[int, float]], allowed: Callable[[int], bool], limit: int, offset: int
    ) -> tuple[int, list[int]]:
        """Tracks fitting at least half the words (two or more terms), most words first."""
        n = len(fits)
        if n < 2:
            return 0, []
        found: dict[int, float] = {}
        counts: dict[int, int] = {}
        for fit in fits:
            for index, value in fit.items():
                found[index] = found.get(index, 0.0) + value
                counts[index] = counts.get(index, 0) + 1
        needed = (n + 1) // 2
        hits = [i for i, count in counts.items() if count >= needed and allowed(i)]

        def looser(i: int) -> float:
            return -(1000.0 * counts[i] + self._popularity(i) + RELEVANCE * found[i] / n)

        return len(hits), self._page(hits, looser, limit, offset)

    def _popularity(self, index: int) -> int:
        return self.catalog.tracks[index].popularity or 0

    def _phrase_bonus(self, index: int, query: Query) -> float:
        if not query.phrases and not any(f.phrase for f in query.filters):
            return 0.0
        return PHRASE_BONUS if self.strict.matches(index, query) else 0.0

    def _page(
        self, hits: list[int], key: Callable[[int], float], limit: int, offset: int
    ) -> list[int]:
        tracks = self.catalog.tracks
        return heapq.nsmallest(offset + limit, hits, key=lambda i: (key(i), tracks[i].id))[offset:]
