"""The one progress adapter: the library's (label, done, total) calls drawn as click bars."""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar


# The bar on screen now, if any: log lines are printed above it (see cli/logs.py).
_LOCK = threading.RLock()
_active: ProgressBars | None = None


def print_above_bar(text: str, wait_seconds: float | None = None) -> None:
    """Print a line on stderr without tearing the bar; a wait also shows in the bar's label."""
    with _LOCK:
        bars = _active
        if bars is None or bars._bar is None:
            click.echo(text, err=True)
            return
        bars._interrupt(text, wait_seconds)


class ProgressBars:
    """A progress callback drawing one bar at a time on stderr, or nothing when disabled.

    A bar opens once its total is known and above zero (so a step with nothing to do, such as
    resolving a season wholly from its lock, shows nothing) and closes when its step is done,
    when a step with another label begins, or when the `with` block ends (an interrupted
    step). Bars go to stderr, so stdout stays pure for --json.
    """

    def __init__(self, enabled: bool = True) -> None:
        # -q means errors only: no bar either.
        quiet = logging.getLogger("soundtrack_playlists").getEffectiveLevel() > logging.WARNING
        self.enabled = enabled and not quiet
        self._bar: ProgressBar[int] | None = None  # entered while not None
        self._label = ""
        self._shown = 0

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        with _LOCK:
            self._update(label, done, total)

    def _update(self, label: str, done: int, total: int) -> None:
        if self._bar is not None and label != self._label:
            self.close()
        if self._bar is None:
            if total <= 0:
                return
            bar: ProgressBar[int] = click.progressbar(length=total, label=label, file=sys.stderr)
            self._bar = bar.__enter__()
            self._label, self._shown = label, 0
        if self._bar.label != label:  # a wait was shown: progress again, so say so no more
            self._bar.label = label
        self._bar.update(done - self._shown)
        self._shown = done
        if done >= total:
            self.close()  # finished: output printed next starts on a line of its own

    def _interrupt(self, text: str, wait_seconds: float | None) -> None:
        bar = self._bar
        assert bar is not None
        if not sys.stderr.isatty():  # not a terminal: no bar is drawn, the line is printed plainly
            click.echo(text, err=True)
            return
        click.echo("\r\033[K" + text, err=True)  # clear the bar's line, print, draw it again
        if wait_seconds is not None:
            bar.label = f"{self._label} (waiting {wait_seconds:.0f} s for Spotify)"
        bar.render_progress()

    def close(self) -> None:
        with _LOCK:
            if self._bar is not None:
                bar, self._bar = self._bar, None
                bar.__exit__(None, None, None)

    def __enter__(self) -> ProgressBars:
        global _active
        with _LOCK:
            _active = self
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        global _active
        self.close()
        with _LOCK:
            if _active is self:
                _active = None
