"""Credits that may be one act or two (`and`, `&`): what import guessed is said, not hidden."""

from __future__ import annotations

from soundtrack_playlists.tracklists.grammar import SongLine

_MAX_SHOWN = 8
_KEPT_AFTER = ("the ", "his ", "her ", "their ")


def ambiguous_credits(readings: dict[int, SongLine], texts: list[str]) -> list[str]:
    """A remark naming each credit read one way that could be read the other."""
    said: list[str] = []
    for index, reading in readings.items():
        for song in reading.songs:
            said += _guesses(song.title, song.artists, " ".join(texts[index].split()))
    if not said:
        return []
    more = f" and {len(said) - _MAX_SHOWN} more" if len(said) > _MAX_SHOWN else ""
    return [
        "credits with `and` or `&` may be one act or two; check them in `review`: "
        + "; ".join(said[:_MAX_SHOWN])
        + more
    ]


def _guesses(title: str, artists: tuple[str, ...], text: str) -> list[str]:
    said = []
    for first, second in zip(artists, artists[1:], strict=False):
        if f"{first} & {second}" in text:
            said.append(f"“{title}”: {first} & {second} read as two artists")
    for artist in artists:
        joins = artist.split(" and ")[1:]
        if any(not after.lower().startswith(_KEPT_AFTER) for after in joins):
            said.append(f"“{title}”: {artist} read as one act")
    return said
