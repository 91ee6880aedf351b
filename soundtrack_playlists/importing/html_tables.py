"""HTML tables as grids: the header row, and the rows with spanning cells filled in (pure)."""

from __future__ import annotations

from bs4 import Tag

from soundtrack_playlists.importing.grids import Grid, header_columns

_MAX_SPAN = 500


def html_grid(table: Tag) -> Grid | None:
    """The table's header and rows; None for a table without a header row (read as text)."""
    rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
    if not rows:
        return None
    header_row = rows[0]
    cells = _cells(header_row)
    all_headers = all(cell.name == "th" for cell in cells) and bool(cells)
    header = tuple(cell.get_text(" ", strip=True) for cell in cells)
    if not all_headers and header_columns(header) is None:
        return None
    body: list[tuple[int, tuple[str, ...]]] = []
    carried: dict[int, list] = {}  # column → [rows still to fill, text]
    for row in rows[1:]:
        body.append((row.sourceline or header_row.sourceline or 0, _filled(row, carried)))
    return Grid(header_row.sourceline or 0, header, tuple(body))


def _cells(row: Tag) -> list[Tag]:
    return [cell for cell in row.find_all(("td", "th")) if cell.find_parent("tr") is row]


def _filled(row: Tag, carried: dict[int, list]) -> tuple[str, ...]:
    """The row's cells, with the cells spanning down from rows above (`rowspan`) in place."""
    texts: list[str] = []
    column = 0
    for cell in _cells(row):
        while column in carried:
            texts.append(_take(carried, column))
            column += 1
        text = cell.get_text(" ", strip=True)
        span = _span(cell.get("rowspan"))
        for _ in range(_span(cell.get("colspan"))):
            if span > 1:
                carried[column] = [span - 1, text]
            texts.append(text)
            column += 1
    while column in carried:
        texts.append(_take(carried, column))
        column += 1
    return tuple(texts)


def _take(carried: dict[int, list], column: int) -> str:
    remaining, text = carried[column]
    if remaining <= 1:
        del carried[column]
    else:
        carried[column][0] = remaining - 1
    return text


def _span(value: object) -> int:
    text = str(value or "1").strip()
    return min(int(text), _MAX_SPAN) if text.isdigit() and int(text) > 0 else 1
