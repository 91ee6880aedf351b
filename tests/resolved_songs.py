"""A stand-in for the resolver's per-song result, reduced to what sync and the report read."""

from __future__ import annotations

from dataclasses import dataclass

from soundtrack_playlists.models import Song, Track


@dataclass(frozen=True)
class Resolved:
    episode: int
    song: Song
    status: str
    track: Track | None
    score: float | None = None
