"""Whether a line is a song, prose, or a song that can't be read, and why (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from soundtrack_playlists.tracklists.grammar import (
    QUOTES,
    GrammarError,
    SongLine,
    read_song_line,
    strip_list_marker,
)
from soundtrack_playlists.tracklists.lines import MAX_LINE_LENGTH, is_control

# Real artist credits are short; prose that opens with a quote and has `" by ` is not.
_MAX_ARTIST_WORDS = 10
_MAX_ARTISTS_LENGTH = 200
# An unquoted `A – B` line outside a list is a song only when it is short and no sentence.
_MAX_BARE_SIDE_WORDS = 8
# A line this short that has ` by ` or a dash in it looks like a song when it can't be read.
_MAX_AFTER_TITLE_WORDS = 6
_MAX_SONG_LIKE_WORDS = 12
# A bare `A – B` line that speaks of the page is its title or a heading, never a song:
# `The Sopranos Soundtrack - Every Song in Season 1, Episode 1`.
_PAGE_WORDS = ("soundtrack", "every song", "songs in", "music from", "playlist", "tracklist")


@dataclass(frozen=True)
class SourceLine:
    """One line of a source, numbered as the source numbers it."""

    number: int
    text: str
    heading: bool = False  # the source itself marks it as a heading (HTML <h2>, say)
    problem: str | None = None  # why the source's reader could not read it (a table's header)


def short(line: SourceLine) -> bool:
    return len(line.text) <= MAX_LINE_LENGTH


def try_song(line: SourceLine) -> SongLine | None:
    """The line's songs when it reads as a song line and not as prose that happens to parse."""
    if not line.text.strip() or line.heading or not short(line):
        return None
    try:
        reading = read_song_line(line.text, line.number)
    except GrammarError:
        return None
    if not _plausible(reading, line.text):
        return None
    return reading


def _plausible(reading: SongLine, text: str) -> bool:
    for song in reading.songs:
        credit = " ".join(song.artists)
        if len(credit) > _MAX_ARTISTS_LENGTH:
            return False
        if any(len(artist.split()) > _MAX_ARTIST_WORDS for artist in song.artists):
            return False
        if len(credit.split()) > 2 * _MAX_ARTIST_WORDS:  # prose split at its commas
            return False
    if reading.unquoted_dash:
        body, listed = strip_list_marker(" ".join(text.split()))
        if not listed:
            return _bare_dash_line(body) and not any(w in body.lower() for w in _PAGE_WORDS)
    return True


def _bare_dash_line(body: str) -> bool:
    """`Dead Air – The Regrettes` yes; `The finale – a long one – ends in tears.` no."""
    dashes = sum(body.count(dash) for dash in (" – ", " — ", " - "))
    if dashes != 1:
        return False
    left, right = body.replace(" — ", " – ").replace(" - ", " – ").split(" – ")
    # `Hey Ya! – OutKast`: a ? or ! that ends a side is a title's; one inside is a sentence's
    if any(mark in side for side in (left, right) for mark in ("? ", "! ", "; ")):
        return False
    short, long = sorted((len(left.split()), len(right.split())))
    if long <= _MAX_BARE_SIDE_WORDS:
        return True
    # A long title beside a short name, `I Don't Want to Miss a Thing From the Film – Aerosmith`;
    # a long side that ends a sentence is prose.
    return short <= 4 and long <= 2 * _MAX_BARE_SIDE_WORDS and not body.endswith((".", ":"))


def song_problem(line: SourceLine, in_episode: bool) -> str | None:
    """Why a song-like line can't be read; None when the line is simply prose.

    Before the first heading only lines that open like a song (a quote, a list marker,
    `Mashup:`) count: an article's title ("Every Song in X, Episode by Episode") is prose.
    """
    text = line.text.strip()
    if not short(line):
        if text[:1] in "\"“'‘" or text.lower().startswith(("mashup", "medley")):
            return f"the line is {len(text):,} characters long: the longest line read is " + (
                f"{MAX_LINE_LENGTH:,}"
            )
        return None
    try:
        read_song_line(text, line.number)
    except GrammarError as error:
        if _song_like(text, in_episode):
            return str(error)
        return None
    return None  # it parsed, but reads as prose (see _plausible)


def _song_like(text: str, in_episode: bool) -> bool:
    body, listed = strip_list_marker(" ".join(text.split()))
    lowered = body.lower()
    if listed or lowered.startswith(("mashup", "mash-up", "medley")):
        return True
    if body[:1] in QUOTES:
        return _quote_opens_a_song(body)
    if any(is_control(char) for char in text):
        return True
    short = in_episode and len(body.split()) <= _MAX_SONG_LIKE_WORDS
    return short and (" by " in lowered or any(d in body for d in (" – ", " — ", " - ")))


def _quote_opens_a_song(body: str) -> bool:
    """`"Heroes" David Bowie` or `"Starman by Bowie` is a broken song; a quoted phrase that
    opens a sentence ("Quoted openings" happen in prose, said a reviewer…) is prose."""
    for index in range(1, len(body)):
        if body[index] in QUOTES and (index + 1 == len(body) or not body[index + 1].isalnum()):
            rest = body[index + 1 :]
            return " by " in rest.lower() or len(rest.split()) <= _MAX_AFTER_TITLE_WORDS
    return True  # never closed: a song line missing its closing quote


def song_shaped(text: str) -> bool:
    """A short line with a song's shape: a separator dash, a pair of quotes, or ` by `."""
    body = " ".join(text.split())
    if not body or len(body.split()) > _MAX_SONG_LIKE_WORDS + 3:
        return False
    quotes = sum(body.count(quote) for quote in QUOTES[:5])
    return any(dash in body for dash in (" – ", " — ", " - ")) or quotes >= 2 or " by " in body
