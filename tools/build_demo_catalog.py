"""Build the normalised demo and benchmark catalogs from a developer's copy of tracks.csv.

    python tools/build_demo_catalog.py PATH/TO/tracks.csv

Development only: neither the package nor the tests read tracks.csv, and this folder is not
shipped. The source rows' quirks are settled here once, so the emulator reads plain rows:
artists split into credits and joined with ";" (catalog.ARTIST_SEPARATOR), album_type always
filled. Writes soundtrack_playlists/emulator/data/demo_catalog.csv (the rows of the free
sources that share a title or an artist with a season song, plus one synthetic row for each
season song they lack) and benchmarks/data/catalog.csv.gz (every row of the free sources).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from soundtrack_playlists.emulator.catalog import (
    ARTIST_SEPARATOR,
    CatalogTrack,
    core_title_words,
    stable_id,
    track_from_row,
    words,
)
from soundtrack_playlists.files.atomic import write_text_atomic
from soundtrack_playlists.text import fold
from soundtrack_playlists.tracklists.folders import load_season

ROOT = Path(__file__).resolve().parents[1]
SEASON_DIR = ROOT / "tracklists" / "soundtrack" / "season-1"
DEMO_CSV = ROOT / "soundtrack_playlists" / "emulator" / "data" / "demo_catalog.csv"
BENCHMARK_GZ = ROOT / "benchmarks" / "data" / "catalog.csv.gz"
FREE_SOURCES = ("tidytuesday2020", "jacky_genre_scrape", "dectusrold")  # MIT / Apache-2.0
COLUMNS = (
    "track_id",
    "name",
    "artists",
    "album",
    "album_type",
    "release_date",
    "duration_ms",
    "popularity",
    "source",
)

# Band names that contain ", " and must survive the split of a comma-joined artist list.
_COMMA_NAMES = frozenset(
    fold(name)
    for name in (
        "Tyler, The Creator",
        "Earth, Wind & Fire",
        "Crosby, Stills & Nash",
        "Crosby, Stills, Nash & Young",
        "Emerson, Lake & Palmer",
        "Blood, Sweat & Tears",
        "Peter, Paul and Mary",
        "Peter, Paul & Mary",
        "Phillips, Craig & Dean",
        "Ecstasy, Passion & Pain",
    )
)
# A piece after ", " that belongs to the name before it ("Hank Williams, Jr.").
_NAME_SUFFIX = re.compile(r"^(jr\.?|sr\.?|ii|iii|the creator|the illstrumentalist)$", re.IGNORECASE)
# Sources whose artist string is always one credit as written (commas are part of names).
_WHOLE_NAME_SOURCES = frozenset(
    {"tidytuesday2020", "jacky_genre_scrape", "spotifyfeatures_partial"}
)
_FEATURING = re.compile(r"\s+(?:featuring|feat\.|ft\.)\s+", re.IGNORECASE)
_COMPILATION_WORDS = re.compile(
    r"\b(greatest hits|best of|the best|essential|essentials|collection|hits|anthology|gold|"
    r"platinum|definitive|ultimate|very best|complete|number ones|#1s|retrospective|"
    r"now that s what i call|classics)\b"
)


@dataclass(frozen=True)
class SeasonSong:
    """A season song as its synthetic row's id was made from: credits comma-joined."""

    title: str
    artists: str  # comma-joined credits, main artist first


@dataclass(frozen=True)
class Release:
    """The album data of a synthetic row: the recording's usual release."""

    album: str
    album_type: str
    release_date: str
    duration_ms: int


def _season() -> tuple[SeasonSong, ...]:
    season = load_season(SEASON_DIR)
    return tuple(SeasonSong(song.title, ", ".join(song.artists)) for song in season.songs)


# The songs of Soundtrack season 1, read from its tracklists (mashups split, medleys per artist).
SEASON = _season()

