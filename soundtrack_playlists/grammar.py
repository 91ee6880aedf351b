"""The tracklist grammar: one line of text in, songs (or a heading) out. Pure, no files."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from soundtrack_playlists.models import MASHUP, MEDLEY, Song

# What a song line may look like, quoted in every "expected …" message.
EXPECTED_LINE = (
    'expected a song line like `"Title" by Artist`, '
    '`Mashup: "A" by X and "B" by Y`, `Medley: "Song" by A / B / C`, '
    "an `Episode N: Title` heading, a `#` comment or a blank line"
)

_HEADING = re.compile(r"^Episode\s+(?P<number>\d+)\s*:\s*(?P<title>.*?)\s*$", re.IGNORECASE)
# Greedy title: a title may itself contain quotes; the last `" by ` ends it.
_SONG = re.compile(r'^"(?P<title>.*)"\s+by\b\s*(?P<artists>.*)$', re.IGNORECASE)
_MASHUP = re.compile(
    r'^Mashup\s*:\s*"(?P<title1>.*?)"\s+by\b\s*(?P<artists1>.*?)\s+and\s+'
    r'"(?P<title2>.*)"\s+by\b\s*(?P<artists2>.*)$',
    re.IGNORECASE,
)
_MEDLEY = re.compile(r'^Medley\s*:\s*"(?P<title>.*)"\s+by\b\s*(?P<artists>.*)$', re.IGNORECASE)
_FEATURING = re.compile(r"\s+(?:featuring|feat\.|ft\.)(?:\s+|$)", re.IGNORECASE)
_NOTE = re.compile(r"^(?P<artists>.*?)\s*\((?P<note>[^()]*)\)$")
_PIN_TOKEN = re.compile(r"^(?:spotify:\S*|(?:https?://)?open\.spotify\.com/\S*)$", re.IGNORECASE)
_BASE62_ID = r"[0-9A-Za-z]{22}"
_TRACK_URI = re.compile(rf"^spotify:track:(?P<id>{_BASE62_ID})$")
_TRACK_URL = re.compile(
    rf"^(?:https?://)?open\.spotify\.com/(?:intl-[a-z-]+/)?track/"
    rf"(?P<id>{_BASE62_ID})(?:[/?#]\S*)?$",
    re.IGNORECASE,
)


class GrammarError(ValueError):
    """A line that does not follow the grammar; the caller adds the file and line number."""


@dataclass(frozen=True)
class Heading:
    number: int
    title: str


def is_blank_or_comment(text: str) -> bool:
    stripped = text.strip()
    return not stripped or stripped.startswith("#")


def parse_heading(text: str) -> Heading | None:
    match = _HEADING.match(text.strip())
    if not match:
        return None
    title = match["title"]
    if not title:
        raise GrammarError("the episode heading has no title: expected `Episode N: Title`")
    return Heading(int(match["number"]), title)


def parse_pin(token: str) -> str:
    """A pin as written (URI or open.spotify.com URL) → `spotify:track:<id>`."""
    match = _TRACK_URI.match(token) or _TRACK_URL.match(token)
    if not match:
        raise GrammarError(
            f"invalid pin {token!r}: expected a Spotify track URI (spotify:track: and 22 "
            "letters or digits) or an https://open.spotify.com/track/… link"
        )
    return f"spotify:track:{match['id']}"


def parse_song_line(text: str, line: int = 0) -> list[Song]:
    """Songs of one song line: one, two for a mashup, one per artist for a medley."""
    body, pins = _split_pins(text.strip())
    if match := _MASHUP.match(body):
        songs = [
            _song(match["title1"], match["artists1"], MASHUP, line),
            _song(match["title2"], match["artists2"], MASHUP, line),
        ]
    elif match := _MEDLEY.match(body):
        artists_text, note = _split_note(match["artists"])
        songs = [
            _song(match["title"], artist, MEDLEY, line, note=note)
            for artist in _split_medley(artists_text)
        ]
    elif match := _SONG.match(body):
        songs = [_song(match["title"], match["artists"], None, line)]
    else:
        raise GrammarError(EXPECTED_LINE)
    if pins and len(pins) != len(songs):
        raise GrammarError(
            f"this line has {len(songs)} songs but {len(pins)} pins: "
            "give one pin per song, in order, or none"
        )
    if pins:
        songs = [replace(song, pin=pin) for song, pin in zip(songs, pins, strict=True)]
    return songs


def _split_pins(body: str) -> tuple[str, list[str]]:
    """Trailing pin tokens (URIs or links) come off the end of the line, in order."""
    tokens = body.split()
    pins: list[str] = []
    while tokens and _PIN_TOKEN.match(tokens[-1]):
        pins.insert(0, parse_pin(tokens.pop()))
    if not pins:
        return body, []
    return body[: _end_of_nth_token(body, len(tokens))].rstrip(), pins


def _end_of_nth_token(text: str, count: int) -> int:
    """Character offset just after the `count`-th whitespace-separated token."""
    end = 0
    for index, match in enumerate(re.finditer(r"\S+", text)):
        if index == count:
            break
        end = match.end()
    return end


def _split_note(artists_text: str) -> tuple[str, str | None]:
    """`Pacific Electric (cast)` → ("Pacific Electric", "cast"): notes are not artist names."""
    match = _NOTE.match(artists_text.strip())
    if not match or not match["artists"]:
        return artists_text.strip(), None
    return match["artists"], match["note"].strip() or None


def _split_medley(artists_text: str) -> list[str]:
    artists = [artist.strip() for artist in artists_text.split("/")]
    if any(not artist for artist in artists):
        raise GrammarError("a medley lists an empty artist: expected `by A / B / C`")
    return artists


def _song(
    title: str, artists_text: str, group: str | None, line: int, note: str | None = None
) -> Song:
    title = title.strip()
    if not title:
        raise GrammarError('the song title is empty: expected `"Title" by Artist`')
    if note is None:
        artists_text, note = _split_note(artists_text)
    artists = tuple(part.strip() for part in _FEATURING.split(artists_text.strip()))
    if not artists or any(not artist for artist in artists):
        raise GrammarError(f'"{title}" has an empty artist: expected `"{title}" by Artist`')
    return Song(title=title, artists=artists, group=group, note=note, line=line)
