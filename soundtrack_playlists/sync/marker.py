"""The tag each playlist we create carries in its description: proof it is ours, and whose."""

from __future__ import annotations

import hashlib
import html

from soundtrack_playlists.text import fold

PREFIX = "[sp:"


def marker(show: str, season: int, key: str) -> str:
    """A short tag naming one playlist of one season (`[sp:1a2b3c4d]`), the same on every run.

    A name proves nothing (anyone may have a playlist called "Soundtrack · Season 1"), and a
    copied season folder must not take over the original's playlists: the tag ties a
    playlist to the show, the season and the playlist's key. It holds nothing Spotify
    escapes, so it reads back as sent.
    """
    identity = f"{fold(show)}\n{season}\n{key}".encode()
    return f"{PREFIX}{hashlib.sha256(identity).hexdigest()[:10]}]"


def carries(description: str | None, tag: str) -> bool:
    """Whether a description (as Spotify returns it, maybe HTML-escaped) holds the tag."""
    return bool(tag) and tag in html.unescape(description or "")
