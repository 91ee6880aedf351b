"""Tables on pages (HTML, Markdown) read by their header names: rows in, song lines out (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from soundtrack_playlists.importing.songlike import SourceLine
from soundtrack_playlists.text import fold
from soundtrack_playlists.tracklists.headings import NUMBER_WORDS

# Header names, folded; the first column found for a key wins.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("track name", "title", "song", "song title", "track", "track title", "name"),
    "artists": (
        "artist name(s)", "artist", "artists", "artist name", "performer", "performers",
        "performed by", "by", "artist(s)", "singer",
    ),
    "episode": ("episode", "episode number", "ep", "ep.", "episode no", "episode #", "no."),
    "episode_title": ("episode title", "episode name"),
    "note": ("scene", "scene description", "note", "notes", "where", "description", "moment"),
    "time": ("time", "timestamp", "time stamp", "at"),
}  # fmt: skip


@dataclass(frozen=True)
class Grid:
    """A table as the page has it: its header cells and its rows, each with its source line."""

    line: int
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def header_columns(header: Sequence[str]) -> dict[str, int] | None:
    """Which column holds what, by header name; None when there is no title column."""
    folded = [fold(" ".join(name.split())).rstrip(":") for name in header]
    found: dict[str, int] = {}
    for key, names in HEADER_NAMES.items():
        for name in names:
            if name in folded and folded.index(name) not in found.values():
                found[key] = folded.index(name)
                break
    return found if "title" in found else None


def grid_lines(grid: Grid) -> list[SourceLine]:
    """Song lines the article reader reads: `"Title" by Artist – scene`, with an episode
    heading line wherever the Episode column changes. A table whose header names no title
    column is one unreadable line that shows the header."""
    columns = header_columns(grid.header)
    if columns is None:
        shown_header = " | ".join(grid.header)
        return [
            SourceLine(
                grid.line,
                shown_header,
                problem=(
                    f"a table with the header `{shown_header}`: no column is named like "
                    "`Song`, `Title` or `Track`, so its rows can't be read as songs"
                ),
            )
        ]
    lines: list[SourceLine] = []
    episode: str | None = None
    for line, cells in grid.rows:
        value = _cell(cells, columns, "episode")
        if value and value != episode:
            episode = value
            title = _cell(cells, columns, "episode_title")
            lines.append(SourceLine(line, _heading(value, title), heading=True))
        song = _song_text(cells, columns)
        if song:
            lines.append(SourceLine(line, song))
    return lines


def _cell(cells: Sequence[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    if index is None or index >= len(cells):
        return ""
    return " ".join(cells[index].split())


def _heading(value: str, title: str) -> str:
    number = NUMBER_WORDS.get(value.lower(), None)
    if value.isdigit() or number is not None:
        return f"Episode {value if value.isdigit() else number}: {title or f'Episode {value}'}"
    return f"{value}: {title}" if title else value  # `S01E02`, `1x02`: the heading reader's


def _song_text(cells: Sequence[str], columns: dict[str, int]) -> str:
    title, artist = _cell(cells, columns, "title"), _cell(cells, columns, "artists")
    if not title:
        return ""
    time, note = _cell(cells, columns, "time"), _cell(cells, columns, "note")
    text = f'"{title.strip(chr(34))}" by {artist}' if artist else title
    if note:
        text += f" – {note}"
    return f"{time} {text}" if time else text


def markdown_grids(texts: Sequence[str]) -> dict[int, tuple[int, Grid]]:
    """Markdown pipe tables: the index of each table's header line → (its last index, grid)."""
    found: dict[int, tuple[int, Grid]] = {}
    index = 0
    while index + 1 < len(texts):
        header, rule = texts[index].strip(), texts[index + 1].strip()
        if not (header.startswith("|") and _is_rule(rule)):
            index += 1
            continue
        end = index + 2
        rows: list[tuple[int, tuple[str, ...]]] = []
        while end < len(texts) and texts[end].strip().startswith("|"):
            rows.append((end + 1, _pipe_cells(texts[end])))
            end += 1
        found[index] = (end - 1, Grid(index + 1, _pipe_cells(header), tuple(rows)))
        index = end
    return found


def _is_rule(text: str) -> bool:
    return bool(text) and "-" in text and set(text) <= set("|-: ")


def _pipe_cells(text: str) -> tuple[str, ...]:
    """`| a | b \\| c |` → ("a", "b | c"): an escaped pipe stays in its cell."""
    body = text.strip().removeprefix("|").removesuffix("|").replace("\\|", "\0")
    return tuple(cell.replace("\0", "|").strip() for cell in body.split("|"))
