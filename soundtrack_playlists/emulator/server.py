"""The emulator's HTTP side: routes of the Web API and accounts service, faults, request log."""

from __future__ import annotations

import base64
import binascii
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from soundtrack_playlists.emulator import objects
from soundtrack_playlists.emulator.catalog import Catalog
from soundtrack_playlists.emulator.faults import (
    DROP,
    DROP_AFTER_APPLY,
    NOT_ALLOW_LISTED,
    FaultInjector,
    Faults,
)
from soundtrack_playlists.emulator.search import Searcher, parse_query
from soundtrack_playlists.emulator.state import (
    DEFAULT_USER,
    MAX_ITEMS_PER_WRITE,
    PROJECT_SCOPES,
    ApiError,
    OAuthError,
    Playlist,
    Store,
    Token,
)

NOT_REGISTERED = (
    "The user is not registered for this application. "
    "Please check your settings on https://developer.spotify.com/dashboard."
)
MAX_IMAGE_BYTES = 256 * 1024
_TRACK_URI = re.compile(r"^spotify:track:([0-9A-Za-z]{22})$")
_LOOPBACK = ("127.0.0.1", "::1")
_FAULT_HEADER = "x-emulator-fault"  # internal: carries the fault to the log, never sent
DATA_DIR = Path(__file__).parent / "data"


def demo_catalog_path() -> Path:
    """The bundled demo catalog (real MIT/Apache rows plus the season's missing songs)."""
    return DATA_DIR / "demo_catalog.csv"


@dataclass(frozen=True)
class RequestRecord:
    """One request as the emulator saw it; status None when the connection was dropped."""

    method: str
    path: str
    query: dict
    status: int | None
    fault: str | None = None
    route: str | None = None  # the spec's path template, e.g. "/playlists/{playlist_id}/items"

    def to_json(self) -> dict:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "fault": self.fault,
            "route": self.route,
        }


@dataclass(frozen=True)
class ResponseRecord:
    """A JSON body the emulator sent, kept (when asked) for checking against the spec."""

    method: str
    route: str
    status: int
    body: object


@dataclass
class Reply:
    status: int
    body: object = None  # dict/list -> JSON; bytes -> as is; None -> empty
    headers: dict = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"


def _error(status: int, message: str, headers: dict | None = None) -> Reply:
    return Reply(status, {"error": {"status": status, "message": message}}, headers or {})


def _int_param(params: dict, name: str, default: int, low: int, high: int, message: str) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, message) from None
    if not low <= value <= high:
        raise ApiError(400, message)
    return value


