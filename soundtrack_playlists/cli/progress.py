"""The one progress adapter: the library's (label, done, total) calls drawn as click bars."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar


class ProgressBars:
    """A progress callback drawing one bar at a time on stderr, or nothing when disabled.

    A bar opens once its total is known and above zero (so a step with nothing to do, such as
    resolving a season wholly from its lock, shows nothing) and closes when its step is done,
    when a step with another label begins, or when the `with` block ends (an interrupted
    step). Bars go to stderr, so stdout stays pure for --json.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._bar: ProgressBar[int] | None = None  # entered while not None
        self._label = ""
        self._shown = 0

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._bar is not None and label != self._label:
            self.close()
        if self._bar is None:
            if total <= 0:
                return
            bar: ProgressBar[int] = click.progressbar(length=total, label=label, file=sys.stderr)
            self._bar = bar.__enter__()
            self._label, self._shown = label, 0
        self._bar.update(done - self._shown)
        self._shown = done
        if done >= total:
            self.close()  # finished: output printed next starts on a line of its own

    def close(self) -> None:
        if self._bar is not None:
            bar, self._bar = self._bar, None
            bar.__exit__(None, None, None)

    def __enter__(self) -> ProgressBars:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
