"""Pure matching: normalise titles and artists, score candidates with named parts, decide."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

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
    extra_artist_penalty: float = 0.05  # the candidate credits someone the line doesn't name
    # Only the core title (brackets and " - " suffix dropped) matches: a little less sure.
    core_title_factor: float = 0.95
    # A cast recording's album naming the show stands in for an artist, up to this much.
    cast_album_credit: float = 0.8
    candidates_kept: int = 5  # candidates remembered for review/unresolved songs


DEFAULT_SETTINGS = MatchSettings()


# --- normalisation -------------------------------------------------------------------------

_APOSTROPHES = "'\u2019\u2018`\u00b4\u02bc"
_FEAT = r"(?:feat\.?|ft\.?|featuring|with)"
_FEAT_RE = re.compile(rf"^\s*{_FEAT}\s+(?P<who>.+)$", re.IGNORECASE)
_INLINE_FEAT_RE = re.compile(r"\s+(?:feat\.?|ft\.|featuring)\s+(?P<who>.+)$", re.IGNORECASE)
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

# One-sided version words: (pattern, label, is_imitation). Searched in the candidate's name,
# artists and album; a word the tracklist line also has costs nothing.
_VERSION_WORDS: tuple[tuple[str, str, bool], ...] = (
    (r"\bkaraoke\b", "karaoke", True),
    (r"\btribute\b", "tribute", True),
    (r"\bcover(ed)?\b", "cover", True),
    (r"\boriginally performed\b", "originally performed by", True),
    (r"\bin the style of\b", "in the style of", True),
    (r"\bmade famous\b", "made famous by", True),
    (r"\blive\b", "live", False),
    (r"\bunplugged\b", "unplugged", False),
    (r"\binstrumental\b", "instrumental", False),
    (r"\bacoustic\b", "acoustic", False),
    (r"\b(remix|rmx|re-?mixed)\b", "remix", False),
    (r"\bdemo\b", "demo", False),
    (r"\bsped up\b", "sped up", False),
    (r"\bslowed\b", "slowed", False),
    (r"\bre-?recorded\b", "re-recorded", False),
)
# In an album name only unmistakable forms count: "Live Through This" is a studio album.
_ALBUM_VERSION_WORDS: tuple[tuple[str, str, bool], ...] = (
    (r"\bkaraoke\b", "karaoke", True),
    (r"\btribute\b", "tribute", True),
    (r"\boriginally performed\b", "originally performed by", True),
    (r"\bin the style of\b", "in the style of", True),
    (r"\bmade famous\b", "made famous by", True),
    (r"\blive (at|in|from|on)\b|\(live\)|\blive$", "live", False),
)
_ARTIST_SPLIT_RE = re.compile(
    r"\s*(?:,|&|\bfeat\.?|\bft\.|\bfeaturing\b|\bwith\b|\bx\b|\band\b|/)\s*", re.IGNORECASE
)


def fold(text: str) -> str:
    """Lower case without accents: "Céline" and "CELINE" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


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

    def bracket(match: re.Match) -> str:
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
    return [part for part in _ARTIST_SPLIT_RE.split(text) if part and part.strip()]


def artist_names(artist: str) -> tuple[str, ...]:
    """The ways one credited artist string may be read: whole, and split into people.

    A catalogue may join several artists in one string ("Barbra Streisand, Céline Dion") while
    some single names contain a comma ("Tyler, The Creator"), so both readings are kept.
    """
    parts = [normalise(part) for part in _split_names(artist)]
    names = [normalise(artist)] + [part for part in parts if part]
    return tuple(dict.fromkeys(name for name in names if name))


def similarity(a: str, b: str) -> float:
    """Similarity of two normalised strings in [0, 1]; word order does not matter."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b)) / 100.0


def version_words(track: Track) -> tuple[tuple[str, bool], ...]:
    """Version labels a candidate carries in its name, artists or album: (label, imitation)."""
    found: dict[str, bool] = {}
    text = fold(" ".join((track.name, *track.artists)))
    for pattern, label, imitation in _VERSION_WORDS:
        if re.search(pattern, text):
            found[label] = imitation
    album = fold(track.album)
    for pattern, label, imitation in _ALBUM_VERSION_WORDS:
        if re.search(pattern, album):
            found[label] = imitation
    return tuple(found.items())


def song_text(song: Song) -> str:
    """Everything the tracklist line says, for the one-sided version-word test."""
    return fold(" ".join((song.title, *song.artists, song.note or "")))


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


# --- scoring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """A candidate's score and the named parts it is made of, so it can say why."""

    title: float
    artist: float
    penalties: tuple[tuple[str, float], ...] = ()
    total: float = 0.0
    carried_by: str = ""  # which credited artist of the line matched
    verdict: Status = Status.UNRESOLVED  # MATCHED, REVIEW or UNRESOLVED for this candidate alone
    why: str = ""  # the bar it failed, if any

    def explain(self) -> str:
        parts = [f"title {self.title:.2f}", f"artist {self.artist:.2f}"]
        parts += [f"{name} -{value:.2f}" for name, value in self.penalties]
        verdict = {
            Status.MATCHED: "accepted",
            Status.REVIEW: "review",
            Status.UNRESOLVED: "rejected",
        }[self.verdict]
        text = f"{', '.join(parts)} = {self.total:.2f} -> {verdict}"
        return f"{text} ({self.why})" if self.why else text


