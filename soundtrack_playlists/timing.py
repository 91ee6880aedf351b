"""How long each stage of a run took, logged at debug level (-vv)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Log `name` and how long it took once it is done (or failed)."""
    started = time.monotonic()
    try:
        yield
    finally:
        log.debug("stage %s took %.3f s", name, time.monotonic() - started)
