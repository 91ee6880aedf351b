"""Spotify's JSON -> our values: every answer parsed and checked at the door, with pydantic.

Each answer is validated against the fields we rely on before anything reads it; an answer
that is empty, HTML, cut short or of the wrong shape raises MalformedAnswer naming the
request, so a broken page is never read as "no playlists" or a failed search as "no match".
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, model_validator
from pydantic_core import ErrorDetails

from soundtrack_playlists.errors import MalformedAnswer
from soundtrack_playlists.models import PlaylistInfo, Track, User

TOKEN_WHERE = "POST /api/token"  # the accounts service's one route we call
SHOWN_CHARS = 200  # the most of an error page's text a message repeats


@dataclass(frozen=True)
class Reply:
    """One successful HTTP answer as it arrived: which request, its status and raw body."""

    where: str  # "GET /me/playlists": method and path, never a query or a token
    status: int
    body: bytes


# --- the shapes we rely on (fields we never read are ignored) -------------------------------


class _Shape(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _User(_Shape):
    id: str
    display_name: str | None = None


class _Artist(_Shape):
    name: str


class _Album(_Shape):
    name: str | None = None
    album_type: str | None = None
    release_date: str | None = None


class _Restrictions(_Shape):
    reason: str | None = None


class _Track(_Shape):
    uri: str
    name: str
    artists: list[_Artist]
    album: _Album | None = None
    duration_ms: int | None = None
    popularity: int | None = None
    is_playable: bool | None = None
    restrictions: _Restrictions | None = None
    linked_from: _ItemRef | None = None  # the track asked for, when Spotify relinked it


class _Owner(_Shape):
    id: str


class _Count(_Shape):
    total: int


class _Playlist(_Shape):
    id: str
    name: str
    owner: _Owner
    description: str | None = None
    public: bool | None = None
    snapshot_id: str | None = None
    items: _Count | None = None  # the 2026 name
    tracks: _Count | None = None  # the old name, still sent

    @model_validator(mode="after")
    def _counted(self) -> _Playlist:
        if self.items is None and self.tracks is None:
            raise ValueError("no item count (`items.total` or `tracks.total`)")
        return self


class _ItemRef(_Shape):
    """A playlist entry's track, episode or local file: only its URI is read (a local file's
    `spotify:local:…`, an episode's: kept as items not ours; none at all: a hole)."""

    uri: str | None = None


class _Entry(_Shape):
    item: _ItemRef | None = None
    track: _ItemRef | None = None  # the old name, still sent
    added_at: str | None = None


T = TypeVar("T")


class _Page(_Shape, Generic[T]):
    """A paging object: `items` must be a list and `next` present (null on the last page)."""

    items: list[T | None]
    next: str | None
    total: int | None = None
    offset: int | None = None


class _SearchPage(_Shape):
    items: list[_Track | None]


class _SearchAnswer(_Shape):
    tracks: _SearchPage


class _Snapshot(_Shape):
    snapshot_id: str


class _Token(_Shape):
    access_token: str
    token_type: str
    expires_in: int
    scope: str | None = None
    refresh_token: str | None = None


# --- parsing ---------------------------------------------------------------------------------

S = TypeVar("S", bound=BaseModel)


def _parse(shape: type[S], reply: Reply) -> S:
    try:
        return shape.model_validate_json(reply.body)
    except ValidationError as error:
        raise MalformedAnswer(reply.where, describe(error, reply.body)) from None


def describe(error: ValidationError, body: bytes, prefix: str = "") -> str:
    """What is wrong with an answer, as a person would say it (no content of it repeated).

    `prefix`: where in the answer the part that was checked sits ("items.3.").
    """
    first: ErrorDetails = error.errors(include_url=False)[0]
    if first["type"] == "json_invalid":
        text = body.strip()
        if not text:
            return "an empty body"
        if text[:1] == b"<":
            return "an HTML page instead of JSON"
        if "EOF" in str(first.get("ctx", {}).get("error", "")):
            return "JSON cut short"
        return "a body that is not JSON"
    where = prefix + ".".join(str(part) for part in first["loc"]) or "the answer"
    if first["type"] == "missing":
        return f"no `{where}`"
    if first["type"] in ("model_type", "model_attributes_type") and not first["loc"]:
        return "JSON that is not an object"
    if first["type"] == "value_error":
        return str(first["msg"]).removeprefix("Value error, ")
    if first.get("input", ...) is None:
        return f"`{where}` is null"
    return f"`{where}` is not what it should be ({first['msg'].lower()})"


def user(reply: Reply) -> User:
    """GET /me."""
    data = _parse(_User, reply)
    return User(id=data.id, display_name=data.display_name)


def _track(data: _Track) -> Track:
    album = data.album or _Album()
    return Track(
        uri=data.uri,
        name=data.name,
        artists=tuple(artist.name for artist in data.artists),
        album=album.name or "",
        album_type=album.album_type or "",
        release_date=album.release_date or "",
        duration_ms=data.duration_ms or 0,
        popularity=data.popularity,
        is_playable=data.is_playable,
        restriction=(data.restrictions.reason or "") if data.restrictions else "",
    )


def _playlist(data: _Playlist) -> PlaylistInfo:
    count = data.items if data.items is not None else data.tracks
    return PlaylistInfo(
        id=data.id,
        name=data.name,
        owner_id=data.owner.id,
        # Spotify answers descriptions HTML-escaped; compare and show the real text.
        description=html.unescape(data.description or ""),
        public=data.public,
        snapshot_id=data.snapshot_id or "",
        total=count.total if count is not None else 0,
    )


def playlist(reply: Reply) -> PlaylistInfo:
    """A playlist object: GET /playlists/{id}, or the answer to POST /me/playlists."""
    return _playlist(_parse(_Playlist, reply))


