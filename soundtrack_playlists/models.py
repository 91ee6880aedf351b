"""The domain values every module shares: songs, episodes, seasons and Spotify tracks."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from soundtrack_playlists import playlist_names

MASHUP = "mashup"
MEDLEY = "medley"


class Status(str, Enum):
    """What resolving concluded for one song; the value is what JSON, locks and text show."""

    MATCHED = "matched"  # matching found the track
    PINNED = "pinned"  # chosen by hand, in the tracklist or in review
    REVIEW = "review"  # plausible candidates, none sure enough: a person decides
    UNRESOLVED = "unresolved"  # nothing good enough

    def __str__(self) -> str:
        return self.value


KEPT_STATUSES = (Status.MATCHED, Status.PINNED)  # review and unresolved songs stay out of playlists


@dataclass(frozen=True)
class Song:
    """One recording a tracklist asks for.

    A mashup line yields two Songs and a medley line one Song per artist, so every Song
    is exactly one track in a playlist.
    """

    title: str
    artists: tuple[str, ...]  # every credited artist, featured ones included, main first
    pin: str | None = None  # "spotify:track:<id>" chosen by hand; overrides search
    group: str | None = None  # MASHUP, MEDLEY or None
    note: str | None = None  # "cast", "Paul James of the cast": kept, never searched
    line: int = 0  # 1-based line number in its episode file
    # An unquoted `A – B` line: nothing marks the title, so this is the other reading
    # (title, artists); resolve tries it when the first finds no confident match.
    alternative: tuple[str, tuple[str, ...]] | None = None

    @property
    def key(self) -> str:
        """Identity in the lock file: the song as written, so an edited line is re-resolved."""
        return f'"{self.title}" by {" / ".join(self.artists)}'

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "artists": list(self.artists),
            "pin": self.pin,
            "group": self.group,
            "note": self.note,
        }

    def the_other_way(self) -> Song | None:
        """The song read the other way round, when its line does not say which side is which."""
        if self.alternative is None:
            return None
        title, artists = self.alternative
        return replace(self, title=title, artists=artists, alternative=(self.title, self.artists))


@dataclass(frozen=True)
class Episode:
    number: int
    title: str
    songs: tuple[Song, ...] = ()
    path: Path | None = None

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "songs": [song.to_json() for song in self.songs],
        }


@dataclass(frozen=True)
class PlaylistNaming:
    """Templates from the season manifest; fields: show, season, year, network, episode, title."""

    episode: str = "{show} S{season}E{episode:02d} · {title}"
    season: str = "{show} · Season {season} ({year})"

    @classmethod
    def default_for(cls, year: int | None) -> PlaylistNaming:
        """The default names, leaving the year out when the manifest has none."""
        return cls() if year is not None else cls(season="{show} · Season {season}")


@dataclass(frozen=True)
class Season:
    show: str
    season: int
    year: int | None = None
    network: str | None = None
    naming: PlaylistNaming = field(default_factory=PlaylistNaming)
    episodes: tuple[Episode, ...] = ()
    directory: Path | None = None

    @property
    def songs(self) -> tuple[Song, ...]:
        return tuple(song for episode in self.episodes for song in episode.songs)

    def episode_playlist_name(self, episode: Episode, *, full: bool = False) -> str:
        """The episode playlist's name, shortened to Spotify's limit unless `full`."""
        name = self.naming.episode.format(
            **self._name_fields(), episode=episode.number, title=episode.title
        )
        return name if full else playlist_names.shorten(name)

    def season_playlist_name(self, *, full: bool = False) -> str:
        """The season playlist's name, shortened to Spotify's limit unless `full`."""
        name = self.naming.season.format(**self._name_fields(), episode=0, title="")
        return name if full else playlist_names.shorten(name)

    def _name_fields(self) -> dict:
        return {
            "show": self.show,
            "season": self.season,
            "year": self.year if self.year is not None else "",
            "network": self.network or "",
        }

    def to_json(self) -> dict:
        return {
            "show": self.show,
            "season": self.season,
            "episodes": [episode.to_json() for episode in self.episodes],
        }


@dataclass(frozen=True)
class Track:
    """A Spotify track as search or a playlist returns it, reduced to what matching needs."""

    uri: str
    name: str
    artists: tuple[str, ...]
    album: str = ""
    album_type: str = ""  # "album", "single" or "compilation"
    release_date: str = ""  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    duration_ms: int = 0
    popularity: int | None = None  # deprecated by Spotify: a last tie-break at most
    is_playable: bool | None = None
    restriction: str = ""  # why Spotify will not play it in the user's market ("market", …)
    # The copy Spotify plays instead when it relinked this track for the user's market (its
    # name and artists are the ones this track carries), else "".
    plays_as: str = ""

    @property
    def id(self) -> str:
        return self.uri.rsplit(":", 1)[-1]

    @property
    def url(self) -> str:
        return f"https://open.spotify.com/track/{self.id}"


@dataclass(frozen=True)
class User:
    id: str
    display_name: str | None = None


@dataclass(frozen=True)
class PlaylistInfo:
    """A playlist's details without its items (those are read only when the snapshot moved)."""

    id: str
    name: str
    owner_id: str
    description: str = ""
    public: bool | None = None
    snapshot_id: str = ""
    total: int = 0  # number of items


class Action(str, Enum):
    """What a sync does to one playlist; prints (and serialises) as its plain value."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    SKIP = "skip"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


class ResolvedSong(Protocol):
    """One song as the resolver left it (resolver.SongResolution satisfies this).

    Read-only properties, so frozen dataclasses (and narrower field types) satisfy it.
    """

    @property
    def episode(self) -> int: ...

    @property
    def song(self) -> Song: ...

    @property
    def status(self) -> str: ...

    @property
    def track(self) -> Track | None: ...

    @property
    def score(self) -> float | None: ...


@dataclass(frozen=True)
class Outcome:
    """What became of one playlist: the rows of the --json summary and the report."""

    key: str
    name: str
    id: str | None
    action: Action
    tracks: int
    added: int = 0
    removed: int = 0
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        value: dict[str, Any] = {
            "name": self.name,
            "id": self.id,
            "action": str(self.action),
            "tracks": self.tracks,
            "added": self.added,
            "removed": self.removed,
        }
        if self.reason:
            value["reason"] = self.reason
        return value
