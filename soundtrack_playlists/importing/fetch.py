"""Fetching a tracklist page over http(s): one GET with a timeout and a size limit."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from soundtrack_playlists import __version__
from soundtrack_playlists.errors import SoundtrackError

TIMEOUT_SECONDS = 15.0
MAX_BYTES = 5_000_000
_CHUNK = 65_536


class SourceError(SoundtrackError):
    """A source that can't be read: a page that can't be fetched, a file that isn't text."""


@dataclass(frozen=True)
class Fetched:
    url: str
    body: bytes
    content_type: str | None


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def fetch(url: str, *, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_BYTES) -> Fetched:
    """The page's bytes; SourceError says why when there are none to be had."""
    host = urlsplit(url).hostname or url
    headers = {"User-Agent": f"soundtrack-playlists/{__version__} (tracklist import)"}
    try:
        with requests.get(url, timeout=timeout, stream=True, headers=headers) as response:
            if response.status_code >= 400:
                raise SourceError(
                    f"{url}: the server answered {response.status_code} {response.reason}: "
                    "check the address, or save the page and import the file"
                )
            body = _read_capped(response, url, max_bytes)
            return Fetched(response.url, body, response.headers.get("Content-Type"))
    except requests.Timeout:
        raise SourceError(
            f"{url}: {host} did not answer within {timeout:g} s: try again later, "
            "or save the page and import the file"
        ) from None
    except requests.ConnectionError:
        raise SourceError(
            f"{url}: could not connect to {host} (offline, or a wrong address?): check the "
            "connection and the address, or save the page and import the file"
        ) from None
    except requests.RequestException as error:
        raise SourceError(
            f"{url}: the page could not be fetched ({type(error).__name__})"
        ) from None


def _read_capped(response: requests.Response, url: str, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise SourceError(_too_big(url, max_bytes))
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(_too_big(url, max_bytes))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(url: str, max_bytes: int) -> str:
    return (
        f"{url}: the page is larger than {max_bytes // 1_000_000} MB, more than any tracklist "
        "needs: save the part with the tracklist and import the file"
    )
