"""Word normalisation shared by the catalog index and the search query parser."""

from __future__ import annotations

import re
import unicodedata

# Apostrophes vanish ("Reelin'" == "reelin", "Don't" == "dont"); every other non-word
# character separates words, so "Blood // Water" and "Blood Water" are the same words.
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`´]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Casefold and strip accents: "Beyoncé" -> "beyonce"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> tuple[str, ...]:
    """The searchable words of a text: folded, apostrophes dropped, "&" read as "and"."""
    folded = _APOSTROPHES.sub("", fold(text)).replace("&", " and ")
    return tuple(word for word in _NON_WORD.split(folded) if word)
