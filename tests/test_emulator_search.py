"""Emulator catalog and search: word normalisation, q parsing, matching rules, ranking."""

from __future__ import annotations

import csv

import pytest

from soundtrack_playlists.emulator.app import demo_catalog_path
from soundtrack_playlists.emulator.catalog import Catalog, track_from_row, words
from soundtrack_playlists.emulator.search import Filter, Searcher, parse_query
from tools.build_demo_catalog import SEASON, infer_album_type, split_artists, synthetic_id


def row(track_id, name, artists, album="", date="2000-01-01", popularity="50", **extra):
    return {
        "track_id": track_id.ljust(22, "x"),
        "name": name,
        "artists": artists,
        "album": album,
        "release_date": date,
        "duration_ms": "200000",
        "popularity": popularity,
        **extra,
    }


@pytest.fixture
def searcher():
    rows = [
        row("smileA", "Smile", "Nat King Cole", "Unforgettable", "1954", "40"),
        row("smileB", "Smile", "Lily Allen", "Alright, Still", "2006-07-14", "64"),
        row("smileC", "Smile Like You Mean It", "The Killers", "Hot Fuss", "2004", "70"),
        row("smileD", "Smile - Remastered", "Nat King Cole", "The Very Best", "1999", "90"),
        row("reelin", "Reelin' In The Years", "Steely Dan", "Can't Buy A Thrill", "1972", "60"),
        row("beyonc", "Halo", "Beyoncé", "I Am... Sasha Fierce", "2008", "80"),
        row("blood1", "Blood // Water", "grandson", "a modern tragedy", "2018", "70"),
        row("queser", "Que Sera, Sera", "Sly & The Family Stone", "Fresh", "1973", "30"),
        row("isrc01", "Heat", "Kelly Clarkson", "Meaning of Life", "2017", "50",
            isrc="USAT21702150"),
        row("albumo", "Other Song", "Someone", "Smile Collection", "2010", "99"),
    ]  # fmt: skip
    return Searcher(Catalog([track_from_row(r) for r in rows]))


def names(searcher, q, limit=10, offset=0):
    total, page = searcher.search(parse_query(q), limit=limit, offset=offset)
    return [searcher.catalog.tracks[i].id.rstrip("x") for i in page]


def test_words_fold_case_accents_apostrophes_and_punctuation():
    assert words("Reelin' In The Years") == ("reelin", "in", "the", "years")
    assert words("Beyoncé") == ("beyonce",)
    assert words("Blood // Water") == ("blood", "water")
    assert words("Don’t Stop") == ("dont", "stop")
    assert words("Sly & The Family Stone") == ("sly", "and", "the", "family", "stone")


def test_parse_query_filters_phrases_and_free_words():
    query = parse_query('track:"Smile" artist:Nat King "Cole" year:1950-1959 extra')
    assert query.filters == (
        Filter("track", "Smile", ("smile",), phrase=True),
        Filter("artist", "Nat", ("nat",), phrase=False),
        Filter("year", "1950-1959", ("1950", "1959"), phrase=False),
    )
    # as on Spotify, an unquoted filter value is one word: "King" becomes a free word
    assert query.free_words == ("king", "extra")
    assert query.phrases == (("cole",),)


def test_every_word_is_required(searcher):
    assert names(searcher, "smile nat king cole") == ["smileA", "smileD"]
    assert names(searcher, "smile nobody") == []


def test_matching_ignores_case_accents_and_apostrophes(searcher):
    assert names(searcher, "REELIN in the YEARS") == ["reelin"]
    assert names(searcher, "halo beyonce") == ["beyonc"]
    assert names(searcher, "blood water grandson") == ["blood1"]
    assert names(searcher, "sly and the family stone") == ["queser"]


def test_field_filters_apply_to_their_field_only(searcher):
    # "smile" in an album title satisfies a free word but not track:
    assert "albumo" in names(searcher, "smile")
    assert "albumo" not in names(searcher, "track:smile")
    assert names(searcher, 'artist:"Lily Allen" track:smile') == ["smileB"]
    assert names(searcher, "album:fuss") == ["smileC"]


def test_quoted_phrase_needs_adjacent_words(searcher):
    assert names(searcher, '"you mean"') == ["smileC"]
    assert names(searcher, '"mean you"') == []
    assert names(searcher, 'artist:"cole nat"') == []


