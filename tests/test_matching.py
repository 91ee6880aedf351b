"""Normalisation, scoring and deciding: tables of pairs that must match and must not."""
# ruff: noqa: E501  (the tables read best one pair per line)

from __future__ import annotations

import dataclasses

import pytest
from catalog_rows import rows, with_name

from soundtrack_playlists.matching.decide import decide
from soundtrack_playlists.matching.normalise import (
    artist_names,
    is_cast_recording,
    normalise,
    show_of,
    split_title,
)
from soundtrack_playlists.matching.score import MatchSettings, score
from soundtrack_playlists.models import Song, Status, Track


def track(name: str, *artists: str, **fields) -> Track:
    fields.setdefault("uri", f"spotify:track:{abs(hash((name, artists))):022d}"[:36])
    return Track(name=name, artists=artists, **fields)


# --- normalisation -------------------------------------------------------------------------

NORMALISE_SAME = [
    ("Reelin In The Years", "Reelin' In The Years"),  # the season's apostrophe trap
    ("Sly and the Family Stone", "Sly & The Family Stone"),  # & is "and"
    ("Weeknd", "The Weeknd"),  # a leading "The" makes no difference
    ("Celine Dion", "Céline Dion"),  # accents
    ("Blood Water", "Blood // Water"),  # punctuation between words
    ("AINT NO SUNSHINE", "Ain’t No Sunshine"),  # case and a typographic apostrophe
    ("que sera sera", "Que Sera, Sera"),  # commas
]


@pytest.mark.parametrize("written, spotify", NORMALISE_SAME)
def test_normalise_makes_these_equal(written, spotify):
    assert normalise(written) == normalise(spotify)


NORMALISE_DIFFERENT = [
    ("Smile", "Smiles"),  # plural is another word
    ("The Band", "Band Of Horses"),  # only a leading "The" goes, the rest must agree
    ("Love Is A Losing Game", "Love Is A Battlefield"),
]


@pytest.mark.parametrize("a, b", NORMALISE_DIFFERENT)
def test_normalise_keeps_these_apart(a, b):
    assert normalise(a) != normalise(b)


SPLIT_TITLES = [
    # (title, clean, core, credits, a suffix was dropped)
    ("Take It to the Limit - 2013 Remaster", "take it to the limit", "take it to the limit", (), True),
    ("Heat - Radio Edit", "heat", "heat", (), True),
    ("Crash - Single Version", "crash", "crash", (), True),
    ("Roads (Live at Roseland)", "roads", "roads", (), True),
    ('Elastic Heart - From "The Hunger Games" Soundtrack', "elastic heart", "elastic heart", (), True),
    ("Morning View (feat. SZA)", "morning view", "morning view", ("SZA",), False),
    ("Good Luck - feat. Lisa Kekaula", "good luck", "good luck", ("Lisa Kekaula",), False),
    ("Song ft. A & B", "song", "song", ("A", "B"), False),
    ("I Will Always Love You (with Vince Gill)", "i will always love you",
     "i will always love you", ("Vince Gill",), False),
    # a bracket that is part of the song's name stays in the clean title
    ("Que Sera, Sera (Whatever Will Be, Will Be)", "que sera sera whatever will be will be",
     "que sera sera", (), False),
]  # fmt: skip


@pytest.mark.parametrize("title, clean, core, credits, dropped", SPLIT_TITLES)
def test_split_title(title, clean, core, credits, dropped):
    parts = split_title(title)
    assert (parts.clean, parts.core, parts.credits) == (clean, core, credits)
    assert bool(parts.suffixes) is dropped


def test_artist_names_keeps_the_whole_name_and_its_people():
    # a joined credit is read both ways; "Tyler, The Creator" stays findable whole
    assert artist_names("Barbra Streisand, Céline Dion") == (
        "barbra streisand celine dion",
        "barbra streisand",
        "celine dion",
    )
    assert artist_names("Tyler, The Creator")[0] == "tyler the creator"


