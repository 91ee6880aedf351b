"""A SOURCE as given on the command line (a file, `-` or a URL) read as text with its format."""

from __future__ import annotations

import codecs
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from soundtrack_playlists.importing.detect import detect_format
from soundtrack_playlists.importing.fetch import MAX_BYTES, Fetched, SourceError, fetch, is_url
from soundtrack_playlists.tracklists.lines import shown

STDIN = "-"


@dataclass(frozen=True)
class Source:
    name: str  # as the user gave it, for messages
    text: str
    format: str
    stem: str  # a fallback episode title for a table without an Episode column
    note: str = ""  # how the bytes were decoded, when that is worth saying


def read_source(
    source: str,
    *,
    stdin: BinaryIO | None = None,
    fetcher: Callable[[str], Fetched] = fetch,
    max_bytes: int = MAX_BYTES,
) -> Source:
    """Read the whole source once; SourceError names it when it can't be read as text."""
    content_type = None
    if source == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise SourceError(f"standard input is larger than {max_bytes // 1_000_000} MB")
        name, stem = "standard input", "Episode 1"
    elif is_url(source):
        fetched = fetcher(source)
        data, content_type = fetched.body, fetched.content_type
        name = " → ".join(fetched.hops) if len(fetched.hops) > 1 else source  # each redirect
        stem = _title_from(Path(urlsplit(source).path).stem)
    else:
        path = Path(source)
        if not path.is_file():
            raise SourceError(f"{shown(source)}: no such file: give a file, `-` or an http(s) URL")
        if path.stat().st_size > max_bytes:
            raise SourceError(f"{shown(source)}: larger than {max_bytes // 1_000_000} MB")
        data, name = path.read_bytes(), source
        stem = _title_from(path.stem)
    text, note = _decode(data, name, content_type)
    return Source(name, text, detect_format(name, text, content_type), stem, note)


def _title_from(stem: str) -> str:
    """`exportify_night-shift-e01` → "exportify night shift e01": an episode title to start with."""
    return " ".join(stem.replace("_", " ").replace("-", " ").split()) or "Episode 1"


def _decode(data: bytes, name: str, content_type: str | None) -> tuple[str, str]:
    """A byte-order mark decides (UTF-16 as Notepad's "Unicode", UTF-8); else UTF-8, else the
    charset the server named, else cp1252 (Windows' "ANSI"), said in a note."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), *_UTF16_BOMS):
        if data.startswith(bom):
            try:
                return data.decode(
                    codec
                ), "" if codec == "utf-8-sig" else f"read as {_NAMES[codec]}"
            except UnicodeDecodeError as error:
                raise SourceError(
                    f"{shown(name)}: the file starts like {_NAMES[codec]} but byte "
                    f"{error.start:,} is not: save it as UTF-8 and import it again"
                ) from None
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError:
        pass
    charset = _charset(content_type)
    if charset:
        try:
            return data.decode(charset), ""
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("cp1252"), "the text is not UTF-8: read as Windows-1252 (cp1252)"
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            f"{shown(name)}:{line}: the text is neither UTF-8 nor Windows-1252 "
            f"(byte {data[error.start]:#04x}): save it as UTF-8 and import it again"
        ) from None


_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_NAMES = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16"}


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"')
    return None
