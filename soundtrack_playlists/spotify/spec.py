"""Operations, scopes and limits from Spotify's OpenAPI file (generated, not edited)."""

# Written by tools/derive_spotify_table.py from tests/spotify_openapi/official-spotify-open-api.yml;
# tests/test_spotify_spec_table.py checks that it still says what the spec says.

from __future__ import annotations

from typing import NamedTuple


class Operation(NamedTuple):
    """One operation of the Web API as the spec describes it."""

    operation_id: str
    scopes: tuple[str, ...]  # every scope the spec lists for it
    needed: tuple[str, ...]  # those a token must hold to be answered at all
    deprecated: bool


SPEC_VERSION = "1.0.0"

OPERATIONS: dict[str, Operation] = {
    "GET /me": Operation(
        "get-current-users-profile", ("user-read-private", "user-read-email"), (), False
    ),
    "GET /search": Operation("search", (), (), False),
    "GET /tracks/{id}": Operation("get-track", (), (), False),
    "GET /me/playlists": Operation(
        "get-a-list-of-current-users-playlists",
        ("playlist-read-private",),
        ("playlist-read-private",),
        False,
    ),
    "POST /me/playlists": Operation(
        "create-playlist",
        ("playlist-modify-public", "playlist-modify-private"),
        ("playlist-modify-public", "playlist-modify-private"),
        False,
    ),
    "GET /me/library/contains": Operation(
        "check-library-contains",
        ("user-library-read", "user-follow-read", "playlist-read-private"),
        ("user-library-read", "user-follow-read", "playlist-read-private"),
        False,
    ),
    "GET /playlists/{playlist_id}": Operation("get-playlist", (), (), False),
    "PUT /playlists/{playlist_id}": Operation(
        "change-playlist-details",
        ("playlist-modify-public", "playlist-modify-private"),
        ("playlist-modify-public", "playlist-modify-private"),
        False,
    ),
    "GET /playlists/{playlist_id}/items": Operation(
        "get-playlists-items", ("playlist-read-private",), ("playlist-read-private",), False
    ),
    "POST /playlists/{playlist_id}/items": Operation(
        "add-items-to-playlist",
        ("playlist-modify-public", "playlist-modify-private"),
        ("playlist-modify-public", "playlist-modify-private"),
        False,
    ),
    "PUT /playlists/{playlist_id}/items": Operation(
        "reorder-or-replace-playlists-items",
        ("playlist-modify-public", "playlist-modify-private"),
        ("playlist-modify-public", "playlist-modify-private"),
        False,
    ),
    "DELETE /playlists/{playlist_id}/items": Operation(
        "remove-items-playlist",
        ("playlist-modify-public", "playlist-modify-private"),
        ("playlist-modify-public", "playlist-modify-private"),
        False,
    ),
    "GET /playlists/{playlist_id}/images": Operation("get-playlist-cover", (), (), False),
    "PUT /playlists/{playlist_id}/images": Operation(
        "upload-custom-playlist-cover",
        ("ugc-image-upload", "playlist-modify-public", "playlist-modify-private"),
        ("ugc-image-upload", "playlist-modify-public", "playlist-modify-private"),
        False,
    ),
    "PUT /playlists/{playlist_id}/followers": Operation(
        "follow-playlist",
        ("playlist-modify-public", "playlist-modify-private"),
        ("playlist-modify-public", "playlist-modify-private"),
        True,
    ),
    "DELETE /playlists/{playlist_id}/followers": Operation(
        "unfollow-playlist",
        ("playlist-modify-public", "playlist-modify-private"),
        ("playlist-modify-public", "playlist-modify-private"),
        True,
    ),
    "GET /playlists/{playlist_id}/tracks": Operation(
        "get-playlists-tracks", ("playlist-read-private",), ("playlist-read-private",), True
    ),
    "POST /playlists/{playlist_id}/tracks": Operation(
        "add-tracks-to-playlist",
        ("playlist-modify-public", "playlist-modify-private"),
        ("playlist-modify-public", "playlist-modify-private"),
        True,
    ),
    "PUT /playlists/{playlist_id}/tracks": Operation(
        "reorder-or-replace-playlists-tracks",
        ("playlist-modify-public", "playlist-modify-private"),
        ("playlist-modify-public", "playlist-modify-private"),
        True,
    ),
    "DELETE /playlists/{playlist_id}/tracks": Operation(
        "remove-tracks-playlist",
        ("playlist-modify-public", "playlist-modify-private"),
        ("playlist-modify-public", "playlist-modify-private"),
        True,
    ),
    "GET /users/{user_id}/playlists": Operation(
        "get-list-users-playlists",
        ("playlist-read-private", "playlist-read-collaborative"),
        ("playlist-read-private", "playlist-read-collaborative"),
        True,
    ),
    "POST /users/{user_id}/playlists": Operation(
        "create-playlist-for-user",
        ("playlist-modify-public", "playlist-modify-private"),
        ("playlist-modify-public", "playlist-modify-private"),
        True,
    ),
}

# Scopes the spec lists that only decide which fields come back, with the evidence.
FIELD_SCOPES = {
    ("GET /me", "user-read-private"): "only adds country, product and explicit_content",
    ("GET /me", "user-read-email"): "only adds email (real-2026/joostlek_me_2026_no_email.json)",
}

SEARCH_LIMIT_MIN = 0
SEARCH_LIMIT_MAX = 10
SEARCH_OFFSET_MAX = 1000
PLAYLISTS_PAGE_MAX = 50
ITEMS_PAGE_MAX = 50
ITEMS_PER_WRITE = 100
LIBRARY_URIS_MAX = 40
