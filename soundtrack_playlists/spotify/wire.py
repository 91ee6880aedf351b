"""Spotify's JSON -> our values: the only place that reads the shapes of Spotify's answers."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from soundtrack_playlists.errors import SpotifyError
from soundtrack_playlists.models import PlaylistInfo, Track, User


def user(data: dict) -> User:
    """GET /me."""
    return User(id=data["id"], display_name=data.get("display_name"))


def track(data: dict) -> Track:
    """A track object, as in search results."""
    album = data.get("album") or {}
    return Track(
        uri=data["uri"],
        name=data.get("name") or "",
        artists=tuple(artist.get("name", "") for artist in data.get("artists") or ()),
        album=album.get("name") or "",
        album_type=album.get("album_type") or "",
        release_date=album.get("release_date") or "",
        duration_ms=data.get("duration_ms") or 0,
        popularity=data.get("popularity"),
        is_playable=data.get("is_playable"),
    )


def track_lookup(data: dict | None) -> Track:
    """GET /tracks/{id}: one track object; a malformed answer is an error naming the request."""
    if not isinstance(data, dict) or not isinstance(data.get("uri"), str):
        raise SpotifyError("Spotify answered GET /tracks/{id} without a track object")
    return track(data)


def playlist(data: dict) -> PlaylistInfo:
    """A playlist object, full (GET /playlists/{id}) or simplified (GET /me/playlists)."""
    items = data.get("items") if isinstance(data.get("items"), dict) else data.get("tracks")
    return PlaylistInfo(
        id=data["id"],
        name=data.get("name") or "",
        owner_id=(data.get("owner") or {}).get("id") or "",
        # Spotify answers descriptions HTML-escaped; compare and show the real text.
        description=html.unescape(data.get("description") or ""),
        public=data.get("public"),
        snapshot_id=data.get("snapshot_id") or "",
        total=(items or {}).get("total") or 0,
    )


def search_tracks(result: dict | None) -> list[Track]:
    """GET /search?type=track; null entries left out."""
    items = ((result or {}).get("tracks") or {}).get("items") or []
    return [track(item) for item in items if item]


def playlists(entries: Iterable[Any]) -> list[PlaylistInfo]:
    """The entries of GET /me/playlists pages; null entries left out."""
    return [playlist(item) for item in entries if item]


def item_uri(entry: Any) -> str | None:
    """One entry of GET /playlists/{id}/items; None for a track Spotify no longer has."""
    item = (entry or {}).get("item") or (entry or {}).get("track")
    return item.get("uri") if isinstance(item, dict) else None


def snapshot_id(answer: dict | None) -> str:
    """The snapshot id a playlist write answers; "" when it sent none."""
    return (answer or {}).get("snapshot_id") or ""


@dataclass(frozen=True)
class Page:
    """One page of a paged list: its entries, the list's total, whether a next page exists."""

    items: list[Any]
    total: int | None
    has_next: bool


def page(data: dict | None) -> Page:
    data = data or {}
    return Page(
        items=data.get("items") or [], total=data.get("total"), has_next=bool(data.get("next"))
    )
