"""Title–artist or artist–title: how an article's unquoted `A – B` lines are read (pure)."""

from __future__ import annotations

from collections import Counter

from soundtrack_playlists.models import Song
from soundtrack_playlists.text import fold, plural
from soundtrack_playlists.tracklists.grammar import ARTIST_TITLE, TITLE_ARTIST, SongLine

# Stands for "N unquoted `A – B` lines" in the reason: counted as the songs are, the lines
# written, which only the article knows at its end.
UNQUOTED_COUNT = "\0unquoted\0"


def decide_order(readings: dict[int, SongLine], order: str | None) -> tuple[str | None, str]:
    """Title–artist or artist–title for unquoted `A – B` lines, from the article's other lines."""
    unquoted = [index for index, reading in readings.items() if reading.unquoted_dash]
    if not unquoted:
        return None, ""
    if order is not None:
        return order, "as --order says"
    votes: Counter[str] = Counter(
        reading.order_hint for reading in readings.values() if reading.order_hint
    )
    known = {
        fold(artist)
        for reading in readings.values()
        if not reading.unquoted_dash
        for song in reading.songs
        for artist in song.artists
    }
    for index in unquoted:
        (song, *_) = readings[index].songs
        if fold(song.title) in known:
            votes[ARTIST_TITLE] += 1
        elif any(fold(artist) in known for artist in song.artists):
            votes[TITLE_ARTIST] += 1
    count = UNQUOTED_COUNT  # filled in by the article once it knows which lines are songs
    if not votes:
        hints = _name_hints([readings[index].songs[0] for index in unquoted])
        if hints[ARTIST_TITLE] >= 3 and hints[ARTIST_TITLE] >= 2 * hints[TITLE_ARTIST]:
            return ARTIST_TITLE, (
                f"{count} read as artist – title: nothing else says which way round they are, "
                "but band-like names (`The …`, `&`) stand first and titles ending in ? or ! "
                "second; --order title-artist reads them the other way"
            )
    if votes[ARTIST_TITLE] > votes[TITLE_ARTIST]:
        return ARTIST_TITLE, (
            f"{count} read as artist – title, as {plural(votes[ARTIST_TITLE], 'line')} of this "
            "article show; --order title-artist reads them the other way"
        )
    if votes[TITLE_ARTIST]:
        return TITLE_ARTIST, (
            f"{count} read as title – artist, as {plural(votes[TITLE_ARTIST], 'line')} of this "
            "article show; --order artist-title reads them the other way"
        )
    return TITLE_ARTIST, (
        f"{count} read as title – artist: nothing in the article says which way round they "
        "are; --order artist-title reads them the other way"
    )


def _name_hints(songs: list[Song]) -> Counter[str]:
    """Weak signs: `The …` or `&` names a band, `?`/`!` ends a title, a title runs long."""
    hints: Counter[str] = Counter()
    for song in songs:
        left, right = song.title, " ".join(song.artists)
        for side, reading in ((left, ARTIST_TITLE), (right, TITLE_ARTIST)):
            if side.startswith("The ") or " & " in side or " and The " in side:
                hints[reading] += 1
            if side.endswith(("?", "!")):
                hints[TITLE_ARTIST if reading == ARTIST_TITLE else ARTIST_TITLE] += 1
        short, long = sorted((len(left.split()), len(right.split())))
        if long >= 5 and long >= 2 * short:  # a long title beside a short name
            hints[TITLE_ARTIST if len(left.split()) == long else ARTIST_TITLE] += 1
    return hints
