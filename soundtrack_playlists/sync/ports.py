"""The parts of Spotify each sync stage uses, declared once: what the client and fakes provide."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from soundtrack_playlists.models import PlaylistInfo, Track, User

# Progress of a long step: (label, done, total). The cli draws it; the library never does.
Progress = Callable[[str, int, int], None]


def no_progress(label: str, done: int, total: int) -> None:
    """Shows nothing (scripts, --json, tests)."""


class PlaylistWriter(Protocol):
    """The part of SpotifyClient that apply uses."""

    def create_playlist(
        self,
        name: str,
        description: str,
        public: bool,
        *,
        mark_pending: Callable[[datetime], None] | None = None,
    ) -> PlaylistInfo: ...

    def playlist(self, playlist_id: str) -> PlaylistInfo: ...

    def update_playlist(
        self,
        playlist_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        public: bool | None = None,
    ) -> None: ...

    def append_items(
        self, playlist_id: str, uris: Sequence[str], *, start: int | None = None
    ) -> str: ...

    def replace_items(self, playlist_id: str, uris: Sequence[str]) -> str: ...

    def unfollow_playlist(self, playlist_id: str) -> None: ...

    def now(self) -> datetime: ...

    def upload_cover(self, playlist_id: str, jpeg: bytes) -> None: ...


class SpotifyReader(Protocol):
    """The part of SpotifyClient that reading the current state uses."""

    api_url: str

    def current_user(self) -> User: ...

    def reads_settled(self, since: datetime) -> bool: ...

    def now(self) -> datetime: ...

    def my_playlists(self, *, settled_after: datetime | None = None) -> list[PlaylistInfo]: ...

    def playlist(self, playlist_id: str) -> PlaylistInfo: ...

    def still_followed(self, playlist_ids: Sequence[str]) -> set[str]: ...

    def playlist_item_uris(self, playlist_id: str) -> list[str | None]: ...


class SyncClient(SpotifyReader, PlaylistWriter, Protocol):
    """The part of SpotifyClient a whole sync uses: read, search and write."""

    def search_tracks(self, query: str) -> Sequence[Track]: ...

    def track(self, track_id: str) -> Track | None: ...


class RemoverClient(SpotifyReader, Protocol):
    """The part of SpotifyClient that remove uses: read as a sync does, and unfollow."""

    def unfollow_playlist(self, playlist_id: str) -> None: ...
