"""Deciding a song's track from its scored candidates: preference, too-close calls, reasons."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from soundtrack_playlists.matching.normalise import artist_names, split_title
from soundtrack_playlists.matching.score import DEFAULT_SETTINGS, MatchSettings, Score, score
from soundtrack_playlists.models import Song, Status, Track


@dataclass(frozen=True)
class Scored:
    """A track with its score (and the parts of it) against one song."""

    track: Track
    score: Score


@dataclass(frozen=True)
class Candidate:
    """A track considered for a song, as remembered: its total score and why."""

    track: Track
    score: float
    reason: str

    @classmethod
    def of(cls, scored: Scored) -> Candidate:
        return cls(scored.track, scored.score.total, scored.score.explain())


@dataclass(frozen=True)
class Decision:
    """What matching concluded for one song, with the reason and the candidates it weighed."""

    status: Status  # MATCHED, REVIEW or UNRESOLVED
    track: Track | None
    score: float
    reason: str
    candidates: tuple[Candidate, ...] = field(default=())


def _album_rank(track: Track) -> int:
    """The original release first: album or single, then unknown, then a compilation."""
    kind = (track.album_type or "").lower()
    if kind in ("album", "single"):
        return 0
    if kind == "compilation":
        return 2
    return 1


def _suffix_rank(track: Track) -> int:
    """The plain title before a remaster, before an edit or any other version suffix."""
    suffixes = split_title(track.name).suffixes
    if not suffixes:
        return 0
    if all(re.search(r"remaster", suffix, re.IGNORECASE) for suffix in suffixes):
        return 1
    return 2


def _year(track: Track) -> str:
    return track.release_date[:4] if track.release_date else "9999"


def preference(candidate: Scored) -> tuple[float, int, int, str, int, str]:
    """Sort key: best score, then the original release, then popularity as a last resort."""
    track = candidate.track
    popularity = -track.popularity if track.popularity is not None else 1
    return (
        -candidate.score.total,
        _suffix_rank(track),
        _album_rank(track),
        track.release_date or "9999",
        popularity,
        track.uri,
    )


def same_recording(a: Track, b: Track, settings: MatchSettings = DEFAULT_SETTINGS) -> bool:
    """Whether two tracks are one recording released twice (duration is the evidence)."""
    if not a.duration_ms or not b.duration_ms:
        return True
    return abs(a.duration_ms - b.duration_ms) <= settings.same_recording_ms


def _too_close(best: Scored, other: Scored, settings: MatchSettings) -> bool:
    """Two different recordings that score alike and that nothing else tells apart."""
    if other.score.verdict != Status.MATCHED:
        return False
    if best.score.total - other.score.total > settings.margin:
        return False
    if same_recording(best.track, other.track, settings):
        return False
    a, b = best.track, other.track
    if split_title(a.name).clean != split_title(b.name).clean:
        return False
    if (_suffix_rank(a), _album_rank(a)) != (_suffix_rank(b), _album_rank(b)):
        return False
    return _year(a) == _year(b) or "9999" in (_year(a), _year(b))


def _people(track: Track) -> set[str]:
    return {name for artist in track.artists for name in artist_names(artist)}


def _same_song(a: Track, b: Track) -> bool:
    """Two releases of one song by one artist: the same clean title and a shared artist
    ("Tom Petty" and "Tom Petty and the Heartbreakers" share Tom Petty)."""
    if split_title(a.name).clean != split_title(b.name).clean:
        return False
    return bool(_people(a) & _people(b))


def _competitor(best: Scored, others: Iterable[Scored], settings: MatchSettings) -> Scored | None:
    """Another song that fits nearly as well, when the best one needed a slip forgiven.

    A typo, a spelling variant or a surname is forgiven only when nothing else in the
    results competes: "Smille" may be "Smile" or "Smiles" if both are there.
    """
    if not best.score.forgiven:
        return None
    by_surname = any(reason.startswith("artist by surname") for reason in best.score.forgiven)
    for other in others:
        if by_surname and best.score.carried_by in _people(other.track):
            return other  # an artist with exactly the name written: "Pusher", not "Girl Pusher"
        if other.score.verdict == Status.UNRESOLVED or _same_song(best.track, other.track):
            continue
        if other.score.total >= best.score.total - settings.forgive_margin:
            return other
    return None


def decide(
    song: Song,
    tracks: Iterable[Track],
    settings: MatchSettings = DEFAULT_SETTINGS,
    show: str | None = None,
) -> Decision:
    """Pick the track a fan means, or say why none (or which ones to review)."""
    seen: dict[str, Track] = {}
    unplayable: dict[str, Track] = {}
    for track in tracks:
        # One not playable for this user would be a playlist entry nobody can hear.
        (unplayable if track.is_playable is False else seen).setdefault(track.uri, track)
    candidates = sorted(
        (Scored(track, score(song, track, settings, show)) for track in seen.values()),
        key=preference,
    )
    plausible = [c for c in candidates if c.score.verdict != Status.UNRESOLVED]
    kept = tuple(Candidate.of(c) for c in (plausible or candidates)[: settings.candidates_kept])
    if not any(c.score.verdict == Status.MATCHED for c in candidates):
        blocked = _unplayable_match(song, unplayable.values(), settings, show)
        if blocked is not None:
            reason = unplayable_reason(blocked.track)
            return Decision(Status.UNRESOLVED, None, blocked.score.total, reason, kept)
    if not candidates:
        return Decision(Status.UNRESOLVED, None, 0.0, "no candidates found", ())
    best = candidates[0]
    total = best.score.total
    reason = f"{_describe(best.track)}: {best.score.explain()}"
    if best.score.verdict == Status.MATCHED:
        rival = next((c for c in candidates[1:] if _too_close(best, c, settings)), None)
        if rival is not None:
            reason = (
                f"too close to call: {_describe(best.track)} ({total:.2f}) and "
                f"{_describe(rival.track)} ({rival.score.total:.2f}) are different recordings"
            )
            return Decision(Status.REVIEW, None, total, reason, kept)
        rival = _competitor(best, candidates[1:], settings)
        if rival is not None:
            reason = (
                f"{reason}; but {_describe(rival.track)} ({rival.score.total:.2f}) also fits, "
                f"so {'; '.join(best.score.forgiven)} is not forgiven"
            )
            return Decision(Status.REVIEW, None, total, reason, kept)
        return Decision(Status.MATCHED, best.track, total, reason, kept)
    if best.score.verdict == Status.REVIEW:
        return Decision(Status.REVIEW, None, total, reason, kept)
    return Decision(Status.UNRESOLVED, None, total, f"nothing good enough; best {reason}", kept)


def _unplayable_match(
    song: Song, tracks: Iterable[Track], settings: MatchSettings, show: str | None
) -> Scored | None:
    """The best track that matches the song but that the user cannot play, if any."""
    scored = sorted(
        (Scored(track, score(song, track, settings, show)) for track in tracks), key=preference
    )
    return next((c for c in scored if c.score.verdict == Status.MATCHED), None)


def unplayable_reason(track: Track) -> str:
    """Why a song Spotify has is in no playlist: the user's market cannot play it."""
    return (
        f"{_describe(track)} is on Spotify, but not playable in your market "
        f"(restrictions: {track.restriction or 'market'})"
    )


def _describe(track: Track) -> str:
    return f'"{track.name}" by {", ".join(track.artists)}'
