"""Pins looked up: each pinned song gets Spotify's own track, or an error names its line."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from soundtrack_playlists.errors import PinError
from soundtrack_playlists.models import Track
from soundtrack_playlists.resolve.results import SongResolution

Lookup = Callable[[str], Track | None]  # GET /tracks/{id}: the track, None if there is none


def look_up_pins(
    pinned: Sequence[tuple[SongResolution, Path | None]], lookup: Lookup
) -> list[SongResolution]:
    """Each pinned song with Spotify's own track (one GET /tracks/{id} per pin not yet checked).

    A pin to a track Spotify doesn't have, or that the user can't play, is a TracklistError
    naming the tracklist file and line of every such pin, raised before anything is written.
    """
    found: dict[str, Track | None] = {}
    checked: list[SongResolution] = []
    problems: list[str] = []
    for item, path in pinned:
        if item.pin_checked or item.track is None:
            checked.append(item)
            continue
        uri = item.track.uri
        if uri not in found:
            found[uri] = lookup(uri.rsplit(":", 1)[-1])
        track = found[uri]
        where = f"{path or 'the tracklist'} line {item.song.line}"
        source = "chosen in review" if item.pin else "in the tracklist"
        if track is None:
            problems.append(f"{where}: the pin {uri} ({source}) is no Spotify track")
        elif track.is_playable is False:
            problems.append(
                f"{where}: the pin {uri} ({source}) is {_describe(track)}, which is not "
                "playable in your market"
            )
        else:
            reason = f"{item.reason} ({_describe(track)})"
            checked.append(replace(item, track=track, reason=reason, pin_checked=True))
    if problems:
        raise PinError(
            "; ".join(problems) + ": pin another track (an open.spotify.com/track/ link) or "
            "remove the pin so the line is searched"
        )
    return checked


def _describe(track: Track) -> str:
    return f'"{track.name}" by {", ".join(track.artists)}'
