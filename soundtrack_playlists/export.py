"""A season's resolved songs as a file for other players: M3U8, CSV, JSPF (ListenBrainz), JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from soundtrack_playlists.errors import LockError
from soundtrack_playlists.files import paths
from soundtrack_playlists.models import KEPT_STATUSES, Season, Song, Track
from soundtrack_playlists.resolve.lockfile import load_lock
from soundtrack_playlists.resolve.resolver import resolve_from_lock
from soundtrack_playlists.resolve.results import SongResolution
from soundtrack_playlists.sync.targets import APP, episode_description, season_description

FORMATS = ("m3u8", "csv", "jspf", "json")
EXPORT_VERSION = 1
# ListenBrainz reads its own fields from these JSPF extensions (https://musicbrainz.org/doc/jspf).
JSPF_PLAYLIST_EXTENSION = "https://musicbrainz.org/doc/jspf#playlist"
JSPF_TRACK_EXTENSION = "https://musicbrainz.org/doc/jspf#track"
CSV_COLUMNS = (
    "playlist",
    "position",
    "episode",
    "episode_title",
    "title",
    "artists",
    "status",
    "left_out",
    "reason",
    "spotify_uri",
    "spotify_url",
    "track_name",
    "track_artists",
    "album",
)


@dataclass(frozen=True)
class ExportedSong:
    """One tracklist song: its chosen track, or None when it is left out of the playlists."""

    episode: int
    episode_title: str
    song: Song
    status: str
    reason: str
    track: Track | None

    @property
    def left_out(self) -> bool:
        return self.track is None

    @property
    def artists(self) -> str:
        return ", ".join(self.song.artists)


@dataclass(frozen=True)
class ExportedPlaylist:
    """A playlist as sync would make it, with the songs left out of it marked in place."""

    name: str
    description: str
    episode: int | None  # None: the season playlist
    songs: tuple[ExportedSong, ...]


def build_playlists(
    season: Season, resolved: Iterable[SongResolution]
) -> tuple[ExportedPlaylist, ...]:
    """One playlist per episode with songs, then the season's: the playlists sync makes."""
    by_episode: dict[int, list[ExportedSong]] = {}
    titles = {episode.number: episode.title for episode in season.episodes}
    for item in resolved:
        kept = item.track if item.status in KEPT_STATUSES else None
        by_episode.setdefault(item.episode, []).append(
            ExportedSong(
                item.episode,
                titles.get(item.episode, ""),
                item.song,
                str(item.status),
                item.reason,
                kept,
            )
        )
    playlists = [
        ExportedPlaylist(
            season.episode_playlist_name(episode),
            episode_description(season, episode.number, episode.title),
            episode.number,
            tuple(by_episode.get(episode.number, ())),
        )
        for episode in season.episodes
        if episode.songs
    ]
    every_song = tuple(song for playlist in playlists for song in playlist.songs)
    playlists.append(
        ExportedPlaylist(
            season.season_playlist_name(), season_description(season), None, every_song
        )
    )
    return tuple(playlists)


def _positions(playlist: ExportedPlaylist) -> list[int | None]:
    """Each song's 1-based position in the playlist; None for a song left out."""
    positions: list[int | None] = []
    position = 0
    for song in playlist.songs:
        if song.left_out:
            positions.append(None)
        else:
            position += 1
            positions.append(position)
    return positions


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _left_out_note(song: ExportedSong) -> str:
    reason = f": {_one_line(song.reason)}" if song.reason else ""
    return f"left out ({song.status}){reason}"


# --- M3U8 (extended M3U, UTF-8) ------------------------------------------------------------


def to_m3u8(playlist: ExportedPlaylist) -> str:
    """Extended M3U: a #EXTGRP per episode, #EXTINF and the Spotify link per track.

    Songs left out are comment lines in their place, so nothing of the tracklist is lost.
    The length is -1 (unknown): the lock does not keep track lengths.
    """
    lines = ["#EXTM3U", f"#PLAYLIST:{_one_line(playlist.name)}"]
    group = None
    for song in playlist.songs:
        if playlist.episode is None and song.episode != group:
            group = song.episode
            lines.append(f"#EXTGRP:Episode {song.episode}: {_one_line(song.episode_title)}")
        if song.track is None:
            lines.append(f"# {song.song.key} — {_left_out_note(song)}")
            continue
        artists = ", ".join(song.track.artists)
        lines.append(f"#EXTINF:-1,{_one_line(artists)} - {_one_line(song.track.name)}")
        lines.append(song.track.url)
    return "\n".join(lines) + "\n"


# --- CSV ------------------------------------------------------------------------------------


