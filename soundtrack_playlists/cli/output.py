"""Terminal output: streams that never fail on encoding, colour for statuses, width to fit."""

from __future__ import annotations

import io
import os
import shutil
import sys
import textwrap

import click

from soundtrack_playlists.text import cut

# Status words and their colours; plain when NO_COLOR is set or the stream is no terminal.
STATUS_COLOURS = {
    "in sync": "green",
    "differs": "yellow",
    "missing": "yellow",
    "skipped": "red",
    "no playlist": "bright_black",
    "matched": "green",
    "pinned": "cyan",
    "review": "yellow",
    "unresolved": "red",
}


def tolerate_any_encoding() -> None:
    """Characters the terminal's encoding lacks become `?`, never a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


def colour_enabled(err: bool = False) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR", "") != "":
        return False
    stream = sys.stderr if err else sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def status_word(word: str, width: int = 0, *, colour: bool | None = None) -> str:
    """The status word padded to `width`, coloured when colour is on."""
    padded = word.ljust(width)
    use = colour_enabled() if colour is None else colour
    colour_name = STATUS_COLOURS.get(word)
    if not use or colour_name is None:
        return padded
    return click.style(word, fg=colour_name) + padded[len(word) :]


def terminal_width() -> int:
    """The terminal's width (COLUMNS wins), 80 when unknown; at least 40."""
    return max(40, shutil.get_terminal_size((80, 24)).columns)


def wrap(text: str, width: int, indent: int) -> str:
    """Each line wrapped between words to `width`, its continuation lines indented."""
    return "\n".join(
        textwrap.fill(line, width, subsequent_indent=" " * indent, break_long_words=False)
        for line in text.splitlines()
    )


def fit(text: str, width: int) -> str:
    """One line cut to `width` columns (a wide character takes two), ending in `…` when cut."""
    return cut(text, width)
