"""The lock file: each song's chosen track, committed beside its tracklists, reused on re-runs."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from soundtrack_playlists.errors import LockError
from soundtrack_playlists.fileio import write_json_atomic
from soundtrack_playlists.matching import Candidate, track_from_json
from soundtrack_playlists.models import Status, Track

LOCK_VERSION = 1


@dataclass(frozen=True)
class LockEntry:
    """One song line of one episode as last resolved; `pin` is a choice made in review."""

    episode: int
    key: str  # Song.key: the line as written, so an edited line no longer finds its entry
    status: Status
    track: Track | None
    score: float | None
    reason: str = ""
    candidates: tuple[Candidate, ...] = ()
    pin: str | None = None
    tracklist_pin: bool = False  # pinned by the tracklist: recomputed, never reused

    def to_json(self) -> dict:
        data: dict = {
            "episode": self.episode,
            "song": self.key,
            "status": self.status,
            "score": self.score,
            "track": _track_json(self.track) if self.track is not None else None,
            "reason": self.reason,
        }
        if self.pin:
            data["pin"] = self.pin
        if self.tracklist_pin:
            data["tracklist_pin"] = True
        if self.candidates:
            data["candidates"] = [_candidate_json(c) for c in self.candidates]
        return data

    @classmethod
    def from_json(cls, data: dict) -> LockEntry:
        try:
            status = Status(data["status"])
        except ValueError:
            raise ValueError(f"unknown status {data['status']!r}") from None
        track = data.get("track")
        score = data.get("score")
        return cls(
            episode=int(data["episode"]),
            key=str(data["song"]),
            status=status,
            track=track_from_json(track) if track else None,
            score=float(score) if score is not None else None,
            reason=str(data.get("reason") or ""),
            candidates=tuple(Candidate.from_json(c) for c in data.get("candidates") or ()),
            pin=data.get("pin") or None,
            tracklist_pin=bool(data.get("tracklist_pin", False)),
        )


def _track_json(track: Track) -> dict:
    """Just what a person needs to recognise the track in a diff."""
    data = {"uri": track.uri, "name": track.name, "artists": list(track.artists)}
    if track.album:
        data["album"] = track.album
    if track.release_date:
        data["release_date"] = track.release_date
    return data


def _candidate_json(candidate: Candidate) -> dict:
    return {**_track_json(candidate.track), "score": candidate.score, "reason": candidate.reason}


@dataclass(frozen=True)
class Lock:
    """Every resolved line of a season, tied to the API it was resolved against."""

    api_url: str
    entries: tuple[LockEntry, ...] = ()

    def get(self, episode: int, key: str) -> LockEntry | None:
        for entry in self.entries:
            if entry.episode == episode and entry.key == key:
                return entry
        return None

    def with_entry(self, entry: LockEntry) -> Lock:
        """A copy with `entry` replacing the one for the same line (or added at the end)."""
        entries = list(self.entries)
        for index, old in enumerate(entries):
            if (old.episode, old.key) == (entry.episode, entry.key):
                entries[index] = entry
                break
        else:
            entries.append(entry)
        return replace(self, entries=tuple(entries))

    def to_json(self) -> dict:
        return {
            "version": LOCK_VERSION,
            "api_url": self.api_url,
            "songs": [entry.to_json() for entry in self.entries],
        }


def _same_api(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def load_lock(path: Path, api_url: str) -> Lock | None:
    """The lock at `path` if it was made against `api_url`; None if absent or for another API.

    A lock resolved against the emulator holds synthetic track ids, and one resolved against
    Spotify is useless to the emulator: a mismatch counts as no lock at all.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise LockError(f"{path}: cannot read the lock file ({error.strerror})") from None
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")
        if data.get("version") != LOCK_VERSION or not _same_api(
            str(data.get("api_url", "")), api_url
        ):
            return None
        entries = tuple(LockEntry.from_json(item) for item in data.get("songs") or ())
    except (ValueError, KeyError, TypeError) as error:
        raise LockError(
            f"{path}: the lock file is damaged ({error}); fix it, or delete it and run "
            "`soundtrack-playlists resolve` again (choices made in review will be lost)"
        ) from None
    return Lock(api_url=str(data["api_url"]), entries=entries)


def save_lock(path: Path, lock: Lock) -> None:
    """Write the lock atomically: readable JSON, songs in tracklist order, keys in fixed order."""
    write_json_atomic(Path(path), lock.to_json())
