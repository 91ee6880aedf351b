"""A season's songs as resolved: the values, the lock they become, and `resolve --json`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from soundtrack_playlists.matching.decide import Candidate
from soundtrack_playlists.models import KEPT_STATUSES, Song, Status, Track
from soundtrack_playlists.resolve.lockfile import Lock, LockEntry, candidate_to_json, track_to_json


@dataclass(frozen=True)
class SongResolution:
    """One song of the season as resolved: its status, track (if any), score and reason."""

    episode: int
    song: Song
    status: Status
    track: Track | None
    score: float | None
    reason: str
    candidates: tuple[Candidate, ...] = ()
    searches: int = 0  # search requests made for it in this run (0 when reused or pinned)
    pin: str | None = None  # a choice made in `review`, kept in the lock
    reused: bool = False  # taken from the lock without searching
    pin_checked: bool = False  # the pinned track was looked up: `track` is Spotify's own


@dataclass(frozen=True)
class Resolution:
    """The whole season resolved, in tracklist order, and what it cost."""

    songs: tuple[SongResolution, ...]
    searches: int

    def to_lock(self, api_url: str) -> Lock:
        """The lock file's content for this resolution (one entry per episode and line)."""
        entries: dict[tuple[int, str], LockEntry] = {}
        for item in self.songs:
            # Candidates are remembered only where a person may still have to choose.
            undecided = item.status in (Status.REVIEW, Status.UNRESOLVED)
            entries.setdefault(
                (item.episode, item.song.key),
                LockEntry(
                    episode=item.episode,
                    key=item.song.key,
                    status=item.status,
                    track=item.track,
                    score=item.score,
                    reason=item.reason,
                    candidates=item.candidates if undecided else (),
                    pin=item.pin,
                    tracklist_pin=item.song.pin is not None,
                    pin_checked=item.pin_checked,
                ),
            )
        return Lock(api_url=api_url, entries=tuple(entries.values()))

    def count(self, status: Status) -> int:
        return sum(1 for item in self.songs if item.status == status)


def chosen_track(song_resolution: SongResolution) -> Track | None:
    """The track a playlist gets for this song: None unless matched or pinned."""
    if song_resolution.status in KEPT_STATUSES:
        return song_resolution.track
    return None


def uri_for(song_resolution: SongResolution) -> str | None:
    """The track URI a playlist gets for this song: None unless matched or pinned."""
    chosen = chosen_track(song_resolution)
    return chosen.uri if chosen is not None else None


def resolution_json(resolution: Resolution) -> dict[str, Any]:
    """The `resolve --json` document: every song in tracklist order."""
    songs = []
    for item in resolution.songs:
        chosen = chosen_track(item)
        songs.append(
            {
                "episode": item.episode,
                "title": item.song.title,
                "artists": list(item.song.artists),
                "status": item.status,
                "uri": chosen.uri if chosen is not None else None,
                "score": item.score,
                "reason": item.reason,
                "track": track_to_json(chosen, complete=True) if chosen is not None else None,
                "candidates": [candidate_to_json(c, complete=True) for c in item.candidates],
            }
        )
    return {"songs": songs, "searches": resolution.searches}
