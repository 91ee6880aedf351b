"""Lines of an article in, episodes out: each line a heading, song, prose or unreadable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from soundtrack_playlists.importing.ambiguity import ambiguous_credits
from soundtrack_playlists.importing.order import UNQUOTED_COUNT, decide_order
from soundtrack_playlists.importing.pages import page_title, spread_songs, title_only_heading
from soundtrack_playlists.importing.people import rewrite_all
from soundtrack_playlists.importing.songlike import (
    SourceLine,
    short,
    song_problem,
    song_shaped,
    try_song,
)
from soundtrack_playlists.models import Song
from soundtrack_playlists.text import plural
from soundtrack_playlists.tracklists.grammar import (
    ARTIST_TITLE,
    QUOTES,
    GrammarError,
    SongLine,
    read_song_line,
    strip_list_marker,
)
from soundtrack_playlists.tracklists.headings import Heading, parse_heading
from soundtrack_playlists.tracklists.lines import shown

__all__ = ["Article", "ArticleEpisode", "SourceLine", "Unreadable", "read_article"]

# Words that mark a page's own title line even when it reads like a song: `“X” – Soundtrack`.
_PAGE_WORDS = ("soundtrack", "songs", "music", "playlist", "tracklist", "track list")


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
    warnings: tuple[str, ...] = field(default=())  # a shortfall or an episode with no songs
    unquoted_lines: int = 0  # unquoted `A – B` lines imported as songs (the order note's count)


@dataclass
class _Open:
    number: int
    title: str
    line: int
    song_lines: list[tuple[Song, ...]] = field(default_factory=list)
    shaped: list[SourceLine] = field(default_factory=list)  # song-shaped lines read as prose


def read_article(
    lines: Sequence[SourceLine], order: str | None = None, episode: int | None = None
) -> Article:
    """Classify every line, decide the `A – B` order for the article, gather the episodes.

    `episode` numbers a page that has no numbered episode heading (`--episode N`).
    """
    rewritten = [rewrite_all(line.text) if short(line) else ([line.text], None) for line in lines]
    headings = _headings(lines)
    readings: dict[int, SongLine] = {}
    for index, (pieces, _) in enumerate(rewritten):
        if index not in headings and not lines[index].heading and not lines[index].problem:
            reading = _read_pieces(pieces, lines[index].number, None)
            if reading is not None:
                readings[index] = reading
    notes: list[str] = []
    texts = [pieces[0] for pieces, _ in rewritten]
    spread = spread_songs(texts, set(headings) | set(readings))
    for index, text in spread.songs.items():
        try:
            readings[index] = read_song_line(text, lines[index].number)
        except GrammarError:
            continue
    if spread.songs:
        notes.append(f"{plural(len(spread.songs), 'song')} read from {spread.why}")
    opening = _page_headings(lines, headings, readings, episode, notes)
    chosen, reason = decide_order(readings, order)
    failures: dict[int, str] = {}
    if chosen == ARTIST_TITLE:
        for index, reading in list(readings.items()):
            if not reading.unquoted_dash or index in spread.songs:
                continue
            try:
                again = _read_pieces(rewritten[index][0], lines[index].number, ARTIST_TITLE)
            except GrammarError as error:
                del readings[index]
                failures[index] = str(error)
                continue
            if again is not None:
                readings[index] = again
    for index, (_, time) in enumerate(rewritten):
        if time and index in readings:
            readings[index] = _timed(readings[index], time)
    separate = {index for index, (pieces, _) in enumerate(rewritten) if len(pieces) > 1}
    gathered = _gather(lines, headings, readings, failures, spread.parts | separate, opening)
    notes += ambiguous_credits(readings, [line.text for line in lines])
    # The note counts the lines it speaks of as the songs are counted: those imported.
    count = plural(gathered.unquoted_lines, "unquoted `A – B` line")
    reason = reason.replace(UNQUOTED_COUNT, count)
    return replace(gathered, order=chosen, order_reason=reason, notes=tuple(notes))


def _read_pieces(pieces: list[str], number: int, order: str | None) -> SongLine | None:
    """The songs of a line that may hold several separate songs, each read on its own.

    With `order` given (re-reading as artist – title) a piece that can't be read raises."""
    readings = []
    for piece in pieces:
        if order is None:
            reading = try_song(SourceLine(number, piece))
        else:
            reading = read_song_line(piece, number, order=order)
        if reading is None:
            return None
        readings.append(reading)
    if len(readings) == 1:
        return readings[0]
    return SongLine(
        tuple(song for reading in readings for song in reading.songs),
        unquoted_dash=any(reading.unquoted_dash for reading in readings),
    )


def _headings(lines: Sequence[SourceLine]) -> dict[int, Heading | str]:
    """Each heading line: its heading, or why a heading can't be read."""
    headings: dict[int, Heading | str] = {}
    for index, line in enumerate(lines):
        heading: Heading | str | None
        try:
            readable = short(line) and not line.problem
            heading = parse_heading(line.text, marked=line.heading) if readable else None
        except GrammarError as error:
            heading = str(error)
        if heading is not None:
            headings[index] = heading
    return headings