def test_year_and_isrc_filters(searcher):
    assert names(searcher, "smile year:1950-1959") == ["smileA"]
    assert names(searcher, "smile year:2006") == ["smileB"]
    assert names(searcher, "isrc:USAT21702150") == ["isrc01"]
    assert names(searcher, "isrc:XX0000000000") == []


def test_exact_title_ranks_before_longer_titles_and_popularity(searcher):
    # "Smile Like You Mean It" is more popular but only contains the asked title
    ranked = names(searcher, "track:smile")
    assert ranked.index("smileB") < ranked.index("smileC")
    assert ranked.index("smileA") < ranked.index("smileC")
    # equal fit: the more popular first (Lily Allen 64 before Nat King Cole 40)
    assert ranked.index("smileB") < ranked.index("smileA")


def test_artist_fit_and_plain_version_rank_first(searcher):
    # the plain recording before "- Remastered" although the remaster is more popular
    assert names(searcher, "track:smile artist:cole") == ["smileA", "smileD"]


def test_offset_pages_through_the_same_ranking(searcher):
    everything = names(searcher, "smile", limit=10)
    assert names(searcher, "smile", limit=2, offset=1) == everything[1:3]


def test_split_artists_keeps_names_with_commas():
    assert split_artists("Tyler, The Creator") == ("Tyler, The Creator",)
    assert split_artists("Hank Williams, Jr., Willie Nelson") == (
        "Hank Williams, Jr.",
        "Willie Nelson",
    )
    assert split_artists("Cher, Peter Cetera", "dectusrold") == ("Cher", "Peter Cetera")
    assert split_artists("Earth, Wind & Fire, Emotions") == ("Earth, Wind & Fire", "Emotions")
    assert split_artists("Goodnight, Texas", "jacky_genre_scrape") == ("Goodnight, Texas",)
    assert split_artists("DJ Khaled Featuring Drake, Rick Ross & Lil Wayne", "hit_predictor") == (
        "DJ Khaled",
        "Drake",
        "Rick Ross",
        "Lil Wayne",
    )


@pytest.mark.parametrize(
    ("album", "name", "expected"),
    [
        ("Greatest Hits", "Baker Street", "compilation"),
        ("The Very Best of Nat King Cole", "Smile", "compilation"),
        ("The Essential Bill Withers", "Ain't No Sunshine", "compilation"),
        ("Heat", "Heat", "single"),
        ("Heat", "Heat - Radio Edit", "single"),
        ("Meaning of Life", "Heat", "album"),
        ("", "Heat", "album"),
    ],
)
def test_album_type_inferred_from_names(album, name, expected):
    assert infer_album_type(album, name) == expected


def test_catalog_rejects_a_csv_without_the_needed_columns(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,title\n1,x\n", encoding="utf-8")
    from soundtrack_playlists.errors import ConfigError

    with pytest.raises(ConfigError, match="track_id"):
        Catalog.load(path)


def test_demo_catalog_holds_every_season_song_once_resolvable():
    catalog = Catalog.load(demo_catalog_path())
    searcher = Searcher(catalog)
    assert len(SEASON) == 45
    for song in SEASON:
        main_artist = song.artists.split(", ")[0]
        q = f'track:"{song.title}" artist:"{main_artist}"'
        total, page = searcher.search(parse_query(q), limit=10)
        assert total >= 1, q
        best = catalog.tracks[page[0]]
        assert words(main_artist) in [words(a) for a in best.artists], q


def test_demo_catalog_marks_synthetic_rows_and_only_uses_free_sources():
    with demo_catalog_path().open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sources = {r["source"] for r in rows}
    assert sources == {"tidytuesday2020", "jacky_genre_scrape", "dectusrold", "synthetic"}
    synthetic = [r for r in rows if r["source"] == "synthetic"]
    assert synthetic and all(r["track_id"].startswith("0SYNTHETIC") for r in synthetic)
    assert all(len(r["track_id"]) == 22 for r in rows)
    houston = [r for r in synthetic if r["name"] == "Houston We Have A Problem"]
    assert [r["track_id"] for r in houston] == [
        synthetic_id(next(s for s in SEASON if s.title == "Houston We Have A Problem"))
    ]
    # confusers are there: other songs called "Smile" by other artists
    smiles = {r["artists"] for r in rows if words(r["name"]) == ("smile",)}
    assert "Nat King Cole" in smiles and len(smiles) > 3
