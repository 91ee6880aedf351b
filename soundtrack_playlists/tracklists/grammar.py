"""The tracklist grammar: one song line in, songs out, and songs back to one line (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from soundtrack_playlists.models import MASHUP, MEDLEY, Song
from soundtrack_playlists.tracklists.credits import split_credits
from soundtrack_playlists.tracklists.lines import MAX_LINE_LENGTH, is_control, shown

# What a song line may look like, quoted in every "expected …" message.
EXPECTED_LINE = (
    'expected a song line like `"Title" by Artist`, '
    '`Mashup: "A" by X and "B" by Y`, `Medley: "Song" by A / B / C`, '
    "an `Episode N: Title` heading, a `#` comment or a blank line"
)
TITLE_ARTIST, ARTIST_TITLE = "title-artist", "artist-title"
MAX_TITLE_LENGTH = 200

# Every regular expression here is anchored and has no two unbounded quantifiers that could
# match the same text, so each runs in linear time; lines are single-spaced before matching.
_PIN_TOKEN = re.compile(r"^(?:spotify:\S*|(?:https?://)?open\.spotify\.com/\S*)$", re.IGNORECASE)
_BASE62_ID = r"[0-9A-Za-z]{22}"
_TRACK_URI = re.compile(rf"^spotify:track:(?P<id>{_BASE62_ID})$")
_TRACK_URL = re.compile(
    rf"^(?:https?://)?open\.spotify\.com/(?:intl-[a-z-]+/)?track/"
    rf"(?P<id>{_BASE62_ID})(?:[/?#]\S*)?$",
    re.IGNORECASE,
)
_LIST_MARKER = re.compile(r"^(?:\d{1,3}[.)]|[-*•·–—+]) ")
_GROUP_PREFIX = re.compile(r"^(?P<group>mash-?up|medley)(?: of)?(?::| -| –| —)? ", re.IGNORECASE)
_GROUP_SUFFIX = re.compile(r" [(\[](?P<group>mash-?up|medley)[)\]]$", re.IGNORECASE)

DOUBLE_QUOTES = '"“”„«»'
SINGLE_QUOTES = "'‘’"
QUOTES = DOUBLE_QUOTES + SINGLE_QUOTES
# What may follow a quoted title: the artist comes after it.
_CONNECTORS = (" performed by ", " sung by ", " by ", " – ", " — ", " - ", ", by ", ": ")
_DASHES = (" – ", " — ", " - ")
# Trailing dots that belong to the name: "Harry Connick Jr.", "The B-52's" is fine anyway.
_ABBREVIATIONS = ("jr.", "sr.", "bros.", "co.", "inc.", "st.", "mr.", "mrs.", "dr.", "vol.")


class GrammarError(ValueError):
    """A line that does not follow the grammar; the caller adds the file and line number."""


@dataclass(frozen=True)
class SongLine:
    """A read song line: its songs and which way round an unquoted `A – B` was read."""

    songs: tuple[Song, ...]
    order_hint: str | None = None  # TITLE_ARTIST/ARTIST_TITLE when quotes say which is which
    unquoted_dash: bool = False  # `A – B` without quotes: the article decides the order


def single_spaced(text: str) -> str:
    """Checked and tidied: bounded length, no control characters, runs of spaces as one."""
    if len(text) > MAX_LINE_LENGTH:
        raise GrammarError(
            f"the line is {len(text):,} characters long: the longest line read is "
            f"{MAX_LINE_LENGTH:,}"
        )
    for char in text:
        if is_control(char):
            raise GrammarError(
                f"the line holds the control character {ascii(char)[1:-1]}: remove it and run again"
            )
    return " ".join(text.split())


def is_blank_or_comment(text: str) -> bool:
    stripped = text.strip()
    return not stripped or stripped.startswith("#")


def strip_list_marker(text: str) -> tuple[str, bool]:
    """`1. X`, `2) X`, `- X`, `* X`, `• X` → (X, True)."""
    match = _LIST_MARKER.match(text)
    if not match:
        return text, False
    return text[match.end() :], True


# --- pins ---


def parse_pin(token: str) -> str:
    """A pin as written (URI or open.spotify.com URL) → `spotify:track:<id>`."""
    match = _TRACK_URI.match(token) or _TRACK_URL.match(token)
    if not match:
        raise GrammarError(
            f"invalid pin {shown(token)!r}: expected a Spotify track URI (spotify:track: and 22 "
            "letters or digits) or an https://open.spotify.com/track/… link"
        )
    return f"spotify:track:{match['id']}"


def _split_pins(body: str) -> tuple[str, list[str]]:
    """Trailing pin tokens (URIs or links) come off the end of the line, in order."""
    tokens = body.split(" ")
    pins: list[str] = []
    while tokens and _PIN_TOKEN.match(tokens[-1]):
        pins.insert(0, parse_pin(tokens.pop()))
    return " ".join(tokens), pins


# --- song lines ---


def parse_song_line(text: str, line: int = 0, *, order: str = TITLE_ARTIST) -> list[Song]:
    """Songs of one song line: one, one per song of a mashup, one per artist of a medley."""
    return list(read_song_line(text, line, order=order).songs)


def read_song_line(text: str, line: int = 0, *, order: str = TITLE_ARTIST) -> SongLine:
    """One song line in any accepted form; GrammarError says what is wrong with it."""
    body, listed = strip_list_marker(single_spaced(text))
    body, pins = _split_pins(body)
    group, body = _group_of(body)
    segments = _split_songs(body)
    if group is None and len(segments) > 1:
        raise GrammarError(
            f"this line holds {len(segments)} songs: start it with `Mashup:` or `Medley:` "
            "to keep them together, or put each song on its own line"
        )
    hint, unquoted = None, False
    if group == MEDLEY and len(segments) == 1:
        songs, hint = _one_title_medley(body, line, listed, order)
    else:
        songs = []
        for segment in segments:
            song, hint, unquoted = _one_song(segment, group, line, listed, order)
            songs.append(song)
    if group == MASHUP and len(songs) < 2:
        raise GrammarError('a mashup needs two or more songs: `Mashup: "A" by X and "B" by Y`')
    if pins and len(pins) != len(songs):
        raise GrammarError(
            f"this line has {len(songs)} songs but {len(pins)} pins: "
            "give one pin per song, in order, or none"
        )
    if pins:
        songs = [replace(song, pin=pin) for song, pin in zip(songs, pins, strict=True)]
    return SongLine(tuple(songs), hint, unquoted)


def _group_of(body: str) -> tuple[str | None, str]:
    if match := _GROUP_PREFIX.match(body):
        group = MASHUP if match["group"].lower().startswith("mash") else MEDLEY
        return group, body[match.end() :]
    if match := _GROUP_SUFFIX.search(body[-12:]):
        group = MASHUP if match["group"].lower().startswith("mash") else MEDLEY
        return group, body[: len(body) - len(match[0])]
    return None, body


_SONG_SEPARATORS = (" and ", ", and ", ", ", " / ", "; ", " + ", " & ", " with ", " vs. ", " vs ")


def _split_songs(body: str) -> list[str]:
    """`"A" by X and "B" by Y` → two segments: a new song starts at a quote after a separator."""
    segments: list[str] = []
    start = 0
    for index, char in enumerate(body):
        if char not in QUOTES or index == 0 or body[index - 1] != " ":
            continue
        before = body[start:index]
        for separator in _SONG_SEPARATORS:
            if before.endswith(separator) and _has_artist_part(before[: -len(separator)]):
                segments.append(before[: -len(separator)])
                start = index
                break
    segments.append(body[start:])
    return segments


def _has_artist_part(segment: str) -> bool:
    """A finished song before a separator: a quoted title and something credited after it."""
    if not segment or segment[0] not in QUOTES:
        return False
    try:
        _quoted_title(segment)
    except GrammarError:
        return False
    return True


def _quoted_title(segment: str) -> tuple[str, str, str]:
    """`"T" by A` → (T, connector, A): the last closing quote that a connector follows ends it."""
    opening = segment[0]
    family = DOUBLE_QUOTES if opening in DOUBLE_QUOTES else SINGLE_QUOTES
    lowered = segment.lower() + " "  # the space lets a bare trailing ` by` match
    best: tuple[int, str] | None = None
    has_closing = False
    for index in range(1, len(segment)):
        if segment[index] not in family:
            continue
        if index + 1 == len(segment) or segment[index + 1] in " ,.;:!?)":
            has_closing = True
        for connector in _CONNECTORS:
            if lowered.startswith(connector, index + 1):
                best = (index, connector)
                break
    if best is None:
        if not has_closing:
            raise GrammarError(
                f"curly or straight quotes around the title are fine, but this line has only "
                f"an opening quote ({opening}): close the title with a quote"
            )
        raise GrammarError(
            'expected a song line like `"Title" by Artist`: the quoted title needs '
            "` by Artist` after it"
        )
    index, connector = best
    return segment[1:index], connector, segment[index + 1 + len(connector) :].strip()


def _one_song(
    segment: str, group: str | None, line: int, listed: bool, order: str
) -> tuple[Song, str | None, bool]:
    """One song in any single-song form, with what it says about the article's order."""
    segment = segment.strip()
    if segment and segment[0] in QUOTES:
        title, connector, artists_text = _quoted_title(segment)
        hint = TITLE_ARTIST if connector.strip() in "–—-" else None
        return _song(title, artists_text, group, line), hint, False
    song = _artist_dash_quoted_title(segment, group, line)
    if song is not None:
        return song, ARTIST_TITLE, False
    lowered = f" {segment.lower()} "
    by_count = lowered.count(" by ")
    dash = next((d for d in _DASHES if d in segment), None)
    if dash is not None:
        left, _, right = segment.partition(dash)
        if order == ARTIST_TITLE:
            title, note = _split_trailing_dash(right)
            title, title_note = _split_title_note(_tidy(title))
            note = "; ".join(part for part in (title_note, note) if part) or None
            song = _song(_tidy(title), left, group, line, note=note)
        else:
            song = _song(_tidy(left), right, group, line)
        other = (" & ".join(song.artists), split_credits(song.title))  # both readings are kept
        return replace(song, alternative=other if group is None else None), None, True
    if any(f"{quote} by " in segment for quote in QUOTES):
        raise GrammarError(
            "this line has a closing quote but no opening quote: curly or straight quotes "
            "around the title are fine, but both are needed"
        )
    if by_count == 1 and listed:
        position = lowered.index(" by ")
        title, artists_text = segment[: position - 1], segment[position + 3 :]
        return _song(_tidy(title), artists_text, group, line), None, False
    if by_count == 1:
        raise GrammarError(
            "an unquoted `Title by Artist` is read only as a list item (`- Title by Artist`): "
            'expected a song line like `"Title" by Artist`, with the title in quotes'
        )
    if by_count > 1:
        raise GrammarError(
            "`by` appears more than once, so the title's end is unclear: put the title in quotes"
        )
    raise GrammarError(EXPECTED_LINE)


