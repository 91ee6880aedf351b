"""The Spotify endpoints we use, with writes that a retried request never applies twice."""

from __future__ import annotations

import base64
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

import requests

from soundtrack_playlists.errors import (
    MalformedAnswer,
    MissingScope,
    NotFound,
    SpotifyError,
)
from soundtrack_playlists.models import PlaylistInfo, Track, User
from soundtrack_playlists.settings import Settings
from soundtrack_playlists.spotify import paging, spec, wire
from soundtrack_playlists.spotify.answers import Retryable
from soundtrack_playlists.spotify.auth import Auth
from soundtrack_playlists.spotify.http import RetryPolicy, Transport, now

log = logging.getLogger(__name__)

# Spotify's caps, as its OpenAPI file states them (spotify/spec.py, derived from it).
MAX_ITEMS_PER_WRITE = spec.ITEMS_PER_WRITE  # POST/PUT /playlists/{id}/items
ITEMS_PAGE = min(spec.ITEMS_PAGE_MAX, spec.PLAYLISTS_PAGE_MAX)  # both lists page by 50
SEARCH_LIMIT = spec.SEARCH_LIMIT_MAX  # GET /search: at most 10 since 2026-02
LIBRARY_CHECK = spec.LIBRARY_URIS_MAX  # GET /me/library/contains: URIs a request
# A playlist holds at most 10,000 items (200 pages); the bound leaves room for a big library.
MAX_PAGES = 1000
MAX_COVER_UPLOAD = 256 * 1024  # PUT /playlists/{id}/images: the base64 payload, at most 256 KB

T = TypeVar("T")
Send = Callable[..., Any]  # Transport.send (one try) or Transport.request (retried)


