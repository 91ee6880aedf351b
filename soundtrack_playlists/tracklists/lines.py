"""Lines of user text: split on \\n only, bounded, free of control characters, safe to print."""

from __future__ import annotations

import unicodedata

MAX_LINE_LENGTH = 1000
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def split_lines(text: str) -> list[str]:
    """Lines split on \\n (a \\r before it goes too); never on form feeds or U+2028."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def is_control(char: str) -> bool:
    """Control characters and bidirectional overrides: never shown raw, never read."""
    return (unicodedata.category(char) == "Cc" and char != "\t") or char in _BIDI_CONTROLS


def shown(text: str, limit: int = 120) -> str:
    """Text safe to print: control characters escaped, long text cut with an ellipsis."""
    cut = text[:limit]
    safe = "".join(ascii(ch)[1:-1] if is_control(ch) else ch for ch in cut)
    return safe + ("…" if len(text) > limit else "")
