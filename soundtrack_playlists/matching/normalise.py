"""Comparable text: normalised titles and names, title parts, artist readings, cast lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from soundtrack_playlists.models import Song
from soundtrack_playlists.text import fold

_APOSTROPHES = "'\u2019\u2018`\u00b4\u02bc"
_FEAT = r"(?:feat\.?|ft\.?|featuring|with)"
_FEAT_RE = re.compile(rf"^\s*{_FEAT}\s+(?P<who>.+)$", re.IGNORECASE)
_INLINE_FEAT_RE = re.compile(r"\s+(?:feat\.?|ft\.?|featuring)\s+(?P<who>.+)$", re.IGNORECASE)
_BRACKETS_RE = re.compile(r"\s*[\(\[\{](?P<inner>[^\(\)\[\]\{\}]*)[\)\]\}]")
_DASH_SUFFIX_RE = re.compile(r"\s+[-\u2013\u2014]\s+(?P<suffix>.+)$")
# Suffix words that name a version or release rather than the song; such a bracket or
# " - " suffix is dropped from the title (and penalised separately when it is a version word).
_VERSION_INFO_RE = re.compile(
    r"\b(remaster(ed)?|re-?master|version|edit|mix|remix|mono|stereo|live|acoustic|demo|"
    r"instrumental|karaoke|deluxe|bonus|explicit|clean|single|album|radio|"
    r"soundtrack|from|recorded|session|unplugged|cover|tribute|performed|style|"
    r"sped up|slowed|reverb|anniversary|expanded|edition|reprise|extended|\d{4})\b",
    re.IGNORECASE,
)

_ARTIST_SPLIT_RE = re.compile(
    r"\s*(?:,|&|\bfeat\b\.?|\bft\b\.?|\bfeaturing\b|\bwith\b|\bx\b|\band\b|/)\s*", re.IGNORECASE
)


def normalise(text: str) -> str:
    """Comparable form of a title or a name.

    Case, accents, apostrophes ("Reelin'" = "Reelin"), "&" = "and", other punctuation
    ("Blood // Water") and a leading "The" make no difference.
    """
    text = fold(text)
    for apostrophe in _APOSTROPHES:
        text = text.replace(apostrophe, "")
    text = text.replace("&", " and ").replace("+", " and ")
    text = re.sub(r"[^\w\s]|_", " ", text)
    words = text.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class TitleParts:
    """A title taken apart: what identifies the song, and what only names a version."""

    clean: str  # normalised, without credits and version suffixes; other brackets kept
    core: str  # normalised, without any bracket or " - " suffix
    credits: tuple[str, ...] = ()  # artists named in the title: "(feat. SZA)", "(with X)"
    suffixes: tuple[str, ...] = ()  # dropped version info: "2011 Remaster", "Live at ..."


def split_title(title: str) -> TitleParts:
    """Separate a title from its credits and version suffixes.

    "Take It to the Limit - 2013 Remaster" and "Elastic Heart - From "The Hunger Games"
    Soundtrack" are the song plus release info; "Que Sera, Sera (Whatever Will Be, Will Be)"
    keeps its bracket because it is part of the song's name.
    """
    credits: list[str] = []
    suffixes: list[str] = []
    kept = title
    dash = _DASH_SUFFIX_RE.search(kept)
    core_text = kept
    if dash:
        suffix = dash.group("suffix").strip()
        feat = _FEAT_RE.match(suffix)
        if feat:
            credits.extend(_split_names(feat.group("who")))
            kept = kept[: dash.start()]
        elif _VERSION_INFO_RE.search(suffix):
            suffixes.append(suffix)
            kept = kept[: dash.start()]
        core_text = core_text[: dash.start()]

    def bracket(match: re.Match[str]) -> str:
        inner = match.group("inner").strip()
        feat = _FEAT_RE.match(inner)
        if feat:
            credits.extend(_split_names(feat.group("who")))
            return " "
        if _VERSION_INFO_RE.search(inner):
            suffixes.append(inner)
            return " "
        return match.group(0)

    kept = _BRACKETS_RE.sub(bracket, kept)
    inline = _INLINE_FEAT_RE.search(kept)
    if inline:
        credits.extend(_split_names(inline.group("who")))
        kept = kept[: inline.start()]
    core_text = _INLINE_FEAT_RE.sub("", _BRACKETS_RE.sub(" ", core_text))
    clean = normalise(kept)
    core = normalise(core_text) or clean
    return TitleParts(clean or core, core, tuple(credits), tuple(suffixes))


def _split_names(text: str) -> list[str]:
    """The people of a joined credit: "A, B & C feat. D" -> A, B, C, D (as written)."""
    return [part for part in _ARTIST_SPLIT_RE.split(text) if part and part.strip()]


def artist_names(artist: str) -> tuple[str, ...]:
    """The ways one credited artist string may be read: whole, and split into people.

    A catalogue may join several artists in one string ("Barbra Streisand, Céline Dion") while
    some single names contain a comma ("Tyler, The Creator"), so both readings are kept.
    """
    parts = [normalise(part) for part in _split_names(artist)]
    names = [normalise(artist)] + [part for part in parts if part]
    return tuple(dict.fromkeys(name for name in names if name))


def is_cast_recording(song: Song) -> bool:
    """A note saying "cast", or an artist like "Original Broadway Cast of Oliver"."""
    texts = [song.note or "", *song.artists]
    return any(re.search(r"\bcast\b", fold(text)) for text in texts)


def show_of(song: Song, show: str | None = None) -> str | None:
    """The show a cast recording comes from: "... Cast of Oliver" names it, else the season's."""
    for artist in song.artists:
        named = re.search(r"\bcast (?:of|from)\s+(?P<show>.+)$", artist, re.IGNORECASE)
        if named:
            return named.group("show").strip(" '\"!")
    return show if is_cast_recording(song) else None
