"""The emulator's store of users, tokens and playlists: one lock, Spotify's rules, JSON saves."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from soundtrack_playlists.emulator.lag import ReadLag
from soundtrack_playlists.emulator.records import AuthCode, Entry, Playlist, Token, new_id
from soundtrack_playlists.emulator.replies import ApiError, OAuthError
from soundtrack_playlists.files.atomic import write_json_atomic

DEFAULT_USER = "demo-user"


def _utc_now_iso(now: float) -> str:
    return datetime.fromtimestamp(now, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


class Store:
    """Users, tokens and playlists behind one lock; every mutation is saved when persisted."""

    def __init__(
        self,
        users: dict[str, str | None],
        *,
        token_lifetime: float = 3600,
        state_file: Path | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.lock = threading.RLock()
        self.users = dict(users)
        self.token_lifetime = token_lifetime
        self.state_file = Path(state_file) if state_file else None
        self.clock = clock
        self.playlists: dict[str, Playlist] = {}
        self.access_tokens: dict[str, Token] = {}
        self.refresh_tokens: dict[str, Token] = {}
        self.codes: dict[str, AuthCode] = {}
        self._created = 0
        self.lag = ReadLag(clock)  # stale reads: what reads see while they lag
        if self.state_file and self.state_file.exists():
            self._load(self.state_file)

    # --- stale reads ---

    def set_stale_reads(self, seconds: float) -> None:
        """Reads lag behind writes by `seconds` from now on (0: every read is current)."""
        with self.lock:
            self.lag.set(seconds, self.playlists)

    def view(self) -> dict[str, Playlist]:
        """The playlists as a read sees them: as they were a while ago, if reads lag."""
        with self.lock:
            return self.lag.view(self.playlists)

    # --- persistence ---

    def _load(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.users.update(data.get("users", {}))
        for raw in data.get("playlists", []):
            raw["entries"] = [Entry(**entry) for entry in raw.get("entries", [])]
            playlist = Playlist(**raw)
            self.playlists[playlist.id] = playlist
            self._created = max(self._created, playlist.created)
        for raw in data.get("refresh_tokens", []):
            raw["scopes"] = tuple(raw["scopes"])
            self.refresh_tokens[raw["token"]] = Token(**raw)
        for raw in data.get("access_tokens", []):
            raw["scopes"] = tuple(raw["scopes"])
            self.access_tokens[raw["token"]] = Token(**raw)

    def save(self) -> None:
        """Write the whole state atomically (callers hold the lock)."""
        self.lag.remember(self.playlists)
        if not self.state_file:
            return
        write_json_atomic(
            self.state_file,
            {
                "format": "soundtrack-playlists-emulator-state/1",
                "users": self.users,
                "playlists": [asdict(p) for p in self.playlists.values()],
                "refresh_tokens": [asdict(t) for t in self.refresh_tokens.values()],
                "access_tokens": [asdict(t) for t in self.access_tokens.values()],
            },
            mode=0o600,
        )

    # --- accounts ---

    def add_user(self, user_id: str, display_name: str | None = None) -> None:
        with self.lock:
            # An owner with no display name is sent with `display_name: null`, as real ones are.
            self.users.setdefault(user_id, display_name)

    def issue_code(
        self,
        *,
        client_id: str,
        redirect_uri: str,
        user_id: str,
        scopes: Iterable[str],
        code_challenge: str | None,
    ) -> str:
        with self.lock:
            code = new_id(48)
            self.codes[code] = AuthCode(
                code, client_id, redirect_uri, user_id, tuple(scopes), code_challenge
            )
            return code

    def _new_access_token(
        self, user_id: str | None, scopes: Iterable[str], client_id: str
    ) -> Token:
        token = Token(
            "EMU-" + new_id(60),
            user_id,
            tuple(scopes),
            client_id,
            expires_at=self.clock() + self.token_lifetime,
        )
        self.access_tokens[token.token] = token
        return token

    def _grant(
        self, user_id: str | None, scopes: Iterable[str], client_id: str, refresh: str | None
    ) -> dict[str, Any]:
        access = self._new_access_token(user_id, scopes, client_id)
        answer = {
            "access_token": access.token,
            "token_type": "Bearer",
            "expires_in": int(self.token_lifetime),
            "scope": " ".join(access.scopes),
        }
        if refresh:
            answer["refresh_token"] = refresh
        self.save()
        return answer

    def new_refresh_token(self, user_id: str, scopes: Iterable[str], client_id: str = "") -> str:
        with self.lock:
            self.add_user(user_id)
            token = Token("EMUR-" + new_id(60), user_id, tuple(scopes), client_id)
            self.refresh_tokens[token.token] = token
            self.save()
            return token.token

    def exchange_code(
        self, *, code: str, redirect_uri: str, client_id: str, verifier: str | None
    ) -> dict[str, Any]:
        with self.lock:
            grant = self.codes.get(code)
            if grant is None or grant.used:
                raise OAuthError("invalid_grant", "Invalid authorization code")
            if redirect_uri != grant.redirect_uri:
                raise OAuthError("invalid_grant", "Invalid redirect URI")
            if client_id and client_id != grant.client_id:
                raise OAuthError("invalid_client", "Invalid client")
            if grant.code_challenge is not None:
                if not verifier:
                    raise OAuthError("invalid_request", "code_verifier required")
                if pkce_challenge(verifier) != grant.code_challenge:
                    raise OAuthError("invalid_grant", "code_verifier was incorrect")
            grant.used = True
            refresh = self.new_refresh_token(grant.user_id, grant.scopes, grant.client_id)
            return self._grant(grant.user_id, grant.scopes, grant.client_id, refresh)

    def refresh(
        self, refresh_token: str, client_id: str, *, rotate: bool = False
    ) -> dict[str, Any]:
        """A new access token. `rotate`: as Spotify does for PKCE (public) clients, answer a
        new refresh token and revoke this one, so it works exactly once."""
        with self.lock:
            token = self.refresh_tokens.get(refresh_token)
            if token is None or token.user_id is None:  # every refresh token has a user
                raise OAuthError("invalid_grant", "Invalid refresh token")
            if token.revoked:
                raise OAuthError("invalid_grant", "Refresh token revoked")
            client_id = client_id or token.client_id
            following = None
            if rotate:
                token.revoked = True
                following = self.new_refresh_token(token.user_id, token.scopes, client_id)
            return self._grant(token.user_id, token.scopes, client_id, following)

    def client_credentials(self, client_id: str) -> dict[str, Any]:
        with self.lock:
            return self._grant(None, (), client_id, None)

    def revoke_refresh_token(self, refresh_token: str) -> None:
        with self.lock:
            if refresh_token in self.refresh_tokens:
                self.refresh_tokens[refresh_token].revoked = True
                self.save()

    def expire_tokens(self) -> None:
        with self.lock:
            for token in self.access_tokens.values():
                token.expires_at = min(token.expires_at, self.clock() - 1)
            self.save()

    def authenticate(self, header: str | None, expire_after: int | None = None) -> Token:
        """The token behind an `Authorization: Bearer …` header, or the 401 Spotify sends."""
        if not header:
            raise ApiError(401, "No token provided")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise ApiError(401, "Only valid bearer authentication supported")
        with self.lock:
            token = self.access_tokens.get(value.strip())
            if token is None or token.revoked:
                raise ApiError(401, "Invalid access token")
            if expire_after is not None and token.uses >= expire_after:
                token.expires_at = min(token.expires_at, self.clock() - 1)
            if token.expires_at <= self.clock():
                raise ApiError(401, "The access token expired", fault="token_expired")
            token.uses += 1
            return token

    # --- playlists ---

    def create_playlist(
        self,
        owner: str,
        name: str,
        description: str = "",
        public: bool = True,
        collaborative: bool = False,
        uris: Iterable[str] = (),
    ) -> Playlist:
        with self.lock:
            self._created += 1
            playlist = Playlist(
                id=new_id(),
                owner=owner,
                name=name,
                description=description,
                public=public,
                collaborative=collaborative,
                followers=[owner],
                created=self._created,
            )
            now = _utc_now_iso(self.clock())
            playlist.entries = [Entry(uri, now, owner) for uri in uris]
            playlist.touch()
            self.playlists[playlist.id] = playlist
            self.save()
            return playlist

    def playlist(self, playlist_id: str) -> Playlist:
        playlist = self.playlists.get(playlist_id)
        if playlist is None:
            raise ApiError(404, "Resource not found")
        return playlist

    def followed_by(
        self, user_id: str, playlists: dict[str, Playlist] | None = None
    ) -> list[Playlist]:
        """The playlists a user follows, newest first (among `playlists`: a stale view)."""
        with self.lock:
            seen = self.playlists if playlists is None else playlists
            mine = [p for p in seen.values() if user_id in p.followers]
            return sorted(mine, key=lambda p: -p.created)

    def writable(self, playlist_id: str, token: Token) -> Playlist:
        """The playlist if this token's user may change it; Spotify answers 403 otherwise."""
        playlist = self.playlist(playlist_id)
        if token.user_id != playlist.owner and not playlist.collaborative:
            raise ApiError(403, "You cannot modify a playlist you do not own")
        scope = "playlist-modify-public" if playlist.public else "playlist-modify-private"
        if scope not in token.scopes:
            raise ApiError(403, "Insufficient client scope")
        return playlist

    def change_details(self, playlist: Playlist, changes: dict[str, Any]) -> None:
        with self.lock:
            for key in ("name", "description", "public", "collaborative"):
                if key in changes and changes[key] is not None:
                    setattr(playlist, key, changes[key])
            playlist.touch()
            self.save()

    def add_items(
        self, playlist: Playlist, uris: list[str], user: str, position: int | None = None
    ) -> str:
        with self.lock:
            now = _utc_now_iso(self.clock())
            new = [Entry(uri, now, user) for uri in uris]
            if position is None or position >= len(playlist.entries):
                playlist.entries.extend(new)
            else:
                playlist.entries[position:position] = new
            playlist.touch()
            self.save()
            return playlist.snapshot_id

    def replace_items(self, playlist: Playlist, uris: list[str], user: str) -> str:
        with self.lock:
            now = _utc_now_iso(self.clock())
            playlist.entries = [Entry(uri, now, user) for uri in uris]
            playlist.touch()
            self.save()
            return playlist.snapshot_id

    def reorder_items(self, playlist: Playlist, start: int, length: int, before: int) -> str:
        with self.lock:
            size = len(playlist.entries)
            if not (0 <= start < size and length >= 1 and start + length <= size):
                raise ApiError(400, "Index out of bounds")
            if not 0 <= before <= size:
                raise ApiError(400, "Index out of bounds")
            moved = playlist.entries[start : start + length]
            rest = playlist.entries[:start] + playlist.entries[start + length :]
            target = before if before <= start else before - length
            playlist.entries = rest[:target] + moved + rest[target:]
            playlist.touch()
            self.save()
            return playlist.snapshot_id

    def remove_items(self, playlist: Playlist, removals: list[tuple[str, list[int] | None]]) -> str:
        """Remove every occurrence of each URI, or only the given positions when listed."""
        with self.lock:
            drop_all = {uri for uri, positions in removals if positions is None}
            drop_at: set[int] = set()
            for uri, positions in removals:
                for position in positions or ():
                    entries = playlist.entries
                    if not 0 <= position < len(entries) or entries[position].uri != uri:
                        raise ApiError(400, f"Could not remove {uri} at position {position}")
                    drop_at.add(position)
            playlist.entries = [
                entry
                for index, entry in enumerate(playlist.entries)
                if entry.uri not in drop_all and index not in drop_at
            ]
            playlist.touch()
            self.save()
            return playlist.snapshot_id

    def set_image(self, playlist: Playlist, jpeg_b64: str) -> None:
        with self.lock:
            playlist.image_jpeg_b64 = jpeg_b64
            playlist.touch()
            self.save()

    def follow(self, playlist: Playlist, user_id: str, follow: bool) -> None:
        with self.lock:
            if follow and user_id not in playlist.followers:
                playlist.followers.append(user_id)
            elif not follow and user_id in playlist.followers:
                playlist.followers.remove(user_id)
            self.save()

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """Playlists as plain data for tests and /_emulator/state."""
        with self.lock:
            return {
                p.id: {
                    "id": p.id,
                    "owner": p.owner,
                    "name": p.name,
                    "description": p.description,
                    "public": p.public,
                    "collaborative": p.collaborative,
                    "snapshot_id": p.snapshot_id,
                    "followers": list(p.followers),
                    "has_image": p.image_jpeg_b64 is not None,
                    "items": [e.uri for e in p.entries],
                }
                for p in self.playlists.values()
            }
