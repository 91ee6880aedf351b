"""Build the bundled demo catalog from a developer's copy of tracks.csv (never run at runtime).

    python -m soundtrack_playlists.emulator.build_demo PATH/TO/tracks.csv

Keeps the real rows from the MIT/Apache sources that share a title or an artist with a
season song (the confusers a resolver must not pick, and the right answers where they
exist), and adds one synthetic row for each season song those rows lack.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from soundtrack_playlists.emulator.catalog import (
    core_title_words,
    stable_id,
    track_from_row,
    words,
)
from soundtrack_playlists.fileio import write_text_atomic

FREE_SOURCES = ("tidytuesday2020", "jacky_genre_scrape", "dectusrold")  # MIT / Apache-2.0
COLUMNS = "track_id,name,artists,album,album_type,release_date,duration_ms,popularity,source".split(
    ","
)
OUT_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class SeasonSong:
    """A season song and the album data its synthetic row gets when no free row has it."""

    title: str
    artists: str  # comma-joined credits, main artist first
    album: str
    album_type: str
    release_date: str
    duration_ms: int


# The 45 songs of Soundtrack season 1 (mashups split in two, medleys one per artist).
# Album data are the well-known releases of each recording, durations approximate; for the
# cast's own songs ("Houston We Have A Problem", "Not Gonna Blink") the single is invented.
SEASON = (
    SeasonSong("Elastic Heart", "Sia", "1000 Forms Of Fear", "album", "2014-07-04", 257200),
    SeasonSong("Between Me And You", "Brandon Flowers", "Flamingo", "album", "2010-09-03", 248000),
    SeasonSong("Love Is A Losing Game", "Amy Winehouse", "Back To Black", "album", "2006-10-27",
               155000),
    SeasonSong("Smile", "Nat King Cole", "Unforgettable", "album", "1954", 168000),
    SeasonSong("Houston We Have A Problem", "Pacific Electric", "Houston We Have A Problem",
               "single", "2019-12-18", 201000),
    SeasonSong("Sorry Not Sorry", "Demi Lovato", "Tell Me You Love Me", "album", "2017-09-29",
               203760),
    SeasonSong("Believer", "Imagine Dragons", "Evolve", "album", "2017-06-23", 204346),
    SeasonSong("Heat", "Kelly Clarkson", "Meaning of Life", "album", "2017-10-27", 183000),
    SeasonSong("Never Gonna Happen", "Lily Allen", "It's Not Me, It's You", "album", "2009-02-09",
               206000),
    SeasonSong("Crash And Burn Girl", "Robyn", "Robyn", "album", "2005-04-27", 232000),
    SeasonSong("Unconditionally", "Katy Perry", "PRISM", "album", "2013-10-18", 228880),
    SeasonSong("Mercy", "Duffy", "Rockferry", "album", "2008-03-03", 219000),
    SeasonSong("Deep In A Dream", "Chet Baker", "Chet Baker Sings And Plays", "album", "1955",
               186000),
    SeasonSong("Morning View", "Towkio, SZA", "WWW.", "album", "2018-03-16", 212000),
    SeasonSong("Simple Things", "Miguel", "Simple Things", "single", "2017-02-10", 236000),
    SeasonSong("Ain't No Sunshine", "Bill Withers", "Just As I Am", "album", "1971", 125093),
    SeasonSong("When I Was Your Man", "Bruno Mars", "Unorthodox Jukebox", "album", "2012-12-07",
               213827),
    SeasonSong("Not Gonna Blink", "Sam", "Not Gonna Blink", "single", "2019-12-18", 195000),
    SeasonSong("Danny's Song", "Anne Murray", "Danny's Song", "single", "1972", 182000),
    SeasonSong("Baker Street", "Gerry Rafferty", "City To City", "album", "1978-01-20", 366000),
    SeasonSong("Nobody's Girl", "Bonnie Raitt", "Luck of the Draw", "album", "1991-06-25",
               203000),
    SeasonSong("Reelin In The Years", "Steely Dan", "Can't Buy A Thrill", "album", "1972",
               278000),
    SeasonSong("Both Sides Now", "Judy Collins", "Wildflowers", "album", "1967", 272000),
    SeasonSong("Both Sides Now", "Neil Diamond", "Touching You, Touching Me", "album", "1969",
               203000),
    SeasonSong("Both Sides Now", "Joni Mitchell", "Clouds", "album", "1969-05-01", 275000),
    SeasonSong("Real Life", "The Weeknd", "Beauty Behind The Madness", "album", "2015-08-28",
               223000),
    SeasonSong("Take It To The Limit", "Etta James", "Matriarch Of The Blues", "album",
               "2000-10-24", 262000),
    SeasonSong("We Find Love", "Daniel Caesar", "Freudian", "album", "2017-08-25", 234000),
    SeasonSong("Good Luck", "Basement Jaxx, Lisa Kekaula", "Kish Kash", "album", "2003-10-20",
               290000),
    SeasonSong("Blood // Water", "grandson", "Blood // Water", "single", "2018-01-26", 217000),
    SeasonSong("Fast Slow Disco", "St. Vincent", "Fast Slow Disco", "single", "2018-02-23",
               279000),
    SeasonSong("Big Time", "Peter Gabriel", "So", "album", "1986-05-19", 268000),
    SeasonSong("Que Sera, Sera (Whatever Will Be, Will Be)", "Sly & The Family Stone", "Fresh",
               "album", "1973-06-30", 303000),
    SeasonSong("Losing You", "Randy Newman", "Harps and Angels", "album", "2008-08-05", 160000),
    SeasonSong("Bye Bye Love", "Ray Charles", "Modern Sounds in Country and Western Music",
               "album", "1962-04", 138000),
    SeasonSong("I Will Not Stop Fighting", "Leo Sayer", "Selfie", "album", "2019-06-21", 214000),
    SeasonSong("It's A Fine Life", "Original Broadway Cast of Oliver",
               "Oliver! (Original Broadway Cast Recording)", "album", "1963", 172000),
    SeasonSong("But Alive", "Lauren Bacall", "Applause (Original Broadway Cast Recording)",
               "album", "1970", 208000),
    SeasonSong("Poor Everybody Else", "Michele Lee", "Seesaw (Original Broadway Cast Recording)",
               "album", "1973", 214000),
    SeasonSong("Life Is Just A Bowl of Cherries", "Judy Garland", "Judy", "album", "1956",
               178000),
    SeasonSong("Roads", "Portishead", "Dummy", "album", "1994-08-22", 305000),
    SeasonSong("Long Way To Be Happy", "Darlene Love", "Introducing Darlene Love", "album",
               "2015-09-18", 221000),
    SeasonSong("I Will Always Love You", "Dolly Parton", "Jolene", "album", "1974-02-04", 180000),
    SeasonSong("I Will Always Love You", "Whitney Houston",
               "The Bodyguard - Original Soundtrack Album", "compilation", "1992-11-17", 273000),
    SeasonSong("Tell Him", "Lauryn Hill", "The Miseducation of Lauryn Hill", "album",
               "1998-08-25", 280000),
)  # fmt: skip


def synthetic_id(song: SeasonSong) -> str:
    """22 base62 characters that announce themselves: "0SYNTHETIC" + 12 stable characters."""
    return "0SYNTHETIC" + stable_id(f"synthetic:{song.title}|{song.artists}")[:12]


def _has_song(row, song: SeasonSong) -> bool:
    title = core_title_words(song.title) or words(song.title)
    main = words(song.artists.split(", ")[0])
    return core_title_words(row.name) == title and any(words(a) == main for a in row.artists)


def build(tracks_csv: Path) -> tuple[str, dict]:
    """The demo catalog CSV text and counts for the provenance note."""
    with Path(tracks_csv).open(encoding="utf-8", newline="") as handle:
        raw_rows = [row for row in csv.DictReader(handle) if row["source"] in FREE_SOURCES]
    titles = {core_title_words(s.title) or words(s.title) for s in SEASON}
    artists = {words(name) for s in SEASON for name in s.artists.split(", ")}
    kept = []
    for raw in raw_rows:
        row = track_from_row(raw)
        if core_title_words(row.name) in titles or any(words(a) in artists for a in row.artists):
            kept.append((raw, row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for raw, row in sorted(kept, key=lambda pair: (pair[1].artists, pair[1].name, pair[1].id)):
        writer.writerow({**{c: raw.get(c, "") for c in COLUMNS}, "album_type": row.album_type})
    synthetic = [s for s in SEASON if not any(_has_song(row, s) for _, row in kept)]
    for song in synthetic:
        writer.writerow(
            {
                "track_id": synthetic_id(song),
                "name": song.title,
                "artists": song.artists,
                "album": song.album,
                "album_type": song.album_type,
                "release_date": song.release_date,
                "duration_ms": song.duration_ms,
                "popularity": 50,
                "source": "synthetic",
            }
        )
    counts = {s: sum(1 for raw, _ in kept if raw["source"] == s) for s in FREE_SOURCES}
    counts["synthetic"] = len(synthetic)
    counts["synthetic_songs"] = [f'"{s.title}" by {s.artists}' for s in synthetic]
    return out.getvalue(), counts


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    text, counts = build(Path(argv[0]))
    write_text_atomic(OUT_DIR / "demo_catalog.csv", text)
    print({k: v for k, v in counts.items() if k != "synthetic_songs"})
    for song in counts["synthetic_songs"]:
        print("synthetic:", song)
    return 0


if __name__ == "__main__":
    sys.exit(main())
