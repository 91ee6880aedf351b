"""Fetching a tracklist page over http(s): one deadline, a size limit, each redirect checked."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests

from soundtrack_playlists import __version__
from soundtrack_playlists.errors import SoundtrackError
from soundtrack_playlists.tracklists.lines import shown

TIMEOUT_SECONDS = 15.0  # to connect, and at most between two pieces of the answer
DEADLINE_SECONDS = 60.0  # for the whole download, every redirect included
MAX_BYTES = 5_000_000
MAX_REDIRECTS = 5
_CHUNK = 65_536
_SCHEMES = ("http", "https")
_SAVE_IT = "save the page and import the file"

Resolver = Callable[[str], Sequence[str]]  # a host name → its IP addresses


class SourceError(SoundtrackError):
    """A source that can't be read: a page that can't be fetched, a file that isn't text."""


@dataclass(frozen=True)
class Fetched:
    url: str  # the address the page came from, after any redirects
    body: bytes
    content_type: str | None
    hops: tuple[str, ...] = ()  # every address asked, the first to `url`, when redirected


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def host_addresses(host: str) -> list[str]:
    """The IP addresses a host name resolves to; [] when it doesn't resolve."""
    try:
        return [str(info[4][0]) for info in socket.getaddrinfo(host, None)]
    except (OSError, UnicodeError, ValueError):
        return []


def is_local_address(address: str) -> bool:
    """Loopback, private, link-local, shared or reserved: anything not on the public internet."""
    try:
        ip = ipaddress.ip_address(address.partition("%")[0])  # without an IPv6 zone
    except ValueError:
        return True  # not an address anyone can judge: never a public one
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global


def redirect_refused(start: Iterable[str], target: Iterable[str]) -> bool:
    """A redirect from a public host to a local one is refused; a local start may go anywhere.

    Both are the addresses the hosts resolve to (pure: the caller resolves them).
    """
    start_is_local = any(is_local_address(address) for address in start)
    return not start_is_local and any(is_local_address(address) for address in target)


def fetch(
    url: str,
    *,
    timeout: float = TIMEOUT_SECONDS,
    deadline: float = DEADLINE_SECONDS,
    max_bytes: int = MAX_BYTES,
    resolve: Resolver = host_addresses,
) -> Fetched:
    """The page's bytes within `deadline` seconds all told; SourceError says why there are none.

    The download runs in a worker thread that this one waits for: a server that trickles its
    headers or body, or never ends it, is given up on at the deadline whatever it sends.
    """
    download = _Download(url, timeout, deadline, max_bytes, resolve)
    worker = threading.Thread(target=download.run, name="tracklist download", daemon=True)
    worker.start()
    worker.join(max(0.0, download.ends - time.monotonic()))
    if worker.is_alive():
        download.cut()
        raise SourceError(_too_slow(download.hops, deadline))
    if download.error is not None:
        raise download.error
    assert download.result is not None
    return download.result


