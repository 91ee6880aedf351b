"""Scoring one candidate track against one song: settings, named penalties and a verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz

from soundtrack_playlists.matching.forgive import forgive, surname
from soundtrack_playlists.matching.normalise import (
    TitleParts,
    artist_names,
    is_cast_recording,
    normalise,
    split_title,
)
from soundtrack_playlists.matching.versions import Kind, gaps
from soundtrack_playlists.models import Song, Status, Track


@dataclass(frozen=True)
class MatchSettings:
    """Every threshold and weight of matching, in one place, passed in (never a global).

    Similarities and scores are in [0, 1]. A candidate is *matched* only when its total score
    and both its title and artist parts clear the accept bars; it is worth a *review* when they
    clear the lower review bars; anything else is rejected.
    """

    title_weight: float = 0.5
    artist_weight: float = 0.5
    accept_score: float = 0.90
    accept_title: float = 0.90
    accept_artist: float = 0.85  # "Nat King Cole Trio" vs "Nat King Cole" is 0.84: not enough
    review_score: float = 0.70
    review_title: float = 0.75
    review_artist: float = 0.60  # "Eagles" vs "Etta James" is 0.50: not even worth a review
    # Two different recordings whose totals are this close, and which nothing else tells
    # apart, are too close to call.
    margin: float = 0.03
    same_recording_ms: int = 3000  # durations closer than this are taken as one recording
    # One-sided penalties: the candidate has it, the tracklist line doesn't.
    version_penalty: float = 0.25  # live, acoustic, remix, demo, instrumental, sped up, ...
    imitation_penalty: float = 0.5  # karaoke, tribute, cover, "originally performed by", ...
    # The other way: the line asks for a version (live, acoustic, a named remix...) and the
    # candidate is not it, or is another one ("Live at Roseland" asked, "Live in Paris" found).
    # Such a candidate is never matched, at most reviewed.
    missing_version_penalty: float = 0.25
    other_version_penalty: float = 0.15
    # A human slip forgiven (typo, spelling variant, "The", surname, subtitle left out): the
    # part scores this much, and the match stands only when no other candidate comes within
    # `forgive_margin` of it.
    forgiven_similarity: float = 0.95
    forgive_margin: float = 0.10
    extra_artist_penalty: float = 0.05  # the candidate credits someone the line doesn't name
    # Only the core title (brackets and " - " suffix dropped) matches: a little less sure.
    core_title_factor: float = 0.95
    # A cast recording's album naming the show stands in for an artist, up to this much.
    cast_album_credit: float = 0.8
    candidates_kept: int = 5  # candidates remembered for review/unresolved songs


DEFAULT_SETTINGS = MatchSettings()

EXTRA_ARTIST = "extra artist"  # the penalty's name; version penalties are named by their word


class Penalty(NamedTuple):
    """One named deduction from a candidate's score: a version word, or an extra artist."""

    name: str
    value: float


@dataclass(frozen=True)
class Score:
    """A candidate's score and the named parts it is made of, so it can say why."""

    title: float
    artist: float
    penalties: tuple[Penalty, ...] = ()
    total: float = 0.0
    carried_by: str = ""  # which credited artist of the line matched
    verdict: Status = Status.UNRESOLVED  # MATCHED, REVIEW or UNRESOLVED for this candidate alone
    why: str = ""  # the bar it failed, if any
    forgiven: tuple[str, ...] = ()  # the human slips read past: "typo (appletere = appletree)"

    def explain(self) -> str:
        """ "title 1.00, artist 0.90, live -0.25 = 0.70 -> review (score below 0.90)"."""
        parts = [f"title {self.title:.2f}", f"artist {self.artist:.2f}"]
        parts += [f"forgiven: {reason}" for reason in self.forgiven]
        parts += [f"{name} -{value:.2f}" for name, value in self.penalties]
        verdict = _VERDICT_WORDS[self.verdict]
        text = f"{', '.join(parts)} = {self.total:.2f} -> {verdict}"
        return f"{text} ({self.why})" if self.why else text


_VERDICT_WORDS = {
    Status.MATCHED: "accepted",
    Status.REVIEW: "review",
    Status.UNRESOLVED: "rejected",
}


