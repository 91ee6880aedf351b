"""Creates remembered outside the seasons' states, so a state deleted right after a sync that
made playlists (while Spotify's list may not show them yet) never gets them made twice."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from filelock import FileLock, Timeout

from soundtrack_playlists.files import paths
from soundtrack_playlists.files.atomic import write_json_atomic
from soundtrack_playlists.files.json_file import Damaged, decoded_json, stored_moment

log = logging.getLogger(__name__)

KEEP = timedelta(hours=1)  # far beyond any read lag: older notes are dropped


def _key(state_file: Path, api_url: str, user_id: str | None) -> str:
    return f"{state_file.resolve()}\n{api_url}\n{user_id or ''}"


def _notes(path: Path) -> dict[str, str]:
    try:
        value = decoded_json(path.read_bytes())
    except (OSError, Damaged):
        return {}
    if not isinstance(value, dict):
        return {}
    return {key: text for key, text in value.items() if isinstance(text, str)}


def note_create(state_file: Path, api_url: str, user_id: str | None, sent: datetime) -> None:
    """Remember that a playlist of this state was being created at `sent` (best effort: a
    folder that cannot be written only loses this safety net, and says so)."""
    path = paths.recent_creates_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(path) + ".lock", timeout=5):
            notes = _notes(path)
            fresh = {
                key: text
                for key, text in notes.items()
                if (moment := _moment(text)) is not None and abs(sent - moment) < KEEP
            }
            fresh[_key(state_file, api_url, user_id)] = sent.isoformat()
            write_json_atomic(path, fresh)
    except (OSError, Timeout) as error:
        log.warning("could not note the create in %s (%s)", path, error)


def last_create(state_file: Path, api_url: str, user_id: str | None) -> datetime | None:
    """When a playlist of this state was last being created, if within the last hour."""
    text = _notes(paths.recent_creates_path()).get(_key(state_file, api_url, user_id))
    return _moment(text) if text is not None else None


def _moment(text: str) -> datetime | None:
    try:
        return stored_moment(text)
    except ValueError:
        return None
