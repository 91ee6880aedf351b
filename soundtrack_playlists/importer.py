"""Import article-like text (headings, song lines, prose) into a season folder."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from soundtrack_playlists.errors import TracklistError
from soundtrack_playlists.fileio import write_text_atomic
from soundtrack_playlists.grammar import GrammarError, parse_heading, parse_song_line
from soundtrack_playlists.models import PlaylistNaming
from soundtrack_playlists.tracklist import MANIFEST, load_season

# Prose that happens to start with a quote and contain `" by ` must not become a song:
# real artist credits are short.
_MAX_ARTISTS_LENGTH = 120


@dataclass(frozen=True)
class ImportedEpisode:
    number: int
    title: str
    lines: tuple[str, ...]  # song lines exactly as the article writes them


def extract_episodes(text: str) -> list[ImportedEpisode]:
    """Headings and the song lines under them; everything else is prose and is skipped."""
    episodes: list[ImportedEpisode] = []
    current: tuple[int, str, list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        try:
            heading = parse_heading(line)
        except GrammarError:
            heading = None
        if heading is not None:
            if current:
                episodes.append(ImportedEpisode(current[0], current[1], tuple(current[2])))
            current = (heading.number, heading.title, [])
        elif current is not None and _is_song_line(line):
            current[2].append(line)
    if current:
        episodes.append(ImportedEpisode(current[0], current[1], tuple(current[2])))
    return episodes


def _is_song_line(line: str) -> bool:
    try:
        songs = parse_song_line(line)
    except GrammarError:
        return False
    return all(len(" ".join(song.artists)) <= _MAX_ARTISTS_LENGTH for song in songs)


def render_manifest(show: str, season: int, year: int | None, network: str | None) -> str:
    lines = [
        "# Season manifest for soundtrack-playlists: see the README's tracklist grammar.",
        f"show = {json.dumps(show, ensure_ascii=False)}",
        f"season = {season}",
    ]
    if year is not None:
        lines.append(f"year = {year}")
    if network:
        lines.append(f"network = {json.dumps(network, ensure_ascii=False)}")
    naming = PlaylistNaming.default_for(year)
    lines += [
        "",
        "[playlists]",
        "# Fields: {show} {season} {year} {network} {episode} {title}",
        f"episode = {json.dumps(naming.episode, ensure_ascii=False)}",
        f"season = {json.dumps(naming.season, ensure_ascii=False)}",
    ]
    return "\n".join(lines) + "\n"


def render_episode(episode: ImportedEpisode) -> str:
    lines = [f"Episode {episode.number}: {episode.title}", ""]
    lines += list(episode.lines) or ["# No songs are listed for this episode."]
    return "\n".join(lines) + "\n"


def episode_filename(number: int) -> str:
    return f"episode-{number:02d}.txt"


def default_out_dir(base: Path, show: str, season: int) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", show.lower()).strip("-") or "show"
    return Path(base) / slug / f"season-{season}"


def import_article(
    text: str,
    out_dir: Path,
    *,
    show: str,
    season: int,
    year: int | None = None,
    network: str | None = None,
    force: bool = False,
    source_name: str = "the article",
) -> Path:
    """Write a season folder from article text; validate it before it replaces anything."""
    episodes = extract_episodes(text)
    if not episodes:
        raise TracklistError(
            source_name,
            "no episode headings found: expected lines like "
            "`Episode 1: Nellie and Sam` followed by song lines",
        )
    numbers = [episode.number for episode in episodes]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise TracklistError(
            source_name,
            f"episode {duplicates[0]} appears twice: expected each episode heading once",
        )
    out_dir = Path(out_dir)
    if out_dir.exists() and not force:
        raise TracklistError(
            out_dir,
            "the folder already exists: choose another --out, "
            "or pass --force to replace its tracklists",
        )
    staging = out_dir.with_name(f".{out_dir.name}.importing")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        write_text_atomic(staging / MANIFEST, render_manifest(show, season, year, network))
        for episode in episodes:
            write_text_atomic(staging / episode_filename(episode.number), render_episode(episode))
        load_season(staging)  # what we write must read back
        _replace_tracklists(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out_dir


def _replace_tracklists(staging: Path, out_dir: Path) -> None:
    """Swap in the new manifest and episode files; the lock, state and anything else stay."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in [out_dir / MANIFEST, *out_dir.glob("*.txt")]:
        old.unlink(missing_ok=True)
    for new in staging.iterdir():
        new.replace(out_dir / new.name)