# --- scoring: pairs ------------------------------------------------------------------------

MUST_MATCH = [
    # (song title, song artists, candidate name, candidate artists)
    ("Reelin In The Years", ("Steely Dan",), "Reelin' In The Years", ("Steely Dan",)),
    ("Take It To The Limit", ("Eagles",), "Take It to the Limit - 2013 Remaster", ("Eagles",)),
    ("Blood // Water", ("grandson",), "Blood // Water", ("grandson",)),
    ("Blood Water", ("Grandson",), "Blood // Water", ("grandson",)),  # written loosely
    ("Morning View", ("Towkio", "SZA"), "Morning View (feat. SZA)", ("Towkio", "SZA")),
    ("Morning View", ("Towkio", "SZA"), "Morning View", ("Towkio",)),  # featured uncredited
    ("Good Luck", ("Basement Jaxx", "Lisa Kekaula"), "Good Luck", ("Basement Jaxx",)),
    ("Tell Him", ("Celine Dion", "Barbra Streisand"), "Tell Him", ("Barbra Streisand, Céline Dion",)),
    ("Que Sera, Sera (Whatever Will Be, Will Be)", ("Sly & The Family Stone",),
     "Que Sera, Sera (Whatever Will Be, Will Be)", ("Sly & The Family Stone",)),
    ("Real Life", ("The Weeknd",), "Real Life", ("The Weeknd",)),
    ("Real Life", ("Weeknd",), "Real Life", ("The Weeknd",)),  # "The" dropped by the fan
    ("Heat", ("Kelly Clarkson",), "Heat - Radio Edit", ("Kelly Clarkson",)),
    ("Elastic Heart", ("Sia",), 'Elastic Heart - From "The Hunger Games" Soundtrack', ("Sia",)),
    ("aint no sunshine", ("BILL WITHERS",), "Ain't No Sunshine", ("Bill Withers",)),
    ("Danny's Song", ("Anne Murray",), "Danny’s Song", ("Anne Murray",)),
    ("Live Forever", ("Oasis",), "Live Forever", ("Oasis",)),  # "live" in both: no penalty
    ("Both Sides Now", ("Judy Collins",), "Both Sides, Now", ("Judy Collins",)),
]  # fmt: skip


@pytest.mark.parametrize("title, artists, name, credited", MUST_MATCH)
def test_pairs_that_must_match(title, artists, name, credited):
    result = score(Song(title, artists), track(name, *credited))
    assert result.verdict == Status.MATCHED, result.explain()


MUST_NOT_MATCH = [
    # the season's traps: same title, other artist
    ("Smile", ("Nat King Cole",), "Smile", ("Nora Van Elken",)),
    ("Smile", ("Nat King Cole",), "Smile", ("Natalie Cole",)),  # close name: review at most
    ("Smile", ("Nat King Cole",), "Smile", ("Nat King Cole Trio",)),  # another act
    ("Take It To The Limit", ("Etta James",), "Take It to the Limit - 2013 Remaster", ("Eagles",)),
    ("Tell Him", ("Lauryn Hill",), "Tell Him", ("Barbra Streisand, Céline Dion",)),
    ("Losing You", ("Randy Newman",), "Losing You", ("Solange",)),
    ("Both Sides Now", ("Neil Diamond",), "Both Sides Now", ("Judy Collins",)),
    # versions the line doesn't ask for
    ("Dark Horse", ("Katy Perry",),
     "Dark Horse feat. Juicy J (Originally Performed By Katy Perry) [Karaoke Version]",
     ("Paris Music",)),
    ("Smile", ("Nat King Cole",), "Smile (In the Style of Nat King Cole)", ("Nat King Cole",)),
    ("Roads", ("Portishead",), "Roads - Live at Roseland", ("Portishead",)),
    ("Blood // Water", ("grandson",), "Blood // Water - Tom Morello Remix", ("grandson",)),
    ("Elastic Heart", ("Sia",), "Elastic Heart - Acoustic", ("Sia",)),
    ("Believer", ("Imagine Dragons",), "Believer - Sped Up", ("Imagine Dragons",)),
    ("Believer", ("Imagine Dragons",), "Believer (Instrumental)", ("Imagine Dragons",)),
    ("Believer", ("Imagine Dragons",), "Believer", ("Imagine Dragons Tribute Band",)),
    ("Believer", ("Imagine Dragons",), "Believer - Demo", ("Imagine Dragons",)),
    ("Believer", ("Imagine Dragons",), "Believer - Slowed + Reverb", ("Imagine Dragons",)),
    # same artist, another song
    ("Smile", ("Lily Allen",), "Smile Like You Mean It", ("The Killers",)),
    ("Heat", ("Kelly Clarkson",), "Heartbeat Song", ("Kelly Clarkson",)),
    ("Losing You", ("Solange",), "Losing My Religion", ("R.E.M.",)),
]  # fmt: skip


