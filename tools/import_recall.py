"""Exact recall of `import` on the real-page corpus, per document, per site and in total.

Development only. Each source in tests/data/import-real/ (or another corpus folder given as the
first argument) is imported without writing anything; a song counts when its canonical line is
written in the right episode, as its `.expected` file says. Besides recall it counts the songs
that were lost or garbled *without a word*: an expected song that was not written and that no
unreadable line, warning or remark names, and a written song that no page has.

    .venv/bin/python tools/import_recall.py [CORPUS]
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from import_fixtures import REAL_CORPUS, expected_for, song_count, sources_in  # noqa: E402

from soundtrack_playlists.errors import TracklistError  # noqa: E402
from soundtrack_playlists.importing.importer import ImportOptions, run_import  # noqa: E402
from soundtrack_playlists.text import fold  # noqa: E402


@dataclass
class Score:
    name: str
    site: str
    expected: int = 0
    exact: int = 0
    silent_lost: int = 0
    silent_garbled: int = 0
    refused: str = ""

    @property
    def recall(self) -> float:
        return self.exact / self.expected if self.expected else 1.0


def site_of(path: Path) -> str:
    parts = path.stem.split("-")
    return parts[1] if len(parts) > 2 and parts[0].isdigit() else path.stem


def score(source: Path) -> Score:
    expected = expected_for(source)
    result = Score(source.name, site_of(source))
    wanted = _by_episode(expected.lines)
    result.expected = sum(song_count([line]) for _, line in wanted)
    with tempfile.TemporaryDirectory() as folder:
        options = ImportOptions(
            source=str(source),
            show="Corpus",
            season=1,
            out=Path(folder) / "season-1",
            dry_run=True,
            order=expected.order,
        )
        try:
            imported = run_import(options)
        except TracklistError as error:
            result.refused = str(error).split("\n")[0][:100]
            result.silent_lost = 0  # a refusal is said
            return result
    written = Counter(
        (episode.number, line) for episode in imported.episodes for line in episode.lines
    )
    said = " ".join(
        [item.text + " " + item.reason for item in imported.unreadable]
        + list(imported.remarks)
        + list(getattr(imported, "warnings", ()))
    )
    said_folded = fold(said)
    remaining = Counter(written)
    for key in wanted:
        songs = song_count([key[1]])
        if remaining[key] > 0:
            remaining[key] -= 1
            result.exact += songs
        elif not _named(key[1], said_folded):
            result.silent_lost += songs
    for (_, line), count in remaining.items():
        if count > 0 and not _named(line, said_folded):
            result.silent_garbled += song_count([line]) * count
    return result


def _by_episode(lines: list[str]) -> list[tuple[int, str]]:
    keyed, number = [], 0
    for line in lines:
        if line.startswith("Episode "):
            number = int(line.removeprefix("Episode ").partition(":")[0])
        else:
            keyed.append((number, line))
    return keyed


def _named(line: str, said_folded: str) -> bool:
    """Whether what import said names this line's first title."""
    title = line.split('"')[1] if line.count('"') >= 2 else line
    return bool(title) and fold(title) in said_folded


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else REAL_CORPUS
    scores = [score(source) for source in sources_in(corpus)]
    print(f"{'document':<48} {'songs':>5} {'exact':>5} {'recall':>7} {'silent':>6}  refused")
    for item in scores:
        silent = item.silent_lost + item.silent_garbled
        print(
            f"{item.name[:48]:<48} {item.expected:>5} {item.exact:>5} {item.recall:>7.2f} "
            f"{silent:>6}  {item.refused}"
        )
    print()
    print(f"{'site':<34} {'docs':>4} {'songs':>5} {'exact':>5} {'recall':>7}")
    sites: dict[str, list[Score]] = {}
    for item in scores:
        sites.setdefault(item.site, []).append(item)
    for site, items in sorted(sites.items()):
        songs = sum(item.expected for item in items)
        exact = sum(item.exact for item in items)
        print(f"{site:<34} {len(items):>4} {songs:>5} {exact:>5} {exact / songs:>7.2f}")
    songs = sum(item.expected for item in scores)
    exact = sum(item.exact for item in scores)
    lost = sum(item.silent_lost for item in scores)
    garbled = sum(item.silent_garbled for item in scores)
    refused = sum(1 for item in scores if item.refused)
    print()
    print(
        f"total: {len(scores)} documents, {len(sites)} sites, {songs} songs, {exact} exact, "
        f"recall {exact / songs:.3f}; {refused} refused; lost without a word: {lost}; "
        f"garbled without a word: {garbled}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