class _Download:
    """One page and its redirects, read in the worker thread; the caller may cut it short."""

    def __init__(
        self, url: str, timeout: float, deadline: float, max_bytes: int, resolve: Resolver
    ) -> None:
        self.hops = [url]
        self.timeout, self.deadline, self.max_bytes = timeout, deadline, max_bytes
        self.resolve = resolve
        self._start: Sequence[str] | None = None  # the first host's addresses, once needed
        self.ends = time.monotonic() + deadline
        self.result: Fetched | None = None
        self.error: Exception | None = None
        self._lock = threading.Lock()
        self._reading: requests.Response | None = None

    def run(self) -> None:
        try:
            self.result = self._follow()
        except SourceError as error:
            self.error = error
        except requests.RequestException as error:
            self.error = self._failed(error)
        except Exception as error:  # a bug: raised again in the caller's thread
            self.error = error

    def cut(self) -> None:
        """Shut the connection being read, so the worker's read ends now instead of later."""
        with self._lock:
            if self._reading is None:
                return
            with contextlib.suppress(OSError, ValueError, AttributeError):
                fd = self._reading.raw.fileno()
                with socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM) as duplicate:
                    duplicate.shutdown(socket.SHUT_RDWR)  # the connection, not just this fd

    def _follow(self) -> Fetched:
        while True:
            url = self.hops[-1]
            response = self._get(url)
            with self._lock:
                self._reading = response
            try:
                if not response.is_redirect:
                    return self._page(url, response)
                target = urljoin(url, response.headers["Location"])
            finally:
                with self._lock:
                    self._reading = None
                response.close()
            self._check_redirect(target)
            self.hops.append(target)

    def _get(self, url: str) -> requests.Response:
        wait = max(0.001, min(self.timeout, self.ends - time.monotonic()))
        headers = {"User-Agent": f"soundtrack-playlists/{__version__} (tracklist import)"}
        return requests.get(
            url, timeout=(wait, wait), stream=True, allow_redirects=False, headers=headers
        )

    def _page(self, url: str, response: requests.Response) -> Fetched:
        if response.status_code >= 400:
            raise SourceError(
                f"{_where(self.hops)}: the server answered {response.status_code} "
                f"{response.reason}: check the address, or {_SAVE_IT}"
            )
        body = self._read_capped(response)
        hops = tuple(self.hops) if len(self.hops) > 1 else ()
        return Fetched(url, body, response.headers.get("Content-Type"), hops)

    def _read_capped(self, response: requests.Response) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise SourceError(_too_big(self.hops, self.max_bytes))
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise SourceError(_too_big(self.hops, self.max_bytes))
            if time.monotonic() > self.ends:
                raise SourceError(_too_slow(self.hops, self.deadline))
            chunks.append(chunk)
        return b"".join(chunks)

    def _check_redirect(self, target: str) -> None:
        where = f"{_where(self.hops)} redirected to {shown(target)}"
        if urlsplit(target).scheme.lower() not in _SCHEMES:
            raise SourceError(f"{where}, which is not an http(s) address: refused; {_SAVE_IT}")
        if len(self.hops) > MAX_REDIRECTS:
            raise SourceError(f"{where}: more than {MAX_REDIRECTS} redirects: refused; {_SAVE_IT}")
        if self._start is None:
            self._start = self.resolve(urlsplit(self.hops[0]).hostname or "")
        if redirect_refused(self._start, self.resolve(urlsplit(target).hostname or "")):
            raise SourceError(
                f"{where}, an address on this machine or a private network, from a page on the "
                "internet: refused; if you trust that address, import it directly"
            )

    def _failed(self, error: requests.RequestException) -> SourceError:
        where = _where(self.hops)
        host = urlsplit(self.hops[-1]).hostname or self.hops[-1]
        if time.monotonic() > self.ends:
            return SourceError(_too_slow(self.hops, self.deadline))
        if isinstance(error, requests.Timeout):
            return SourceError(
                f"{where}: {host} did not answer within {self.timeout:g} s: try again later, "
                f"or {_SAVE_IT}"
            )
        if isinstance(error, requests.ConnectionError):
            return SourceError(
                f"{where}: could not connect to {host} (offline, or a wrong address?): check "
                f"the connection and the address, or {_SAVE_IT}"
            )
        return SourceError(f"{where}: the page could not be fetched ({type(error).__name__})")


def _where(hops: Sequence[str]) -> str:
    """The addresses asked, first to last: `a → b` when the first redirected."""
    return " → ".join(shown(hop) for hop in hops)


def _too_slow(hops: Sequence[str], deadline: float) -> str:
    return (
        f"{_where(hops)}: the download did not finish within {deadline:g} s (the server sends "
        f"too slowly, or without end): try again later, or {_SAVE_IT}"
    )


def _too_big(hops: Sequence[str], max_bytes: int) -> str:
    return (
        f"{_where(hops)}: the page is larger than {max_bytes // 1_000_000} MB, more than any "
        "tracklist needs: save the part with the tracklist and import the file"
    )
