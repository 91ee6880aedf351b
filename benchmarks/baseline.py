"""The fair sequential peer the sync benchmark compares with: how a careful playlist script works.

One request at a time: a token, `GET /me`, the user's playlists once (pages of 50), the first
search hit for "title artist" for every song, then per playlist find-or-create by name and
fill it in adds of up to 100; on a re-run an existing playlist's items are replaced (a PUT of
the first 100, then adds). It keeps no lock and no state, so every run searches every song
again. It talks plain HTTP so it shares nothing with the product's client, and it is only
ever pointed at the local emulator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import requests

from soundtrack_playlists.models import Season

CHUNK = 100  # Spotify's cap on items per add or replace
PAGE = 50  # Spotify's cap on playlists per page


@dataclass
class PeerResult:
    playlists: int = 0
    tracks: int = 0
    missing: int = 0
    refresh_token: str = ""  # the token to use next time (Spotify rotates PKCE tokens)


class FairPeer:
    """One run of the peer over several seasons, sharing the token and the playlist listing."""

    def __init__(self, api_url: str, accounts_url: str, client_id: str, refresh_token: str):
        self.api = api_url
        self.session = requests.Session()
        granted = self.session.post(
            f"{accounts_url}api/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": client_id,
            },
            timeout=30,
        ).json()
        self.session.headers["Authorization"] = f"Bearer {granted['access_token']}"
        self.result = PeerResult(refresh_token=granted.get("refresh_token", refresh_token))
        self.me = self._get("me")["id"]
        self.by_name: dict[str, str] = {}
        offset = 0
        while True:
            page = self._get("me/playlists", {"limit": str(PAGE), "offset": str(offset)})
            for item in page["items"]:
                if item and item["owner"]["id"] == self.me:
                    self.by_name.setdefault(item["name"], item["id"])
            offset += len(page["items"])
            if not page["items"] or offset >= page["total"]:
                break

    def _get(self, path: str, params: dict[str, str] | None = None) -> dict:
        answer = self.session.get(f"{self.api}{path}", params=params, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def _send(self, method: str, path: str, body: dict) -> dict:
        answer = self.session.request(method, f"{self.api}{path}", json=body, timeout=30)
        answer.raise_for_status()
        return answer.json() if answer.content else {}

    def first_hit(self, title: str, artist: str) -> str | None:
        params = {"q": f"{title} {artist}", "type": "track", "limit": "1"}
        items = self._get("search", params)["tracks"]["items"]
        return items[0]["uri"] if items else None

    def put_playlist(self, name: str, uris: list[str]) -> None:
        """Find by name or create, then replace (existing) or add (new) the items."""
        chunks = [uris[start : start + CHUNK] for start in range(0, len(uris), CHUNK)]
        playlist_id = self.by_name.get(name)
        if playlist_id is None:
            playlist_id = self._send("POST", "me/playlists", {"name": name, "public": False})["id"]
            self.by_name[name] = playlist_id
        else:
            self._send(
                "PUT", f"playlists/{playlist_id}/items", {"uris": chunks[0] if chunks else []}
            )
            chunks = chunks[1:]
        for chunk in chunks:
            self._send("POST", f"playlists/{playlist_id}/items", {"uris": chunk})
        self.result.playlists += 1
        self.result.tracks += len(uris)

    def sync(self, season: Season) -> None:
        season_uris: list[str] = []
        for episode in season.episodes:
            uris = []
            for song in episode.songs:
                uri = self.first_hit(song.title, song.artists[0])
                if uri is None:
                    self.result.missing += 1
                else:
                    uris.append(uri)
            if episode.songs:
                self.put_playlist(season.episode_playlist_name(episode), uris)
                season_uris += uris
        self.put_playlist(season.season_playlist_name(), season_uris)


def fair_sync(
    seasons: Sequence[Season],
    *,
    api_url: str,
    accounts_url: str,
    client_id: str,
    refresh_token: str,
) -> PeerResult:
    """Sync the seasons the way a careful sequential script would, in one run."""
    peer = FairPeer(api_url, accounts_url, client_id, refresh_token)
    for season in seasons:
        peer.sync(season)
    return peer.result
