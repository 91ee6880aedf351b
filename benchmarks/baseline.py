"""The sequential baseline the sync benchmark compares with: how many playlist scripts work.

One request at a time; the first search hit for "title artist"; on every run the playlists are
created anew and filled one track per request. It talks plain HTTP so it shares nothing with
the product's client, and it is only ever pointed at the local emulator.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests

from soundtrack_playlists.models import Season


@dataclass
class BaselineResult:
    playlists: int = 0
    tracks: int = 0
    missing: int = 0
    refresh_token: str = ""  # the token to use next time (Spotify rotates PKCE tokens)


def naive_sync(
    season: Season, *, api_url: str, accounts_url: str, client_id: str, refresh_token: str
) -> BaselineResult:
    session = requests.Session()
    granted = session.post(
        f"{accounts_url}api/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": client_id,
        },
        timeout=30,
    ).json()
    session.headers["Authorization"] = f"Bearer {granted['access_token']}"
    result = BaselineResult(refresh_token=granted.get("refresh_token", refresh_token))

    def first_hit(title: str, artist: str) -> str | None:
        answer = session.get(
            f"{api_url}search",
            params={"q": f"{title} {artist}", "type": "track", "limit": "1"},
            timeout=30,
        )
        answer.raise_for_status()
        items = answer.json()["tracks"]["items"]
        return items[0]["uri"] if items else None

    def create_and_fill(name: str, uris: list[str]) -> None:
        created = session.post(
            f"{api_url}me/playlists", json={"name": name, "public": False}, timeout=30
        )
        created.raise_for_status()
        playlist_id = created.json()["id"]
        for uri in uris:
            session.post(
                f"{api_url}playlists/{playlist_id}/items", json={"uris": [uri]}, timeout=30
            ).raise_for_status()
        result.playlists += 1
        result.tracks += len(uris)

    season_uris: list[str] = []
    for episode in season.episodes:
        uris = []
        for song in episode.songs:
            uri = first_hit(song.title, song.artists[0])
            if uri is None:
                result.missing += 1
            else:
                uris.append(uri)
        if episode.songs:
            name = season.episode_playlist_name(episode)
            create_and_fill(name, uris)
            season_uris += uris
    create_and_fill(season.season_playlist_name(), season_uris)
    return result