# Synthetic rows for the season songs no free row holds, by (title, main artist). Durations
# are approximate; for the cast's own songs ("Houston We Have A Problem", "Not Gonna Blink")
# the single is invented.
RELEASES = {
    ("Between Me And You", "Brandon Flowers"): Release("Flamingo", "album", "2010-09-03", 248000),
    ("Love Is A Losing Game", "Amy Winehouse"): Release(
        "Back To Black", "album", "2006-10-27", 155000
    ),
    ("Smile", "Nat King Cole"): Release("Unforgettable", "album", "1954", 168000),
    ("Houston We Have A Problem", "Pacific Electric"): Release(
        "Houston We Have A Problem", "single", "2019-12-18", 201000
    ),
    ("Heat", "Kelly Clarkson"): Release("Meaning of Life", "album", "2017-10-27", 183000),
    ("Never Gonna Happen", "Lily Allen"): Release(
        "It's Not Me, It's You", "album", "2009-02-09", 206000
    ),
    ("Crash And Burn Girl", "Robyn"): Release("Robyn", "album", "2005-04-27", 232000),
    ("Mercy", "Duffy"): Release("Rockferry", "album", "2008-03-03", 219000),
    ("Deep In A Dream", "Chet Baker"): Release(
        "Chet Baker Sings And Plays", "album", "1955", 186000
    ),
    ("Morning View", "Towkio"): Release("WWW.", "album", "2018-03-16", 212000),
    ("Simple Things", "Miguel"): Release("Simple Things", "single", "2017-02-10", 236000),
    ("Not Gonna Blink", "Sam"): Release("Not Gonna Blink", "single", "2019-12-18", 195000),
    ("Nobody's Girl", "Bonnie Raitt"): Release("Luck of the Draw", "album", "1991-06-25", 203000),
    ("Both Sides Now", "Neil Diamond"): Release(
        "Touching You, Touching Me", "album", "1969", 203000
    ),
    ("Both Sides Now", "Joni Mitchell"): Release("Clouds", "album", "1969-05-01", 275000),
    ("Real Life", "The Weeknd"): Release(
        "Beauty Behind The Madness", "album", "2015-08-28", 223000
    ),
    ("Take It To The Limit", "Etta James"): Release(
        "Matriarch Of The Blues", "album", "2000-10-24", 262000
    ),
    ("Good Luck", "Basement Jaxx"): Release("Kish Kash", "album", "2003-10-20", 290000),
    ("Fast Slow Disco", "St. Vincent"): Release("Fast Slow Disco", "single", "2018-02-23", 279000),
    ("Big Time", "Peter Gabriel"): Release("So", "album", "1986-05-19", 268000),
    ("Que Sera, Sera (Whatever Will Be, Will Be)", "Sly & The Family Stone"): Release(
        "Fresh", "album", "1973-06-30", 303000
    ),
    ("Losing You", "Randy Newman"): Release("Harps and Angels", "album", "2008-08-05", 160000),
    ("Bye Bye Love", "Ray Charles"): Release(
        "Modern Sounds in Country and Western Music", "album", "1962-04", 138000
    ),
    ("I Will Not Stop Fighting", "Leo Sayer"): Release("Selfie", "album", "2019-06-21", 214000),
    ("It's A Fine Life", "Original Broadway Cast of Oliver"): Release(
        "Oliver! (Original Broadway Cast Recording)", "album", "1963", 172000
    ),
    ("But Alive", "Lauren Bacall"): Release(
        "Applause (Original Broadway Cast Recording)", "album", "1970", 208000
    ),
    ("Poor Everybody Else", "Michele Lee"): Release(
        "Seesaw (Original Broadway Cast Recording)", "album", "1973", 214000
    ),
    ("Life Is Just A Bowl of Cherries", "Judy Garland"): Release("Judy", "album", "1956", 178000),
    ("Roads", "Portishead"): Release("Dummy", "album", "1994-08-22", 305000),
    ("Long Way To Be Happy", "Darlene Love"): Release(
        "Introducing Darlene Love", "album", "2015-09-18", 221000
    ),
    ("I Will Always Love You", "Dolly Parton"): Release("Jolene", "album", "1974-02-04", 180000),
    ("Tell Him", "Lauryn Hill"): Release(
        "The Miseducation of Lauryn Hill", "album", "1998-08-25", 280000
    ),
}


def split_artists(text: str, source: str = "") -> tuple[str, ...]:
    """The credited artists of a dataset artist string, without breaking "Tyler, The Creator".

    Datasets differ: some list several artists joined with ", ", Billboard-style rows say
    "A Featuring B, C & D", others keep one credit whose name may contain a comma.
    """
    text = text.strip()
    if not text:
        return ()
    if source in _WHOLE_NAME_SOURCES:
        return (text,)
    main, *featured = _FEATURING.split(text)
    if source == "hit_predictor":
        credits = [main]
        for part in featured:
            credits.extend(p for p in re.split(r",\s+|\s+&\s+", part) if p)
        return tuple(credits)
    credits = []
    for part in [main, *featured]:
        credits.extend(_split_commas(part))
    return tuple(credits)


def _split_commas(text: str) -> list[str]:
    if fold(text) in _COMMA_NAMES:
        return [text]
    merged: list[str] = []
    for piece in text.split(", "):
        joined = f"{merged[-1]}, {piece}" if merged else piece
        if merged and (_NAME_SUFFIX.match(piece) or _is_comma_name_prefix(joined)):
            merged[-1] = joined
        else:
            merged.append(piece)
    return [piece for piece in merged if piece]


