"""The resolve command's table: one line per song, cut to fit a terminal's width."""

from __future__ import annotations

from collections.abc import Callable

from soundtrack_playlists.models import Status
from soundtrack_playlists.resolve.results import Resolution, chosen_track
from soundtrack_playlists.text import cut, pad, plural


def resolution_table(
    resolution: Resolution,
    width: int | None = None,
    word: Callable[[str, int], str] = str.ljust,
) -> str:
    """A plain table: episode, song, outcome, score and the chosen track; `width` cuts lines.

    `word(outcome, width)` pads (and may colour) the outcome column.
    """
    fixed = 3 + 2 + 1 + 10 + 1 + 5 + 2  # every column but the song and the track, and gaps
    song_width = 44 if width is None else min(44, max(12, (width - fixed) * 2 // 5))
    track_width = None if width is None else max(8, width - fixed - song_width)
    lines = [f"{'EP':>3}  {'SONG':<{song_width}} {'OUTCOME':<10} {'SCORE':>5}  TRACK"]
    for item in resolution.songs:
        song = pad(cut(item.song.key, song_width), song_width)
        score = f"{item.score:.2f}" if item.score is not None else "-"
        chosen = chosen_track(item)
        where = f"{chosen.name} — {', '.join(chosen.artists)} ({chosen.uri})" if chosen else "-"
        if track_width is not None:
            where = cut(where, track_width)
        lines.append(f"{item.episode:>3}  {song} {word(item.status, 10)} {score:>5}  {where}")
    lines.append(resolution_line(resolution))
    return "\n".join(lines)


def resolution_line(resolution: Resolution) -> str:
    """The table's last line, and all `resolve -q` prints: how many songs ended how."""
    counts = ", ".join(f"{resolution.count(status)} {status}" for status in Status)
    return (
        f"{plural(len(resolution.songs), 'song')}: {counts}; "
        f"{plural(resolution.searches, 'search', 'searches')}."
    )