def score(
    song: Song, track: Track, settings: MatchSettings = DEFAULT_SETTINGS, show: str | None = None
) -> Score:
    """Score one candidate track against one tracklist song."""
    wanted = split_title(song.title)
    got = split_title(track.name)
    title = similarity(wanted.clean, got.clean)
    if title < 1.0:
        core = similarity(wanted.core, got.core)
        if core == 1.0 or wanted.core == got.clean or wanted.clean == got.core:
            title = max(title, core * settings.core_title_factor)

    song_artists = [name for artist in song.artists for name in artist_names(artist)]
    song_artists += [normalise(name) for name in wanted.credits]
    song_artists = [name for name in dict.fromkeys(song_artists) if name]
    units = [artist_names(artist) for artist in track.artists]
    units += [artist_names(name) for name in got.credits]

    artist, carried_by = 0.0, ""
    unmatched_units = 0
    for names in units:
        best_here = 0.0
        for name in names:
            for wanted_name in song_artists:
                value = similarity(wanted_name, name)
                best_here = max(best_here, value)
                if value > artist:
                    artist, carried_by = value, wanted_name
        if best_here < settings.accept_artist and not _parts_matched(names, song_artists, settings):
            unmatched_units += 1
    # Someone credited beside the artist that matched: a duet or a guest the line doesn't name.
    extra = 0 < unmatched_units < len(units) and artist >= settings.accept_artist

    if show is not None and is_cast_recording(song):
        show_name = normalise(show)
        if show_name and set(show_name.split()) <= set(normalise(track.album).split()):
            if settings.cast_album_credit > artist:
                artist, carried_by = settings.cast_album_credit, f"album names {show}"

    penalties: list[tuple[str, float]] = []
    line = song_text(song)
    for label, imitation in version_words(track):
        if not re.search(rf"\b{re.escape(label)}\b", line):
            penalty = settings.imitation_penalty if imitation else settings.version_penalty
            penalties.append((label, penalty))
    if extra:
        penalties.append(("extra artist", settings.extra_artist_penalty))

    total = settings.title_weight * title + settings.artist_weight * artist
    total = max(0.0, min(1.0, total - sum(value for _, value in penalties)))
    verdict, why = _verdict(title, artist, total, settings)
    return Score(
        title=round(title, 4),
        artist=round(artist, 4),
        penalties=tuple(penalties),
        total=round(total, 4),
        carried_by=carried_by,
        verdict=verdict,
        why=why,
    )


def _parts_matched(names: Sequence[str], wanted: Sequence[str], settings: MatchSettings) -> bool:
    """A joined credit ("A, B") is no extra artist when each of its people is on the line."""
    parts = names[1:]
    if not parts:
        return False
    return all(
        max(similarity(part, name) for name in wanted) >= settings.accept_artist for part in parts
    )


def _verdict(
    title: float, artist: float, total: float, settings: MatchSettings
) -> tuple[Status, str]:
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


# --- deciding ------------------------------------------------------------------------------


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


def preference(candidate: Scored) -> tuple:
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


def decide(
    song: Song,
    tracks: Iterable[Track],
    settings: MatchSettings = DEFAULT_SETTINGS,
    show: str | None = None,
) -> Decision:
    """Pick the track a fan means, or say why none (or which ones to review)."""
    seen: dict[str, Track] = {}
    for track in tracks:
        if track.is_playable is False:
            continue  # not playable for this user: a playlist entry nobody can hear
        seen.setdefault(track.uri, track)
    candidates = sorted(
        (Scored(track, score(song, track, settings, show)) for track in seen.values()),
        key=preference,
    )
    plausible = [c for c in candidates if c.score.verdict != Status.UNRESOLVED]
    kept = tuple(Candidate.of(c) for c in (plausible or candidates)[: settings.candidates_kept])
    if not candidates:
        return Decision(Status.UNRESOLVED, None, 0.0, "no candidates found", ())
    best = candidates[0]
    reason = f"{_describe(best.track)}: {best.score.explain()}"
    if best.score.verdict == Status.MATCHED:
        rival = next((c for c in candidates[1:] if _too_close(best, c, settings)), None)
        if rival is None:
            return Decision(Status.MATCHED, best.track, best.score.total, reason, kept)
        reason = (
            f"too close to call: {_describe(best.track)} ({best.score.total:.2f}) and "
            f"{_describe(rival.track)} ({rival.score.total:.2f}) are different recordings"
        )
        return Decision(Status.REVIEW, None, best.score.total, reason, kept)
    if best.score.verdict == Status.REVIEW:
        return Decision(Status.REVIEW, None, best.score.total, reason, kept)
    return Decision(
        Status.UNRESOLVED, None, best.score.total, f"nothing good enough; best {reason}", kept
    )


def _describe(track: Track) -> str:
    return f'"{track.name}" by {", ".join(track.artists)}'