@pytest.mark.parametrize("title, artists, name, credited", MUST_NOT_MATCH)
def test_pairs_that_must_not_match(title, artists, name, credited):
    result = score(Song(title, artists), track(name, *credited))
    assert result.verdict != Status.MATCHED, result.explain()


def test_version_words_cost_nothing_when_the_line_asks_for_them():
    wanted = Song("Roads (Live at Roseland)", ("Portishead",))
    live = score(wanted, track("Roads - Live at Roseland", "Portishead"))
    assert live.verdict == Status.MATCHED, live.explain()
    assert live.penalties == ()


def test_live_album_counts_as_a_live_version_but_a_title_word_does_not():
    studio_album_named_live = track("Doll Parts", "Hole", album="Live Through This")
    live_album = track("Love Is A Battlefield", "Pat Benatar", album="Live From Earth")
    assert score(Song("Doll Parts", ("Hole",)), studio_album_named_live).penalties == ()
    assert [name for name, _ in score(Song("Love Is A Battlefield", ("Pat Benatar",)),
                                      live_album).penalties] == ["live"]  # fmt: skip


def test_an_extra_credited_artist_costs_a_little():
    duet = score(Song("I Will Always Love You", ("Dolly Parton",)),
                 track("I Will Always Love You (with Vince Gill)", "Dolly Parton", "Vince Gill"))  # fmt: skip
    solo = score(Song("I Will Always Love You", ("Dolly Parton",)),
                 track("I Will Always Love You", "Dolly Parton"))  # fmt: skip
    assert ("extra artist", MatchSettings().extra_artist_penalty) in duet.penalties
    assert solo.total > duet.total


def test_explanation_names_every_part():
    result = score(Song("Take It To The Limit", ("Etta James",)),
                   track("Take It to the Limit - 2013 Remaster", "Eagles"))  # fmt: skip
    assert result.explain() == "title 1.00, artist 0.50 = 0.75 -> rejected (artist below 0.60)"


def test_settings_are_passed_in_not_global():
    song, candidate = Song("Smile", ("Nat King Cole",)), track("Smile", "Natalie Cole")
    assert score(song, candidate).verdict == Status.REVIEW
    lenient = dataclasses.replace(MatchSettings(), accept_artist=0.7, accept_score=0.8)
    assert score(song, candidate, lenient).verdict == Status.MATCHED
    with pytest.raises(dataclasses.FrozenInstanceError):
        MatchSettings().accept_score = 0.1  # type: ignore[misc]


def test_cast_recordings_and_their_show():
    oliver = Song("It's A Fine Life", ("Original Broadway Cast of Oliver",))
    band = Song("Houston We Have A Problem", ("Pacific Electric",), note="cast")
    actor = Song("Not Gonna Blink", ("Sam",), note="Paul James of the cast")
    plain = Song("Smile", ("Nat King Cole",))
    assert [is_cast_recording(s) for s in (oliver, band, actor, plain)] == [True, True, True, False]
    assert show_of(oliver, "Soundtrack") == "Oliver"
    assert show_of(band, "Soundtrack") == "Soundtrack"
    assert show_of(plain, "Soundtrack") is None


