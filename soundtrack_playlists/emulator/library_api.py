"""The user's library route of the Web API: GET /me/library/contains, for followed playlists."""

from __future__ import annotations

from soundtrack_playlists.emulator.records import Token
from soundtrack_playlists.emulator.replies import ApiError, Reply
from soundtrack_playlists.emulator.state import Store

MAX_URIS = 40  # Spotify answers for at most 40 URIs a request
URI_KINDS = ("track", "album", "episode", "show", "audiobook", "artist", "user", "playlist")


class LibraryRoutes:
    """Mixed into WebApi, which sets `store`.

    The check reads the account as it is now, never the lagging view that stale reads give
    GET /me/playlists: it is how a client tells a lagging list from a deleted playlist.
    """

    store: Store

    def _library_contains(self, token: Token, params: dict[str, str], body: bytes) -> Reply:
        if token.user_id is None:
            raise ApiError(401, "Valid user authentication required")
        uris = [uri for uri in params.get("uris", "").split(",") if uri]
        if not uris or len(uris) > MAX_URIS:
            raise ApiError(400, f"Bad Request: give between 1 and {MAX_URIS} URIs in `uris`")
        answers = []
        for uri in uris:
            scheme, _, rest = uri.partition(":")
            kind, _, item_id = rest.partition(":")
            if scheme != "spotify" or kind not in URI_KINDS or not item_id:
                raise ApiError(400, f"Unsupported URI: {uri}")
            playlist = self.store.playlists.get(item_id) if kind == "playlist" else None
            answers.append(playlist is not None and token.user_id in playlist.followers)
        return Reply(200, answers)