def _artist_dash_quoted_title(segment: str, group: str | None, line: int) -> Song | None:
    """`Artist – "Title"`, a note after it in brackets or after a dash: the quoted part is the
    title. None when the line has no dash followed by a quote."""
    for dash in _DASHES:
        position = segment.find(dash)
        if position <= 0:
            continue
        quoted = segment[position + len(dash) :]
        if not quoted or quoted[0] not in QUOTES:
            continue
        closing = _closing_before_note(quoted)
        if closing is None:
            return None
        note_text = quoted[closing + 1 :].strip()
        for note_dash in ("– ", "— ", "- "):
            note_text = note_text.removeprefix(note_dash)
        note = note_text.removeprefix("(").removesuffix(")").strip() or None
        return _song(quoted[1:closing], segment[:position], group, line, note=note)
    return None


def _closing_before_note(quoted: str) -> int | None:
    """The title's closing quote: the last one that ends the line or that a note follows."""
    family = DOUBLE_QUOTES if quoted[0] in DOUBLE_QUOTES else SINGLE_QUOTES
    for index in range(len(quoted) - 1, 0, -1):
        if quoted[index] not in family:
            continue
        if index + 1 == len(quoted) or quoted.startswith((" (", " – ", " — ", " - "), index + 1):
            return index
    return None