class SpotifyClient:
    """Every Spotify request goes through here, each under the one retry policy."""

    def __init__(
        self,
        settings: Settings,
        *,
        policy: RetryPolicy | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = lambda seconds: time.sleep(seconds),
        jitter: Callable[[], float] = random.random,
        clock: Callable[[], datetime] = now,
    ) -> None:
        self.settings = settings
        self.api_url = settings.api_url
        # A plain session: no urllib3 Retry adapter, so nothing retries behind our back.
        self.session = session or requests.Session()
        self.auth = Auth(settings, self.session)
        self.http = Transport(
            settings,
            self.auth,
            self.session,
            policy=policy or RetryPolicy(max_wait=settings.max_wait),
            sleep=sleep,
            jitter=jitter,
            clock=clock,
        )
        self._me: User | None = None
        self.max_pages = MAX_PAGES
        # Spotify's reads may lag behind its writes: past this, a write a read does not show
        # was not made (settings.read_lag, SPOTIFY_READ_LAG).
        self.read_lag = settings.read_lag

    # --- reads ---

    def current_user(self) -> User:
        if self._me is None:
            self._me = wire.user(self.http.request("GET", "me"))
        return self._me

    def search_tracks(
        self, query: str, *, limit: int = SEARCH_LIMIT, market: str | None = "from_token"
    ) -> list[Track]:
        if not 1 <= limit <= SEARCH_LIMIT:
            raise ValueError(f"search limit must be 1..{SEARCH_LIMIT}, not {limit}")
        params: dict[str, str | int] = {"q": query, "type": "track", "limit": limit}
        if market:
            params["market"] = market
        return wire.search_tracks(self.http.request("GET", "search", params))

    def track(self, track_id: str, *, market: str | None = "from_token") -> Track | None:
        """GET /tracks/{id}: the track, or None when Spotify has no such track.

        Spotify answers 404 for an id it does not know and 400 for one that cannot be an id.
        With a market, `is_playable` says whether the user can play it.
        """
        params: dict[str, str | int] = {"market": market} if market else {}
        try:
            answer = self.http.request("GET", f"tracks/{track_id}", params)
        except NotFound:
            return None
        except SpotifyError as error:
            if error.status == 400:
                return None
            raise
        return wire.track(answer)

    def my_playlists(self, *, settled_after: datetime | None = None) -> list[PlaylistInfo]:
        """Every playlist the user follows (null entries, which Spotify may send, left out).

        `settled_after`: the time of a write the list must be able to show; the rest of
        Spotify's listing lag after it is waited out first.
        """
        if settled_after is not None and not self.reads_settled(settled_after):
            left = self.read_lag - (self.http.clock() - settled_after).total_seconds()
            log.warning(
                "waiting %.0f s for Spotify's list of playlists to catch up with a recent write",
                left,
            )
            self.http.sleep(left)
        listed = []
        for entry in self._pages("me/playlists", self.http.request, wire.playlists_page):
            if isinstance(entry, wire.Unreadable):
                self._leave_out(entry)
            elif entry is not None:
                listed.append(entry)
        return listed

    def _leave_out(self, entry: wire.Unreadable) -> None:
        """An entry lacking what a playlist needs: an error if the user's own, else a -v note."""
        if entry.owner_id is not None and entry.owner_id == self.current_user().id:
            raise MalformedAnswer("GET /me/playlists", entry.problem)
        log.info(
            "left out playlist %s of %s from the list: %s",
            entry.id or "(no id)",
            entry.owner_id or "an unnamed owner",
            entry.problem,
        )

    def reads_settled(self, since: datetime) -> bool:
        """Whether Spotify's reads can be trusted to show a write made at `since`: `read_lag`
        has passed since."""
        return (self.http.clock() - since).total_seconds() >= self.read_lag

    def now(self) -> datetime:
        """The time by this client's clock (the one its waits and time stamps use)."""
        return self.http.clock()

    def playlist(self, playlist_id: str) -> PlaylistInfo:
        return wire.playlist(self.http.request("GET", f"playlists/{playlist_id}"))

    def still_followed(self, playlist_ids: Sequence[str]) -> set[str]:
        """Which of these playlists the user still follows, asked of the account itself.

        GET /me/playlists may lag behind a create; a deleted playlist still answers GET
        /playlists/{id}: only the library check tells a lagging list from a deletion. A login
        made before the check needed its scope is refused it: then the rest of the read lag is
        waited out and the list read again, which by then shows every playlist still followed.
        """
        followed: set[str] = set()
        for chunk in _chunks(list(playlist_ids), LIBRARY_CHECK):
            uris = ",".join(f"spotify:playlist:{playlist_id}" for playlist_id in chunk)
            try:
                reply = self.http.request("GET", "me/library/contains", params={"uris": uris})
            except MissingScope as refused:
                return self._followed_by_listing(playlist_ids, refused)
            answers = wire.booleans(reply, len(chunk))
            followed.update(pid for pid, yes in zip(chunk, answers, strict=True) if yes)
        return followed

    def _followed_by_listing(self, playlist_ids: Sequence[str], refused: MissingScope) -> set[str]:
        """The library check without its scope: the list, read once reads have caught up."""
        log.warning(
            "the Spotify login lacks %s (it was made before this version needed it), so "
            "Spotify's list of playlists is read again after its lag of %.0f s instead; "
            "run `soundtrack-playlists login` once to skip this wait",
            " ".join(refused.missing) or "a permission",
            self.read_lag,
        )
        self.http.sleep(self.read_lag)
        listed = {info.id for info in self.my_playlists()}
        return {playlist_id for playlist_id in playlist_ids if playlist_id in listed}

    def playlist_item_uris(self, playlist_id: str) -> list[str | None]:
        """Every item's URI in order; None for an entry Spotify no longer has (a null entry):
        a hole kept in its place, so the positions after it stay right."""
        return self._item_uris(playlist_id, self.http.request)

    def _item_uris(self, playlist_id: str, send: Send) -> list[str | None]:
        pages = self._pages(f"playlists/{playlist_id}/items", send, wire.items_page)
        return list(pages)

    def _pages(
        self, path: str, send: Send, parse: Callable[[wire.Reply], wire.Page[T]]
    ) -> Iterator[T | None]:
        return paging.pages(path, send, parse, limit=ITEMS_PAGE, max_pages=self.max_pages)

    # --- writes ---

    def create_playlist(
        self,
        name: str,
        description: str,
        public: bool,
        *,
        mark_pending: Callable[[datetime], None] | None = None,
    ) -> PlaylistInfo:
        """POST /me/playlists, never making the playlist twice.

        After a failure that may have made it (a lost answer, a 5xx, a malformed answer),
        the playlist is looked for in the user's list until the list can be trusted to show
        it (`read_lag` after the failure), and only sent again when it is not there.
        `mark_pending` is told the time before each POST goes out and again after a failure
        that may have made the playlist: the caller's write-ahead record, so a later run
        waits for the list too instead of making a second playlist.
        """
        payload = {"name": name, "description": description, "public": public}
        failed: datetime | None = None  # when a POST that may have made the playlist failed

        def uncertain() -> datetime:
            moment = self.http.clock()  # after the failure: no later than the write it hides
            if mark_pending is not None:
                mark_pending(moment)
            return moment

        def attempt() -> PlaylistInfo:
            nonlocal failed
            if failed is not None:
                made = self._await_new_playlist(name, description, failed)
                if made is not None:
                    return made
            if mark_pending is not None:
                mark_pending(self.http.clock())
            try:
                reply = self.http.send("POST", "me/playlists", payload=payload)
            except Retryable as error:
                if error.ambiguous:
                    failed = uncertain()
                raise
            try:
                return wire.playlist(reply)
            except MalformedAnswer:
                # Spotify said yes: find the playlist rather than leave it behind empty.
                failed = uncertain()
                made = self._await_new_playlist(name, description, failed)
                if made is None:
                    raise
                return made

        return self.http.retrying(attempt)

    def _await_new_playlist(
        self, name: str, description: str, failed: datetime
    ) -> PlaylistInfo | None:
        """The empty playlist of this name and description that a POST which failed at
        `failed` made, or None once the list has had `read_lag` to show it."""
        return self.http.look_until_settled(
            self.read_lag,
            f"the new playlist “{name}”",
            failed,
            lambda settled: self._find_new_playlist(name, description),
        )

    def _find_new_playlist(self, name: str, description: str) -> PlaylistInfo | None:
        me = self._me or wire.user(self.http.send("GET", "me"))
        for found in self._pages("me/playlists", self.http.send, wire.playlists_page):
            if (
                isinstance(found, PlaylistInfo)
                and found.owner_id == me.id
                and found.name == name
                and found.description == (description or "")
                and found.total == 0
            ):
                return found
        return None

    def update_playlist(
        self,
        playlist_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        public: bool | None = None,
    ) -> None:
        changes = {"name": name, "description": description, "public": public}
        payload = {key: value for key, value in changes.items() if value is not None}
        if payload:
            self.http.request("PUT", f"playlists/{playlist_id}", payload=payload)

    def append_items(
        self, playlist_id: str, uris: Iterable[str], *, start: int | None = None
    ) -> str:
        """Add at the end in chunks of 100; a retried chunk never lands twice.

        `start`: the playlist's current length when the caller knows it (0 right after a
        create), which spares reading the playlist first to learn where its end is.
        """
        uris = list(uris)
        if start is not None and start < 0:
            raise ValueError(f"start must not be negative, not {start}")
        if start is None or not uris:
            current = self.playlist(playlist_id)
            snapshot, position = current.snapshot_id, current.total
        else:
            snapshot, position = "", start
        for chunk in _chunks(uris, MAX_ITEMS_PER_WRITE):
            snapshot = self._add_chunk(playlist_id, chunk, position)
            position += len(chunk)
        return snapshot

    def replace_items(self, playlist_id: str, uris: Iterable[str]) -> str:
        """PUT the first 100 (a replace: safe to repeat), then append the rest."""
        uris = list(uris)
        first = uris[:MAX_ITEMS_PER_WRITE]
        answer = self.http.request("PUT", f"playlists/{playlist_id}/items", payload={"uris": first})
        snapshot = wire.snapshot_id(answer)
        position = len(first)
        for chunk in _chunks(uris[MAX_ITEMS_PER_WRITE:], MAX_ITEMS_PER_WRITE):
            snapshot = self._add_chunk(playlist_id, chunk, position)
            position += len(chunk)
        return snapshot or self.playlist(playlist_id).snapshot_id

    def unfollow_playlist(self, playlist_id: str) -> None:
        """DELETE /playlists/{id}/followers: Spotify's way of deleting one's own playlist.

        Safe to repeat: unfollowing a playlist one no longer follows changes nothing.
        """
        self.http.request("DELETE", f"playlists/{playlist_id}/followers")

    def upload_cover(self, playlist_id: str, jpeg: bytes) -> None:
        """PUT /playlists/{id}/images: the JPEG base64-encoded (a replace: safe to repeat).

        Needs the `ugc-image-upload` scope: without it Spotify answers 403 (MissingScope).
        """
        encoded = base64.b64encode(jpeg).decode("ascii")
        if len(encoded) > MAX_COVER_UPLOAD:
            raise ValueError(f"a cover must be at most 256 KB base64-encoded, not {len(encoded)}")
        params = {"content_type": "image/jpeg"}  # spotipy sends the body as is, not as JSON
        self.http.request("PUT", f"playlists/{playlist_id}/images", params, payload=encoded)

    def _add_chunk(self, playlist_id: str, chunk: list[str], position: int) -> str:
        """POST one chunk at `position`, never twice: after a failure that may have applied
        it, the playlist is looked at (until a read can be trusted) before sending again."""
        path = f"playlists/{playlist_id}/items"
        failed: datetime | None = None  # when a POST that may have added the chunk failed

        def attempt() -> str:
            nonlocal failed
            if failed is not None:
                landed = self._await_chunk(playlist_id, chunk, position, failed)
                if landed is not None:
                    return landed
            try:
                answer = self.http.send("POST", path, payload={"uris": chunk, "position": position})
            except Retryable as error:
                if error.ambiguous:
                    failed = self.http.clock()  # no later than the write it may hide
                raise
            return wire.snapshot_id(answer)

        return self.http.retrying(attempt)

    def _await_chunk(
        self, playlist_id: str, chunk: list[str], position: int, failed: datetime
    ) -> str | None:
        """The snapshot once the chunk whose POST failed at `failed` shows at `position`; None
        when a read made `read_lag` later shows the playlist without it (send it again)."""

        def look(settled: bool) -> str | None:
            current = self._item_uris(playlist_id, self.http.send)
            if current[position : position + len(chunk)] == chunk:
                log.info("items for %s had landed before the failure; not re-sent", playlist_id)
                answer = self.http.send("GET", f"playlists/{playlist_id}")
                return wire.playlist(answer).snapshot_id
            if settled and len(current) != position:
                raise SpotifyError(
                    f"Playlist {playlist_id} changed while items were being added (expected "
                    f"{position} items, found {len(current)}): run the command again"
                )
            return None

        return self.http.look_until_settled(
            self.read_lag, f"the items added to {playlist_id}", failed, look
        )


def connect(
    settings: Settings | None = None, *, policy: RetryPolicy | None = None
) -> SpotifyClient:
    """A client from explicit settings, or from the environment and .env."""
    return SpotifyClient(settings or Settings.from_env(), policy=policy)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
