"""Lines of an article in, episodes out: each line a heading, song, prose or unreadable."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from soundtrack_playlists.models import Song
from soundtrack_playlists.text import fold, plural
from soundtrack_playlists.tracklists.grammar import (
    ARTIST_TITLE,
    QUOTES,
    TITLE_ARTIST,
    GrammarError,
    SongLine,
    read_song_line,
    strip_list_marker,
)
from soundtrack_playlists.tracklists.headings import Heading, parse_heading
from soundtrack_playlists.tracklists.lines import MAX_LINE_LENGTH, is_control, shown

# Real artist credits are short; prose that opens with a quote and has `" by ` is not.
_MAX_ARTIST_WORDS = 10
_MAX_ARTISTS_LENGTH = 200
# An unquoted `A – B` line outside a list is a song only when it is short and no sentence.
_MAX_BARE_SIDE_WORDS = 8
# A line this short that has ` by ` or a dash in it looks like a song when it can't be read.
_MAX_AFTER_TITLE_WORDS = 6
_MAX_SONG_LIKE_WORDS = 12


@dataclass(frozen=True)
class SourceLine:
    """One line of a source, numbered as the source numbers it."""

    number: int
    text: str
    heading: bool = False  # the source itself marks it as a heading (HTML <h2>, say)


@dataclass(frozen=True)
class Unreadable:
    """A line that looks like a song or heading but can't be read, and why."""

    line: int
    text: str
    reason: str

    def to_json(self) -> dict:
        return {"line": self.line, "text": self.text, "reason": self.reason}


@dataclass(frozen=True)
class ArticleEpisode:
    number: int
    title: str
    line: int
    song_lines: tuple[tuple[Song, ...], ...] = ()  # the songs of each song line, in order

    @property
    def songs(self) -> tuple[Song, ...]:
        return tuple(song for songs in self.song_lines for song in songs)


@dataclass(frozen=True)
class Article:
    episodes: tuple[ArticleEpisode, ...]
    unreadable: tuple[Unreadable, ...] = ()
    prose_lines: int = 0
    order: str | None = None  # how unquoted `A – B` lines were read; None when there are none
    order_reason: str = ""
    notes: tuple[str, ...] = field(default=())  # anything else the reader wants said


@dataclass
class _Open:
    number: int
    title: str
    line: int
    song_lines: list[tuple[Song, ...]] = field(default_factory=list)


def read_article(lines: Sequence[SourceLine], order: str | None = None) -> Article:
    """Classify every line, decide the `A – B` order for the article, gather the episodes."""
    headings: dict[int, Heading | str] = {}  # a heading, or why a heading can't be read
    readings: dict[int, SongLine] = {}
    for index, line in enumerate(lines):
        heading: Heading | str | None
        try:
            heading = parse_heading(line.text, marked=line.heading) if _short(line) else None
        except GrammarError as error:
            heading = str(error)
        if heading is not None:
            headings[index] = heading
        elif (reading := _try_song(line)) is not None:
            readings[index] = reading
    chosen, reason = _decide_order(readings, order)
    failures: dict[int, str] = {}
    if chosen == ARTIST_TITLE:
        for index, reading in list(readings.items()):
            if not reading.unquoted_dash:
                continue
            try:
                readings[index] = read_song_line(
                    lines[index].text, lines[index].number, order=ARTIST_TITLE
                )
            except GrammarError as error:
                del readings[index]
                failures[index] = str(error)
    return _gather(lines, headings, readings, failures, chosen, reason)


def _gather(
    lines: Sequence[SourceLine],
    headings: dict[int, Heading | str],
    readings: dict[int, SongLine],
    failures: dict[int, str],
    order: str | None,
    reason: str,
) -> Article:
    episodes: list[_Open] = []
    unreadable: list[Unreadable] = []
    prose = 0
    current: _Open | None = None
    broken_heading: int | None = None  # songs under an unreadable heading are not folded
    for index, line in enumerate(lines):
        if not line.text.strip():
            continue
        heading = headings.get(index)
        if isinstance(heading, str):
            unreadable.append(Unreadable(line.number, shown(line.text), heading))
            current, broken_heading = None, line.number
            continue
        if heading is not None:
            current = _Open(heading.number, heading.title, line.number)
            episodes.append(current)
            broken_heading = None
            continue
        reading = readings.get(index)
        if reading is None:
            problem = failures.get(index) or _song_problem(line, in_episode=bool(episodes))
            if problem is None:
                prose += 1
            else:
                unreadable.append(Unreadable(line.number, shown(line.text), problem))
        elif current is None and not episodes and _bare(reading, line):
            prose += 1  # "Show – music list" above the first heading is a title, not a song
        elif current is None:
            where = (
                f"under the heading on line {broken_heading}, which could not be read"
                if broken_heading
                else "before the first episode heading"
            )
            unreadable.append(
                Unreadable(
                    line.number, shown(line.text), f"a song {where}: it belongs to no episode"
                )
            )
        else:
            current.song_lines.append(reading.songs)
    return Article(
        episodes=tuple(
            ArticleEpisode(e.number, e.title, e.line, tuple(e.song_lines)) for e in episodes
        ),
        unreadable=tuple(unreadable),
        prose_lines=prose,
        order=order,
        order_reason=reason,
    )


def _bare(reading: SongLine, line: SourceLine) -> bool:
    """An unquoted `A – B` line without a list marker: the weakest sign of a song."""
    return reading.unquoted_dash and not strip_list_marker(" ".join(line.text.split()))[1]


def _short(line: SourceLine) -> bool:
    return len(line.text) <= MAX_LINE_LENGTH


def _try_song(line: SourceLine) -> SongLine | None:
    """The line's songs when it reads as a song line and not as prose that happens to parse."""
    if not line.text.strip() or line.heading or not _short(line):
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
    if reading.unquoted_dash:
        body, listed = strip_list_marker(" ".join(text.split()))
        if not listed:
            return _bare_dash_line(body)
    return True


def _bare_dash_line(body: str) -> bool:
    """`Dead Air – The Regrettes` yes; `The finale – a long one – ends in tears.` no."""
    dashes = sum(body.count(dash) for dash in (" – ", " — ", " - "))
    if dashes != 1 or any(mark in body for mark in ("? ", "! ", "; ")):
        return False
    return all(
        len(side.split()) <= _MAX_BARE_SIDE_WORDS
        for side in body.replace(" — ", " – ").replace(" - ", " – ").split(" – ")
    )


def _song_problem(line: SourceLine, in_episode: bool) -> str | None:
    """Why a song-like line can't be read; None when the line is simply prose.

    Before the first heading only lines that open like a song (a quote, a list marker,
    `Mashup:`) count: an article's title ("Every Song in X, Episode by Episode") is prose.
    """
    text = line.text.strip()
    if not _short(line):
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


def _decide_order(readings: dict[int, SongLine], order: str | None) -> tuple[str | None, str]:
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
    count = plural(len(unquoted), "unquoted `A – B` line")
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
