"""An in-memory Spotify: every method a sync uses, over dicts, counting calls, failing on cue.

Fast enough for state machines and for tests of plan and apply without HTTP; what it cannot
show (lagging reads, HTTP faults) the emulator shows.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from soundtrack_playlists.errors import SpotifyUnavailable
from soundtrack_playlists.models import PlaylistInfo, Track, User

API = "http://in-memory.invalid/v1/"
WRITES = frozenset(
    {"create_playlist", "update_playlist", "append_items", "replace_items", "upload_cover"}
)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class MemoryPlaylist:
    """One playlist as the in-memory Spotify keeps it."""

    id: str
    name: str
    owner: str
    description: str
    public: bool
    uris: list[str] = field(default_factory=list)
    snapshot: int = 1
    cover: bytes = b""


class InMemorySpotify:
    """The SpotifyClient methods sync uses, over dicts; `fail_on` raises once at that call."""

    api_url = API

    def __init__(
        self,
        user: str = "nellie",
        *,
        tracks: Sequence[Track] = (),
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.user = user
        self.tracks = {track.id: track for track in tracks}
        self.clock = clock
        self.playlists: dict[str, MemoryPlaylist] = {}
        self.followed: list[str] = []
        self.calls: list[str] = []
        self.starts: list[int | None] = []  # the `start` of each append_items
        self.fail_on: tuple[str, int] | None = None  # (method, nth call of it from now)
        self._ids = itertools.count(1)

    def _call(self, method: str) -> None:
        self.calls.append(method)
        if self.fail_on and self.fail_on[0] == method:
            remaining = self.fail_on[1] - 1
            self.fail_on = (method, remaining) if remaining else None
            if not remaining:
                raise SpotifyUnavailable("connection dropped")

    def _info(self, playlist: MemoryPlaylist) -> PlaylistInfo:
        return PlaylistInfo(
            playlist.id,
            playlist.name,
            playlist.owner,
            playlist.description,
            playlist.public,
            f"snap-{playlist.id}-{playlist.snapshot}",
            len(playlist.uris),
        )

    @property
    def writes(self) -> list[str]:
        return [call for call in self.calls if call in WRITES]

    def now(self) -> datetime:
        return self.clock()

    def reads_settled(self, since: datetime) -> bool:
        return True  # an in-memory Spotify: its reads never lag

    def current_user(self) -> User:
        self._call("current_user")
        return User(self.user)

    def my_playlists(self, *, settled_after: datetime | None = None) -> list[PlaylistInfo]:
        self._call("my_playlists")
        return [self._info(self.playlists[i]) for i in self.followed]

    def playlist(self, playlist_id: str) -> PlaylistInfo:
        self._call("playlist")
        return self._info(self.playlists[playlist_id])

    def still_followed(self, playlist_ids: Sequence[str]) -> set[str]:
        self._call("still_followed")
        return {playlist_id for playlist_id in playlist_ids if playlist_id in self.followed}

    def playlist_item_uris(self, playlist_id: str) -> list[str | None]:
        self._call("playlist_item_uris")
        return list(self.playlists[playlist_id].uris)

    def search_tracks(self, query: str) -> Sequence[Track]:
        """Every known track whose title is in the query (a stand-in, not Spotify's ranking)."""
        self._call("search_tracks")
        return [track for track in self.tracks.values() if track.name.lower() in query.lower()]

    def track(self, track_id: str) -> Track | None:
        self._call("track")
        return self.tracks.get(track_id)

    def create_playlist(
        self,
        name: str,
        description: str,
        public: bool,
        *,
        mark_pending: Callable[[datetime], None] | None = None,
    ) -> PlaylistInfo:
        self._call("create_playlist")
        if mark_pending is not None:
            mark_pending(self.clock())
        playlist = MemoryPlaylist(f"pl{next(self._ids)}", name, self.user, description, public)
        self.playlists[playlist.id] = playlist
        self.followed.append(playlist.id)
        return self._info(playlist)

    def update_playlist(
        self,
        playlist_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        public: bool | None = None,
    ) -> None:
        self._call("update_playlist")
        playlist = self.playlists[playlist_id]
        playlist.name = name if name is not None else playlist.name
        playlist.description = description if description is not None else playlist.description
        playlist.public = public if public is not None else playlist.public
        playlist.snapshot += 1

    def append_items(
        self, playlist_id: str, uris: Sequence[str], *, start: int | None = None
    ) -> str:
        self._call("append_items")
        playlist = self.playlists[playlist_id]
        self.starts.append(start)
        # Spotify would insert at `start`: a wrong one would put the items mid-playlist.
        playlist.uris[len(playlist.uris) if start is None else start : 0] = uris
        playlist.snapshot += 1
        return self._info(playlist).snapshot_id

    def unfollow_playlist(self, playlist_id: str) -> None:
        self._call("unfollow_playlist")
        self.followed.remove(playlist_id)

    def replace_items(self, playlist_id: str, uris: Sequence[str]) -> str:
        self._call("replace_items")
        playlist = self.playlists[playlist_id]
        playlist.uris = list(uris)
        playlist.snapshot += 1
        return self._info(playlist).snapshot_id

    def upload_cover(self, playlist_id: str, jpeg: bytes) -> None:
        self._call("upload_cover")
        self.playlists[playlist_id].cover = jpeg

    def by_name(self) -> dict[str, list[str]]:
        """Each followed playlist's items by its name: what a person sees in their library."""
        return {self.playlists[i].name: self.playlists[i].uris for i in self.followed}
