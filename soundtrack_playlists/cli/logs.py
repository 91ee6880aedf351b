"""Logging for the command line: one stderr handler, its level from -v/-q or the environment."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

import click

from soundtrack_playlists.cli.progress import print_above_bar

LEVEL_VARIABLE = "SOUNDTRACK_PLAYLISTS_LOG_LEVEL"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
DEFAULT_LEVEL = logging.WARNING  # waits and retries are warnings: shown unless --quiet
_LOGGER = "soundtrack_playlists"


class StderrHandler(logging.Handler):
    """Each record as one line on stderr, printed above a progress bar when one is shown."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
            wait = getattr(record, "wait_seconds", None)
            print_above_bar(text, float(wait) if wait is not None else None)
        except Exception:  # logging must never end the run; logging's own report
            self.handleError(record)


def level_for(verbose: int, quiet: int, environ: dict[str, str] | None = None) -> int:
    """-v/-q win; else SOUNDTRACK_PLAYLISTS_LOG_LEVEL; else warnings (waits and retries)."""
    if verbose or quiet:
        return max(logging.DEBUG, min(logging.ERROR, DEFAULT_LEVEL + 10 * (quiet - verbose)))
    value = (os.environ if environ is None else environ).get(LEVEL_VARIABLE, "").strip().upper()
    if not value:
        return DEFAULT_LEVEL
    if value not in LEVELS:
        raise click.UsageError(f"{LEVEL_VARIABLE}={value!r} is not one of {', '.join(LEVELS)}")
    return int(getattr(logging, value))


def configure(level: int) -> Callable[[], None]:
    """Our package's records go to one StderrHandler, not further; returns the undo."""
    logger = logging.getLogger(_LOGGER)
    before = (logger.level, logger.propagate)
    handler = StderrHandler()
    logger.addHandler(handler)
    set_level(level)
    logger.propagate = False

    def undo() -> None:
        logger.removeHandler(handler)
        logger.setLevel(before[0])
        logger.propagate = before[1]

    return undo


def set_level(level: int) -> None:
    """The level of our records, and their format: debug lines name where they come from."""
    logger = logging.getLogger(_LOGGER)
    fmt = "%(levelname)s %(name)s: %(message)s" if level <= logging.DEBUG else "%(message)s"
    for handler in logger.handlers:
        if isinstance(handler, StderrHandler):
            handler.setFormatter(logging.Formatter(fmt))
    logger.setLevel(level)


_COUNTS = "soundtrack_playlists.log_counts"


def _count(ctx: click.Context, param: click.Parameter, value: int) -> None:
    """-v/-q, before the command or after it: each adds to the run's count, and sets the level."""
    counts = ctx.find_root().meta.setdefault(_COUNTS, {"verbose": 0, "quiet": 0})
    if value and param.name:
        counts[param.name] += value
        set_level(level_for(counts["verbose"], counts["quiet"]))


VERBOSE_HELP = "Say more: -v logs each request and decision, -vv sizes and timings too."
QUIET_HELP = f"Say less: only errors (and a command's one-line result). Or set {LEVEL_VARIABLE}."


def verbosity_options(command: click.Command) -> click.Command:
    """-v and -q on a command, so `sync -v` works like `-v sync`."""
    command.params += [
        click.Option(
            ["-v", "--verbose"], count=True, expose_value=False, callback=_count, help=VERBOSE_HELP
        ),
        click.Option(
            ["-q", "--quiet"], count=True, expose_value=False, callback=_count, help=QUIET_HELP
        ),
    ]
    return command
