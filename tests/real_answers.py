"""The recorded real answers in tests/data/real-answers: each body, and the request it answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).parent / "data" / "real-answers"

# file -> the operation it answers (the method and the spec's route)
ANSWERS = {
    "beets_missing_request.json": "GET /search",
    "beets_track_request.json": "GET /search",
    "swajava_SearchTracksRequest.json": "GET /search",
    "zmb3_search_tracks.json": "GET /search",
    "spotdl_search_track_q-test_limit10.json": "GET /search",
    "real-2026/joostlek_search_tracks_2026.json": "GET /search",
    "spotdl_get_track_1t2qKa8K72IBC8yQlhD9bU.json": "GET /tracks/{id}",
    "spotdl_get_playlist_5LkNhFidYyyjRWwnkcMbQs.json": "GET /playlists/{playlist_id}",
    "zmb3_get_playlist.json": "GET /playlists/{playlist_id}",
    "real-2026/joostlek_playlist_2026.json": "GET /playlists/{playlist_id}",
    "real-2026/schorn_playlist_local_and_episodes.json": "GET /playlists/{playlist_id}",
    "swajava_CreatePlaylistRequest.json": "POST /me/playlists",
    "real-2026/joostlek_create_playlist_2025.json": "POST /me/playlists",
    "spotdl_get_playlist_tracks_5LkNhFidYyyjRWwnkcMbQs.json": "GET /playlists/{playlist_id}/items",
    "zmb3_playlist_items_tracks.json": "GET /playlists/{playlist_id}/items",
    "real-2026/joostlek_items_page_episodes.json": "GET /playlists/{playlist_id}/items",
    "real-2026/joostlek_items_page_local_track.json": "GET /playlists/{playlist_id}/items",
    "real-2026/joostlek_playlist_items_2026.json": "GET /playlists/{playlist_id}/items",
    "swajava_GetListOfCurrentUsersPlaylistsRequest.json": "GET /me/playlists",
    "zmb3_current_users_playlists.json": "GET /me/playlists",
    "zmb3_playlists_for_user.json": "GET /me/playlists",  # /users/{id}/playlists: same shape
    "real-2026/joostlek_me_playlists_2026_p1.json": "GET /me/playlists",
    "swajava_GetCurrentUsersProfileRequest.json": "GET /me",
    "real-2026/joostlek_me_2026_no_email.json": "GET /me",
    "swajava_AddItemsToPlaylistRequest.json": "POST /playlists/{playlist_id}/items",
    "real-2026/joostlek_add_items_snapshot.json": "POST /playlists/{playlist_id}/items",
    "real-2026/joostlek_library_contains_2026.json": "GET /me/library/contains",
}
ERRORS = {
    "real-2026/err400_invalid_limit_2026.json": 400,
    "real-2026/err403_bare_forbidden_2026.json": 403,
    "real-2026/err403_premium_required_json.json": 403,
    "real-2026/err403_premium_required_text.txt": 403,
}
# Recorded answers to requests the client never makes, each with why.
NOT_OURS = {
    "spotdl_search_album_q-yeezus.json": "a search for albums: the client searches tracks only",
    "spotdl_search_playlist_q-This-Is-Gorillaz.json": "a search for playlists: tracks only",
    "swajava_GetPlaylistCoverImageRequest.json": "GET /playlists/{id}/images: never read",
    "observed_error_responses_from_issue_threads.json": "error bodies, read in ERRORS' tests",
}
# Re-encoded by Swift's Codable, which drops null fields: not byte for byte what Spotify sent.
REENCODED = ("real-2026/schorn_playlist_local_and_episodes.json",)


def body(name: str) -> bytes:
    """The answer's body as it came over the wire (spotDL's cassettes wrap it)."""
    raw = (FOLDER / name).read_bytes()
    if name.startswith("spotdl_"):
        return json.dumps(json.loads(raw)["body"]).encode("utf-8")
    return raw


def data(name: str) -> Any:
    return json.loads(body(name))


def every_file() -> set[str]:
    return {
        str(path.relative_to(FOLDER))
        for path in FOLDER.rglob("*")
        if path.suffix in (".json", ".txt")
    }
