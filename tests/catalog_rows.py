"""Real catalog rows as Tracks, for matching tests (see tests/data/PROVENANCE.md)."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from soundtrack_playlists.models import Track

TRAPS_CSV = Path(__file__).parent / "data" / "catalog-traps.csv"
_COMPILATION = re.compile(r"best of|collection|story|hits", re.IGNORECASE)


def _album_type(album: str, name: str) -> str:
    """As Spotify would label it: a compilation, a single named after its track, or an album."""
    if _COMPILATION.search(album):
        return "compilation"
    if album and album.casefold() == name.split(" - ")[0].casefold():
        return "single"
    return "album"


@cache
def catalog_tracks() -> dict[str, Track]:
    """Every row of the trap catalog by track id."""
    tracks = {}
    with TRAPS_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            # dectusrold joins several artists with ", "; the other sources credit one name
            joined = row["source"] == "dectusrold"
            artists = tuple(row["artists"].split(", ")) if joined else (row["artists"],)
            tracks[row["track_id"]] = Track(
                uri=f"spotify:track:{row['track_id']}",
                name=row["name"],
                artists=artists,
                album=row["album"],
                album_type=_album_type(row["album"], row["name"]),
                release_date=row["release_date"],
                duration_ms=int(row["duration_ms"]),
                popularity=int(row["popularity"]) if row["popularity"] else None,
            )
    return tracks


def rows(*ids: str) -> list[Track]:
    tracks = catalog_tracks()
    return [tracks[track_id] for track_id in ids]


def with_name(name: str) -> list[Track]:
    """Every trap row whose title (before any version suffix) is `name`, any artist."""
    wanted = name.casefold()
    return [
        track
        for track in catalog_tracks().values()
        if re.split(r" - | \(| \[", track.name)[0].casefold() == wanted
    ]
