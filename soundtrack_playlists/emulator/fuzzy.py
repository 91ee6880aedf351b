"""Spotify-like track search: forgiving words (typos, prefixes), looser hits, popularity first."""

from __future__ import annotations

import heapq
import threading
import weakref
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from soundtrack_playlists.emulator.catalog import Catalog
from soundtrack_playlists.emulator.search import Query, Searcher

# How much a query word's fit weighs against popularity (0..100): an exact word is worth
# RELEVANCE points more than a typo'd one at most, so a much more popular track with a
# looser fit still comes first, as on Spotify.
RELEVANCE = 30.0
PHRASE_BONUS = 5.0  # a quoted phrase found as written, words adjacent
ALBUM_ONLY = 0.4  # a free word found only in the album title is weak evidence
EXACT, PREFIX, TYPO = 1.0, 0.6, 0.4
SCOPES = ("track", "artist", "album")


def typo_budget(word: str) -> int:
    """Edits forgiven in a word: none in short words or numbers, one from 4 letters, two from 8."""
    if not word.isascii() or not any(ch.isalpha() for ch in word) or len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def prefix_allowed(word: str) -> bool:
    """A partial word counts from 4 letters (2 in scripts whose letters carry more)."""
    return len(word) >= (4 if word.isascii() else 2)


def _deletions(word: str) -> set[str]:
    """The word with one letter left out, each way."""
    return {word[:at] + word[at + 1 :] for at in range(len(word))}


class Vocabulary:
    """The catalog's distinct words, for expanding a query word to the words it may mean.

    Typos are found through a deletion index (as SymSpell does): two words within one edit
    share a spelling once a letter is left out of one or both, so a lookup costs a few dict
    reads instead of a comparison with every word; candidates are then checked by distance.
    For a long query word two edits are forgiven when leaving out up to two of its letters
    and one of the catalog word's makes them equal (two letters changed are not found).
    """

    def __init__(self, words: list[str]) -> None:
        self.sorted = sorted(words)
        self.known = frozenset(words)
        self.deletions: dict[str, list[str]] = {}
        for word in self.sorted:
            if typo_budget(word + "x"):  # could be a typo'd query word's neighbour
                for key in _deletions(word) | {word}:
                    self.deletions.setdefault(key, []).append(word)
        self._cache: dict[str, dict[str, float]] = {}

    def expand(self, word: str) -> dict[str, float]:
        """Catalog words this query word may mean, each with how well it fits (1.0 exact)."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        fits: dict[str, float] = {}
        budget = typo_budget(word)
        if budget:
            keys = _deletions(word) | {word}
            if budget > 1:  # two letters too many, or one too many and one changed
                keys |= {twice for once in list(keys) for twice in _deletions(once)}
            for key in keys:
                for other in self.deletions.get(key, ()):
                    if OSA.distance(word, other, score_cutoff=budget) <= budget:
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

    _built: weakref.WeakKeyDictionary[Catalog, FuzzySearcher] = weakref.WeakKeyDictionary()
    _building = threading.Lock()

    @classmethod
    def of(cls, catalog: Catalog) -> FuzzySearcher:
        """The searcher of a catalog, its index built once however many emulators share it."""
        with cls._building:
            searcher = cls._built.get(catalog)
            if searcher is None:
                searcher = cls._built[catalog] = cls(catalog)
            return searcher

    def __init__(self, catalog: Catalog, strict: Searcher | None = None) -> None:
        self.catalog = catalog
        self.strict = strict or Searcher(catalog)
        self.vocabulary = Vocabulary(list(catalog.postings))
        self.fields: dict[str, list[frozenset[str]]] = {
            "track": [frozenset(name) for name in catalog.name_words],
            "artist": [frozenset().union(*artists) for artists in catalog.artist_words],
            "album": [frozenset(album) for album in catalog.album_words],
        }
        self.popularity = [track.popularity or 0 for track in catalog.tracks]
        self.ids = [track.id for track in catalog.tracks]

    def _fits(self, term: Term) -> dict[int, float]:
        """Catalog index -> the best fit of this term in that track (in its field)."""
        best: dict[int, float] = {}
        field = self.fields.get(term.scope)
        strong = self.catalog.strong_words
        postings = self.catalog.postings
        for word, fit in self.vocabulary.expand(term.word).items():
            for index in postings.get(word, ()):
                if field is not None:
                    if word not in field[index]:
                        continue
                    value = fit
                else:
                    value = fit if word in strong[index] else fit * ALBUM_ONLY
                if best.get(index, 0.0) < value:
                    best[index] = value
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
            scores = {i: float(self.popularity[i]) for i in hits}
            return total, self._page(scores, limit, offset)
        fits = [self._fits(term) for term in terms]
        allowed = self._exact_filters(query)
        smallest: dict[int, float] = min(fits, key=len)
        everywhere = set(smallest)
        for other in fits:
            everywhere.intersection_update(other)
        popularity = self.popularity
        scores = {i: float(popularity[i]) for i in everywhere if allowed(i)}
        if not scores:
            return self._looser(fits, allowed, limit, offset)
        weight = RELEVANCE / len(terms)
        for fit in fits:
            for index in scores:
                scores[index] += weight * fit[index]
        if query.phrases or any(f.phrase for f in query.filters):
            # Only the leaders can be lifted by the phrase bonus, so only they are checked.
            leaders = self._page(scores, offset + limit + 50, 0)
            for index in leaders:
                if self.strict.matches(index, query):
                    scores[index] += PHRASE_BONUS
            total = len(scores)
            return total, self._page({index: scores[index] for index in leaders}, limit, offset)
        return len(scores), self._page(scores, limit, offset)

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
        popularity = self.popularity
        scores = {
            i: 1000.0 * count + popularity[i] + RELEVANCE * found[i] / n
            for i, count in counts.items()
            if count >= needed and allowed(i)
        }
        return len(scores), self._page(scores, limit, offset)

    def _page(self, scores: dict[int, float], limit: int, offset: int) -> list[int]:
        """The page of the highest scores, ties broken by track id for a stable order."""
        ids = self.ids
        ranked = heapq.nsmallest(offset + limit, ((-v, ids[i], i) for i, v in scores.items()))
        return [index for _, _, index in ranked[offset:]]
