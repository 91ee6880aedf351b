"""The lock file: each song's chosen track, committed beside its tracklists, reused on re-runs."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel

from soundtrack_playlists.errors import LockError
from soundtrack_playlists.files.atomic import write_json_atomic
from soundtrack_playlists.files.json_file import Damaged, decoded_json, validated
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


# --- tracks and candidates as JSON: the lock's form, and the complete one of `resolve --json`


def track_to_json(track: Track, *, complete: bool = False) -> dict[str, Any]:
    """A track as JSON; `TrackInFile` reads either form back.

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
    if track.plays_as:  # a pin Spotify relinked: the copy it plays in the user's market
        data["plays_as"] = track.plays_as
    if not complete:
        del data["album_type"]
        for optional in ("album", "release_date"):
            if not data[optional]:
                del data[optional]
    return data


def candidate_to_json(candidate: Candidate, *, complete: bool = False) -> dict[str, Any]:
    """A candidate as JSON: its track (as `track_to_json` writes it), score and reason."""
    track = track_to_json(candidate.track, complete=complete)
    return {**track, "score": candidate.score, "reason": candidate.reason}


# --- the lock file's format, read at the door ----------------------------------------------


class TrackInFile(BaseModel):
    """A track as `track_to_json` writes it (either form)."""

    uri: str
    name: str = ""
    artists: list[str] | None = None
    album: str = ""
    album_type: str = ""
    release_date: str = ""
    plays_as: str = ""

    def track(self) -> Track:
        return Track(
            uri=self.uri,
            name=self.name,
            artists=tuple(self.artists or ()),
            album=self.album,
            plays_as=self.plays_as,
            album_type=self.album_type,
            release_date=self.release_date,
        )


class CandidateInFile(TrackInFile):
    """A candidate as `candidate_to_json` writes it: its track, score and reason."""

    score: float | None = None
    reason: str = ""

    def candidate(self) -> Candidate:
        return Candidate(self.track(), self.score or 0.0, self.reason)


class EntryInFile(BaseModel):
    """One song line of one episode as the lock keeps it."""

    episode: int
    song: str
    status: Status
    score: float | None = None
    track: TrackInFile | None = None
    reason: str | None = None
    candidates: list[CandidateInFile] | None = None
    pin: str | None = None
    tracklist_pin: bool = False
    pin_checked: bool = False

    def entry(self) -> LockEntry:
        return LockEntry(
            episode=self.episode,
            key=self.song,
            status=self.status,
            track=self.track.track() if self.track is not None else None,
            score=self.score,
            reason=self.reason or "",
            candidates=tuple(item.candidate() for item in self.candidates or ()),
            pin=self.pin or None,
            tracklist_pin=self.tracklist_pin,
            pin_checked=self.pin_checked,
        )


class SectionInFile(BaseModel):
    """One API's songs."""

    api_url: str
    songs: list[EntryInFile] | None = None


class LockFileV1(BaseModel):
    """Version 1: one API's songs at the top level."""

    version: Literal[1]
    api_url: str
    songs: list[EntryInFile] | None = None


class LockFileV2(BaseModel):
    """Version 2: one section per API, so the emulator's runs never touch Spotify's."""

    version: Literal[2]
    apis: list[SectionInFile]


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


@dataclass(frozen=True)
class Section:
    """One API's section of the lock file: as stored (kept as is when another API saves) and
    as read."""

    stored: dict[str, Any]
    api_url: str
    entries: tuple[LockEntry, ...]


def _read_sections(path: Path) -> list[Section]:
    """Every API's section of the lock file, oldest layout included; [] when there is none.

    Version 1 held one API's songs at the top level; version 2 keeps one section per API,
    so a run against the emulator never discards what was resolved or pinned for Spotify.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as error:
        raise LockError(
            f"{path}: cannot read the lock file ({error.strerror or error}); check that it is a "
            "file you may read"
        ) from None
    try:
        value = decoded_json(data)
        if not isinstance(value, dict):
            raise Damaged("expected a JSON object")
        version = value.get("version")
        if version == 1:
            old = validated(value, LockFileV1)
            stored = {"api_url": value["api_url"], "songs": value.get("songs")}
            sections = [(stored, SectionInFile(api_url=old.api_url, songs=old.songs))]
        elif version == LOCK_VERSION:
            sections = list(zip(value["apis"], validated(value, LockFileV2).apis, strict=True))
        else:
            raise Damaged(f"unknown version {version!r}")
    except Damaged as error:
        raise _damaged(path, error.problem) from None
    return [
        Section(stored, read.api_url, tuple(item.entry() for item in read.songs or ()))
        for stored, read in sections
    ]


def load_lock(path: Path, api_url: str) -> Lock | None:
    """The section of the lock at `path` made against `api_url`; None if there is none.

    A lock resolved against the emulator holds synthetic track ids, and one resolved against
    Spotify is useless to the emulator: each API has its own section, and a missing section
    counts as no lock at all.
    """
    for section in _read_sections(Path(path)):
        if same_api(section.api_url, api_url):
            return Lock(api_url=section.api_url, entries=section.entries)
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
    own = next((s for s in sections if same_api(s.api_url, lock.api_url)), None)
    if own is not None:
        lock = _keep_choices(lock, Lock(own.api_url, own.entries))
    body = {"api_url": lock.api_url, "songs": [entry.to_json() for entry in lock.entries]}
    kept: list[dict[str, Any]] = []
    for section in sections:
        if section is own:
            kept.append(body)
        elif not (_is_loopback(lock.api_url) and _is_loopback(section.api_url)):
            kept.append(section.stored)
    if own is None:
        kept.append(body)
    write_json_atomic(path, {"version": LOCK_VERSION, "apis": kept})
