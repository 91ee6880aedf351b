"""The user's library route of the Web API: GET /me/library/contains, for followed playlists."""

from __future__ import annotations

from collections.abc import Callable

from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.emulator.records import Token
from soundtrack_playlists.emulator.replies import ApiError, Reply
from soundtrack_playlists.emulator.state import Store
from soundtrack_playlists.spotify import spec

MAX_URIS = spec.LIBRARY_URIS_MAX  # URIs a request, as the spec says
URI_KINDS = ("track", "album", "episode", "show", "audiobook", "artist", "user", "playlist")


class LibraryRoutes:
    """Mixed into WebApi, which sets `store` and `_faults`.

    The check reads the account as it is now, not the lagging view that stale reads give
    GET /me/playlists (a client can tell a lagging list from a deleted playlist by it), unless
    the `stale_library` fault makes it lag too.
    """

    store: Store
    _faults: Callable[[], Faults]

    def _library_contains(self, token: Token, params: dict[str, str], body: bytes) -> Reply:
        if token.user_id is None:
            raise ApiError(401, "Valid user authentication required")
        uris = [uri for uri in params.get("uris", "").split(",") if uri]
        if not uris or len(uris) > MAX_URIS:
            raise ApiError(400, f"Bad Request: give between 1 and {MAX_URIS} URIs in `uris`")
        playlists = self.store.view() if self._faults().stale_library else self.store.playlists
        answers = []
        for uri in uris:
            scheme, _, rest = uri.partition(":")
            kind, _, item_id = rest.partition(":")
            if scheme != "spotify" or kind not in URI_KINDS or not item_id:
                raise ApiError(400, f"Unsupported URI: {uri}")
            playlist = playlists.get(item_id) if kind == "playlist" else None
            answers.append(playlist is not None and token.user_id in playlist.followers)
        return Reply(200, answers)
