"""Season folders on disk: the manifest and one tracklist file per episode, validated whole."""

from __future__ import annotations

import sys
from pathlib import Path

from soundtrack_playlists.errors import TracklistError
from soundtrack_playlists.models import Episode, PlaylistNaming, Season, Song
from soundtrack_playlists.text import plural
from soundtrack_playlists.tracklists.grammar import (
    GrammarError,
    is_blank_or_comment,
    parse_song_line,
)
from soundtrack_playlists.tracklists.headings import parse_heading
from soundtrack_playlists.tracklists.lines import shown, split_lines
from soundtrack_playlists.tracklists.naming import check_template, check_unique, template_line

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

MANIFEST = "season.toml"
EPISODE_GLOB = "*.txt"
MANIFEST_EXAMPLE = 'show = "Soundtrack"\nseason = 1\nyear = 2019\nnetwork = "Netflix"'


def load_season(directory: Path) -> Season:
    """Read and validate a whole season folder; raise TracklistError at the first problem."""
    directory = Path(directory)
    if not directory.is_dir():
        raise TracklistError(
            directory,
            "no such season folder: expected a folder holding "
            f"{MANIFEST} and one .txt tracklist per episode",
        )
    manifest = read_manifest(directory / MANIFEST)
    episodes: dict[int, Episode] = {}
    for path in sorted(directory.glob(EPISODE_GLOB)):
        episode = read_episode(path)
        if episode.number in episodes:
            first = episodes[episode.number].path
            raise TracklistError(
                path,
                f"episode {episode.number} is already defined in {first}: "
                "expected each episode number in one file only",
            )
        episodes[episode.number] = episode
    if not episodes:
        raise TracklistError(
            directory,
            "no episode files: expected one .txt file per episode, "
            "each starting with a heading like `Episode 1: Title`",
        )
    season = Season(
        episodes=tuple(episodes[number] for number in sorted(episodes)),
        directory=directory,
        **manifest,
    )
    check_unique(directory / MANIFEST, read_text_file(directory / MANIFEST), season)
    return season


def read_manifest(path: Path) -> dict:
    """The season manifest as Season keyword arguments."""
    if not path.is_file():
        raise TracklistError(
            path, f"the season manifest is missing: expected a {MANIFEST} like\n{MANIFEST_EXAMPLE}"
        )
    text = read_text_file(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TracklistError(path, f"the season manifest is not valid TOML ({error})") from None
    show, season = data.get("show"), data.get("season")
    if not isinstance(show, str) or not show.strip():
        raise TracklistError(path, f"`show` must be the show's name, e.g.\n{MANIFEST_EXAMPLE}")
    if not isinstance(season, int) or isinstance(season, bool) or season < 1:
        raise TracklistError(path, f"`season` must be a whole number ≥ 1, e.g.\n{MANIFEST_EXAMPLE}")
    year, network = data.get("year"), data.get("network")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise TracklistError(path, "`year` must be a whole number like 2019")
    if network is not None and not isinstance(network, str):
        raise TracklistError(path, '`network` must be text like "Netflix"')
    naming = _read_naming(path, text, data.get("playlists", {}), year)
    return {
        "show": show.strip(),
        "season": season,
        "year": year,
        "network": network,
        "naming": naming,
    }


def _read_naming(path: Path, text: str, table: object, year: int | None) -> PlaylistNaming:
    if not isinstance(table, dict):
        raise TracklistError(
            path,
            "[playlists] must be a table with `episode` and `season` names",
            template_line(text, "playlists"),
        )
    defaults = PlaylistNaming.default_for(year)
    return PlaylistNaming(
        episode=check_template(path, text, "episode", table.get("episode", defaults.episode), year),
        season=check_template(path, text, "season", table.get("season", defaults.season), year),
    )


def read_episode(path: Path) -> Episode:
    """One episode file: an `Episode N: Title` heading, then song lines in any form import reads."""
    heading = None
    songs: list[Song] = []
    for number, text in enumerate(split_lines(read_text_file(path)), start=1):
        if is_blank_or_comment(text):
            continue
        try:
            found = parse_heading(text)
            if found is not None:
                if heading is not None:
                    raise GrammarError(
                        f"a second episode heading (this file is episode {heading.number}): "
                        "expected one episode per file"
                    )
                heading = found
                continue
            if heading is None:
                raise GrammarError(
                    "a song before the episode heading: expected the file to "
                    "start with a heading like `Episode 1: Title`"
                )
            songs.extend(parse_song_line(text, line=number))
        except GrammarError as error:
            raise TracklistError(path, str(error), number, shown(text)) from None
    if heading is None:
        raise TracklistError(path, "no episode heading: expected a line like `Episode 1: Title`")
    return Episode(heading.number, heading.title, tuple(songs), path)


def describe_season(season: Season) -> str:
    """A person-readable listing: episodes, songs, and what each line became."""
    lines = [
        f"{season.show}, season {season.season}"
        + (f" ({season.year})" if season.year else "")
        + f" — {season.directory}"
    ]
    for episode in season.episodes:
        lines.append(f"\nEpisode {episode.number}: {episode.title}")
        if not episode.songs:
            lines.append("  (no songs)")
        for song in episode.songs:
            extras = [part for part in (song.group, song.note, song.pin) if part]
            suffix = f"  [{'; '.join(extras)}]" if extras else ""
            lines.append(f"  {song.key}{suffix}")
    lines.append(
        f"\n{plural(len(season.songs), 'song')} in {plural(len(season.episodes), 'episode')}."
    )
    return "\n".join(lines)


def read_text_file(path: Path) -> str:
    """UTF-8 (a BOM is fine); anything else names the line with the first bad byte."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TracklistError(
            path,
            f"the file is not UTF-8 (byte {data[error.start]:#04x} at line {line}): "
            "save it as UTF-8 and run again",
            line,
        ) from None
