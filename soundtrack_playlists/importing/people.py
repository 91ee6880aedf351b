"""Song lines as people write them on pages, rewritten into the grammar's own forms (pure)."""

from __future__ import annotations

import html
import re
import unicodedata

from soundtrack_playlists.tracklists.grammar import DOUBLE_QUOTES, QUOTES, strip_list_marker
from soundtrack_playlists.tracklists.lines import is_control

# Anchored, bounded and with no overlapping quantifiers: each runs in linear time.
_TIMESTAMP = re.compile(r"^[\[(]?(?P<time>\d{1,2}:\d{2}(?::\d{2})?)[\])]?(?: ?[-–—:|] ?| )")
_TIME_AFTER_ARTIST = re.compile(r" \((?P<time>\d{1,2}:\d{2}(?::\d{2})?)\):? (?=\S)")
# Labels a page puts before a song: `Song: “Title” – Artist`, `Edit: forgot one, …`.
_LABELS = (
    "song",
    "songs",
    "track",
    "edit",
    "theme song",
    "theme",
    "opening song",
    "closing song",
    "end credits",
    "credits song",
    "bonus",
    "also",
    "runners up",
    "runner up",
    "honorable mention",
    "honourable mention",
)
_EDIT_FILLERS = ("forgot one, ", "forgot one: ", "forgot one - ", "also ", "and ")
_DASHES = ("–", "—", "-")
_PORTUGUESE_BY = " por "
_COVER_BY = ", cover by "
_AUDIO_SUFFIXES = (".mp3", ".m4a", ".wav", ".flac")
_MAX_SONGS_ON_A_LINE = 12  # a sentence naming more songs than this is prose


def rewrite_all(text: str) -> tuple[list[str], str | None]:
    """Like `rewrite`, for a line that may hold several separate songs: one text for each.

    `Hold Up – Beyonce / Can’t Get Used to Losing You – Andy Williams` and `A by X, B by Y
    and C by Z` hold two and three songs; any other line comes back as one text.
    """
    line, time = rewrite(text)
    body, _ = strip_list_marker(line)
    group, _, rest = body.partition(": ")
    if group.lower() in ("medley", "mashup", "mash-up") and (shared := _shared_artist(rest)):
        return [f"{group}: " + " and ".join(shared)], time
    if body[:1] in QUOTES and (shared := _shared_artist(body)):
        return shared, time
    if body[:1] in QUOTES or line.lower().startswith(("mashup", "mash-up", "medley")):
        return [line], time
    shared = _shared_artist(body)
    if shared:
        return shared, time
    pieces = body.split(" / ")
    if 1 < len(pieces) <= _MAX_SONGS_ON_A_LINE and all(
        any(f" {d} " in piece for d in _DASHES) for piece in pieces
    ):
        return [piece.strip() for piece in pieces], time
    return _several_by(body) or [line], time


def _shared_artist(body: str) -> list[str] | None:
    """`“Golden Slumbers”, “Carry That Weight” and “The End” by The Beatles` → each title by
    The Beatles. None unless the line is two or more quoted titles and one ` by `."""
    if body[:1] not in QUOTES or body.lower().count(" by ") != 1:
        return None
    titles: list[str] = []
    rest = body
    while rest[:1] in QUOTES:
        family = DOUBLE_QUOTES if rest[0] in DOUBLE_QUOTES else QUOTES[len(DOUBLE_QUOTES) :]
        closing = next((i for i in range(1, len(rest)) if rest[i] in family), -1)
        if closing < 0:
            return None
        titles.append(rest[1:closing].strip().rstrip(","))
        rest = rest[closing + 1 :].lstrip(",").strip()
        for joiner in ("and ", "& ", "/ "):
            rest = rest.removeprefix(joiner)
        if rest.lower().startswith("by "):
            artist = rest[3:].strip()
            if len(titles) < 2 or not artist or any(q in artist for q in DOUBLE_QUOTES):
                return None
            return [f'"{title}" by {artist}' for title in titles]
    return None