def to_csv(playlists: Iterable[ExportedPlaylist]) -> str:
    """One row per song per playlist (RFC 4180 quoting), left-out songs with no position."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for playlist in playlists:
        for song, position in zip(playlist.songs, _positions(playlist), strict=True):
            track = song.track
            writer.writerow(
                (
                    playlist.name,
                    position if position is not None else "",
                    song.episode,
                    song.episode_title,
                    song.song.title,
                    song.artists,
                    song.status,
                    "yes" if song.left_out else "no",
                    song.reason if song.left_out else "",
                    track.uri if track else "",
                    track.url if track else "",
                    track.name if track else "",
                    ", ".join(track.artists) if track else "",
                    track.album if track else "",
                )
            )
    return buffer.getvalue()


# --- JSPF (XSPF as JSON; ListenBrainz imports it) --------------------------------------------


def to_jspf(playlist: ExportedPlaylist) -> dict[str, Any]:
    """A JSPF playlist (https://xspf.org/jspf/): title, creator and album per track.

    The Spotify link is the track's `location` and `identifier`. ListenBrainz identifies
    tracks by MusicBrainz recording ids, which the lock does not know: it can look them up
    from title and creator.
    Songs left out keep their place with the tracklist's title and artists and no location.
    """
    tracks = []
    for song, position in zip(playlist.songs, _positions(playlist), strict=True):
        meta: dict[str, Any] = {"episode": song.episode, "status": song.status}
        if song.track is None:
            track: dict[str, Any] = {
                "title": song.song.title,
                "creator": song.artists,
                "annotation": f"Episode {song.episode}: {_left_out_note(song)}",
            }
            meta["left_out"] = True
        else:
            track = {
                "title": song.track.name,
                "creator": ", ".join(song.track.artists),
                "annotation": f"Episode {song.episode}: {song.episode_title}",
                "location": [song.track.url],
                "identifier": [song.track.url],
            }
            if song.track.album:
                track["album"] = song.track.album
            meta.update(left_out=False, spotify_uri=song.track.uri, position=position)
        track["extension"] = {JSPF_TRACK_EXTENSION: {"additional_metadata": meta}}
        tracks.append(track)
    return {
        "playlist": {
            "title": playlist.name,
            "creator": APP,
            "annotation": playlist.description,
            "extension": {JSPF_PLAYLIST_EXTENSION: {"public": False}},
            "track": tracks,
        }
    }


# --- JSON (everything, for scripts) -----------------------------------------------------------


def _song_json(song: ExportedSong, position: int | None) -> dict[str, Any]:
    track = song.track
    return {
        "position": position,
        "episode": song.episode,
        "title": song.song.title,
        "artists": list(song.song.artists),
        "status": song.status,
        "left_out": song.left_out,
        "reason": song.reason,
        "spotify": None
        if track is None
        else {
            "uri": track.uri,
            "url": track.url,
            "name": track.name,
            "artists": list(track.artists),
            "album": track.album,
        },
    }


def to_json(season: Season, playlists: Iterable[ExportedPlaylist]) -> dict[str, Any]:
    """Every playlist (episodes, then the season) with every song, left-out ones marked."""
    return {
        "generator": APP,
        "version": EXPORT_VERSION,
        "show": season.show,
        "season": season.season,
        "year": season.year,
        "playlists": [
            {
                "name": playlist.name,
                "description": playlist.description,
                "episode": playlist.episode,
                "songs": [
                    _song_json(song, position)
                    for song, position in zip(playlist.songs, _positions(playlist), strict=True)
                ],
            }
            for playlist in playlists
        ],
    }


def render(
    season: Season,
    resolved: Iterable[SongResolution],
    fmt: str,
    *,
    episode: int | None = None,
) -> str:
    """The export as text. `episode`: only that episode's playlist, else the whole season.

    JSON and CSV hold every playlist (episodes, then the season); M3U8 and JSPF are one
    playlist each: the season's (grouped by episode), or the chosen episode's.
    """
    playlists = build_playlists(season, resolved)
    if episode is not None:
        playlists = tuple(playlist for playlist in playlists if playlist.episode == episode)
        if not playlists:
            raise ValueError(f"episode {episode} has no songs, so no playlist")
    if fmt == "m3u8":
        return to_m3u8(playlists[-1])
    if fmt == "csv":
        return to_csv(playlists)
    if fmt == "jspf":
        return json.dumps(to_jspf(playlists[-1]), indent=2, ensure_ascii=False) + "\n"
    if fmt == "json":
        return json.dumps(to_json(season, playlists), indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")


def export_season(season: Season, api_url: str, fmt: str, *, episode: int | None = None) -> str:
    """The season's export from its lock for `api_url` (read only: no search, no login).

    Raises LockError when the season has no lock for that API: a lock made against another
    API (e.g. the emulator) holds tracks that are not Spotify's.
    """
    if season.directory is None:
        raise ValueError("the season must come from a folder: its lock lives there")
    lock_file = paths.lock_path(season.directory)
    lock = load_lock(lock_file, api_url)
    if lock is None:
        raise LockError(
            f"{lock_file}: no lock file for {api_url}: run `soundtrack-playlists resolve` "
            "(or `sync`) first; export only writes out what was resolved"
        )
    return render(season, resolve_from_lock(season, lock).songs, fmt, episode=episode)
