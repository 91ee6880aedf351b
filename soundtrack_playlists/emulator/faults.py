"""Fault injection: which requests get latency, 429s, 5xx, a dropped connection, a 403, or a
malformed body; and the quirks of Spotify's answers (null entries, stale reads, escaping)."""

from __future__ import annotations

import json
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

WINDOW_SECONDS = 30.0  # Spotify counts requests in a rolling 30-second window

RATE_LIMITED = "rate_limited"  # fault names as they appear in the request log
SERVER_ERROR = "server_error"
DROP = "drop"
DROP_AFTER_APPLY = "drop_after_apply"
NOT_ALLOW_LISTED = "not_allow_listed"
PREMIUM_REQUIRED = "premium_required"
# Since February 2026, to every call of a Development Mode app whose owner has no Premium.
PREMIUM_MESSAGE = (
    "Active premium subscription required for the owner of the app. When the subscription "
    "status changes, it can take a few hours before requests are allowed again."
)
PREMIUM_FORMS = ("json", "text")  # both seen: real-2026/err403_premium_required_*
MALFORMED = "malformed"  # logged as "malformed:<kind>"

# What a malformed 2xx answer can be: an empty body, `{}`, an HTML page, JSON cut short, or a
# page whose `items` is null. The write behind it (a create, say) has been applied.
MALFORMED_KINDS = ("empty", "object", "html", "truncated", "null_items")
IGNORED_OFFSET_TOTAL = 1_000_000  # what a server that ignores `offset` claims as its total
HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>{status} {reason}</title></head>"
    "<body><h1>{status} {reason}</h1><p>upstream answered badly</p></body></html>"
)


