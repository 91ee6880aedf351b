"""Playlist name templates: checked field by field when the manifest is read, unique per season."""

from __future__ import annotations

import string
from collections import defaultdict
from pathlib import Path

from soundtrack_playlists.errors import TracklistError
from soundtrack_playlists.models import Season

FIELDS = ("show", "season", "year", "network", "episode", "title")
TABLE = "playlists"


def template_line(manifest_text: str, key: str) -> int | None:
    """The line of `key = …` in the manifest's [playlists] table (or of an inline table)."""
    table = ""
    for number, line in enumerate(manifest_text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            table = stripped.strip("[] \t")
            continue
        name = stripped.partition("=")[0].strip().strip("\"'")
        if table == TABLE and name == key:
            return number
        if not table and name == TABLE:
            return number
    return None


def check_template(
    path: Path, manifest_text: str, key: str, template: object, year: int | None
) -> str:
    """The template when every field is a plain known one that formats; else TracklistError.

    Only `{field}` and `{field:spec}` are allowed: `{show.upper}` or `{title[4]}` would reach
    into a value (and fail, or worse, on some episode only).
    """
    line = template_line(manifest_text, key)

    def problem(message: str) -> TracklistError:
        return TracklistError(
            path,
            f"[{TABLE}] {key} = {template!r} is not a valid name template ({message}): "
            "expected text with fields among "
            f"{{{'}, {'.join(FIELDS)}}} (year only when the manifest sets it), "
            'e.g. "{show} S{season}E{episode:02d} · {title}"',
            line,
        )

    if not isinstance(template, str):
        raise problem("a name template must be text")
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as error:
        raise problem(str(error)) from None
    for _, field, spec, _ in parts:
        if field is None:
            continue
        if field not in FIELDS:
            raise problem(f"{{{field}}} is not a field")
        if field == "year" and year is None:
            raise problem("{year} is used but the manifest sets no `year`")
        if spec and "{" in spec:
            raise problem(f"{{{field}:{spec}}} nests a field in a format")
    sample = {"show": "Show", "season": 1, "year": year or "", "network": "Network"}
    try:
        template.format(**sample, episode=1, title="Title")
    except (ValueError, TypeError) as error:
        raise problem(str(error)) from None
    return template


def check_unique(path: Path, manifest_text: str, season: Season) -> None:
    """TracklistError when two of the season's playlists would get the same name.

    One name for several playlists would make them all one playlist, and a sync that never
    settles (each episode rewriting it in turn).
    """
    owners: dict[str, list[str]] = defaultdict(list)
    for episode in season.episodes:
        if episode.songs:
            owners[season.episode_playlist_name(episode)].append(f"episode {episode.number}")
    owners[season.season_playlist_name()].append("the season playlist")
    for name, users in owners.items():
        if len(users) > 1:
            key = "season" if "the season playlist" in users else "episode"
            raise TracklistError(
                path,
                f"[{TABLE}] names collide: {', '.join(users[:-1])} and {users[-1]} would all "
                f"be called “{name}”; each playlist needs its own name: put {{episode}} in "
                "the episode template and keep the season's name apart",
                template_line(manifest_text, key),
            )