def similarity(a: str, b: str) -> float:
    """Similarity of two normalised strings in [0, 1]; word order does not matter."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return float(max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))) / 100.0


def score(
    song: Song, track: Track, settings: MatchSettings = DEFAULT_SETTINGS, show: str | None = None
) -> Score:
    """Score one candidate track against one tracklist song."""
    wanted = split_title(song.title)
    got = split_title(track.name)
    title, title_slip = _title_similarity(wanted, got, settings)
    artist, carried_by, extra, artist_slip = _artist_similarity(song, wanted, track, got, settings)

    if show is not None and is_cast_recording(song):
        show_name = normalise(show)
        if show_name and set(show_name.split()) <= set(normalise(track.album).split()):
            if settings.cast_album_credit > artist:
                artist, carried_by = settings.cast_album_credit, f"album names {show}"
                artist_slip = ""

    penalties, other_version = _penalties(song, track, extra, settings)
    total = settings.title_weight * title + settings.artist_weight * artist
    total = max(0.0, min(1.0, total - sum(penalty.value for penalty in penalties)))
    verdict, why = _verdict(title, artist, total, settings)
    if other_version and verdict == Status.MATCHED:
        verdict, why = Status.REVIEW, "not the version the line asks for"
    return Score(
        title=round(title, 4),
        artist=round(artist, 4),
        penalties=penalties,
        total=round(total, 4),
        carried_by=carried_by,
        verdict=verdict,
        why=why,
        forgiven=tuple(slip for slip in (title_slip, artist_slip) if slip),
    )


def _title_similarity(
    wanted: TitleParts, got: TitleParts, settings: MatchSettings
) -> tuple[float, str]:
    """The titles without credits and version suffixes; else their cores, a little less sure;
    else a human slip forgiven. Returns the similarity and the slip ("" when none)."""
    title = similarity(wanted.clean, got.clean)
    if title == 1.0:
        return title, ""
    slip = forgive(wanted.clean, got.clean)
    if slip.equal:
        return settings.forgiven_similarity, f"title {slip.reason}"
    core = similarity(wanted.core, got.core)
    if core == 1.0 or wanted.core == got.clean or wanted.clean == got.core:
        if core * settings.core_title_factor > title:
            return core * settings.core_title_factor, "a subtitle left out"
    has_subtitle = wanted.core != wanted.clean or got.core != got.clean
    if has_subtitle and forgive(wanted.core, got.core).equal:
        value = settings.forgiven_similarity * settings.core_title_factor
        return value, f"title {forgive(wanted.core, got.core).reason}, a subtitle left out"
    return title, ""


def _name_similarity(wanted: str, name: str, settings: MatchSettings) -> tuple[float, str]:
    """Two artist names' similarity, a slip (typo, "The", surname) forgiven; and the slip."""
    value = similarity(wanted, name)
    if value == 1.0:
        return value, ""
    if settings.forgiven_similarity <= value:
        return value, ""
    slip = forgive(wanted, name)
    if slip.equal:
        return settings.forgiven_similarity, f"artist {slip.reason}"
    slip = surname(wanted, name)  # its reason names the artist already: "artist by surname"
    if slip.equal:
        return settings.forgiven_similarity, slip.reason
    return value, ""


def _artist_similarity(
    song: Song, wanted: TitleParts, track: Track, got: TitleParts, settings: MatchSettings
) -> tuple[float, str, bool, str]:
    """The best artist similarity, the line's artist that carried it, an extra artist, a slip.

    An extra artist is someone the candidate credits beside the one that matched and the
    line doesn't name: a duet partner or a guest.
    """
    song_artists = [name for artist in song.artists for name in artist_names(artist)]
    song_artists += [normalise(name) for name in wanted.credits]
    song_artists = [name for name in dict.fromkeys(song_artists) if name]
    units = [artist_names(artist) for artist in track.artists]
    units += [artist_names(name) for name in got.credits]

    artist, carried_by, slip = 0.0, "", ""
    unmatched_units = 0
    for names in units:
        best_here = 0.0
        for name in names:
            for wanted_name in song_artists:
                value, why = _name_similarity(wanted_name, name, settings)
                best_here = max(best_here, value)
                if value > artist:
                    artist, carried_by, slip = value, wanted_name, why
        if best_here < settings.accept_artist and not _parts_matched(names, song_artists, settings):
            unmatched_units += 1
    extra = 0 < unmatched_units < len(units) and artist >= settings.accept_artist
    if not slip and carried_by and carried_by not in song_artists[: len(song.artists)]:
        if carried_by in {normalise(name) for name in wanted.credits}:
            slip = "feat. credit read from the title"
    return artist, carried_by, extra, slip


def _parts_matched(names: Sequence[str], wanted: Sequence[str], settings: MatchSettings) -> bool:
    """A joined credit ("A, B") is no extra artist when each of its people is on the line."""
    parts = names[1:]
    if not parts:
        return False
    return all(
        max(similarity(part, name) for name in wanted) >= settings.accept_artist for part in parts
    )


def _penalties(
    song: Song, track: Track, extra_artist: bool, settings: MatchSettings
) -> tuple[tuple[Penalty, ...], bool]:
    """Named penalties, and whether the candidate is not the version the line asks for.

    Both ways: version words the candidate has and the line lacks ("live"), version words the
    line has and the candidate lacks ("line asks for live; candidate is the studio
    recording"), another version of the one asked for; and an extra artist.
    """
    penalties: list[Penalty] = []
    other_version = False
    for gap in gaps(song, track):
        if gap.missing:
            value = settings.missing_version_penalty
        elif gap.detail:
            value = settings.other_version_penalty
        elif gap.kind == Kind.IMITATION:
            value = settings.imitation_penalty
        else:
            value = settings.version_penalty
        other_version = other_version or gap.missing or gap.detail
        penalties.append(Penalty(gap.name, value))
    if extra_artist:
        penalties.append(Penalty(EXTRA_ARTIST, settings.extra_artist_penalty))
    return tuple(penalties), other_version


def _verdict(
    title: float, artist: float, total: float, settings: MatchSettings
) -> tuple[Status, str]:
    """Matched, review or unresolved for this candidate alone, and the bar it failed."""
    if title < settings.review_title:
        return Status.UNRESOLVED, f"title below {settings.review_title:.2f}"
    if artist < settings.review_artist:
        return Status.UNRESOLVED, f"artist below {settings.review_artist:.2f}"
    if total < settings.review_score:
        return Status.UNRESOLVED, f"score below {settings.review_score:.2f}"
    if title < settings.accept_title:
        return Status.REVIEW, f"title below {settings.accept_title:.2f}"
    if artist < settings.accept_artist:
        return Status.REVIEW, f"artist below {settings.accept_artist:.2f}"
    if total < settings.accept_score:
        return Status.REVIEW, f"score below {settings.accept_score:.2f}"
    return Status.MATCHED, ""
