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


def char_width(char: str) -> int:
    """Columns a character takes on a terminal: 2 for wide (CJK), 0 for combining marks."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal, so tables line up on double-width characters."""
    return sum(char_width(char) for char in text)


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` columns (as str.ljust, counting columns)."""
    return text + " " * max(0, width - display_width(text))


def cut(text: str, width: int) -> str:
    """`text` cut to at most `width` columns, ending in `…` when cut."""
    if display_width(text) <= width:
        return text
    kept, used = [], 1  # the ellipsis
    for char in text:
        used += char_width(char)
        if used > width:
            break
        kept.append(char)
    return "".join(kept) + "…"
