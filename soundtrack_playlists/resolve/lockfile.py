"""The lock file: each song's chosen track, committed beside its tracklists, reused on re-runs."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from soundtrack_playlists.errors import LockError
from soundtrack_playlists.files.atomic import write_json_atomic
from soundtrack_playlists.matching.decide import Candidate
from soundtrack_playlists.models import Status, Track
from soundtrack_playlists.text import same_api

LOCK_VERSION = 2


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
    # The pinned track was looked up (GET /tracks/{id}): `track` is Spotify's, not the line's.
    pin_checked: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "episode": self.episode,
            "song": self.key,
            "status": self.status,
            "score": self.score,
            "track": track_to_json(self.track) if self.track is not None else None,
            "reason": self.reason,
        }
        if self.pin:
            data["pin"] = self.pin
        if self.tracklist_pin:
            data["tracklist_pin"] = True
        if self.pin_checked:
            data["pin_checked"] = True
        if self.candidates:
            data["candidates"] = [candidate_to_json(c) for c in self.candidates]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LockEntry:
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
            candidates=tuple(candidate_from_json(c) for c in data.get("candidates") or ()),
            pin=data.get("pin") or None,
            tracklist_pin=bool(data.get("tracklist_pin", False)),
            pin_checked=bool(data.get("pin_checked", False)),
        )


# --- tracks and candidates as JSON: the lock's form, and the complete one of `resolve --json`


def track_to_json(track: Track, *, complete: bool = False) -> dict[str, Any]:
    """A track as JSON; `track_from_json` reads either form back.

    The lock keeps just what a person needs to recognise the track in a diff (no album type,
    no empty album or date); `complete` lists every field, for scripts.
    """
    data: dict[str, Any] = {
        "uri": track.uri,
        "name": track.name,
        "artists": list(track.artists),
        "album": track.album,
        "album_type": track.album_type,
        "release_date": track.release_date,
    }
    if not complete:
        del data["album_type"]
        for optional in ("album", "release_date"):
            if not data[optional]:
                del data[optional]
    return data


def track_from_json(data: dict[str, Any]) -> Track:
    """A track written by `track_to_json` (fields it does not carry keep their defaults)."""
    return Track(
        uri=data["uri"],
        name=data.get("name", ""),
        artists=tuple(data.get("artists") or ()),
        album=data.get("album", ""),
        album_type=data.get("album_type", ""),
        release_date=data.get("release_date", ""),
    )


def candidate_to_json(candidate: Candidate, *, complete: bool = False) -> dict[str, Any]:
    """A candidate as JSON: its track (as `track_to_json` writes it), score and reason."""
    track = track_to_json(candidate.track, complete=complete)
    return {**track, "score": candidate.score, "reason": candidate.reason}


def candidate_from_json(data: dict[str, Any]) -> Candidate:
    """A candidate written by `candidate_to_json`."""
    score = float(data.get("score") or 0.0)
    return Candidate(track_from_json(data), score, data.get("reason", ""))


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

    def to_json(self) -> dict[str, Any]:
        """This API's section alone, as a whole lock file."""
        songs = [entry.to_json() for entry in self.entries]
        return {"version": LOCK_VERSION, "apis": [{"api_url": self.api_url, "songs": songs}]}


def _is_loopback(api_url: str) -> bool:
    host = urlsplit(api_url).hostname or ""
    return host.startswith("127.") or host in ("localhost", "::1")


def _damaged(path: Path, problem: object) -> LockError:
    return LockError(
        f"{path}: the lock file is damaged ({problem}); fix it, or delete it and run "
        "`soundtrack-playlists resolve` again (choices made in review will be lost)"
    )


def _read_sections(path: Path) -> list[dict[str, Any]]:
    """Every API's section of the lock file, oldest layout included; [] when there is none.

    Version 1 held one API's songs at the top level; version 2 keeps one section per API,
    so a run against the emulator never discards what was resolved or pinned for Spotify.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as error:
        raise LockError(
            f"{path}: cannot read the lock file ({error.strerror or error}); check that it is a "
            "file you may read"
        ) from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise _damaged(path, error) from None
    if not isinstance(data, dict):
        raise _damaged(path, "expected a JSON object")
    version = data.get("version")
    sections: Any
    if version == 1:
        sections = [{"api_url": data.get("api_url"), "songs": data.get("songs")}]
    elif version == LOCK_VERSION:
        sections = data.get("apis")
    else:
        raise _damaged(path, f"unknown version {version!r}")
    if not isinstance(sections, list):
        raise _damaged(path, "`apis` must be a list")
    for section in sections:
        if not isinstance(section, dict) or not isinstance(section.get("api_url"), str):
            raise _damaged(path, "each section needs its `api_url`")
        if not isinstance(section.get("songs") or [], list):
            raise _damaged(path, "`songs` must be a list")
    return sections


def _entries(path: Path, section: dict[str, Any]) -> tuple[LockEntry, ...]:
    try:
        return tuple(LockEntry.from_json(item) for item in section.get("songs") or ())
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise _damaged(path, error) from None


def load_lock(path: Path, api_url: str) -> Lock | None:
    """The section of the lock at `path` made against `api_url`; None if there is none.

    A lock resolved against the emulator holds synthetic track ids, and one resolved against
    Spotify is useless to the emulator: each API has its own section, and a missing section
    counts as no lock at all.
    """
    path = Path(path)
    for section in _read_sections(path):
        if same_api(section["api_url"], api_url):
            return Lock(api_url=section["api_url"], entries=_entries(path, section))
    return None


def _keep_choices(lock: Lock, saved: Lock | None) -> Lock:
    """`lock` with the review choices another process saved meanwhile for the same lines."""
    if saved is None:
        return lock
    for entry in saved.entries:
        ours = lock.get(entry.episode, entry.key)
        if entry.pin and ours is not None and not ours.pin and not ours.tracklist_pin:
            lock = lock.with_entry(entry)
    return lock


def save_lock(path: Path, lock: Lock) -> None:
    """Write this API's section atomically, keeping every other API's section as it is.

    The file is read again first: a choice made in review since this lock was loaded is
    kept, never overwritten. An emulator section replaces the sections of earlier emulator
    runs (another port on this machine), whose synthetic ids are of no further use.
    """
    path = Path(path)
    sections = _read_sections(path)
    own = next((s for s in sections if same_api(s["api_url"], lock.api_url)), None)
    if own is not None:
        lock = _keep_choices(lock, Lock(own["api_url"], _entries(path, own)))
    body = {"api_url": lock.api_url, "songs": [entry.to_json() for entry in lock.entries]}
    kept: list[dict[str, Any]] = []
    for section in sections:
        if section is own:
            kept.append(body)
        elif not (_is_loopback(lock.api_url) and _is_loopback(section["api_url"])):
            kept.append(section)
    if own is None:
        kept.append(body)
    write_json_atomic(path, {"version": LOCK_VERSION, "apis": kept})
