"""The emulator's records: playlists and their entries, tokens, authorization codes."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def new_id(length: int = 22) -> str:
    """A random base62 id, as Spotify's ids look."""
    return "".join(secrets.choice(_BASE62) for _ in range(length))


@dataclass
class Entry:
    """One item of a playlist: a track URI, when and by whom it was added."""

    uri: str
    added_at: str
    added_by: str


@dataclass
class Playlist:
    """A playlist with its items, followers and cover image."""

    id: str
    owner: str
    name: str
    description: str = ""
    public: bool = True
    collaborative: bool = False
    entries: list[Entry] = field(default_factory=list)
    version: int = 1
    snapshot_id: str = ""
    image_jpeg_b64: str | None = None
    followers: list[str] = field(default_factory=list)
    created: int = 0  # creation order: GET /me/playlists lists the newest first

    def touch(self) -> None:
        """A new snapshot_id: Spotify changes it on every change of the playlist."""
        self.version += 1
        digest = hashlib.sha1(f"{self.id}:{self.version}:{new_id(8)}".encode()).hexdigest()
        self.snapshot_id = base64.b64encode(f"{self.version},{digest}".encode()).decode()


@dataclass
class Token:
    """An access or refresh token and what it grants."""

    token: str
    user_id: str | None  # None: a client-credentials token, no user behind it
    scopes: tuple[str, ...]
    client_id: str
    expires_at: float = 0.0
    uses: int = 0
    revoked: bool = False


@dataclass
class AuthCode:
    """An authorization code waiting to be exchanged for tokens (once)."""

    code: str
    client_id: str
    redirect_uri: str
    user_id: str
    scopes: tuple[str, ...]
    code_challenge: str | None
    used: bool = False
