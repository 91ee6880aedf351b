"""Songs back to text: the one canonical line a song line's songs are written as (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from soundtrack_playlists.models import MASHUP, MEDLEY, Song
from soundtrack_playlists.tracklists.grammar import GrammarError, read_song_line


def render_song_line(songs: Sequence[Song]) -> str:
    """The canonical line for the songs of one line: what `read_song_line` reads back."""
    pins = [song.pin for song in songs if song.pin]
    group = songs[0].group
    if group == MEDLEY and _one_title_several_artists(songs):
        first = songs[0]
        body = f'Medley: "{first.title}" by {" / ".join(s.artists[0] for s in songs)}'
        body += _render_note(first.note)
    elif group in (MASHUP, MEDLEY):
        prefix = "Mashup: " if group == MASHUP else "Medley: "
        body = prefix + " and ".join(_render_one(song) for song in songs)
    else:
        body = " and ".join(_render_one(song) for song in songs)
    return " ".join([body, *pins]) if len(pins) == len(songs) else body


def _one_title_several_artists(songs: Sequence[Song]) -> bool:
    return (
        len(songs) > 1
        and all(len(song.artists) == 1 for song in songs)
        and len({(song.title, song.note) for song in songs}) == 1
    )


def _render_one(song: Song) -> str:
    if song.alternative is not None and _unquoted_safe(song):
        # No quotes: the line says nothing of which side is the title, and resolve tries both.
        return f"{song.title} – {' featuring '.join(song.artists)}{_render_note(song.note)}"
    return f'"{song.title}" by {" featuring ".join(song.artists)}{_render_note(song.note)}'


def _render_note(note: str | None) -> str:
    if not note:
        return ""
    if any(dash in note for dash in (" – ", " — ", " - ")):
        return f" – {note}"  # the grammar takes a note from the line's first dash on
    return f" ({note})" if "(" not in note and ")" not in note else f" — {note}"


def _unquoted_safe(song: Song) -> bool:
    """Whether `Title – Artist` without quotes reads back as this very song."""
    text = f"{song.title} – {' featuring '.join(song.artists)}{_render_note(song.note)}"
    try:
        (again,) = read_song_line(text).songs
    except (GrammarError, ValueError):
        return False
    return (again.title, again.artists, again.note, again.group) == (
        song.title,
        song.artists,
        song.note,
        None,
    )
