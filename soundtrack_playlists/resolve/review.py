"""Review: which songs await a person, a typed answer read as a track, each choice pinned."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from soundtrack_playlists.errors import LockError
from soundtrack_playlists.files import paths
from soundtrack_playlists.matching.decide import decide
from soundtrack_playlists.models import Season, Song, Status, Track
from soundtrack_playlists.resolve.lockfile import Lock, LockEntry, load_lock, save_lock
from soundtrack_playlists.resolve.resolver import parse_track_ref

if TYPE_CHECKING:
    from soundtrack_playlists.spotify.client import SpotifyClient


@dataclass(frozen=True)
class ReviewItem:
    """A song whose lock entry is review or unresolved, with the candidates to offer."""

    episode: int
    song: Song
    entry: LockEntry


def pending(season: Season, lock: Lock) -> list[ReviewItem]:
    """Songs awaiting a person, in tracklist order; tracklist pins and earlier choices excluded."""
    items: list[ReviewItem] = []
    seen: set[tuple[int, str]] = set()
    for episode in season.episodes:
        for song in episode.songs:
            entry = lock.get(episode.number, song.key)
            if song.pin or entry is None or (episode.number, song.key) in seen:
                continue
            if entry.status in (Status.REVIEW, Status.UNRESOLVED) and not entry.pin:
                seen.add((episode.number, song.key))
                items.append(ReviewItem(episode.number, song, entry))
    return items


def interpret(answer: str, item: ReviewItem) -> Track | None:
    """A typed answer as a track: a candidate's number or a pasted Spotify link; None to skip.

    Raises ValueError with a message to show when the answer is neither.
    """
    answer = answer.strip()
    if not answer or answer.lower() in ("s", "skip"):
        return None
    candidates = item.entry.candidates
    if answer.isdigit():
        number = int(answer)
        if 1 <= number <= len(candidates):
            return candidates[number - 1].track
        if not candidates:
            raise ValueError("there are no candidates: paste a Spotify track link, or press Enter")
        if len(candidates) == 1:
            raise ValueError(f"no candidate {number}: type 1, or paste a Spotify track link")
        raise ValueError(f"no candidate {number}: pick 1-{len(candidates)}")
    uri = parse_track_ref(answer)
    if uri is None:
        raise ValueError(
            "not a candidate number or a Spotify track link "
            "(https://open.spotify.com/track/… or spotify:track:…)"
        )
    known = {c.track.uri: c.track for c in candidates}
    return known.get(uri) or Track(uri=uri, name=item.song.title, artists=item.song.artists)


def is_search(answer: str) -> bool:
    """An answer starting with "?" is a new search query for the song."""
    return answer.strip().startswith("?")


def choose(lock: Lock, item: ReviewItem, track: Track, *, checked: bool = False) -> Lock:
    """The lock with `track` pinned for the item's line: later runs keep it, even --refresh.

    `checked`: the track is Spotify's own (a search result or a looked-up link), so later
    runs need not look it up again.
    """
    entry = LockEntry(
        episode=item.episode,
        key=item.song.key,
        status=Status.PINNED,
        track=track,
        score=None,
        reason=f"pinned in review: {track.uri}",
        pin=track.uri,
        pin_checked=checked,
    )
    return lock.with_entry(entry)


def describe(item: ReviewItem, number: int, total: int) -> str:
    """The song, why it awaits a person, and its numbered candidates, as review shows them."""
    lines = [
        f"\n[{number}/{total}] Episode {item.episode}: {item.song.key} ({item.entry.status})",
        f"    {item.entry.reason}",
    ]
    for index, candidate in enumerate(item.entry.candidates, 1):
        track = candidate.track
        album = f" [{track.album}]" if track.album else ""
        lines.append(
            f"  {index}. {track.name} — {', '.join(track.artists)}{album}  "
            f"{candidate.score:.2f}  {track.uri}"
        )
    return "\n".join(lines)


def describe_track(track: Track) -> str:
    """ "Baker Street — Gerry Rafferty [City to City]  spotify:track:…", as review shows one."""
    album = f" [{track.album}]" if track.album else ""
    return f"{track.name} — {', '.join(track.artists)}{album}  {track.uri}"


@dataclass
class ReviewSession:
    """One review of a season's lock: the songs pending, and each choice saved as it is made."""

    path: Path
    lock: Lock
    items: list[ReviewItem] = field(default_factory=list)
    chosen: int = 0
    # Spotify, asked only when an answer needs it: a pasted link, a new search query.
    lookup: Callable[[str], Track | None] | None = None
    search: Callable[[str], Sequence[Track]] | None = None

    @classmethod
    def start(
        cls,
        season: Season,
        api_url: str,
        *,
        lookup: Callable[[str], Track | None] | None = None,
        search: Callable[[str], Sequence[Track]] | None = None,
    ) -> ReviewSession:
        """The season's lock for `api_url` and its pending songs; LockError if there is none."""
        if season.directory is None:
            raise ValueError("the season must come from a folder: its lock lives there")
        path = paths.lock_path(season.directory)
        lock = load_lock(path, api_url)
        if lock is None:
            raise LockError(
                f"{path}: no lock file for {api_url}: run `soundtrack-playlists resolve` first"
            )
        return cls(path, lock, pending(season, lock), lookup=lookup, search=search)

    def interpret(self, answer: str, item: ReviewItem) -> Track | None:
        """The answer as a track; a pasted link is looked up, so it shows what it points to.

        Raises ValueError (with a message to show) for a link to no track, or to one the
        user can't play.
        """
        track = interpret(answer, item)
        if track is None or answer.strip().isdigit() or self.lookup is None:
            return track
        found = self.lookup(track.id)
        if found is None:
            raise ValueError(f"Spotify has no track {track.uri}: check the link")
        if found.is_playable is False:
            raise ValueError(f"{describe_track(found)} is not playable in your market")
        return found

    def search_again(self, item: ReviewItem, answer: str) -> ReviewItem:
        """The item with candidates from a new search query (the answer without its "?")."""
        query = answer.strip().lstrip("?").strip()
        if not query:
            raise ValueError('type words to search after "?", e.g. ?hallelujah jeff buckley live')
        if self.search is None:
            raise ValueError("searching is not available here")
        decision = decide(item.song, self.search(query))
        reason = f"searched {query!r}: {decision.reason}"
        entry = replace(item.entry, candidates=decision.candidates, reason=reason)
        return replace(item, entry=entry)

    def pin(self, item: ReviewItem, track: Track) -> None:
        """Pin `track` for the item and save at once: an interrupted review keeps its choices."""
        checked = self.lookup is not None or track in {c.track for c in item.entry.candidates}
        self.lock = choose(self.lock, item, track, checked=checked)
        save_lock(self.path, self.lock)
        self.chosen += 1


class LazySpotify:
    """The Spotify client, connected only when review first needs it (a link, a search)."""

    def __init__(self) -> None:
        self._client: SpotifyClient | None = None

    def _connected(self) -> SpotifyClient:
        if self._client is None:
            from soundtrack_playlists.spotify.client import connect

            self._client = connect()
        return self._client

    def track(self, track_id: str) -> Track | None:
        return self._connected().track(track_id)

    def search(self, query: str) -> list[Track]:
        return self._connected().search_tracks(query, limit=10, market="from_token")
