"""Version words both ways: which version a line asks for, which one a candidate is, and the gap."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from soundtrack_playlists.matching.normalise import normalise, split_title
from soundtrack_playlists.models import Song, Track
from soundtrack_playlists.text import fold


class Kind(str, Enum):
    """How a version word weighs when only one side has it."""

    IMITATION = "imitation"  # karaoke, tribute, cover: never the song the line names
    VERSION = "version"  # live, acoustic, remix, demo...: another recording of the song
    RELEASE = "release"  # a named mix or edit: counts only when the line asks for it


# (pattern, label, kind), searched in folded text.
_WORDS: tuple[tuple[str, str, Kind], ...] = (
    (r"\bkaraoke\b", "karaoke", Kind.IMITATION),
    (r"\btribute\b", "tribute", Kind.IMITATION),
    (r"\bcover(ed)?\b", "cover", Kind.IMITATION),
    (r"\boriginally performed\b", "originally performed by", Kind.IMITATION),
    (r"\bin the style of\b", "in the style of", Kind.IMITATION),
    (r"\bmade famous\b", "made famous by", Kind.IMITATION),
    (r"\blive\b", "live", Kind.VERSION),
    (r"\bunplugged\b", "unplugged", Kind.VERSION),
    (r"\binstrumental\b", "instrumental", Kind.VERSION),
    (r"\bacoustic\b", "acoustic", Kind.VERSION),
    (r"\b(remix|rmx|re-?mixed)\b", "remix", Kind.VERSION),
    (r"\bdemo\b", "demo", Kind.VERSION),
    (r"\bsped up\b", "sped up", Kind.VERSION),
    (r"\bslowed\b", "slowed", Kind.VERSION),
    (r"\bre-?recorded\b", "re-recorded", Kind.VERSION),
    (r"\bmix\b", "mix", Kind.RELEASE),
    (r"\bedit\b", "edit", Kind.RELEASE),
)
# In an album name only unmistakable forms count: "Live Through This" is a studio album.
_ALBUM_WORDS: tuple[tuple[str, str, Kind], ...] = (
    (r"\bkaraoke\b", "karaoke", Kind.IMITATION),
    (r"\btribute\b", "tribute", Kind.IMITATION),
    (r"\boriginally performed\b", "originally performed by", Kind.IMITATION),
    (r"\bin the style of\b", "in the style of", Kind.IMITATION),
    (r"\bmade famous\b", "made famous by", Kind.IMITATION),
    (r"\blive (at|in|from|on)\b|\(live\)|\blive$", "live", Kind.VERSION),
    (r"\bunplugged\b", "unplugged", Kind.VERSION),
)
_KIND = {label: kind for _, label, kind in _WORDS}
# A version that is also others: an unplugged set is live and acoustic.
_IMPLIES = {"unplugged": frozenset({"live", "acoustic"})}
# Words of a version suffix that say what kind of version it is, not which one.
_GENERIC = frozenset(
    "live at in from on the a an of and version recorded recording remix remixed rmx mix edit "
    "acoustic demo instrumental unplugged session sessions remaster remastered mono stereo "
    "karaoke cover tribute track bonus explicit clean sped up slowed reverb re".split()
)


@dataclass(frozen=True)
class Version:
    """Which version one side is: its labels, the words naming which one, and how it reads."""

    labels: frozenset[str] = frozenset()
    detail: frozenset[str] = frozenset()  # "roseland" of "Live at Roseland"; a remixer's name
    text: str = ""  # the version suffix as written: "Live at Roseland"

    def describe(self) -> str:
        if not self.labels:
            return "the studio recording"
        return f"the {self.text or ' '.join(sorted(self.labels))} version"


def _labels(text: str, table: Iterable[tuple[str, str, Kind]] = _WORDS) -> set[str]:
    folded = fold(text)
    return {label for pattern, label, _ in table if re.search(pattern, folded)}


def _side(title: str, other_title: str, extra: Iterable[str] = ()) -> Version:
    """A title's version: labels of its version suffixes, and version words in its core title
    that the other side's core title lacks ("Believer Acoustic" against "Believer")."""
    parts, other = split_title(title), split_title(other_title)
    labels: set[str] = set(extra)
    detail: set[str] = set()
    texts: list[str] = []
    for suffix in parts.suffixes:
        found = _labels(suffix)
        if found:
            labels |= found
            texts.append(suffix.strip())
            detail |= set(normalise(suffix).split()) - _GENERIC
    labels |= _labels(parts.core) - _labels(other.core)
    return Version(frozenset(labels), frozenset(detail), "; ".join(texts))


def asked(song: Song, track: Track) -> Version:
    """The version a tracklist line asks for (its title's version words, and its note's)."""
    return _side(song.title, track.name, _labels(song.note or ""))


def asked_labels(song: Song) -> frozenset[str]:
    """The version words a line asks for, whatever the candidate: for the search queries."""
    return asked(song, Track(uri="", name=split_title(song.title).core, artists=())).labels


def offered(song: Song, track: Track) -> Version:
    """The version a candidate is: its title, its artists and its album name.

    A version word in the candidate's artists counts unless the line's artists carry it too
    (the band Live is not a live version).
    """
    line_artists = _labels(" ".join(song.artists))
    extra = (_labels(" ".join(track.artists)) - line_artists) | _labels(track.album, _ALBUM_WORDS)
    return _side(track.name, song.title, extra)


def kind_of(label: str) -> Kind:
    return _KIND[label]


@dataclass(frozen=True)
class Gap:
    """One difference between the version asked for and the one offered, named for a person."""

    name: str
    kind: Kind
    missing: bool = False  # the line asks for it and the candidate is not it
    detail: bool = False  # both are that version, but not the same one


def gaps(song: Song, track: Track) -> list[Gap]:
    """Every way the candidate is another version than the line asks for."""
    want, have = asked(song, track), offered(song, track)
    implied = want.labels.union(*(_IMPLIES.get(label, ()) for label in want.labels))
    if implied & _IMPLIES["unplugged"]:
        implied |= {"unplugged"}  # an unplugged set answers a line asking for live or acoustic
    found: list[Gap] = []
    for label in sorted(have.labels - implied):
        if kind_of(label) != Kind.RELEASE:  # a radio edit of a plain line is still the song
            found.append(Gap(label, kind_of(label)))
    for label in sorted(want.labels - have.labels):
        found.append(
            Gap(f"line asks for {label}; candidate is {have.describe()}", kind_of(label), True)
        )
    if want.detail and want.labels <= have.labels:
        shared = len(want.detail & have.detail) / len(want.detail)
        if shared < 0.5:
            name = f"line asks for {want.text}; candidate is {have.describe()}"
            found.append(Gap(name, Kind.VERSION, detail=True))
    return found
