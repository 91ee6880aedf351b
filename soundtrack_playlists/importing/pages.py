"""A page's own structure: its title, the episode it is about, and songs spread over lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from soundtrack_playlists.tracklists.grammar import QUOTES, strip_list_marker

# Anchored or bounded by literals, no overlapping quantifiers: linear time.
_PAGE_NUMBER = (
    re.compile(r"\bs(?:eason ?)?\d{1,3} ?e(?:pisode ?)?(?P<number>\d{1,4})\b", re.I),
    re.compile(r"\b\d{1,3}x(?P<number>\d{1,4})\b"),
    re.compile(r"\b(?:episode|ep\.?|folge|episódio|episodio) ?(?P<number>\d{1,4})\b", re.I),
)
_DATE = re.compile(
    r"^(?:date |(?:mon|tues|wednes|thurs|fri|satur|sun)day, )?"
    r"(?:\d{4}-\d{2}(?:-\d{2})?|[a-z]+ \d{1,2}, \d{4})\b",
    re.I,
)
_TITLE_ONLY = re.compile(r"\(episode: (?P<title>[^()]{1,150})\)$", re.I)
_MAX_TITLE_WORDS = 20
_MAX_SHORT_WORDS = 8
# `Label: text` lines that are no `Artist: Title`.
_NOT_ARTISTS = frozenset(
    "related warning scene buy from note credit update source photo spoiler spoilers "
    "episode season read more watch listen also see".split()
)


@dataclass(frozen=True)
class PageTitle:
    index: int | None  # the line that is the page's title, if any
    title: str
    number: int | None  # the episode number the page gives, if any


def page_title(texts: Sequence[str], songs: set[int]) -> PageTitle:
    """The page's title line (the first short line that is no sentence, no date, no song) and
    the episode number a title line near the top gives (`S3E23`, `Episode 2 songs`)."""
    first: tuple[int, str] | None = None
    opened = False  # past the first line: only a line with an episode number is a title now
    for index, text in enumerate(texts):
        line = " ".join(text.split())
        if not line or _DATE.match(line):
            continue
        if index in songs:
            break
        if _title_like(line) and (number := _number_in(line)):
            return PageTitle(index, _clean_title(line), number)
        if not opened and _title_like(line):
            first = (index, line)
        opened = True
    if first is None:
        return PageTitle(None, "", None)
    return PageTitle(first[0], _clean_title(first[1]), None)


def _title_like(line: str) -> bool:
    return (
        len(line.split()) <= _MAX_TITLE_WORDS
        and not line.endswith((".", "…"))
        and line[:1] not in "-–—•*"
    )


def _number_in(line: str) -> int | None:
    for pattern in _PAGE_NUMBER:
        if match := pattern.search(line):
            return int(match["number"])
    return None


def _clean_title(line: str) -> str:
    return line.removeprefix("#").strip().strip("*").strip().rstrip(":").strip()


def title_only_heading(text: str) -> str | None:
    """`Serena arrives (Episode: “Pilot”)` → "Pilot": a heading that names no number."""
    line = " ".join(text.split())
    match = _TITLE_ONLY.search(line[-160:])
    if not match:
        return None
    title = match["title"].strip()
    if len(title) >= 2 and title[0] in QUOTES and title[-1] in QUOTES:
        title = title[1:-1].strip()
    return title or None


@dataclass
class Spread:
    """Songs a page spreads over lines: index → a song line the grammar reads; and the lines
    that are parts of those songs (an artist on the line below its title)."""

    songs: dict[int, str] = field(default_factory=dict)
    parts: set[int] = field(default_factory=set)
    why: str = ""


def spread_songs(texts: Sequence[str], taken: set[int]) -> Spread:
    """`Artist: Title` lines, `Title, Artist` lines, title-then-artist lines, and a title and
    artist run together with the artist again below (as copied from track-list sites)."""
    spread = Spread()
    _run_together(texts, taken, spread)
    for reader in (_colon_pairs, _comma_pairs, _alternating):
        found = reader(texts, taken | set(spread.songs) | spread.parts)
        if found.songs:
            spread.songs.update(found.songs)
            spread.parts |= found.parts
            spread.why = found.why
    return spread


def _short(line: str) -> bool:
    return (
        0 < len(line.split()) <= _MAX_SHORT_WORDS
        and line[-1:] not in ".!?:;,"
        and not any(quote in line for quote in QUOTES[:5])
    )


def _run_together(texts: Sequence[str], taken: set[int], spread: Spread) -> None:
    for index, text in enumerate(texts):
        body, listed = strip_list_marker(" ".join(text.split()))
        if not listed or index in taken or not _short(body):
            continue
        below = _next_line(texts, index)
        artist = " ".join(texts[below].split()) if below is not None else ""
        if below is not None and artist and body.endswith(artist) and len(body) > len(artist):
            spread.songs[index] = f'"{body[: -len(artist)]}" by {artist}'
            spread.parts.add(below)
            continue
        glue = [i for i in range(1, len(body)) if body[i - 1].islower() and body[i].isupper()]
        if len(glue) == 1:
            spread.songs[index] = f'"{body[: glue[0]]}" by {body[glue[0] :]}'


def _next_line(texts: Sequence[str], index: int) -> int | None:
    for below in range(index + 1, min(index + 3, len(texts))):
        if texts[below].strip():
            return below
    return None


def _colon_pairs(texts: Sequence[str], taken: set[int]) -> Spread:
    found = Spread(why="`Artist: Title` lines")
    for index, text in enumerate(texts):
        line = " ".join(text.split())
        artist, colon, title = line.partition(": ")
        if index in taken or not colon or ": " in title or artist.lower() in _NOT_ARTISTS:
            continue
        if _short(artist) and _short(title) and not strip_list_marker(line)[1]:
            found.songs[index] = f'"{title}" by {artist}'
    return found if len(found.songs) >= 3 else Spread()


def _comma_pairs(texts: Sequence[str], taken: set[int]) -> Spread:
    found = Spread(why="`Title, Artist` lines")
    for index, text in enumerate(texts):
        line = " ".join(text.split())
        title, comma, artist = line.partition(", ")
        if index in taken or not comma or ", " in artist or ":" in line:
            continue
        if _short(title) and _short(artist) and not any(c.isdigit() for c in line):
            below = _next_line(texts, index)
            if below is not None and not _short(" ".join(texts[below].split())):
                found.songs[index] = f'"{title}" by {artist}'
    return found if len(found.songs) >= 2 else Spread()


def _alternating(texts: Sequence[str], taken: set[int]) -> Spread:
    """Runs of short lines between sentences: title, artist, title, artist…"""
    found = Spread(why="titles with their artist on the line below")
    runs: list[list[int]] = [[]]
    for index, text in enumerate(texts):
        line = " ".join(text.split())
        if not line:
            continue
        if index not in taken and _short(line) and not strip_list_marker(line)[1]:
            runs[-1].append(index)
        elif runs[-1]:
            runs.append([])
    pairs = [run for run in runs if run and len(run) % 2 == 0]
    if sum(len(run) for run in pairs) < 6 or len(pairs) < len([run for run in runs if run]) - 1:
        return Spread()
    for run in pairs:
        for title, artist in zip(run[::2], run[1::2], strict=True):
            found.songs[title] = f'"{" ".join(texts[title].split())}" by ' + " ".join(
                texts[artist].split()
            )
            found.parts.add(artist)
    return found