def _one_title_medley(
    body: str, line: int, listed: bool, order: str
) -> tuple[list[Song], str | None]:
    """`Medley: "Song" by A / B / C`: one song sung in turn by several artists."""
    first, hint, _ = _one_song(body, MEDLEY, line, listed, order)
    artists_text = " / ".join(first.artists) if len(first.artists) == 1 else None
    if artists_text is None or "/" not in artists_text:
        return [first], hint
    artists = [artist.strip() for artist in artists_text.split("/")]
    if any(not artist for artist in artists):
        raise GrammarError("a medley lists an empty artist: expected `by A / B / C`")
    return [_song(first.title, artist, MEDLEY, line, note=first.note) for artist in artists], hint


def _split_trailing_dash(text: str) -> tuple[str, str | None]:
    for dash in _DASHES:
        if dash in text:
            head, _, note = text.partition(dash)
            note = note.strip()  # a one-sentence note loses its full stop
            return head, (note[:-1] if note.count(".") == 1 and note[-1] == "." else note) or None
    return text, None


def _split_notes(artists_text: str) -> tuple[str, str | None]:
    """Scene notes come off the credit: ` — Scene: …`, `. Scene: …`, `(plays as …)`, `(cast)`."""
    notes: list[str] = []
    text, dash_note = _split_trailing_dash(artists_text)
    text = text.strip()
    if text.endswith(")") and "(" in text:
        opening = text.rfind("(")
        inner = text[opening + 1 : -1].strip()
        if opening > 0 and "(" not in inner and not _is_credit(inner):
            notes.append(inner)
            text = text[:opening]
    for marker in (". Scene:", ", Scene:", "; Scene:", " Scene:"):
        position = text.find(marker)
        if position > 0:
            notes.insert(0, text[position + len(marker) - len("Scene:") :].strip())
            text = text[:position]
            break
    if dash_note:
        notes.append(dash_note)
    return text.strip(), "; ".join(note for note in notes if note) or None