@dataclass(frozen=True)
class Faults:
    """What can go wrong in one run; rates are fractions of eligible requests (0..1).

    `retry_after=None` sends a 429 without any `retry-after` header, as Spotify sometimes does.
    `drop_after_apply` applies a write before dropping its connection: the client cannot know
    whether its request took effect. `paths` limits faults to paths starting with one of its
    prefixes (None: every path); `exclude_paths` are never faulted (the admin paths always are
    excluded). `routes` limits them further to routes of the spec, each "/me/playlists" (any
    method) or "POST /me/playlists". `expire_token_after` makes an access token expire after
    that many API requests. `strict_search` makes search require every word of the query (the
    Spotify-like search forgives typos and returns looser hits); `unplayable_rate` is the
    seeded fraction of the catalog not playable in the user's market (`is_playable: false`
    with a market).

    Malformed answers: `rate_malformed` of eligible 2xx answers get a body of one of
    `malformed` (MALFORMED_KINDS), after the request was applied. `html_errors` sends error
    answers as HTML pages; `empty_429` sends 429s with no body. Spotify's quirks:
    `unavailable` track URIs come back as null playlist entries (the track left Spotify);
    `stale_reads` seconds: playlist reads see the playlists as they were that long ago (with
    `stale_library`, so does GET /me/library/contains: every read lags);
    `premium_required` ("json" or "text"): every API call answers Spotify's 2026 403 for an
    app whose owner has no Premium, as JSON or as plain text. `ignore_offset`: paged lists
    serve their first page whatever `offset` asks, claiming a
    total of 1,000,000. `item_only`: playlist entries carry `item` alone (no `track`);
    `metadata_only`: GET /me/playlists lists others' playlists without counts; `relinked`
    (asked track id -> answered id): with a market, GET /tracks/{id} answers the other track
    with `linked_from`. (Descriptions always come back HTML-escaped, as Spotify sends them.)
    """

    latency_ms: float = 0.0
    rate_429: float = 0.0
    limit_per_30s: int | None = None
    retry_after: int | None = 1
    rate_5xx: float = 0.0
    statuses_5xx: tuple[int, ...] = (500, 502, 503)
    rate_drop: float = 0.0
    drop_after_apply: bool = False
    seed: int | None = None
    paths: tuple[str, ...] | None = None
    exclude_paths: tuple[str, ...] = ()
    not_allow_listed: bool = False
    premium_required: str | None = None  # "json" or "text": every API call answers that 403
    item_only: bool = False
    metadata_only: bool = False
    relinked: Mapping[str, str] = field(default_factory=dict)
    expire_token_after: int | None = None
    strict_search: bool = False
    unplayable_rate: float = 0.0
    routes: tuple[str, ...] | None = None
    rate_malformed: float = 0.0
    malformed: tuple[str, ...] = MALFORMED_KINDS
    html_errors: bool = False
    empty_429: bool = False
    unavailable: frozenset[str] = field(default_factory=frozenset)
    stale_reads: float = 0.0
    stale_library: bool = False
    ignore_offset: bool = False

    def __post_init__(self) -> None:
        for name in ("rate_429", "rate_5xx", "rate_drop", "unplayable_rate", "rate_malformed"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.limit_per_30s is not None and self.limit_per_30s < 0:
            raise ValueError("limit_per_30s must be 0 or more")
        if not set(self.statuses_5xx) <= {500, 502, 503, 504}:
            raise ValueError("statuses_5xx may hold 500, 502, 503 and 504 only")
        unknown = set(self.malformed) - set(MALFORMED_KINDS)
        if unknown or (self.rate_malformed and not self.malformed):
            raise ValueError(f"malformed may hold {', '.join(MALFORMED_KINDS)} only")
        if self.premium_required not in (None, *PREMIUM_FORMS):
            raise ValueError(f"premium_required may be {' or '.join(PREMIUM_FORMS)} only")
        if self.stale_reads < 0:
            raise ValueError("stale_reads must be 0 or more seconds")
        object.__setattr__(self, "unavailable", frozenset(self.unavailable))


@dataclass(frozen=True)
class Decision:
    """The fault chosen for one request (None: serve it normally)."""

    fault: str | None = None
    status: int | None = None
    retry_after: int | None = None
    malformed: str | None = None  # a kind of MALFORMED_KINDS for the body of a 2xx answer


ADMIN_PREFIX = "/_emulator"


class FaultInjector:
    """Decides per request, reproducibly for a given seed and request order; thread-safe."""

    def __init__(self, faults: Faults, clock: Callable[[], float] = time.monotonic) -> None:
        self.faults = faults
        self._clock = clock
        self._random = random.Random(faults.seed)
        self._window: deque[float] = deque()
        self._lock = threading.Lock()

    def eligible(self, path: str, method: str = "", route: str | None = None) -> bool:
        """Whether faults may hit this request (never the admin paths)."""
        if path.startswith(ADMIN_PREFIX):
            return False
        if any(path.startswith(prefix) for prefix in self.faults.exclude_paths):
            return False
        if self.faults.paths is not None and not any(path.startswith(p) for p in self.faults.paths):
            return False
        return self.faults.routes is None or any(
            chosen in (route, f"{method} {route}") for chosen in self.faults.routes
        )

    def decide(self, path: str, method: str = "", route: str | None = None) -> Decision:
        """The fault for this request; also counts it in the rolling window when served."""
        faults = self.faults
        if not self.eligible(path, method, route):
            return Decision()
        with self._lock:
            now = self._clock()
            while self._window and self._window[0] <= now - WINDOW_SECONDS:
                self._window.popleft()
            if faults.limit_per_30s is not None and len(self._window) >= faults.limit_per_30s:
                return Decision(RATE_LIMITED, 429, faults.retry_after)
            # Draw every number each time so one fault's rate does not shift another's sequence.
            draw_429, draw_5xx, draw_drop = (self._random.random() for _ in range(3))
            status_5xx = self._random.choice(faults.statuses_5xx) if faults.statuses_5xx else 500
            # Drawn only when asked for, so the sequences of earlier seeds stay as they were.
            malformed = None
            if faults.rate_malformed and self._random.random() < faults.rate_malformed:
                malformed = self._random.choice(faults.malformed)
            if draw_429 < faults.rate_429:
                return Decision(RATE_LIMITED, 429, faults.retry_after)
            self._window.append(now)
            if draw_5xx < faults.rate_5xx:
                return Decision(SERVER_ERROR, status_5xx)
            if draw_drop < faults.rate_drop:
                return Decision(DROP_AFTER_APPLY if faults.drop_after_apply else DROP)
            if malformed is not None:
                return Decision(f"{MALFORMED}:{malformed}", malformed=malformed)
            return Decision()


def malformed_body(body: object, kind: str) -> tuple[bytes, str]:
    """(payload, content type) of a 2xx answer spoilt as `kind` says (see MALFORMED_KINDS)."""
    if kind == "empty":
        return b"", "application/json; charset=utf-8"
    if kind == "object":
        return b"{}", "application/json; charset=utf-8"
    if kind == "html":
        return html_page(200, "OK"), "text/html; charset=utf-8"
    if kind == "null_items":
        spoilt = dict(body) if isinstance(body, dict) else {}
        tracks = spoilt.get("tracks")
        if isinstance(tracks, dict) and "items" in tracks and "items" not in spoilt:
            spoilt["tracks"] = {**tracks, "items": None}  # a search answer
        else:
            spoilt["items"] = None
        return json.dumps(spoilt).encode("utf-8"), "application/json; charset=utf-8"
    if kind == "truncated":
        whole = json.dumps(body if body is not None else {"snapshot_id": "x"}).encode("utf-8")
        return whole[: max(1, len(whole) // 2)], "application/json; charset=utf-8"
    raise ValueError(f"unknown malformed kind {kind!r}")


def html_page(status: int, reason: str) -> bytes:
    """The kind of HTML page a proxy or load balancer answers instead of Spotify's JSON."""
    return HTML_PAGE.format(status=status, reason=reason).encode("utf-8")


def ignoring_offset(first_page: dict[str, Any], offset: int, limit: int) -> dict[str, Any]:
    """The first page passed off as the page at `offset` of a list of a million entries, as a
    server that ignores `offset` answers: the same entries for every offset, `next` forever."""
    following = str(first_page.get("href") or "").split("?")[0] + f"?offset={offset + limit}"
    return {**first_page, "offset": offset, "total": IGNORED_OFFSET_TOTAL, "next": following}