def track(reply: Reply) -> Track:
    """GET /tracks/{id}: one track object. Relinked (`linked_from`, with a market), it is the
    track asked for, as the copy Spotify plays: that copy's name, artists and playability."""
    data = _parse(_Track, reply)
    found = _track(data)
    asked = data.linked_from.uri if data.linked_from is not None else None
    if asked and asked != data.uri:
        return replace(found, uri=asked, plays_as=data.uri)
    return found


def search_tracks(reply: Reply) -> list[Track]:
    """GET /search?type=track; null entries left out (Spotify sends them for gone tracks)."""
    return [_track(item) for item in _parse(_SearchAnswer, reply).tracks.items if item]


def booleans(reply: Reply, count: int) -> list[bool]:
    """GET /me/library/contains: one true or false for each URI asked about, in order."""
    try:
        answer = TypeAdapter(list[bool]).validate_json(reply.body)
    except ValidationError as error:
        raise MalformedAnswer(reply.where, describe(error, reply.body)) from None
    if len(answer) != count:
        raise MalformedAnswer(reply.where, f"{len(answer)} answers to {count} questions")
    return answer


def snapshot_id(reply: Reply) -> str:
    """The snapshot id a write of items answers."""
    return _parse(_Snapshot, reply).snapshot_id


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a paged list: its entries (None: a null entry) and what it says of the rest."""

    items: list[T | None]
    has_next: bool
    offset: int | None  # the offset the server says it served; None when it says nothing
    total: int | None
    # What tells this page's entries from another's (a page served again has the same)
    marks: tuple[object, ...] = ()


@dataclass(frozen=True)
class Unreadable:
    """An entry of the playlist list without what a playlist we own must have (a count, a
    name, …): the metadata-only entries Spotify sends for playlists of others since 2026."""

    id: str | None
    owner_id: str | None
    problem: str  # what it lacks, as `describe` says it


def playlists_page(reply: Reply) -> Page[PlaylistInfo | Unreadable]:
    """A page of GET /me/playlists, read entry by entry: one that lacks something is
    Unreadable, for the caller to refuse if it is the user's own, else to leave out."""
    data = _parse(_Page[Any], reply)
    items: list[PlaylistInfo | Unreadable | None] = []
    for index, raw in enumerate(data.items):
        items.append(None if raw is None else _listed(raw, f"items.{index}."))
    marks = tuple(item.id if item is not None else None for item in items)
    return Page(items, data.next is not None, data.offset, data.total, marks)


def _listed(raw: object, where: str) -> PlaylistInfo | Unreadable:
    try:
        return _playlist(_Playlist.model_validate(raw))
    except ValidationError as error:
        problem = describe(error, b"{}", where)
    if not isinstance(raw, dict):
        return Unreadable(None, None, problem)
    owner = raw.get("owner")
    owner_id = owner.get("id") if isinstance(owner, dict) else None
    playlist_id = raw.get("id")
    return Unreadable(
        playlist_id if isinstance(playlist_id, str) else None,
        owner_id if isinstance(owner_id, str) else None,
        problem,
    )


def items_page(reply: Reply) -> Page[str]:
    """A page of GET /playlists/{id}/items: each entry's URI, None for a track gone from
    Spotify (a null entry, or one whose `item` is null): a hole that keeps its place."""
    data = _parse(_Page[_Entry], reply)
    uris: list[str | None] = []
    marks: list[object] = []
    for entry in data.items:
        # 2026 entries carry `item`, some only that; older ones `track` (still sent).
        found = entry.item or entry.track if entry is not None else None
        uris.append(found.uri if found is not None else None)
        # When it was added tells apart entries of one track, or holes, on different pages.
        marks.append((uris[-1], entry.added_at if entry is not None else None))
    return Page(uris, data.next is not None, data.offset, data.total, tuple(marks))


def token(answer: Any) -> dict[str, Any]:
    """The accounts service's token answer (already decoded by spotipy), checked."""
    try:
        _Token.model_validate(answer)
    except ValidationError as error:
        raise MalformedAnswer(TOKEN_WHERE, describe(error, b"{}")) from None
    return dict(answer)


# --- error answers ---------------------------------------------------------------------------


def error_message(body: bytes) -> tuple[str, str | None]:
    """(message, reason) of an error answer of any shape: Spotify's JSON, the accounts
    service's, an HTML page or plain text; short, on one line, with no control characters."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return "no message", None
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):
            message, reason = error.get("message"), error.get("reason")
            return _one_line(str(message or "no message")), (
                str(reason) if isinstance(reason, str) else None
            )
        if isinstance(error, str):
            description = data.get("error_description")
            detail = f"{error}: {description}" if isinstance(description, str) else error
            return _one_line(detail), None
    if text.startswith("<"):
        return "an HTML page" + _title(text), None
    return _one_line(text), None


def _title(page: str) -> str:
    lowered = page[:10_000].lower()
    start = lowered.find("<title>")
    end = lowered.find("</title>", start + 7)
    if start < 0 or end < 0:
        return ""
    return f" titled “{_one_line(page[start + 7 : end])}”"


def _one_line(text: str) -> str:
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text[: SHOWN_CHARS * 4])
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= SHOWN_CHARS else cleaned[: SHOWN_CHARS - 1] + "…"


def seconds(value: str, ceiling: float) -> float | None:
    """A `retry-after` number of seconds; None for garbage, NaN or a negative number;
    a wait beyond `ceiling` (infinity included, as `1e400` reads) is `ceiling`."""
    try:
        number = float(value)
    except ValueError:
        return None
    if math.isnan(number) or number < 0:
        return None
    return min(number, ceiling)
