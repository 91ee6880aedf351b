"""The query cascade: the searches to try for one song, run until a confident match."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from soundtrack_playlists.matching.decide import Decision, decide
from soundtrack_playlists.matching.normalise import normalise, show_of
from soundtrack_playlists.matching.score import DEFAULT_SETTINGS, MatchSettings
from soundtrack_playlists.matching.versions import asked_labels
from soundtrack_playlists.models import Song, Status, Track

Search = Callable[[str], Sequence[Track]]


def _quoted(text: str) -> str:
    """Text safe inside a q phrase: no double quotes, single spaces."""
    return " ".join(text.replace('"', " ").split())


def core_title(title: str) -> str:
    """The title as written without brackets, a " - " suffix or an inline feat. credit:
    "Smile (Live)" -> "Smile", "Flames feat. ZAYN" -> "Flames"."""
    text = re.split(r"\s+[-\u2013\u2014]\s+", title, maxsplit=1)[0]
    text = re.sub(r"\s*[\(\[\{][^\)\]\}]*[\)\]\}]", " ", text)
    text = re.split(r"\s+(?:feat\.?|ft\.?|featuring)\s+", text, maxsplit=1, flags=re.IGNORECASE)[0]
    return _quoted(text) or _quoted(title)


@dataclass(frozen=True)
class Query:
    """One search of the cascade: the q text and which rung of the cascade it is."""

    text: str
    kind: str  # "track+artist", "cast album", "version", "core title", "title", "free words"


PAGE = 10  # Spotify's most results per search request: a query must be good to find a song


def queries_for(song: Song, show: str | None = None) -> list[Query]:
    """The searches to try for a song, most precise first, without repeats.

    Search shows 10 results at most, so the precise `track:"…" artist:"…"` forms come first
    (one per credited artist); the looser ones find what spelling or credits hide from them:
    a cast album named after the show, the core title with the version words the line asks
    for ("live" may be in the album's name only), the core title, the title alone (the artist
    is left to scoring), and free words.
    """
    title = _quoted(song.title)
    core = core_title(song.title)
    artists = [_quoted(artist) for artist in song.artists if _quoted(artist)]
    queries = [Query(f'track:"{title}" artist:"{artist}"', "track+artist") for artist in artists]
    cast_show = show_of(song, show)
    if cast_show:
        queries.append(Query(f'track:"{core}" album:"{_quoted(cast_show)}"', "cast album"))
    versions = sorted(asked_labels(song))
    if versions and artists:
        words = " ".join(versions)
        queries.append(Query(f'track:"{core}" artist:"{artists[0]}" {words}', "version"))
    if core != title and artists:
        queries.append(Query(f'track:"{core}" artist:"{artists[0]}"', "core title"))
    queries.append(Query(f'track:"{core}"', "title"))
    if artists:
        queries.append(Query(f"{normalise(core)} {normalise(artists[0])}", "free words"))
    unique: dict[str, Query] = {}
    for query in queries:
        unique.setdefault(query.text, query)
    return list(unique.values())


def resolve_song(
    song: Song,
    search: Search,
    settings: MatchSettings = DEFAULT_SETTINGS,
    show: str | None = None,
) -> tuple[Decision, int]:
    """Run the cascade until a confident match; return the decision and the searches made.

    No rung is skipped for what an earlier one returned: Spotify's search is fuzzy and ranks
    by popularity, so a short page for the title says nothing about what free words find.
    A song whose line doesn't say which side is the title (`A – B`) is searched as read first
    and the other way round only when that finds no confident match; the better one wins,
    and its reason says which reading it was.
    """
    decision, searches = _cascade(song, search, settings, show)
    other = song.the_other_way()
    if other is None or decision.status == Status.MATCHED:
        return decision, searches
    turned, more = _cascade(other, search, settings, show)
    if turned.status == Status.MATCHED or turned.score > decision.score:
        reading = f"read the other way round, “{other.title}” by {', '.join(other.artists)}"
        return replace(turned, reason=f"{reading}: {turned.reason}"), searches + more
    return decision, searches + more


def _cascade(
    song: Song, search: Search, settings: MatchSettings, show: str | None
) -> tuple[Decision, int]:
    seen: dict[str, Track] = {}
    decision = Decision(Status.UNRESOLVED, None, 0.0, "no search made", ())
    searches = 0
    for query in queries_for(song, show):
        results = list(search(query.text))
        searches += 1
        fresh = [track for track in results if track.uri not in seen]
        for track in fresh:
            seen[track.uri] = track
        if fresh or searches == 1:
            decision = decide(song, seen.values(), settings, show_of(song, show))
        if decision.status == Status.MATCHED:
            break
    if decision.status == Status.MATCHED and "artist by surname" in decision.reason:
        decision = _check_surname(song, decision, search, seen, settings, show)
        searches += 1
    return decision, searches


def _check_surname(
    song: Song,
    decision: Decision,
    search: Search,
    seen: dict[str, Track],
    settings: MatchSettings,
    show: str | None,
) -> Decision:
    """A surname stands for a full name only if Spotify's artist search for it finds that
    artist, and no artist is called just that ("Pusher" is not "Girl Pusher")."""
    written = _quoted(song.artists[0])
    found = list(search(f'artist:"{written}"'))
    for track in found:
        seen.setdefault(track.uri, track)
    checked = decide(song, seen.values(), settings, show_of(song, show))
    if checked.status != Status.MATCHED or checked.track is None:
        return checked
    people = {normalise(artist) for artist in checked.track.artists}
    if any(people & {normalise(artist) for artist in track.artists} for track in found):
        return checked
    reason = (
        f"{checked.reason}; but searching the artist {written!r} does not find "
        f"{', '.join(checked.track.artists)}, so the surname is not forgiven"
    )
    return Decision(Status.REVIEW, None, checked.score, reason, checked.candidates)
