"""Small text helpers shared by the whole package: accent folding and counted nouns."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: "Céline" and "CELINE" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """ "1 track", "2 tracks": the count with its noun in the right number."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {nouns if nouns is not None else noun + 's'}"


def same_api(left: str, right: str) -> bool:
    """Two API base URLs name the same API whether or not they end in a slash."""
    return left.rstrip("/") == right.rstrip("/")
