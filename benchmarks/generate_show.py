"""Generate a large show from the benchmark catalog: seasons of episodes of real songs."""

from __future__ import annotations

import csv
import gzip
import io
import random
import shutil
from pathlib import Path

from soundtrack_playlists.emulator.catalog import read_artists
from soundtrack_playlists.importing.importer import episode_filename, render_manifest

CATALOG = Path(__file__).parent / "data" / "catalog.csv.gz"


def catalog_csv(destination: Path) -> Path:
    """The benchmark catalog unpacked to a plain CSV the emulator loads."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(CATALOG, "rb") as packed, open(destination, "wb") as plain:
        shutil.copyfileobj(packed, plain)
    return destination


def song_lines(seed: int, count: int) -> list[str]:
    """`count` distinct songs drawn at random, written as a tracklist line each."""
    with gzip.open(CATALOG, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    random.Random(seed).shuffle(rows)
    lines, seen = [], set()
    for row in rows:
        title, artists = row["name"].strip(), read_artists(row["artists"])
        if not title or not artists or '"' in title or "(" in artists[0]:
            continue
        line = f'"{title}" by {artists[0]}'
        if line.lower() not in seen:
            seen.add(line.lower())
            lines.append(line)
        if len(lines) == count:
            return lines
    raise ValueError(f"the catalog has fewer than {count} usable songs")


def write_show(root: Path, *, seasons: int, episodes: int, songs: int, seed: int = 7) -> list[Path]:
    """One season folder per season under `root`; returns them in order."""
    lines = iter(song_lines(seed, seasons * episodes * songs))
    folders = []
    for season in range(1, seasons + 1):
        folder = root / f"season-{season}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "season.toml").write_text(
            render_manifest("Benchmark Show", season, 2000 + season, "Bench"), encoding="utf-8"
        )
        for episode in range(1, episodes + 1):
            body = [f"Episode {episode}: Part {episode}", ""]
            body += [next(lines) for _ in range(songs)]
            (folder / episode_filename(episode)).write_text(
                "\n".join(body) + "\n", encoding="utf-8"
            )
        folders.append(folder)
    return folders
