"""JSON shapes of the Web API (tracks, users, playlists, pages) built from emulator values."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlencode

from soundtrack_playlists.emulator.catalog import CatalogTrack, stable_id
from soundtrack_playlists.emulator.records import Entry, Playlist

OPEN = "https://open.spotify.com"
JSON = dict[str, Any]
MARKETS = ["CA", "DE", "FR", "GB", "US"]  # deprecated field; a few markets keep it plausible


def artist_object(name: str, api_url: str) -> JSON:
    artist_id = stable_id(f"artist:{name}")
    return {
        "external_urls": {"spotify": f"{OPEN}/artist/{artist_id}"},
        "href": f"{api_url}artists/{artist_id}",
        "id": artist_id,
        "name": name,
        "type": "artist",
        "uri": f"spotify:artist:{artist_id}",
    }


def track_object(
    track: CatalogTrack, api_url: str, market: str | None = None, *, playable: bool = True
) -> JSON:
    """A full TrackObject; `is_playable` only when a market was given, as Spotify does.

    A track not `playable` in the user's market (US) says `is_playable: false`, or lacks
    the user's market among its `available_markets` when no market was given.
    """
    artists = [artist_object(name, api_url) for name in track.artists]
    album_id = track.album_id
    album = {
        "album_type": track.album_type,
        "artists": artists[:1],
        "available_markets": MARKETS,
        "external_urls": {"spotify": f"{OPEN}/album/{album_id}"},
        "href": f"{api_url}albums/{album_id}",
        "id": album_id,
        "images": [],
        "name": track.album,
        "release_date": track.release_date,
        "release_date_precision": track.release_date_precision,
        "total_tracks": 1 if track.album_type == "single" else 12,
        "type": "album",
        "uri": f"spotify:album:{album_id}",
    }
    answer = {
        "album": album,
        "artists": artists,
        "disc_number": 1,
        "duration_ms": track.duration_ms,
        "explicit": track.explicit,
        "external_ids": {"isrc": track.isrc} if track.isrc else {},
        "external_urls": {"spotify": f"{OPEN}/track/{track.id}"},
        "href": f"{api_url}tracks/{track.id}",
        "id": track.id,
        "is_local": False,
        "name": track.name,
        "preview_url": None,
        "track_number": 1,
        "type": "track",
        "uri": track.uri,
    }
    if track.popularity is not None:
        answer["popularity"] = track.popularity
    if market:
        answer["is_playable"] = playable
    else:
        answer["available_markets"] = MARKETS if playable else [m for m in MARKETS if m != "US"]
    return answer


def user_ref(user_id: str, api_url: str) -> JSON:
    return {
        "external_urls": {"spotify": f"{OPEN}/user/{user_id}"},
        "href": f"{api_url}users/{user_id}",
        "id": user_id,
        "type": "user",
        "uri": f"spotify:user:{user_id}",
    }


def owner_object(user_id: str, display_name: str | None, api_url: str) -> JSON:
    return {**user_ref(user_id, api_url), "display_name": display_name}


def private_user(user_id: str, display_name: str, api_url: str) -> JSON:
    return {
        **user_ref(user_id, api_url),
        "country": "US",
        "display_name": display_name,
        "explicit_content": {"filter_enabled": False, "filter_locked": False},
        "followers": {"href": None, "total": 0},
        "images": [],
        "product": "premium",
    }


def page(
    url: str, params: dict[str, str], items: list[Any], *, limit: int, offset: int, total: int
) -> JSON:
    """A PagingObject whose href/next/previous are absolute URLs back to the emulator."""

    def link(at: int) -> str:
        return f"{url}?{urlencode({**params, 'offset': at, 'limit': limit})}"

    return {
        "href": link(offset),
        "items": items,
        "limit": limit,
        "next": link(offset + limit) if offset + limit < total else None,
        "offset": offset,
        "previous": link(max(0, offset - limit)) if offset > 0 else None,
        "total": total,
    }


def playlist_entry(entry: Entry, track: JSON | None, api_url: str) -> JSON:
    return {
        "added_at": entry.added_at,
        "added_by": user_ref(entry.added_by, api_url),
        "is_local": False,
        "item": track,
        "track": track,  # deprecated name, still sent by Spotify in 2026
    }


def images(playlist: Playlist, base_url: str) -> list[JSON]:
    if playlist.image_jpeg_b64 is None:
        return []
    url = f"{base_url}_emulator/images/{playlist.id}.jpg?v={playlist.version}"
    return [{"url": url, "height": None, "width": None}]


def simplified_playlist(
    playlist: Playlist, owner_name: str | None, api_url: str, base_url: str
) -> JSON:
    ref = {"href": f"{api_url}playlists/{playlist.id}/items", "total": len(playlist.entries)}
    return {
        "collaborative": playlist.collaborative,
        "description": html.escape(playlist.description),  # as Spotify answers it
        "external_urls": {"spotify": f"{OPEN}/playlist/{playlist.id}"},
        "href": f"{api_url}playlists/{playlist.id}",
        "id": playlist.id,
        "images": images(playlist, base_url),
        "items": ref,
        "name": playlist.name,
        "owner": owner_object(playlist.owner, owner_name, api_url),
        "public": playlist.public,
        "snapshot_id": playlist.snapshot_id,
        "tracks": dict(ref),
        "type": "playlist",
        "uri": f"spotify:playlist:{playlist.id}",
    }
