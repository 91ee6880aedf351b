"""JSON shapes of the Web API (tracks, users, playlists, pages) built from emulator values."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import unquote_plus, urlencode

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
    # Real 2026 answers with a market carry `is_playable` beside `available_markets`, and a
    # track the user cannot play says why in `restrictions`.
    answer["available_markets"] = MARKETS if playable else [m for m in MARKETS if m != "US"]
    if market:
        answer["is_playable"] = playable
        album["is_playable"] = playable
        if not playable:
            answer["restrictions"] = {"reason": "market"}
    return answer


def relinked(answer: JSON, asked: CatalogTrack, api_url: str) -> JSON:
    """A track answered in place of `asked` (Spotify's relinking, with a market): the answer's
    own id, and `linked_from` naming the one asked for."""
    return {
        **answer,
        "linked_from": {
            "external_urls": {"spotify": f"{OPEN}/track/{asked.id}"},
            "href": f"{api_url}tracks/{asked.id}",
            "id": asked.id,
            "type": "track",
            "uri": asked.uri,
        },
    }


def local_track(uri: str) -> JSON:
    """A local file in a playlist, as Spotify sends one: no id, no links, names from its URI."""
    parts = [unquote_plus(part) for part in uri.split(":")[2:]]
    artist, album, name, seconds = (parts + ["", "", "", "0"])[:4]
    nothing: JSON = {"external_urls": {}, "href": None, "id": None, "uri": None}
    return {
        "album": {**nothing, "album_type": None, "available_markets": [], "images": [],
                  "name": album, "release_date": None, "release_date_precision": None,
                  "type": "album", "artists": []},
        "artists": [{**nothing, "name": artist, "type": "artist"}] if artist else [],
        "available_markets": [], "disc_number": 0, "duration_ms": int(seconds or 0) * 1000,
        "explicit": False, "external_ids": {}, "external_urls": {}, "href": None, "id": None,
        "is_local": True, "name": name, "popularity": 0, "preview_url": None,
        "track_number": 0, "type": "track", "uri": uri,
    }  # fmt: skip


def episode(uri: str, api_url: str) -> JSON:
    """A podcast episode in a playlist (the fields the client could meet; it reads the URI)."""
    episode_id = uri.rsplit(":", 1)[-1]
    show_id = stable_id(f"show:{episode_id}")
    return {
        "audio_preview_url": None, "description": "An episode", "duration_ms": 1_800_000,
        "episode": True, "explicit": False,
        "external_urls": {"spotify": f"{OPEN}/episode/{episode_id}"},
        "href": f"{api_url}episodes/{episode_id}", "html_description": "<p>An episode</p>",
        "id": episode_id, "images": [], "is_externally_hosted": False, "is_playable": True,
        "language": "en", "languages": ["en"], "name": f"Episode {episode_id[:6]}",
        "release_date": "2024-11-28", "release_date_precision": "day",
        "show": {"id": show_id, "name": "A show", "type": "show", "uri": f"spotify:show:{show_id}",
                 "href": f"{api_url}shows/{show_id}", "publisher": "A publisher",
                 "external_urls": {"spotify": f"{OPEN}/show/{show_id}"}},
        "track": False, "type": "episode", "uri": uri,
    }  # fmt: skip


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


def playlist_entry(
    entry: Entry, track: JSON | None, api_url: str, *, item_only: bool = False
) -> JSON:
    """An entry as 2026 answers have it: `item`, and `track` too unless `item_only`."""
    answer = {
        "added_at": entry.added_at,
        "added_by": user_ref(entry.added_by, api_url),
        "is_local": bool(track and track.get("is_local")),
        "item": track,
        "primary_color": None,
        "track": track,  # deprecated name, still sent by Spotify in 2026
        "video_thumbnail": {"url": None},
    }
    if item_only:
        del answer["track"]
    return answer


def images(playlist: Playlist, base_url: str) -> list[JSON] | None:
    if playlist.image_jpeg_b64 is None:
        return None  # as real 2026 answers have it for a playlist without a cover
    url = f"{base_url}_emulator/images/{playlist.id}.jpg?v={playlist.version}"
    return [{"url": url, "height": None, "width": None}]


def simplified_playlist(
    playlist: Playlist,
    owner_name: str | None,
    api_url: str,
    base_url: str,
    *,
    metadata_only: bool = False,
) -> JSON:
    """A playlist as GET /me/playlists lists it; `metadata_only`: without its counts, as the
    2026 API may send playlists of others."""
    ref = {"href": f"{api_url}playlists/{playlist.id}/items", "total": len(playlist.entries)}
    answer = {
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
        "primary_color": None,
        "tracks": dict(ref),
        "type": "playlist",
        "uri": f"spotify:playlist:{playlist.id}",
    }
    if metadata_only:
        del answer["items"], answer["tracks"]
    return answer