def _page_headings(
    lines: Sequence[SourceLine],
    headings: dict[int, Heading | str],
    readings: dict[int, SongLine],
    episode: int | None,
    notes: list[str],
) -> Heading | None:
    """A page without numbered headings: title-only headings are numbered in order, else the
    page is one episode under its title. Returns the heading opened before the first line."""
    if any(isinstance(heading, Heading) for heading in headings.values()) or not readings:
        return None
    titled: dict[int, str] = {}
    for index, line in enumerate(lines):
        title = _unnumbered_title(line.text, headings.get(index))
        if title:
            titled[index] = title
    if titled:
        for number, index in enumerate(sorted(titled), start=1):
            headings[index] = Heading(number, titled[index])
            readings.pop(index, None)
        notes.append(
            f"the page's {plural(len(titled), 'episode heading')} give no number: "
            f"numbered in order, 1 to {len(titled)}"
        )
        return None
    songs = {
        index
        for index in readings
        if not any(word in lines[index].text.lower() for word in _PAGE_WORDS)
    }
    page = page_title([line.text for line in lines], songs)
    number = episode or page.number or 1
    heading = Heading(number, page.title or f"Episode {number}")
    source = (
        "as --episode says"
        if episode
        else "from the page's title"
        if page.number
        else "the page gives no number"
    )
    notes.append(
        f"no numbered episode heading: the page is read as one episode, "
        f"Episode {number}: {heading.title} ({source})"
    )
    if page.index is None:
        return heading
    headings[page.index] = heading
    readings.pop(page.index, None)
    return None


def _unnumbered_title(text: str, heading: Heading | str | None) -> str | None:
    if isinstance(heading, str) and "no episode number" in heading:
        title = text.partition(":")[2].strip()
        if len(title) >= 2 and title[0] in QUOTES and title[-1] in QUOTES:
            title = title[1:-1].strip()
        return title or None
    return title_only_heading(text) if heading is None else None


def _timed(reading: SongLine, time: str) -> SongLine:
    """A leading timestamp becomes the note of the line's first song."""
    first, *rest = reading.songs
    note = f"{time}; {first.note}" if first.note else time
    return replace(reading, songs=(replace(first, note=note), *rest))


def _gather(
    lines: Sequence[SourceLine],
    headings: dict[int, Heading | str],
    readings: dict[int, SongLine],
    failures: dict[int, str],
    parts: set[int],
    opening: Heading | None,
) -> Article:
    episodes: list[_Open] = []
    unreadable: list[Unreadable] = []
    prose = kept_unquoted = 0
    current: _Open | None = None
    if opening is not None:
        current = _Open(opening.number, opening.title, lines[0].number if lines else 1)
        episodes.append(current)
    broken_heading: int | None = None  # songs under an unreadable heading are not folded
    for index, line in enumerate(lines):
        if not line.text.strip() or (index in parts and index not in readings):
            continue
        if line.problem:
            unreadable.append(Unreadable(line.number, shown(line.text), line.problem))
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
            problem = failures.get(index) or song_problem(line, in_episode=bool(episodes))
            if problem is None:
                prose += 1
                if current is not None and song_shaped(line.text):
                    current.shaped.append(line)
            else:
                unreadable.append(Unreadable(line.number, shown(line.text), problem))
        elif current is None and not episodes and _bare(reading, line):
            prose += 1  # "Show – music list" above the first heading is a title, not a song
        elif current is None:
            unreadable.append(_homeless(line, broken_heading))
        elif index in parts:  # several separate songs on one line: one line each
            current.song_lines.extend((song,) for song in reading.songs)
            kept_unquoted += reading.unquoted_dash
        else:
            current.song_lines.append(reading.songs)
            kept_unquoted += reading.unquoted_dash
    return Article(
        episodes=tuple(
            ArticleEpisode(e.number, e.title, e.line, tuple(e.song_lines)) for e in episodes
        ),
        unreadable=tuple(unreadable),
        prose_lines=prose,
        warnings=tuple(warning for episode in episodes for warning in _shortfall(episode)),
        unquoted_lines=kept_unquoted,
    )


def _homeless(line: SourceLine, broken_heading: int | None) -> Unreadable:
    """A song outside every episode: before the first heading or under a broken one."""
    where = (
        f"under the heading on line {broken_heading}, which could not be read"
        if broken_heading
        else "before the first episode heading"
    )
    return Unreadable(line.number, shown(line.text), f"a song {where}: it belongs to no episode")


def _shortfall(episode: _Open) -> list[str]:
    """What to say of an episode that may have lost songs: never silence."""
    said = []
    if not episode.song_lines:
        said.append(f"Episode {episode.number}: {episode.title} has no songs")
    if episode.shaped:
        shown_lines = "; ".join(
            f"line {line.number}: {shown(line.text, 80)}" for line in episode.shaped
        )
        said.append(
            f"Episode {episode.number}: {plural(len(episode.shaped), 'line')} shaped like a song "
            f"{'were' if len(episode.shaped) > 1 else 'was'} read as prose ({shown_lines})"
        )
    return said


def _bare(reading: SongLine, line: SourceLine) -> bool:
    """An unquoted `A – B` line without a list marker: the weakest sign of a song."""
    return reading.unquoted_dash and not strip_list_marker(" ".join(line.text.split()))[1]
