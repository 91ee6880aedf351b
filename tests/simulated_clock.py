"""A clock whose seconds pass only when someone waits: one for the emulator and the client."""

from __future__ import annotations

import threading
from datetime import datetime, timezone


class SimulatedClock:
    """Seconds that pass only when a wait asks for them (or a test lets them pass).

    Shared by the emulator (how far its reads lag) and the client (its waits and time
    stamps), so a wait for Spotify to catch up costs no real time.
    """

    def __init__(self) -> None:
        self.seconds = 1_800_000_000.0
        self.waits: list[float] = []
        self._lock = threading.Lock()

    def time(self) -> float:
        return self.seconds

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.seconds, timezone.utc)

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.waits.append(seconds)
            self.seconds += max(0.0, seconds)

    def passes(self, seconds: float) -> None:
        """Time passing between runs: not a wait anyone asked for."""
        with self._lock:
            self.seconds += max(0.0, seconds)
