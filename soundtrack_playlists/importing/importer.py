"""Import a tracklist source into a season folder, every line accounted for, nothing clobbered."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from soundtrack_playlists.errors import TracklistError
from soundtrack_playlists.importing.article import Article, Unreadable, read_article
from soundtrack_playlists.importing.detect import CSV, HTML, TSV
from soundtrack_playlists.importing.fetch import Fetched, fetch
from soundtrack_playlists.importing.html import html_lines
from soundtrack_playlists.importing.source import Source, read_source
from soundtrack_playlists.importing.tables import read_table
from soundtrack_playlists.importing.text import text_lines
from soundtrack_playlists.importing.writing import refusal, write_season
from soundtrack_playlists.models import PlaylistNaming, Song
from soundtrack_playlists.text import plural
from soundtrack_playlists.tracklists.canonical import render_song_line
from soundtrack_playlists.tracklists.grammar import GrammarError, read_song_line

PROGRAM = "soundtrack-playlists"


@dataclass(frozen=True)
class ImportedEpisode:
    number: int
    title: str
    lines: tuple[str, ...]  # canonical song lines, one per line of the source

    @property
    def song_count(self) -> int:
        return sum(len(read_song_line(line).songs) for line in self.lines)


@dataclass(frozen=True)
class ImportOptions:
    """What the `import` command was asked to do."""

    source: str  # a file, `-` for standard input, or an http(s) URL
    show: str
    season: int
    year: int | None = None
    network: str | None = None
    out: Path | None = None  # default: tracklists/<show>/season-<N>
    force: bool = False
    dry_run: bool = False
    strict: bool = False
    order: str | None = None  # TITLE_ARTIST or ARTIST_TITLE for unquoted `A – B` lines
    episode: int | None = None  # the number of a page without numbered episode headings


@dataclass(frozen=True)
class ImportResult:
    out: Path
    source: str
    format: str
    episodes: tuple[ImportedEpisode, ...]
    unreadable: tuple[Unreadable, ...]
    prose_lines: int
    remarks: tuple[str, ...]  # how the source was read: the `A – B` order, a missing column
    written: bool
    warnings: tuple[str, ...] = ()  # songs that may be missing: said on stderr, fail --strict
    refusal: str = ""  # a dry run's: why the real run would write nothing

    @property
    def songs(self) -> int:
        return sum(episode.song_count for episode in self.episodes)

    def to_json(self) -> dict:
        return {
            "out": str(self.out),
            "episodes": [
                {"number": e.number, "title": e.title, "songs": e.song_count} for e in self.episodes
            ],
            "songs": self.songs,
            "unreadable": [item.to_json() for item in self.unreadable],
            "prose_lines": self.prose_lines,
            "remarks": list(self.remarks),
            "warnings": list(self.warnings),
            "error": None,
            **({"would_refuse": self.refusal} if self.refusal else {}),
        }


def run_import(
    options: ImportOptions,
    *,
    stdin: BinaryIO | None = None,
    fetcher: Callable[[str], Fetched] = fetch,
) -> ImportResult:
    """Read the source, account for every line, write the season folder unless told not to."""
    source = read_source(options.source, stdin=stdin, fetcher=fetcher)
    article = read_any(source, options.order, options.episode)
    out = options.out or default_out_dir(Path("tracklists"), options.show, options.season)
    episodes, unwritable = canonical_episodes(article, source.name)
    unreadable = tuple(sorted((*article.unreadable, *unwritable), key=lambda u: u.line))
    if options.strict and (unreadable or article.warnings):
        raise TracklistError(
            source.name,
            f"{plural(len(unreadable), 'line')} could not be read and "
            f"{plural(len(article.warnings), 'warning')} given, and --strict imports nothing "
            "then:\n" + "\n".join([*_unreadable_lines(unreadable), *article.warnings]),
        )
    if not options.dry_run:
        files = season_files(episodes, options.show, options.season, options.year, options.network)
        write_season(Path(out), files, force=options.force)
    remarks = tuple(part for part in (source.note, article.order_reason, *article.notes) if part)
    return ImportResult(
        Path(out),
        source.name,
        source.format,
        tuple(episodes),
        unreadable,
        article.prose_lines,
        remarks,
        written=not options.dry_run,
        warnings=article.warnings,
        refusal=refusal(Path(out), options.force) if options.dry_run else "",
    )


def refused_json(options: ImportOptions, error: str) -> dict:
    """The --json result of an import that was refused: nothing read, and why."""
    out = options.out or default_out_dir(Path("tracklists"), options.show, options.season)
    return {
        "out": str(out),
        "episodes": [],
        "songs": 0,
        "unreadable": [],
        "prose_lines": 0,
        "remarks": [],
        "warnings": [],
        "error": error,
    }


def read_any(source: Source, order: str | None = None, episode: int | None = None) -> Article:
    """The article a source holds, read by the reader its format needs."""
    try:
        if source.format in (CSV, TSV):
            return read_table(source.text, default_title=source.stem)
    except GrammarError as error:
        raise TracklistError(source.name, str(error)) from None
    lines = html_lines(source.text) if source.format == HTML else text_lines(source.text)
    return read_article(lines, order, episode)


def canonical_episodes(
    article: Article, source_name: str
) -> tuple[list[ImportedEpisode], list[Unreadable]]:
    """Each song line in its canonical form; a line that would not read back is unreadable."""
    if not article.episodes:
        first = (
            f" ({plural(len(article.unreadable), 'line')} could not be read, the first on line "
            f"{article.unreadable[0].line}: {article.unreadable[0].reason})"
            if article.unreadable
            else ""
        )
        raise TracklistError(
            source_name,
            "no episode headings found: expected lines like "
            f"`Episode 1: Nellie and Sam` followed by song lines{first}",
        )
    seen: dict[int, int] = {}
    for episode in article.episodes:
        if episode.number in seen:
            raise TracklistError(
                source_name,
                f"episode {episode.number} appears twice (lines {seen[episode.number]} and "
                f"{episode.line}): expected each episode heading once",
            )
        seen[episode.number] = episode.line
    episodes, unwritable = [], []
    for episode in article.episodes:
        lines = []
        for songs in episode.song_lines:
            line = render_song_line(songs)
            if _reads_back(line, songs):
                lines.append(line)
            else:
                unwritable.append(
                    Unreadable(
                        songs[0].line,
                        line,
                        "this song can't be written as a tracklist line that reads back the same",
                    )
                )
        episodes.append(ImportedEpisode(episode.number, episode.title, tuple(lines)))
    return episodes, unwritable


def _reads_back(line: str, songs: Sequence[Song]) -> bool:
    try:
        again = read_song_line(line).songs
    except GrammarError:
        return False
    return [_fields(song) for song in again] == [_fields(song) for song in songs]


def _fields(song: Song) -> tuple:
    return (song.title, song.artists, song.group, song.note, song.pin)


def season_files(
    episodes: Sequence[ImportedEpisode],
    show: str,
    season: int,
    year: int | None,
    network: str | None,
) -> dict[str, str]:
    """The manifest and one file per episode, by file name."""
    files = {"season.toml": render_manifest(show, season, year, network)}
    for episode in episodes:
        files[episode_filename(episode.number)] = render_episode(episode)
    return files


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


# --- what import prints ---


def render_summary(result: ImportResult) -> str:
    """The plain-text report: per episode, then every unreadable line, then the next steps."""
    counts = f"{plural(len(result.episodes), 'episode')}, {plural(result.songs, 'song')}"
    verb = "Wrote" if result.written else "Dry run, nothing written: would write"
    lines = [f"{verb} {result.out}: {counts}."]
    if result.refusal:
        lines[0] = f"Dry run, nothing written: the real run would refuse: {result.refusal}"
        lines.append(f"It read {counts}:")
    for episode in result.episodes:
        lines.append(
            f"  Episode {episode.number}: {episode.title} — {plural(episode.song_count, 'song')}"
        )
    lines.append(
        f"Read {result.source} as {result.format}; "
        f"{plural(result.prose_lines, 'line')} of prose skipped."
    )
    lines += [f"Note: {remark}." for remark in result.remarks]
    if result.unreadable:
        lines.append(
            f"{plural(len(result.unreadable), 'line')} could not be read and "
            f"{'were' if len(result.unreadable) > 1 else 'was'} not imported:"
        )
        lines += _unreadable_lines(result.unreadable)
    if result.written:
        lines += ["", *next_steps(result.out)]
    return "\n".join(lines)


def _unreadable_lines(unreadable: Sequence[Unreadable]) -> list[str]:
    return [f"  line {item.line}: {item.text}\n      {item.reason}" for item in unreadable]


def next_steps(out: Path) -> list[str]:
    """What to run next, naming the folder just written."""
    folder = shlex.quote(str(out))
    return [
        "Next steps:",
        f"  {PROGRAM} tracklists {folder}   # check the songs",
        f"  {PROGRAM} resolve {folder}      # find them on Spotify",
        f"  {PROGRAM} sync {folder}         # make the playlists",
    ]


# --- article text in, season folder out: the library calls the tests and tools use ---


def extract_episodes(text: str, order: str | None = None) -> list[ImportedEpisode]:
    """Headings and the canonical song lines under them; prose is skipped."""
    episodes, _ = canonical_episodes(read_article(text_lines(text), order), "the article")
    return episodes


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
    episodes, _ = canonical_episodes(read_article(text_lines(text)), source_name)
    write_season(Path(out_dir), season_files(episodes, show, season, year, network), force=force)
    return Path(out_dir)
