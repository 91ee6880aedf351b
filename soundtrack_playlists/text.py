"""Small text helpers shared by the whole package: accent folding and counted nouns."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from anyascii import anyascii


@lru_cache(maxsize=4096)
def _latin_letter(char: str) -> str:
    """A Latin letter that no accent decomposes ("Ø", "Æ", "Ł", "Đ") spelt in ASCII.

    Only Latin letters are transliterated: other scripts are compared in their own letters,
    since a romanisation ("東京" -> "DongJing") would be a guess.
    """
    if char.isascii() or not unicodedata.name(char, "").startswith("LATIN"):
        return char
    return anyascii(char) or char


def fold(text: str) -> str:
    """Lower case without accents: "Céline" and "CELINE" compare equal, "MØ" is "mo"."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (_latin_letter(ch) for ch in decomposed if not unicodedata.combining(ch))
    return "".join(kept).casefold()


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """ "1 track", "2 tracks": the count with its noun in the right number."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {nouns if nouns is not None else noun + 's'}"


def same_api(left: str, right: str) -> bool:
    """Two API base URLs name the same API whether or not they end in a slash."""
    return left.rstrip("/") == right.rstrip("/")