def _several_by(body: str) -> list[str] | None:
    """`A by X (note), B by Y and C by Z.` → `"A" by X (note)`, `"B" by Y`, `"C" by Z`."""
    lowered = body.lower()
    if not 2 <= lowered.count(" by ") <= _MAX_SONGS_ON_A_LINE or any(
        quote in body for quote in DOUBLE_QUOTES
    ):
        return None
    songs: list[str] = []
    rest = body
    while " by " in rest.lower():
        position = rest.lower().index(" by ")
        title, after = rest[:position], rest[position + 4 :]
        following = after.lower().find(" by ")
        if following < 0:
            songs.append(f'"{title.strip()}" by {after.strip().rstrip(".")}')
            break
        cut = max(after.rfind(", ", 0, following), after.rfind(" and ", 0, following))
        if cut < 0:
            return None
        artist = after[:cut]
        songs.append(f'"{title.strip()}" by {artist.strip()}')
        rest = after[cut + (2 if after.startswith(", ", cut) else 5) :]
    return songs if len(songs) >= 2 else None


def rewrite(text: str) -> tuple[str, str | None]:
    """The line in a form the grammar reads, and a note taken off it (a leading timestamp).

    Lines already in the grammar's forms come back unchanged, and so does a line holding a
    control character (the grammar reports it).
    """
    if any(is_control(char) for char in text):
        return text, None
    line = " ".join(text.split())
    body, listed = strip_list_marker(line)
    marker = line[: len(line) - len(body)]
    body = _trim_edges(_entities(body))
    body = _drop_label(body)
    body, time = _leading_time(body)
    body = _drop_label(body)
    body = _quoted_comma_title(body)
    body = _unquoted_by(body)
    body = _glued_dash(body)
    body = _double_dash(body)
    body = _portuguese(body)
    body = _cover(body)
    body = _time_after_artist(body)
    body = _audio_suffix(body)
    body = _stray_quote(body)
    body = _versions(body)
    if not listed and marker:
        marker = ""
    return (marker + body if body else line), time


def _entities(body: str) -> str:
    """`Simon &amp; Garfunkel` (an HTML entity copied as text) → `Simon & Garfunkel`."""
    return html.unescape(body) if "&" in body and ";" in body else body


def _trim_edges(body: str) -> str:
    """Emoji and decorations at either end go: `🔥 “Bodak Yellow” by Cardi B 🔥`."""
    start, end = 0, len(body)
    while start < end and _decoration(body[start]):
        start += 1
    while end > start and _decoration(body[end - 1]):
        end -= 1
    trimmed = body[start:end].strip()
    inner = trimmed[1:] if trimmed[:1] in QUOTES else ""
    if inner and inner[:1] != " " and _decoration(inner[0]):  # `“🔥 Title” by A`
        head = 1
        while head < len(trimmed) and (_decoration(trimmed[head]) or trimmed[head] == " "):
            head += 1
        trimmed = trimmed[0] + trimmed[head:]
    return trimmed


def _decoration(char: str) -> bool:
    category = unicodedata.category(char)
    return category in ("So", "Sk", "Cf") or char in "\ufe0f\u200d" or char.isspace()


def _drop_label(body: str) -> str:
    """`Song: “Title” – Artist` → `“Title” – Artist`; `Edit: forgot one, X – Y` → `X – Y`."""
    label, colon, rest = body.partition(": ")
    if not colon or label.lower() not in _LABELS or not rest:
        return body
    if label.lower() == "edit":
        for filler in _EDIT_FILLERS:
            if rest.lower().startswith(filler):
                rest = rest[len(filler) :]
                break
    return rest.strip()


def _leading_time(body: str) -> tuple[str, str | None]:
    """`00:42 Title – Artist`, `[1:02:33] …`, `(00:42) …`: the time goes to the note."""
    match = _TIMESTAMP.match(body)
    if not match or len(body) == match.end():
        return body, None
    return body[match.end() :].strip(), match["time"]


def _quoted_comma_title(body: str) -> str:
    """`“Cold Little Heart,” Michael Kiwanuka` → `“Cold Little Heart” by Michael Kiwanuka`."""
    if body[:1] not in QUOTES:
        return body
    for index in range(1, len(body) - 2):
        if body[index] == "," and body[index + 1] in QUOTES and body[index + 2] == " ":
            rest = body[index + 3 :]
            if rest.lower().startswith(("by ", "performed by ", "sung by ")) or not rest:
                return body[:index] + body[index + 1 :]
            if rest[:1] in _DASHES:
                return body
            return f"{body[:index]}{body[index + 1]} by {rest}"
    return body


