"""Playlist names within Spotify's limit: shortened at a word boundary, the full name kept."""

from __future__ import annotations

NAME_LIMIT = 100  # characters: Spotify refuses longer playlist names (a 500 above 200)
ELLIPSIS = "…"
_TRAILING = " \t,;:·-–—|/([{"


def shorten(name: str, limit: int = NAME_LIMIT) -> str:
    """`name` if it fits, else its first words and "…" within `limit` characters.

    Cut at the last space that keeps at least half the room; a name with no such space (one
    very long word) is cut mid-word. Separators left dangling before the "…" go too.
    """
    if len(name) <= limit:
        return name
    room = name[: limit - len(ELLIPSIS)]
    space = room.rfind(" ")
    if space >= (limit - len(ELLIPSIS)) // 2 and name[len(room)] != " ":
        room = room[:space]
    return room.rstrip(_TRAILING) + ELLIPSIS


def full_name_note(name: str, limit: int = NAME_LIMIT) -> str:
    """The start of a description that keeps a shortened name whole; "" when it fits."""
    return f"{name}. " if len(name) > limit else ""
