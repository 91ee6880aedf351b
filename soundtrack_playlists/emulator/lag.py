"""Reads that lag behind writes: what the emulator's reads see while the fault is on."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable

from soundtrack_playlists.emulator.records import Playlist


class ReadLag:
    """The playlists as they were `seconds` ago, kept as (time, copy of every playlist) after
    each change while the lag is on. Callers hold the store's lock."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.seconds = 0.0
        self._history: list[tuple[float, dict[str, Playlist]]] = []

    def set(self, seconds: float, playlists: dict[str, Playlist]) -> None:
        """Reads lag behind writes by `seconds` from now on (0: every read is current).

        A lag already on keeps what reads have not seen yet: changing other faults (or the
        lag itself) does not let reads catch up at once, as it would not at Spotify.
        """
        if seconds <= 0:
            self._history = []
        elif self.seconds <= 0 or not self._history:
            self._history = [(-math.inf, copy.deepcopy(playlists))]
        self.seconds = seconds

    def remember(self, playlists: dict[str, Playlist]) -> None:
        """Note the playlists as a change left them (only while the lag is on)."""
        if self.seconds > 0:
            self._history.append((self.clock(), copy.deepcopy(playlists)))

    def view(self, playlists: dict[str, Playlist]) -> dict[str, Playlist]:
        """What a read sees now: `playlists` itself, or as they were `seconds` ago."""
        if self.seconds <= 0 or not self._history:
            return playlists
        cutoff = self.clock() - self.seconds
        while len(self._history) > 1 and self._history[1][0] <= cutoff:
            self._history.pop(0)  # older than every read can still see
        return self._history[0][1]