def test_a_cast_album_naming_the_show_is_worth_a_review_not_a_match():
    band = Song("Houston We Have A Problem", ("Pacific Electric",), note="cast")
    on_show_album = track("Houston We Have A Problem", "Soundtrack Cast",
                          album="Soundtrack (Music from the Netflix Series)")  # fmt: skip
    assert score(band, on_show_album, show="Soundtrack").verdict == Status.REVIEW
    assert score(band, on_show_album).verdict == Status.UNRESOLVED  # without the show, nothing


# --- deciding: the season's traps over real catalog rows -----------------------------------


def test_smile_by_nat_king_cole_matches_none_of_the_other_smiles():
    decision = decide(Song("Smile", ("Nat King Cole",)), with_name("Smile"))
    assert decision.status == Status.UNRESOLVED
    assert decision.track is None
    assert "artist below" in decision.reason
    assert decision.candidates  # the best ones seen are kept for the report and review


def test_take_it_to_the_limit_by_etta_james_is_not_the_eagles():
    decision = decide(
        Song("Take It To The Limit", ("Etta James",)), with_name("Take It to the Limit")
    )
    assert decision.status == Status.UNRESOLVED


def test_take_it_to_the_limit_by_the_eagles_matches_the_remaster():
    decision = decide(Song("Take It To The Limit", ("Eagles",)), with_name("Take It to the Limit"))
    assert decision.status == Status.MATCHED
    assert decision.track.uri == "spotify:track:2cWHN0WK52RGAWHgaDamUA"


def test_reelin_in_the_years_matches_the_original_album_not_the_compilation():
    decision = decide(
        Song("Reelin In The Years", ("Steely Dan",)), with_name("Reelin' In The Years")
    )
    assert decision.status == Status.MATCHED
    assert decision.track.album == "Can't Buy A Thrill"
    assert decision.track.release_date == "1972-01-01"  # the earliest release of the two


def test_blood_water_matches_grandson():
    decision = decide(Song("Blood // Water", ("grandson",)), with_name("Blood // Water"))
    assert decision.status == Status.MATCHED
    assert decision.track.artists == ("grandson",)


def test_que_sera_sera_by_sly_is_not_another_que_sera():
    song = Song("Que Sera, Sera (Whatever Will Be, Will Be)", ("Sly & The Family Stone",))
    decision = decide(song, with_name("Que Sera Sera") + with_name("Que Sera"))
    assert decision.status == Status.UNRESOLVED


def test_medley_songs_each_find_their_own_version():
    candidates = with_name("I Will Always Love You")
    whitney = decide(
        Song("I Will Always Love You", ("Whitney Houston",), group="medley"), candidates
    )
    dolly = decide(Song("I Will Always Love You", ("Dolly Parton",), group="medley"), candidates)
    assert whitney.status == Status.MATCHED and whitney.track.artists == ("Whitney Houston",)
    assert (
        dolly.status == Status.UNRESOLVED
    )  # only Whitney's and Glee's versions are in the catalog


def test_mashup_songs_each_match_their_song():
    sorry = decide(
        Song("Sorry Not Sorry", ("Demi Lovato",), group="mashup"), with_name("Sorry Not Sorry")
    )
    believer = decide(Song("Believer", ("Imagine Dragons",), group="mashup"), with_name("Believer"))
    assert sorry.track.artists == ("Demi Lovato",)
    assert sorry.track.album == "Sorry Not Sorry"  # the single, released first
    assert believer.track.uri == "spotify:track:0pqnGHJpmpxLKifKRmU6WP"