def _is_comma_name_prefix(text: str) -> bool:
    folded = fold(text)
    return any(name == folded or name.startswith(folded + ", ") for name in _COMMA_NAMES)


def infer_album_type(album: str, name: str) -> str:
    """Spotify's album_type guessed from names: "compilation", "single" or "album"."""
    if not album:
        return "album"
    album_words = " ".join(words(album))
    if _COMPILATION_WORDS.search(album_words):
        return "compilation"
    title = name.split(" - ")[0]  # "Heat - Radio Edit" is still the single "Heat"
    if album_words in (" ".join(words(name)), " ".join(words(title))):
        return "single"
    return "album"


def normalised_artists(text: str, source: str) -> tuple[str, ...]:
    """The credits of a source row; a ";" inside a credit separates two artists there too."""
    return tuple(
        part.strip()
        for name in split_artists(text, source)
        for part in name.split(ARTIST_SEPARATOR)
        if part.strip()
    )


def normalise(raw: dict[str, str]) -> dict[str, str]:
    """A source row as the emulator reads it: artists joined, album_type filled."""
    source = (raw.get("source") or "").strip()
    name = raw["name"].strip()
    album = (raw.get("album") or "").strip()
    album_type = (raw.get("album_type") or "").strip() or infer_album_type(album, name)
    row = {column: (raw.get(column) or "").strip() for column in COLUMNS}
    artists = ARTIST_SEPARATOR.join(normalised_artists(raw["artists"], source))
    return {**row, "name": name, "album": album, "album_type": album_type, "artists": artists}


def synthetic_id(song: SeasonSong) -> str:
    """22 base62 characters that announce themselves: "0SYNTHETIC" + 12 stable characters."""
    return "0SYNTHETIC" + stable_id(f"synthetic:{song.title}|{song.artists}")[:12]


def _has_song(track: CatalogTrack, song: SeasonSong) -> bool:
    title = core_title_words(song.title) or words(song.title)
    main = words(song.artists.split(", ")[0])
    return core_title_words(track.name) == title and any(words(a) == main for a in track.artists)


def synthetic_row(song: SeasonSong) -> dict[str, str]:
    """The row of a season song no free row holds; its release comes from RELEASES."""
    main = song.artists.split(", ")[0]
    release = RELEASES.get((song.title, main))
    if release is None:
        raise SystemExit(f'no release for "{song.title}" by {main}: add it to RELEASES')
    return {
        "track_id": synthetic_id(song),
        "name": song.title,
        "artists": ARTIST_SEPARATOR.join(song.artists.split(", ")),
        "album": release.album,
        "album_type": release.album_type,
        "release_date": release.release_date,
        "duration_ms": str(release.duration_ms),
        "popularity": "50",
        "source": "synthetic",
    }


def free_rows(tracks_csv: Path) -> list[dict[str, str]]:
    """Every row of the MIT/Apache sources, normalised, in the source's order."""
    with tracks_csv.open(encoding="utf-8", newline="") as handle:
        return [normalise(raw) for raw in csv.DictReader(handle) if raw["source"] in FREE_SOURCES]


def demo_rows(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], list[SeasonSong]]:
    """The rows sharing a title or an artist with a season song, then the synthetic ones."""
    titles = {core_title_words(s.title) or words(s.title) for s in SEASON}
    artists = {words(name) for s in SEASON for name in s.artists.split(", ")}
    kept = []
    for row in rows:
        track = track_from_row(row)
        if core_title_words(track.name) in titles or any(
            words(a) in artists for a in track.artists
        ):
            kept.append((row, track))
    kept.sort(key=lambda pair: (pair[1].artists, pair[1].name, pair[1].id))
    missing = [s for s in SEASON if not any(_has_song(track, s) for _, track in kept)]
    return [row for row, _ in kept] + [synthetic_row(s) for s in missing], missing


def to_csv(rows: Iterable[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    rows = free_rows(Path(argv[0]))
    demo, missing = demo_rows(rows)
    write_text_atomic(DEMO_CSV, to_csv(demo))
    packed = gzip.compress(to_csv(rows).encode("utf-8"), mtime=0)  # the same bytes each run
    BENCHMARK_GZ.write_bytes(packed)
    counts = {s: sum(1 for row in demo if row["source"] == s) for s in FREE_SOURCES}
    print(f"demo catalog: {counts}, synthetic: {len(missing)}; benchmark catalog: {len(rows)}")
    for song in missing:
        print(f'synthetic: "{song.title}" by {song.artists}')
    return 0


if __name__ == "__main__":
    sys.exit(main())
