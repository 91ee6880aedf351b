"""The Web API: its route table, each request authorized and dispatched, and GET /me."""

from __future__ import annotations

import re
from collections.abc import Callable
from email.message import Message

from soundtrack_playlists.emulator import objects
from soundtrack_playlists.emulator.catalog import Catalog
from soundtrack_playlists.emulator.faults import (
    NOT_ALLOW_LISTED,
    PREMIUM_MESSAGE,
    PREMIUM_REQUIRED,
    Faults,
)
from soundtrack_playlists.emulator.library_api import LibraryRoutes
from soundtrack_playlists.emulator.playlists_api import PlaylistRoutes
from soundtrack_playlists.emulator.records import Token
from soundtrack_playlists.emulator.replies import FAULT_HEADER, ApiError, Reply, error
from soundtrack_playlists.emulator.search import Searcher
from soundtrack_playlists.emulator.state import Store
from soundtrack_playlists.emulator.tracks_api import CatalogRoutes
from soundtrack_playlists.spotify.spec import OPERATIONS, Operation

NOT_REGISTERED = (
    "The user is not registered for this application. "
    "Please check your settings on https://developer.spotify.com/dashboard."
)
RETIRED = "retired"  # routes Spotify closed for Development Mode apps in 2026: always 403

# (the spec's path template, its pattern under /v1, the method name of each HTTP method)
ROUTES: tuple[tuple[str, str, dict[str, str] | str], ...] = (
    ("/me", r"/v1/me", {"GET": "_get_me"}),
    ("/search", r"/v1/search", {"GET": "_search"}),
    ("/tracks/{id}", r"/v1/tracks/([^/]+)", {"GET": "_get_track"}),
    ("/me/playlists", r"/v1/me/playlists", {"GET": "_my_playlists", "POST": "_create"}),
    ("/me/library/contains", r"/v1/me/library/contains", {"GET": "_library_contains"}),
    (
        "/playlists/{playlist_id}",
        r"/v1/playlists/([^/]+)",
        {"GET": "_get_playlist", "PUT": "_change_details"},
    ),
    (
        "/playlists/{playlist_id}/items",
        r"/v1/playlists/([^/]+)/items",
        {"GET": "_get_items", "POST": "_add_items", "PUT": "_put_items", "DELETE": "_remove"},
    ),
    (
        "/playlists/{playlist_id}/images",
        r"/v1/playlists/([^/]+)/images",
        {"GET": "_get_images", "PUT": "_put_image"},
    ),
    (
        "/playlists/{playlist_id}/followers",
        r"/v1/playlists/([^/]+)/followers",
        {"PUT": "_follow", "DELETE": "_unfollow"},
    ),
    ("/playlists/{playlist_id}/tracks", r"/v1/playlists/([^/]+)/tracks", RETIRED),
    ("/users/{user_id}/playlists", r"/v1/users/([^/]+)/playlists", RETIRED),
)


def route_of(path: str) -> str | None:
    """The spec's path template of a request path, for the request log."""
    for route, pattern, _ in ROUTES:
        if re.fullmatch(pattern, path.rstrip("/")):
            return route
    return None


def operation_of(key: str) -> Operation:
    """The spec's entry for "METHOD /route": every route the emulator serves has one."""
    try:
        return OPERATIONS[key]
    except KeyError:
        raise AssertionError(f"{key} has no entry in spotify/spec.py: derive it") from None


def _premium_required(form: str) -> Reply:
    """Spotify's 2026 answer to an app whose owner has no Premium, as JSON or plain text."""
    if form == "text":
        reply = Reply(403, PREMIUM_MESSAGE.encode("utf-8"), content_type="text/plain")
    else:
        reply = error(403, PREMIUM_MESSAGE)
    reply.headers[FAULT_HEADER] = PREMIUM_REQUIRED
    return reply


def _check_scopes(token: Token, key: str) -> None:
    """403 "Insufficient client scope" when a user's token lacks a scope the spec demands.

    (An app token has no user and no scopes: the handlers answer it 401 where a user is needed.)
    """
    if token.user_id is None:
        return
    if any(scope not in token.scopes for scope in operation_of(key).needed):
        raise ApiError(403, "Insufficient client scope")


class WebApi(CatalogRoutes, LibraryRoutes, PlaylistRoutes):
    """The /v1 routes over one store and catalog; `base_url` is set once the server listens.

    Search is Spotify-like unless `strict_search` (or the faults' `strict_search`) asks for
    every word to be required, as tests of exact query handling need.
    """

    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        faults: Callable[[], Faults],
        allow_list: frozenset[str] | None = None,
        *,
        strict_search: bool = False,
        eligible: Callable[[str, str, str | None], bool] | None = None,
    ) -> None:
        self.store = store
        # Whether the faults apply to a request (path, method, route): None, to every one.
        self._eligible = eligible or (lambda path, method, route: True)
        self.catalog = catalog
        self.searcher = Searcher(catalog)
        self.strict_search = strict_search
        self.allow_list = allow_list
        self._faults = faults
        self.base_url = ""

    @property
    def api_url(self) -> str:
        return self.base_url + "v1/"

    def handle(
        self, method: str, path: str, params: dict[str, str], headers: Message, body: bytes
    ) -> Reply:
        """Answer one /v1 request; raises ApiError for Spotify's error answers."""
        route, handler, arguments = self._match(method, path)
        if route is None:
            return error(404, "Service not found")
        if handler is None:
            return error(405, "Method not allowed")
        if handler == RETIRED:
            message = (
                "You cannot create a playlist for another user"
                if method == "POST" and route.startswith("/users")
                else "Forbidden"
            )
            return error(403, message)
        token = self._authorize_request(headers)
        premium = self._faults().premium_required
        if premium is not None:
            return _premium_required(premium)
        _check_scopes(token, f"{method} {route}")
        answer: Reply = getattr(self, handler)(token, params, body, *arguments)
        return answer

    def _match(self, method: str, path: str) -> tuple[str | None, str | None, tuple[str, ...]]:
        for route, pattern, methods in ROUTES:
            match = re.fullmatch(pattern, path.rstrip("/") or "/")
            if match:
                if isinstance(methods, str):
                    return route, methods, ()
                return route, methods.get(method), match.groups()
        return None, None, ()

    def _authorize_request(self, headers: Message) -> Token:
        faults = self._faults()
        token = self.store.authenticate(
            headers.get("Authorization"), expire_after=faults.expire_token_after
        )
        if token.user_id is not None and (
            faults.not_allow_listed
            or (self.allow_list is not None and token.user_id not in self.allow_list)
        ):
            raise ApiError(403, NOT_REGISTERED, fault=NOT_ALLOW_LISTED)
        return token

    @staticmethod
    def _user(token: Token) -> str:
        if token.user_id is None:
            raise ApiError(401, "Valid user authentication required")
        return token.user_id

    def _get_me(self, token: Token, params: dict[str, str], body: bytes) -> Reply:
        user = self._user(token)
        name = self.store.users.get(user) or user  # the spec's PrivateUserObject: a string
        return Reply(200, objects.private_user(user, name, self.api_url))