def test_a_karaoke_version_is_not_the_song_and_the_original_wins():
    karaoke, original = rows("2MNKg80wokPjnpRxA80AYY", "5jrdCoLpJSvHHorevXBATy")
    assert decide(Song("Dark Horse", ("Katy Perry",)), [karaoke]).status == Status.UNRESOLVED
    decision = decide(Song("Dark Horse", ("Katy Perry",)), [karaoke, original])
    assert decision.track == original


def test_a_tribute_album_is_not_the_song():
    tribute, album = rows("23DqNr2t9vvi1tiS4vYqUB", "0ntQJM78wzOLVeCUAW7Y45")
    # even by the very act the line names, a tribute album is an imitation the line didn't ask for
    by_name = score(Song("Sex On Fire", ("Pickin On Series",)), tribute)
    assert by_name.penalties == (("tribute", MatchSettings().imitation_penalty),)
    assert by_name.verdict == Status.UNRESOLVED
    assert decide(Song("Sex On Fire", ("Kings of Leon",)), [tribute, album]).track == album


def test_a_live_album_loses_to_the_studio_recording():
    live, collection = rows("06dAFXkgM2OGAkGS3CxpEm", "0viZ7D81W8pD65TkzaFkXT")
    assert decide(Song("Love Is A Battlefield", ("Pat Benatar",)), [live]).status == Status.REVIEW
    decision = decide(Song("Love Is A Battlefield", ("Pat Benatar",)), [live, collection])
    assert decision.status == Status.MATCHED and decision.track == collection


def test_the_original_album_beats_a_best_of_compilation():
    compilation, album = rows("0GqGrPWhmiRX9BU93AYFOW", "6mFkJmJqdDVQ1REhVfGgd1")
    decision = decide(Song("Wish You Were Here", ("Pink Floyd",)), [compilation, album])
    assert decision.status == Status.MATCHED
    assert decision.track == album


def test_two_different_recordings_too_close_to_call_go_to_review():
    # album version (5:01) and single version (4:08) of the same year, both plain titles
    album, single = rows("1GrikfH0jDejDvrxo84n4P", "2nnU5UH4paoRkWCC7fSR2P")
    decision = decide(Song("Together Again", ("Janet Jackson",)), [album, single])
    assert decision.status == Status.REVIEW
    assert decision.track is None
    assert "too close to call" in decision.reason
    assert {c.track.uri for c in decision.candidates} == {album.uri, single.uri}


def test_one_recording_released_twice_is_not_ambiguous():
    # same duration on the single and on the album: one recording, the first release wins
    single, album = rows("395C2pn0PdOYPzM4B1jLoO", "0ntQJM78wzOLVeCUAW7Y45")
    decision = decide(Song("Sex On Fire", ("Kings Of Leon",)), [album, single])
    assert decision.status == Status.MATCHED
    assert decision.track == single


def test_unplayable_candidates_are_skipped():
    unplayable = dataclasses.replace(rows("6kwAbEjseqBob48jCus7Sz")[0], is_playable=False)
    assert decide(Song("Elastic Heart", ("Sia",)), [unplayable]).status == Status.UNRESOLVED


def test_popularity_only_breaks_a_tie():
    a = track("Believer", "Imagine Dragons", uri="spotify:track:" + "a" * 22, popularity=10,
              album="Evolve", album_type="album", release_date="2017-06-23")  # fmt: skip
    b = dataclasses.replace(a, uri="spotify:track:" + "b" * 22, popularity=88)
    older = dataclasses.replace(a, uri="spotify:track:" + "c" * 22, popularity=None,
                                release_date="2017-01-01")  # fmt: skip
    song = Song("Believer", ("Imagine Dragons",))
    assert decide(song, [a, b]).track == b
    assert decide(song, [a, b, older]).track == older  # the earlier release outranks popularity


def test_no_candidates_is_unresolved_with_a_reason():
    decision = decide(Song("Houston We Have A Problem", ("Pacific Electric",), note="cast"), [])
    assert (decision.status, decision.reason) == (Status.UNRESOLVED, "no candidates found")