class Emulator:
    """A local Spotify Web API + accounts service on 127.0.0.1, for tests, demos and benchmarks.

    Example:
        with Emulator(faults=Faults(rate_429=0.2, seed=1)) as emulator:
            token = emulator.issue_refresh_token()
            ...  # point a client at emulator.api_url and emulator.accounts_url
    """

    def __init__(
        self,
        catalog: str | Path | Catalog | None = None,
        faults: Faults | None = None,
        token_lifetime: float = 3600,
        state_file: str | Path | None = None,
        users: dict[str, str] | Iterable[str] | None = None,
        allow_list: Iterable[str] | None = None,
        *,
        login_user: str = DEFAULT_USER,
        record_responses: bool = False,
        rotate_refresh_tokens: bool = True,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if catalog is None:
            catalog = demo_catalog_path()
        self.catalog = catalog if isinstance(catalog, Catalog) else Catalog.load(catalog)
        self.searcher = Searcher(self.catalog)
        if users is None:
            users = {DEFAULT_USER: "Demo User"}
        elif not isinstance(users, dict):
            users = {user: user for user in users}
        self.store = Store(users, token_lifetime=token_lifetime, state_file=state_file, clock=clock)
        self.store.add_user(login_user)
        self.login_user = login_user
        self.allow_list = None if allow_list is None else frozenset(allow_list)
        self.record_responses = record_responses
        # Spotify rotates refresh tokens given to PKCE (public) clients: each works once.
        self.rotate_refresh_tokens = rotate_refresh_tokens
        self.recorded_responses: list[ResponseRecord] = []
        self._clock = clock
        self._sleep = sleep
        self._injector = FaultInjector(faults or Faults(), clock=clock)
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port: int | None = None

    # --- lifecycle ---

    def start(self, port: int = 0) -> Emulator:
        """Serve on 127.0.0.1 (a free port when 0) from a daemon thread."""
        handler = type("BoundHandler", (_Handler,), {"emulator": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # a quick stop() for test suites
            name=f"spotify-emulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def serve_forever(self, port: int = 0) -> None:
        """Block the calling thread until interrupted (the CLI's Ctrl-C); starts if needed."""
        if self._server is None:
            self.start(port)
        try:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)
        finally:
            self.stop()

    def __enter__(self) -> Emulator:
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("the emulator is not started: call .start() first")
        return f"http://127.0.0.1:{self.port}/"

    @property
    def api_url(self) -> str:
        return self.base_url + "v1/"

    @property
    def accounts_url(self) -> str:
        return self.base_url

    # --- accounts, faults and state for tests ---

    def add_user(self, user_id: str, display_name: str | None = None) -> None:
        self.store.add_user(user_id, display_name)

    def issue_refresh_token(
        self, user_id: str = DEFAULT_USER, scopes: Iterable[str] = PROJECT_SCOPES
    ) -> str:
        """A refresh token as a finished login would give (an emulator token, not a secret)."""
        return self.store.new_refresh_token(user_id, scopes)

    def issue_access_token(
        self, user_id: str = DEFAULT_USER, scopes: Iterable[str] = PROJECT_SCOPES
    ) -> str:
        refresh = self.issue_refresh_token(user_id, scopes)
        return self.store.refresh(refresh, "emulator")["access_token"]

    def revoke_refresh_token(self, token: str) -> None:
        self.store.revoke_refresh_token(token)

    def expire_tokens(self) -> None:
        """Every access token issued so far answers 401 "The access token expired" from now."""
        self.store.expire_tokens()

    def set_faults(self, faults: Faults) -> None:
        """Switch faults mid-run (a fresh random sequence and rate-limit window)."""
        self._injector = FaultInjector(faults, clock=self._clock)

    @property
    def faults(self) -> Faults:
        return self._injector.faults

    @property
    def request_log(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    def playlists_state(self) -> dict:
        return self.store.snapshot()

    def add_playlist(
        self,
        owner: str,
        name: str,
        items: Iterable[str] = (),
        *,
        public: bool = True,
        description: str = "",
    ) -> str:
        self.store.add_user(owner)
        return self.store.create_playlist(owner, name, description, public, uris=items).id

    def delete_playlist(self, playlist_id: str) -> None:
        """Delete as Spotify does: the owner unfollows; GET /playlists/{id} still answers."""
        playlist = self.store.playlist(playlist_id)
        self.store.follow(playlist, playlist.owner, False)

    def _record(self, record: RequestRecord) -> None:
        with self._log_lock:
            self._log.append(record)

    # --- routing ---

    def handle(self, method: str, path: str, params: dict, headers, body: bytes) -> Reply:
        """Answer one API or accounts request (faults are applied by the caller)."""
        try:
            if path == "/authorize" and method == "GET":
                return self._authorize(params)
            if path == "/api/token":
                if method != "POST":
                    return _error(405, "Method not allowed")
                return self._token(headers, body)
            route, handler, arguments = self._match(method, path)
            if route is None:
                return _error(404, "Service not found")
            if handler is None:
                return _error(405, "Method not allowed")
            if route in ("/users/{user_id}/playlists", "/playlists/{playlist_id}/tracks"):
                # retired for Development Mode apps in 2026
                message = (
                    "You cannot create a playlist for another user"
                    if method == "POST" and route.startswith("/users")
                    else "Forbidden"
                )
                return _error(403, message)
            token = self._authorize_request(headers)
            return handler(token, params, body, *arguments)
        except ApiError as error:
            reply = _error(error.status, error.message)
            if error.fault:
                reply.headers[_FAULT_HEADER] = error.fault
            return reply
        except OAuthError as error:
            body = {"error": error.code, "error_description": error.description}
            return Reply(error.status, body)

    _ROUTES = (
        ("/me", r"/v1/me", {"GET": "_get_me"}),
        ("/search", r"/v1/search", {"GET": "_search"}),
        ("/me/playlists", r"/v1/me/playlists", {"GET": "_my_playlists", "POST": "_create"}),
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
        ("/playlists/{playlist_id}/tracks", r"/v1/playlists/([^/]+)/tracks", "any"),
        ("/users/{user_id}/playlists", r"/v1/users/([^/]+)/playlists", "any"),
    )

    def _match(self, method: str, path: str):
        for route, pattern, methods in self._ROUTES:
            match = re.fullmatch(pattern, path.rstrip("/") or "/")
            if match:
                if methods == "any":
                    return route, (lambda *a: None), ()
                name = methods.get(method)
                return route, (getattr(self, name) if name else None), match.groups()
        return None, None, ()

    @classmethod
    def route_of(cls, path: str) -> str | None:
        for route, pattern, _ in cls._ROUTES:
            if re.fullmatch(pattern, path.rstrip("/")):
                return route
        return None

    def _authorize_request(self, headers) -> Token:
        faults = self._injector.faults
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

    # --- accounts service ---

    def _authorize(self, params: dict) -> Reply:
        client_id = params.get("client_id")
        redirect_uri = params.get("redirect_uri", "")
        if not client_id:
            return Reply(400, b"INVALID_CLIENT: Invalid client", content_type="text/plain")
        target = urlsplit(redirect_uri)
        loopback = target.scheme == "http" and target.hostname in _LOOPBACK
        if not (target.scheme == "https" or loopback) or not target.netloc:
            return Reply(400, b"INVALID_CLIENT: Insecure redirect URI", content_type="text/plain")
        answer: dict[str, str] = {}
        if params.get("response_type") != "code":
            answer["error"] = "unsupported_response_type"
        elif params.get("code_challenge") and params.get("code_challenge_method") != "S256":
            answer["error"] = "invalid_request"
        else:
            answer["code"] = self.store.issue_code(
                client_id=client_id,
                redirect_uri=redirect_uri,
                user_id=self.login_user,
                scopes=params.get("scope", "").split(),
                code_challenge=params.get("code_challenge") or None,
            )
        if "state" in params:
            answer["state"] = params["state"]
        joiner = "&" if target.query else "?"
        location = f"{redirect_uri}{joiner}{urlencode(answer)}"
        return Reply(302, b"", {"Location": location}, content_type="text/plain")

    def _token(self, headers, body: bytes) -> Reply:
        form = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        client_id = form.get("client_id", "")
        auth = headers.get("Authorization", "")
        # A client secret (basic auth or in the form) makes a confidential client; PKCE has none.
        confidential = auth.lower().startswith("basic ") or bool(form.get("client_secret"))
        if auth.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(auth[6:].strip()).decode("utf-8")
                client_id = decoded.partition(":")[0] or client_id
            except (binascii.Error, UnicodeDecodeError):
                raise OAuthError("invalid_client", "Invalid client") from None
        if not client_id:
            raise OAuthError("invalid_client", "Invalid client")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            answer = self.store.exchange_code(
                code=form.get("code", ""),
                redirect_uri=form.get("redirect_uri", ""),
                client_id=client_id,
                verifier=form.get("code_verifier"),
            )
        elif grant == "refresh_token":
            rotate = self.rotate_refresh_tokens and not confidential
            answer = self.store.refresh(form.get("refresh_token", ""), client_id, rotate=rotate)
        elif grant == "client_credentials":
            answer = self.store.client_credentials(client_id)
        elif not grant:
            raise OAuthError("unsupported_grant_type", "grant_type parameter is missing")
        else:
            raise OAuthError("unsupported_grant_type", f"grant_type {grant!r} is not supported")
        return Reply(200, answer)

    # --- Web API ---

    def _get_me(self, token: Token, params, body) -> Reply:
        user = self._user(token)
        name = self.store.users.get(user, user)
        return Reply(200, objects.private_user(user, name, self.api_url))

    def _search(self, token: Token, params: dict, body) -> Reply:
        q = params.get("q", params.get("query", ""))  # Spotify's own next URLs say query=
        if not q.strip():
            raise ApiError(400, "No search query")
        types = [t.strip() for t in params.get("type", "").split(",") if t.strip()]
        if not types:
            raise ApiError(400, "Missing parameter type")
        known = {"album", "artist", "playlist", "track", "show", "episode", "audiobook"}
        if not set(types) <= known:
            raise ApiError(400, "Bad search type field")
        limit = _int_param(params, "limit", 5, 1, 10, "Invalid limit")
        offset = _int_param(params, "offset", 0, 0, 1000, "Invalid offset")
        market = params.get("market") or None
        query_params = {"query": q, "type": ",".join(types)}
        if market:
            query_params["market"] = market
        url = f"{self.api_url}search"
        answer: dict = {}
        for kind in types:
            if kind == "track":
                total, hits = self.searcher.search(parse_query(q), limit=limit, offset=offset)
                items = [
                    objects.track_object(self.catalog.tracks[i], self.api_url, market) for i in hits
                ]
            else:  # the catalog holds tracks only
                total, items = 0, []
            answer[kind + "s"] = objects.page(
                url, query_params, items, limit=limit, offset=offset, total=total
            )
        return Reply(200, answer)

    def _my_playlists(self, token: Token, params: dict, body) -> Reply:
        user = self._user(token)
        limit = _int_param(params, "limit", 20, 1, 50, "Invalid limit")
        offset = _int_param(params, "offset", 0, 0, 100_000, "Invalid offset")
        playlists = self.store.followed_by(user)
        if "playlist-read-private" not in token.scopes:
            playlists = [p for p in playlists if p.public or p.collaborative]
        items = [self._simplified(p) for p in playlists[offset : offset + limit]]
        return Reply(
            200,
            objects.page(
                f"{self.api_url}me/playlists",
                {},
                items,
                limit=limit,
                offset=offset,
                total=len(playlists),
            ),
        )

    def _simplified(self, playlist: Playlist) -> dict:
        name = self.store.users.get(playlist.owner, playlist.owner)
        return objects.simplified_playlist(playlist, name, self.api_url, self.base_url)

    def _create(self, token: Token, params, body: bytes) -> Reply:
        user = self._user(token)
        data = _json_body(body)
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            raise ApiError(400, "Missing required field: name")
        public = data.get("public", True)
        public = True if public is None else bool(public)
        scope = "playlist-modify-public" if public else "playlist-modify-private"
        if scope not in token.scopes:
            raise ApiError(403, "Insufficient client scope")
        playlist = self.store.create_playlist(
            user,
            data["name"],
            description=data.get("description") or "",
            public=public,
            collaborative=bool(data.get("collaborative", False)),
        )
        return Reply(201, self._full_playlist(playlist, token, params))

    def _full_playlist(self, playlist: Playlist, token: Token, params: dict) -> dict:
        answer = self._simplified(playlist)
        if token.user_id == playlist.owner or playlist.collaborative:
            # items are only shown to the owner (and collaborators) since 2026
            items = self._items_page(playlist, params.get("market"), limit=50, offset=0)
            answer["items"] = items
            answer["tracks"] = items
        else:
            del answer["items"], answer["tracks"]
        return answer

    def _items_page(self, playlist: Playlist, market, *, limit: int, offset: int) -> dict:
        entries = playlist.entries[offset : offset + limit]
        items = []
        for entry in entries:
            track = self.catalog.get(entry.uri.rsplit(":", 1)[-1])
            body = objects.track_object(track, self.api_url, market) if track else None
            items.append(objects.playlist_entry(entry, body, self.api_url))
        params = {"market": market} if market else {}
        return objects.page(
            f"{self.api_url}playlists/{playlist.id}/items",
            params,
            items,
            limit=limit,
            offset=offset,
            total=len(playlist.entries),
        )

    def _get_playlist(self, token: Token, params: dict, body, playlist_id: str) -> Reply:
        with self.store.lock:
            playlist = self.store.playlist(playlist_id)
            return Reply(200, self._full_playlist(playlist, token, params))

    def _change_details(self, token: Token, params, body: bytes, playlist_id: str) -> Reply:
        self._user(token)
        data = _json_body(body)
        if not isinstance(data, dict):
            raise ApiError(400, "Error parsing JSON.")
        with self.store.lock:
            playlist = self.store.writable(playlist_id, token)
            if data.get("public") is False and "playlist-modify-private" not in token.scopes:
                raise ApiError(403, "Insufficient client scope")
            self.store.change_details(playlist, data)
        return Reply(200, None)

    def _readable_items(self, token: Token, playlist_id: str) -> Playlist:
        playlist = self.store.playlist(playlist_id)
        if token.user_id != playlist.owner and not playlist.collaborative:
            raise ApiError(403, "Forbidden")
        return playlist

    def _get_items(self, token: Token, params: dict, body, playlist_id: str) -> Reply:
        limit = _int_param(params, "limit", 20, 1, 50, "Invalid limit")
        offset = _int_param(params, "offset", 0, 0, 10**9, "Invalid offset")
        with self.store.lock:
            playlist = self._readable_items(token, playlist_id)
            page = self._items_page(playlist, params.get("market"), limit=limit, offset=offset)
        return Reply(200, page)

    def _uris(self, uris) -> list[str]:
        if not isinstance(uris, list) or not all(isinstance(u, str) for u in uris):
            raise ApiError(400, "Invalid uris: expected a list of Spotify URIs")
        if len(uris) > MAX_ITEMS_PER_WRITE:
            raise ApiError(400, "You can add a maximum of 100 tracks per request.")
        for uri in uris:
            match = _TRACK_URI.match(uri)
            if not match:
                raise ApiError(400, f"Invalid track uri: {uri}")
            if self.catalog.get(match.group(1)) is None:
                raise ApiError(400, "Payload contains a non-existing ID")
        return uris

    def _add_items(self, token: Token, params: dict, body: bytes, playlist_id: str) -> Reply:
        user = self._user(token)
        data = _json_body(body) if body.strip() else {}
        if params.get("uris"):
            uris = [u.strip() for u in params["uris"].split(",") if u.strip()]
        elif isinstance(data, list):  # spotipy sends the bare list
            uris = data
        else:
            uris = data.get("uris") if isinstance(data, dict) else None
        position = params.get("position")
        if position is None and isinstance(data, dict):
            position = data.get("position")
        try:
            position = None if position in (None, "") else int(position)
        except (TypeError, ValueError):
            raise ApiError(400, "Invalid position") from None
        if position is not None and position < 0:
            raise ApiError(400, "Invalid position")
        uris = self._uris(uris)
        with self.store.lock:
            playlist = self.store.writable(playlist_id, token)
            snapshot = self.store.add_items(playlist, uris, user, position)
        return Reply(201, {"snapshot_id": snapshot})

    def _put_items(self, token: Token, params: dict, body: bytes, playlist_id: str) -> Reply:
        user = self._user(token)
        data = _json_body(body) if body.strip() else {}
        if not isinstance(data, dict):
            raise ApiError(400, "Error parsing JSON.")
        with self.store.lock:
            playlist = self.store.writable(playlist_id, token)
            if "range_start" in data or "insert_before" in data:
                try:
                    start = int(data["range_start"])
                    before = int(data["insert_before"])
                    length = int(data.get("range_length", 1))
                except (KeyError, TypeError, ValueError):
                    raise ApiError(400, "range_start and insert_before are required") from None
                snapshot = self.store.reorder_items(playlist, start, length, before)
            else:
                if "uris" in params:
                    uris = [u.strip() for u in params["uris"].split(",") if u.strip()]
                elif "uris" in data:
                    uris = data["uris"]
                else:
                    raise ApiError(400, "Either uris or range_start and insert_before required")
                snapshot = self.store.replace_items(playlist, self._uris(uris), user)
        return Reply(200, {"snapshot_id": snapshot})

    def _remove(self, token: Token, params, body: bytes, playlist_id: str) -> Reply:
        self._user(token)
        data = _json_body(body)
        objects_ = data.get("items", data.get("tracks")) if isinstance(data, dict) else None
        if not isinstance(objects_, list) or not all(isinstance(o, dict) for o in objects_):
            raise ApiError(400, "Missing required field: items")
        if len(objects_) > MAX_ITEMS_PER_WRITE:
            raise ApiError(400, "You can remove a maximum of 100 tracks per request.")
        removals = []
        for item in objects_:
            uri = item.get("uri")
            if not isinstance(uri, str) or not _TRACK_URI.match(uri):
                raise ApiError(400, f"Invalid track uri: {uri}")
            positions = item.get("positions")
            removals.append((uri, list(positions) if positions is not None else None))
        with self.store.lock:
            playlist = self.store.writable(playlist_id, token)
            snapshot = self.store.remove_items(playlist, removals)
        return Reply(200, {"snapshot_id": snapshot})

    def _get_images(self, token: Token, params, body, playlist_id: str) -> Reply:
        with self.store.lock:
            playlist = self.store.playlist(playlist_id)
            return Reply(200, objects.images(playlist, self.base_url))

    def _put_image(self, token: Token, params, body: bytes, playlist_id: str) -> Reply:
        self._user(token)
        if "ugc-image-upload" not in token.scopes:
            raise ApiError(403, "Insufficient client scope")
        if len(body) > MAX_IMAGE_BYTES:
            raise ApiError(413, "Payload too large: the image must be at most 256 KB")
        try:
            jpeg = base64.b64decode(body.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(400, "Invalid image: expected base64-encoded JPEG data") from None
        if not jpeg.startswith(b"\xff\xd8"):
            raise ApiError(400, "Invalid image: expected base64-encoded JPEG data")
        with self.store.lock:
            playlist = self.store.writable(playlist_id, token)
            self.store.set_image(playlist, body.strip().decode("ascii"))
        return Reply(202, None)

    def _follow(self, token: Token, params, body, playlist_id: str) -> Reply:
        user = self._user(token)
        with self.store.lock:
            self.store.follow(self.store.playlist(playlist_id), user, True)
        return Reply(200, None)

    def _unfollow(self, token: Token, params, body, playlist_id: str) -> Reply:
        user = self._user(token)
        with self.store.lock:
            self.store.follow(self.store.playlist(playlist_id), user, False)
        return Reply(200, None)

    # --- admin (loopback only, never faulted or logged) ---

    def admin(self, method: str, path: str) -> Reply:
        if path == "/_emulator/log" and method == "GET":
            return Reply(200, {"requests": [r.to_json() for r in self.request_log]})
        if path == "/_emulator/log" and method == "DELETE":
            self.clear_log()
            return Reply(200, {"cleared": True})
        if path == "/_emulator/state" and method == "GET":
            return Reply(200, {"playlists": self.playlists_state()})
        match = re.fullmatch(r"/_emulator/images/([0-9A-Za-z]+)\.jpg", path)
        if match and method == "GET":
            playlist = self.store.playlists.get(match.group(1))
            if playlist and playlist.image_jpeg_b64:
                return Reply(200, base64.b64decode(playlist.image_jpeg_b64), {}, "image/jpeg")
        return _error(404, "Service not found")


def _json_body(body: bytes):
    if not body.strip():
        return None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Error parsing JSON.") from None


class _Handler(BaseHTTPRequestHandler):
    """One connection; HTTP/1.1 keep-alive so clients reuse connections as with Spotify."""

    protocol_version = "HTTP/1.1"
    emulator: Emulator  # set on the bound subclass
    timeout = 30  # an idle keep-alive connection does not pin a thread forever
    # Headers and body leave in one segment: with Nagle and delayed ACKs a separate body write
    # would add ~40 ms to every answer.
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024

    def log_message(self, format, *args):  # noqa: A002 - quiet: the request log is the record
        pass

    def _serve(self) -> None:
        emulator = self.emulator
        split = urlsplit(self.path)
        path = split.path
        params = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        if self.client_address[0] not in _LOOPBACK:
            self._send(_error(403, "The emulator answers loopback clients only"))
            return
        if path.startswith("/_emulator"):
            self._send(emulator.admin(self.command, path))
            return
        route = emulator.route_of(path)
        injector = emulator._injector
        if injector.eligible(path) and injector.faults.latency_ms > 0:
            emulator._sleep(injector.faults.latency_ms / 1000.0)
        decision = injector.decide(path)

        def log(status, fault=None):
            emulator._record(RequestRecord(self.command, path, params, status, fault, route))

        if decision.status is not None:
            headers = {}
            if decision.status == 429 and decision.retry_after is not None:
                headers["retry-after"] = str(decision.retry_after)
            message = "API rate limit exceeded" if decision.status == 429 else "Server error"
            reply = _error(decision.status, message, headers)
            log(decision.status, decision.fault)
            self._send(reply, route)
            return
        if decision.fault == DROP:
            log(None, DROP)
            self._drop()
            return
        reply = emulator.handle(self.command, path, params, self.headers, body)
        if decision.fault == DROP_AFTER_APPLY:
            log(None, DROP_AFTER_APPLY)
            self._drop()
            return
        log(reply.status, reply.headers.pop(_FAULT_HEADER, None))
        self._send(reply, route)

    def _drop(self) -> None:
        """Close the socket without a byte of answer, as a broken connection looks."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, reply: Reply, route: str | None = None) -> None:
        if isinstance(reply.body, (dict, list)):
            payload = json.dumps(reply.body).encode("utf-8")
            if route and self.emulator.record_responses:
                self.emulator.recorded_responses.append(
                    ResponseRecord(self.command, route, reply.status, reply.body)
                )
        elif isinstance(reply.body, bytes):
            payload = reply.body
        else:
            payload = b""
        self.send_response(reply.status)
        if payload or reply.body is not None:
            self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("cache-control", "private, max-age=0")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _serve
