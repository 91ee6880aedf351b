"""The import corpus: each source fixture beside a `.expected` file of what import must write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from soundtrack_playlists.importing.importer import ImportResult
from soundtrack_playlists.tracklists.grammar import read_song_line

CORPUS = Path(__file__).parent / "data" / "import"
REAL_CORPUS = Path(__file__).parent / "data" / "import-real"  # real pages: see its PROVENANCE.md


def sources_in(corpus: Path) -> list[Path]:
    return sorted(
        path
        for path in corpus.iterdir()
        if path.is_file() and path.suffix != ".expected" and path.name != "PROVENANCE.md"
    )


SOURCES = sources_in(CORPUS)
REAL_SOURCES = sources_in(REAL_CORPUS)


@dataclass
class Expected:
    """A `.expected` file: episode headings and canonical song lines, then directives.

    `unreadable N: words` — line N is reported unreadable with a reason holding `words`;
    `order: artist-title` — import with that --order; `remark: words` — a remark says `words`.
    """

    lines: list[str] = field(default_factory=list)
    unreadable: dict[int, str] = field(default_factory=dict)
    order: str | None = None
    remarks: list[str] = field(default_factory=list)


def expected_for(source: Path) -> Expected:
    expected = Expected()
    path = source.with_suffix(".expected")
    for raw in path.read_text(encoding="utf-8").split("\n"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("unreadable "):
            number, _, reason = line.removeprefix("unreadable ").partition(":")
            expected.unreadable[int(number)] = reason.strip()
        elif line.startswith("order: "):
            expected.order = line.removeprefix("order: ")
        elif line.startswith("remark: "):
            expected.remarks.append(line.removeprefix("remark: "))
        else:
            expected.lines.append(line)
    return expected


def written_lines(result: ImportResult) -> list[str]:
    """What import wrote, in the `.expected` form: each heading, then its song lines."""
    lines: list[str] = []
    for episode in result.episodes:
        lines.append(f"Episode {episode.number}: {episode.title}")
        lines += episode.lines
    return lines


def song_count(lines: list[str]) -> int:
    """Songs in canonical lines, as the grammar reads them (a medley line is one per artist)."""
    return sum(len(read_song_line(line).songs) for line in lines if not line.startswith("Episode "))
