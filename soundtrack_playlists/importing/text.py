"""Plain text and Markdown sources: numbered lines with the Markdown markup taken off (pure)."""

from __future__ import annotations

import re

from soundtrack_playlists.importing.article import SourceLine
from soundtrack_playlists.importing.grids import grid_lines, markdown_grids
from soundtrack_playlists.tracklists.lines import split_lines

# Each is bounded by literal delimiters, with no quantifiers that overlap: linear time.
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()\s]*\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_ITALIC_TITLE = re.compile(
    r"^(?P<marker>(?:\d{1,3}[.)]|[-*+•]) )?(?P<mark>[*_])(?P<title>[^*_]+)(?P=mark)(?= )"
)
_HEADING_WORDS = ("episode", "ep", "s0", "s1", "season")


def text_lines(text: str) -> list[SourceLine]:
    """Every line of a text or Markdown source, numbered from 1; a pipe table's rows become
    song lines read by the table's header names."""
    raw = split_lines(text)
    grids = markdown_grids(raw)
    lines: list[SourceLine] = []
    index = 0
    while index < len(raw):
        if index in grids:
            last, grid = grids[index]
            lines += grid_lines(grid)
            index = last + 1
            continue
        lines.append(SourceLine(index + 1, tidy_markdown(raw[index])))
        index += 1
    return lines


def tidy_markdown(line: str) -> str:
    """`**x**`, `[x](url)`, `\\.`, `> ` and an italic title (`*Title* by A`) become plain text.

    A bold line that looks like an episode heading keeps its `**`: the heading reader takes
    bold as a sign of a heading.
    """
    line = line.strip()
    if line and set(line) <= set("|-: ") and "---" in line:
        return ""  # a Markdown table rule
    while line.startswith(">"):
        line = line[1:].lstrip()
    line = _LINK.sub(r"\1", line)
    if line.startswith(("**", "__")):
        plain = line.replace("**", "").replace("__", "").strip()
        return line if plain.lower().startswith(_HEADING_WORDS) else _ESCAPE.sub(r"\1", plain)
    line = _ESCAPE.sub(r"\1", line.replace("**", "").replace("__", ""))
    if match := _ITALIC_TITLE.match(line):
        line = f'{match["marker"] or ""}"{match["title"]}"{line[match.end() :]}'
    return line
