"""CSV and TSV sources with a header row (Exportify exports too): rows in, episodes out (pure)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from soundtrack_playlists.importing.article import Article, ArticleEpisode, Unreadable
from soundtrack_playlists.models import Song
from soundtrack_playlists.text import fold
from soundtrack_playlists.tracklists.credits import split_credits
from soundtrack_playlists.tracklists.grammar import MAX_TITLE_LENGTH, GrammarError, parse_pin
from soundtrack_playlists.tracklists.headings import NUMBER_WORDS, parse_heading
from soundtrack_playlists.tracklists.lines import MAX_LINE_LENGTH, is_control, shown

# Header names people and exporters use, folded; the first column found wins.
COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("track name", "title", "song", "song title", "track", "track title", "name"),
    "artists": ("artist name(s)", "artist", "artists", "artist name", "performer", "performers"),
    "episode": ("episode", "episode number", "ep", "ep.", "episode no", "episode #", "no."),
    "episode_title": ("episode title", "episode name"),
    "note": ("scene", "scene description", "note", "notes", "where"),
    "pin": ("track uri", "spotify uri", "uri", "spotify track uri"),
}


@dataclass
class _Episode:
    number: int
    title: str
    line: int
    song_lines: list[tuple[Song, ...]] = field(default_factory=list)


def is_table(text: str) -> bool:
    """A first line that is a header row naming a title column and an artist column."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if len(first) > MAX_LINE_LENGTH:
        return False
    for delimiter in ("\t", ",", ";"):
        names = {fold(name.strip().strip('"')) for name in first.split(delimiter)}
        if names & set(COLUMNS["title"]) and names & set(COLUMNS["artists"]):
            return True
    return False


def read_table(text: str, *, default_title: str = "Episode 1") -> Article:
    """One song per row; an Episode column spreads the rows over the season's episodes."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max(("\t", ",", ";"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        return Article(episodes=())
    columns = _find_columns(header)
    episodes: dict[int, _Episode] = {}
    unreadable: list[Unreadable] = []
    notes: list[str] = []
    if "episode" not in columns:
        notes.append(f"there is no Episode column: every row is in episode 1, {default_title!r}")
    for line, row in _rows(reader):
        if not any(cell.strip() for cell in row):
            continue
        try:
            number, song = _read_row(row, columns, line)
        except GrammarError as error:
            shown_row = shown(delimiter.join(row))
            unreadable.append(Unreadable(line, shown_row, str(error)))
            continue
        if number not in episodes:
            title = _cell(row, columns, "episode_title")
            if not title:
                title = default_title if "episode" not in columns else f"Episode {number}"
            episodes[number] = _Episode(number, title, line)
        episodes[number].song_lines.append((song,))
    return Article(
        episodes=tuple(
            ArticleEpisode(e.number, e.title, e.line, tuple(e.song_lines))
            for e in sorted(episodes.values(), key=lambda e: e.number)
        ),
        unreadable=tuple(unreadable),
        notes=tuple(notes),
    )


def _rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Rows with the line each ends on; a malformed file is one error naming the line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise GrammarError(
                f"line {reader.line_num}: the file is not valid CSV ({error})"
            ) from None
        yield reader.line_num, row


def _find_columns(header: list[str]) -> dict[str, int]:
    folded = [fold(name.strip()) for name in header]
    found: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for name in names:
            if name in folded:
                found[key] = folded.index(name)
                break
    if "title" not in found or "artists" not in found:
        raise GrammarError(
            "the header row names no title column and artist column: expected columns like "
            "`Track Name` or `Title`, and `Artist Name(s)` or `Artist`"
        )
    return found


def _cell(row: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    if index is None or index >= len(row):
        return ""
    value = row[index]
    if any(is_control(char) for char in value):
        raise GrammarError(f"the {key.replace('_', ' ')} holds a control character")
    return " ".join(value.split())


def _read_row(row: list[str], columns: dict[str, int], line: int) -> tuple[int, Song]:
    title, credit = _cell(row, columns, "title"), _cell(row, columns, "artists")
    if not title:
        raise GrammarError("the row has no title")
    if not credit:
        raise GrammarError(f'"{shown(title)}" has no artist')
    if len(title) > MAX_TITLE_LENGTH:
        raise GrammarError(f"the title is longer than {MAX_TITLE_LENGTH} characters")
    if '" by ' in title:
        raise GrammarError('the title holds `" by `, which a tracklist line cannot hold')
    pin_text = _cell(row, columns, "pin")
    pin = parse_pin(pin_text) if pin_text else None
    song = Song(
        title=title,
        artists=_artists(credit),
        pin=pin,
        note=_cell(row, columns, "note") or None,
        line=line,
    )
    return _episode_number(_cell(row, columns, "episode")) if "episode" in columns else 1, song


def _artists(credit: str) -> tuple[str, ...]:
    """Exportify joins artists with a bare comma ("A,B") and escapes a name's own comma
    ("Tyler\\, The Creator"); "Earth, Wind & Fire" has a space."""
    if "\\," in credit or ("," in credit.replace(", ", "") and ", " not in credit):
        names = [name.replace("\0", ",").strip() for name in credit.replace("\\,", "\0").split(",")]
        artists = tuple(artist for name in names for artist in split_credits(name, commas=False))
    else:
        parts = [credit]
        if "," in credit.replace(", ", ""):
            parts = credit.replace(", ", "\0").split(",")
            parts = [part.replace("\0", ", ") for part in parts]
        artists = tuple(artist for part in parts for artist in split_credits(part.strip()))
    if any(not artist for artist in artists):
        raise GrammarError(f"the artist {shown(credit)!r} has an empty part")
    return artists


def _episode_number(value: str) -> int:
    if value.isdigit():
        return int(value)
    if value.lower() in NUMBER_WORDS:
        return NUMBER_WORDS[value.lower()]
    for text in (value, f"Episode {value}"):
        try:
            heading = parse_heading(f"{text} - x", marked=True)
        except GrammarError:
            heading = None
        if heading is not None:
            return heading.number
    raise GrammarError(f"the episode {shown(value)!r} is not an episode number")
