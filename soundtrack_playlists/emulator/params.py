"""Reading a request's query parameters, JSON body and track URIs, with Spotify's 400 answers."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from soundtrack_playlists.emulator.replies import ApiError
from soundtrack_playlists.spotify import spec

MAX_ITEMS_PER_WRITE = spec.ITEMS_PER_WRITE
TRACK_URI = re.compile(r"^spotify:track:([0-9A-Za-z]{22})$")


def int_param(
    params: dict[str, str], name: str, default: int, low: int, high: int, message: str
) -> int:
    """An integer query parameter between low and high, `default` when absent."""
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


def json_body(body: bytes) -> Any:
    """The parsed JSON body, None when empty."""
    if not body.strip():
        return None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Error parsing JSON.") from None


def comma_list(value: str) -> list[str]:
    """The items of a comma-separated query parameter such as `uris=a,b`."""
    return [item.strip() for item in value.split(",") if item.strip()]


def track_uris(uris: object, known: Callable[[str], bool]) -> list[str]:
    """A list of track URIs to write: at most 100, each well formed and its id `known`."""
    if not isinstance(uris, list) or not all(isinstance(u, str) for u in uris):
        raise ApiError(400, "Invalid uris: expected a list of Spotify URIs")
    if len(uris) > MAX_ITEMS_PER_WRITE:
        raise ApiError(400, "You can add a maximum of 100 tracks per request.")
    for uri in uris:
        match = TRACK_URI.match(uri)
        if not match:
            raise ApiError(400, f"Invalid track uri: {uri}")
        if not known(match.group(1)):
            raise ApiError(400, "Payload contains a non-existing ID")
    return uris