_NOTE_WORDS = ("plays", "played", "scene", "during", "over ", "cast", "sung", "heard", "as ")


def _split_title_note(title: str) -> tuple[str, str | None]:
    """An unquoted title keeps its own brackets, "Don't You (Forget About Me)", but not a
    scene note like "(plays over the credits)"."""
    if not title.endswith(")") or "(" not in title:
        return title, None
    opening = title.rfind("(")
    inner = title[opening + 1 : -1].strip()
    if opening == 0 or not inner.lower().startswith(_NOTE_WORDS):
        return title, None
    return title[:opening].strip(), inner


def _is_credit(text: str) -> bool:
    return text.split(" ", 1)[0].lower() in {"feat.", "feat", "featuring", "ft.", "ft", "with"}


def _tidy(text: str) -> str:
    """Trailing punctuation is not part of a name, unless it ends an abbreviation."""
    text = text.strip()
    while text and text[-1] in ".,;:" and not _abbreviated(text):
        text = text[:-1].rstrip()
    return text


def _abbreviated(text: str) -> bool:
    """`Jr.`, `St.` and initials (`R.E.M.`, `k.d.`) keep their final dot."""
    if not text.endswith("."):
        return False
    return text.lower().endswith(_ABBREVIATIONS) or (len(text) >= 3 and text[-3] == ".")


def _song(
    title: str, artists_text: str, group: str | None, line: int, note: str | None = None
) -> Song:
    title = title.strip()
    if not title:
        raise GrammarError('the song title is empty: expected `"Title" by Artist`')
    if len(title) > MAX_TITLE_LENGTH:
        raise GrammarError(
            f"the title is {len(title):,} characters long: the longest title read is "
            f"{MAX_TITLE_LENGTH}"
        )
    text, found_note = _split_notes(artists_text)
    note = "; ".join(part for part in (note, found_note) if part) or None
    text = _tidy(text)
    if text.endswith(")") and "(" in text:  # `A (feat. B)`: the bracket is a credit
        opening = text.rfind("(")
        text = f"{text[:opening].strip()} {text[opening + 1 : -1]}"
    artists = split_credits(text)
    if not text or any(not artist for artist in artists):
        raise GrammarError(f'"{shown(title)}" has an empty artist: expected `"Title" by Artist`')
    return Song(title=title, artists=artists, group=group, note=note, line=line)