def _unquoted_by(body: str) -> str:
    """`Seasons of Love by Shiny Toy Guns - a comment.` → `"Seasons of Love" by Shiny Toy Guns -
    a comment.`: one `by` before the line's first dash, and a sentence after it (`Stand by
    Me - Ben E. King` is a title – artist line)."""
    lowered = f" {body.lower()} "
    if body[:1] in QUOTES or lowered.count(" by ") != 1:
        return body
    position = body.lower().find(" by ")
    dashes = [body.find(f" {dash} ") for dash in _DASHES if f" {dash} " in body]
    if position <= 0 or not dashes or min(dashes) < position:
        return body
    after = body[min(dashes) + 3 :]
    if len(after.split()) < 5 and not after.endswith((".", "!", "?")):
        return body
    return f'"{body[:position]}"{body[position:]}'


def _glued_dash(body: str) -> str:
    """`Paint the Silence- South` → `Paint the Silence - South` (a hyphen glued to a word)."""
    if " - " in body or " – " in body or " — " in body:
        return body
    for dash in _DASHES:
        position = body.find(f"{dash} ")
        if position > 0 and body[position - 1] not in " -–—" and body.count(f"{dash} ") == 1:
            return f"{body[:position]} {dash} {body[position + 2 :]}"
    return body


def _double_dash(body: str) -> str:
    """`"Title" by Artist -- comment`: a double hyphen is a dash."""
    return body.replace(" -- ", " – ", 1) if " -- " in body else body


def _portuguese(body: str) -> str:
    """`Título por Artista – cena` → `"Título" by Artista – cena`."""
    if body[:1] in QUOTES or body.count(_PORTUGUESE_BY) != 1 or " by " in body.lower():
        return body
    title, _, rest = body.partition(_PORTUGUESE_BY)
    if any(quote in title for quote in DOUBLE_QUOTES) or not rest:
        return body
    return f'"{title}" by {rest}'


def _cover(body: str) -> str:
    """`Title- Artist, cover by Band` → `"Title" by Band (cover of Artist)`."""
    lowered = body.lower()
    if body.count(_COVER_BY) != 1 and lowered.count(_COVER_BY) != 1:
        return body
    position = lowered.index(_COVER_BY)
    head, band = body[:position], body[position + len(_COVER_BY) :].strip()
    for dash in (" – ", " — ", " - "):
        if dash in head:
            title, _, original = head.partition(dash)
            if '"' in title or not band:
                return body
            return f'"{title.strip()}" by {band} (cover of {original.strip()})'
    return body


def _time_after_artist(body: str) -> str:
    """`“T” by A (00:04): scene` → `“T” by A – 00:04: scene`: time and scene are the note."""
    if body[:1] not in QUOTES:
        return body
    match = _TIME_AFTER_ARTIST.search(body)
    if not match:
        return body
    return f"{body[: match.start()]} – {match['time']}: {body[match.end() :]}"


def _audio_suffix(body: str) -> str:
    """`Artist - Title.mp3`: a file name's extension is not part of the title."""
    lowered = body.lower()
    for suffix in _AUDIO_SUFFIXES:
        if lowered.endswith(suffix):
            return body[: -len(suffix)]
    return body


def _stray_quote(body: str) -> str:
    """`Charles Trenet – La Mer”`: a closing quote with no opening one marks the title, and
    gets its opening quote; `*The Lighthouse Keeper* – Artist`: Markdown emphasis goes."""
    if body[-1:] in DOUBLE_QUOTES and not any(quote in body[:-1] for quote in DOUBLE_QUOTES):
        for dash in (" – ", " — ", " - "):
            left, found, right = body[:-1].partition(dash)
            if found and right.strip() and dash not in right:
                return f"{left}{dash}“{right.strip()}”"
        body = body[:-1].rstrip()
    for dash in (" – ", " — ", " - "):
        if dash in body:
            left, _, right = body.partition(dash)
            return f"{_unstarred(left)}{dash}{_unstarred(right)}"
    return body


def _unstarred(side: str) -> str:
    if len(side) > 2 and side[0] == side[-1] and side[0] in "*_" and side[1] not in "*_ ":
        return side[1:-1]
    return side


def _versions(body: str) -> str:
    """`Ryan Adams/ Bethany Joy – “When the Stars Go Blue”`: one song, each artist's version —
    the grammar's `Medley: "Title" by A / B`."""
    for dash in (" – ", " — ", " - "):
        artists, found, title = body.partition(dash)
        if found and "/" in artists and title[:1] in QUOTES and title[-1:] in QUOTES:
            names = [name.strip() for name in artists.split("/")]
            if all(names) and "//" not in artists:
                return f'Medley: "{title[1:-1]}" by {" / ".join(names)}'
    return body
