"""Fault injection: which requests get latency, 429s, 5xx, a dropped connection or a 403."""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_SECONDS = 30.0  # Spotify counts requests in a rolling 30-second window

RATE_LIMITED = "rate_limited"  # fault names as they appear in the request log
SERVER_ERROR = "server_error"
DROP = "drop"
DROP_AFTER_APPLY = "drop_after_apply"
NOT_ALLOW_LISTED = "not_allow_listed"


@dataclass(frozen=True)
class Faults:
    """What can go wrong in one run; rates are fractions of eligible requests (0..1).

    `retry_after=None` sends a 429 without any `retry-after` header, as Spotify sometimes does.
    `drop_after_apply` applies a write before dropping its connection: the client cannot know
    whether its request took effect. `paths` limits faults to paths starting with one of its
    prefixes (None: every path); `exclude_paths` are never faulted (the admin paths always are
    excluded). `expire_token_after` makes an access token expire after that many API requests.
    `strict_search` makes search require every word of the query (the Spotify-like search
    forgives typos and returns looser hits); `unplayable_rate` is the seeded fraction of the
    catalog not playable in the user's market (`is_playable: false` with a market).
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
    expire_token_after: int | None = None
    strict_search: bool = False
    unplayable_rate: float = 0.0

    def __post_init__(self) -> None:
        for name in ("rate_429", "rate_5xx", "rate_drop", "unplayable_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.limit_per_30s is not None and self.limit_per_30s < 0:
            raise ValueError("limit_per_30s must be 0 or more")
        if not set(self.statuses_5xx) <= {500, 502, 503, 504}:
            raise ValueError("statuses_5xx may hold 500, 502, 503 and 504 only")


@dataclass(frozen=True)
class Decision:
    """The fault chosen for one request (None: serve it normally)."""

    fault: str | None = None
    status: int | None = None
    retry_after: int | None = None


ADMIN_PREFIX = "/_emulator"


class FaultInjector:
    """Decides per request, reproducibly for a given seed and request order; thread-safe."""

    def __init__(self, faults: Faults, clock: Callable[[], float] = time.monotonic) -> None:
        self.faults = faults
        self._clock = clock
        self._random = random.Random(faults.seed)
        self._window: deque[float] = deque()
        self._lock = threading.Lock()

    def eligible(self, path: str) -> bool:
        """Whether faults may hit this path (never the admin paths)."""
        if path.startswith(ADMIN_PREFIX):
            return False
        if any(path.startswith(prefix) for prefix in self.faults.exclude_paths):
            return False
        return self.faults.paths is None or any(path.startswith(p) for p in self.faults.paths)

    def decide(self, path: str) -> Decision:
        """The fault for this request; also counts it in the rolling window when served."""
        faults = self.faults
        if not self.eligible(path):
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
            if draw_429 < faults.rate_429:
                return Decision(RATE_LIMITED, 429, faults.retry_after)
            self._window.append(now)
            if draw_5xx < faults.rate_5xx:
                return Decision(SERVER_ERROR, status_5xx)
            if draw_drop < faults.rate_drop:
                return Decision(DROP_AFTER_APPLY if faults.drop_after_apply else DROP)
            return Decision()
