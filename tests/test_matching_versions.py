"""Versions both ways and forgiven slips: tables of what `decide` must conclude."""
# ruff: noqa: E501  (the tables read best one row per line)

from __future__ import annotations

import pytest
from catalog_rows import rows

from soundtrack_playlists.matching.decide import decide
from soundtrack_playlists.matching.forgive import forgive, is_typo, surname, us_spelling
from soundtrack_playlists.matching.score import score
from soundtrack_playlists.models import Song, Status, Track


def track(name: str, *artists: str, **fields: object) -> Track:
    uri = "spotify:track:" + format(abs(hash((name, artists, tuple(fields.items())))), "022d")[:22]
    return Track(uri=uri, name=name, artists=artists, **fields)  # type: ignore[arg-type]


# --- versions: the studio take and the asked-for version, given together in both orders -----

# (line title, artist, the asked-for version's name, the studio take's name, album of the version)
VERSION_PAIRS = [
    ("Hallelujah (Live)", "Jeff Buckley", "Hallelujah - Live at Sin-é", "Hallelujah", ""),
    ("Army Of The Night (Live)", "Powerwolf", "Army Of The Night", "Army Of The Night", "The Metal Mass - Live"),
    ("Elastic Heart (Acoustic)", "Sia", "Elastic Heart - Acoustic", "Elastic Heart", ""),
    ("Issues (Acoustic)", "Julia Michaels", "Issues - Acoustic", "Issues", ""),
    ("Blood // Water (Tom Morello Remix)", "grandson", "Blood // Water - Tom Morello Remix", "Blood // Water", ""),
    ("Issues (Alan Walker Remix)", "Julia Michaels", "Issues - Alan Walker Remix", "Issues", ""),
    ("Believer (Demo)", "Imagine Dragons", "Believer - Demo", "Believer", ""),
    ("Roads (Live at Roseland)", "Portishead", "Roads - Live at Roseland", "Roads", ""),
    ("Creep (Acoustic Version)", "Radiohead", "Creep (Acoustic)", "Creep", ""),
    ("Layla (Unplugged)", "Eric Clapton", "Layla - Acoustic; Live at MTV Unplugged", "Layla", ""),
    ("Levels (Radio Edit)", "Avicii", "Levels - Radio Edit", "Levels", ""),
    ("Heat (Extended Mix)", "Kelly Clarkson", "Heat - Extended Mix", "Heat", ""),
    ("Believer (Instrumental)", "Imagine Dragons", "Believer - Instrumental", "Believer", ""),
]  # fmt: skip


def _pair(line: str, artist: str, version: str, studio: str, album: str) -> tuple[Track, Track]:
    asked = track(version, artist, album=album or "Versions", duration_ms=300_000)
    plain = track(studio, artist, album="The Album", album_type="album", duration_ms=200_000)
    return asked, plain


@pytest.mark.parametrize("line, artist, version, studio, album", VERSION_PAIRS)
@pytest.mark.parametrize("studio_first", [True, False])
def test_the_version_asked_for_wins_in_either_order(
    line, artist, version, studio, album, studio_first
):
    asked, plain = _pair(line, artist, version, studio, album)
    tracks = [plain, asked] if studio_first else [asked, plain]
    decision = decide(Song(line, (artist,)), tracks)
    assert (decision.status, decision.track) == (Status.MATCHED, asked), decision.reason


@pytest.mark.parametrize("line, artist, version, studio, album", VERSION_PAIRS)
def test_only_the_studio_take_is_at_most_review_and_says_why(line, artist, version, studio, album):
    _, plain = _pair(line, artist, version, studio, album)
    decision = decide(Song(line, (artist,)), [plain])
    assert decision.status != Status.MATCHED
    assert (
        "line asks for" in decision.reason
        and "candidate is the studio recording" in decision.reason
    )


@pytest.mark.parametrize("line, artist, version, studio, album", VERSION_PAIRS)
def test_only_the_asked_for_version_is_matched(line, artist, version, studio, album):
    asked, _ = _pair(line, artist, version, studio, album)
    assert decide(Song(line, (artist,)), [asked]).track == asked


@pytest.mark.parametrize("line, artist, version, studio, album", VERSION_PAIRS)
@pytest.mark.parametrize("studio_first", [True, False])
def test_a_plain_line_still_prefers_the_studio_recording(
    line, artist, version, studio, album, studio_first
):
    asked, plain = _pair(line, artist, version, studio, album)
    tracks = [plain, asked] if studio_first else [asked, plain]
    decision = decide(Song(studio, (artist,)), tracks)
    assert (decision.status, decision.track) == (Status.MATCHED, plain), decision.reason


# (line, artist, candidate that is not the version asked for): at most review
NOT_THE_VERSION = [
    ("Hallelujah (Live)", "Jeff Buckley", "Hallelujah"),  # the first mistake
    ("Elastic Heart (Acoustic)", "Sia", 'Elastic Heart - From "The Hunger Games" Soundtrack'),
    ("Issues (Acoustic)", "Julia Michaels", "Issues - Alan Walker Remix"),  # another version
    ("Army Of The Night (Live)", "Powerwolf", "Army Of The Night"),
    ("Roads (Live at Roseland)", "Portishead", "Roads - Live in Paris"),  # another live recording
    ("Blood // Water (Tom Morello Remix)", "grandson", "Blood // Water - Acoustic"),
    ("Blood // Water (Tom Morello Remix)", "grandson", "Blood // Water - Kaskade Remix"),
    ("Believer (Demo)", "Imagine Dragons", "Believer - Live"),
    ("Live Forever", "Oasis", "Live Forever - Live at Knebworth"),  # "live" in the title asks for nothing
]  # fmt: skip


@pytest.mark.parametrize("line, artist, name", NOT_THE_VERSION)
def test_another_version_than_asked_is_never_matched(line, artist, name):
    result = score(Song(line, (artist,)), track(name, artist))
    assert result.verdict != Status.MATCHED, result.explain()


def test_a_live_album_answers_a_live_line_and_the_penalty_is_named():
    song = Song("Hallelujah (Live)", ("Jeff Buckley",))
    studio = score(song, track("Hallelujah", "Jeff Buckley", album="Grace"))
    assert studio.penalties[0].name == "line asks for live; candidate is the studio recording"
    assert studio.verdict == Status.REVIEW
    live_album = score(song, track("Hallelujah", "Jeff Buckley", album="Live at Sin-é"))
    assert (live_album.verdict, live_album.penalties) == (Status.MATCHED, ())


def test_the_band_live_is_not_a_live_version():
    result = score(Song("Lightning Crashes", ("Live",)), track("Lightning Crashes", "Live"))
    assert (result.verdict, result.penalties) == (Status.MATCHED, ())


def test_among_live_recordings_the_named_one_wins():
    paris = track("Roads - Live in Paris", "Portishead", duration_ms=320_000)
    roseland = track("Roads - Live at Roseland", "Portishead", duration_ms=350_000)
    decision = decide(Song("Roads (Live at Roseland)", ("Portishead",)), [paris, roseland])
    assert decision.track == roseland


def test_real_rows_remix_asked_and_plain_line():
    remix = Track("spotify:track:3abKAw6reL2U3vhAe98ZsY", "Issues - Alan Walker Remix",
                  ("Julia Michaels",), album="Issues (Alan Walker Remix)", album_type="single")  # fmt: skip
    asked = decide(Song("Issues (Alan Walker Remix)", ("Julia Michaels",)), [remix])
    plain = decide(Song("Issues", ("Julia Michaels",)), [remix])
    assert asked.track == remix
    assert plain.status != Status.MATCHED  # only the remix exists: not the song the line names


def test_a_plain_line_with_only_a_live_album_take_is_not_matched():
    live, _ = rows("06dAFXkgM2OGAkGS3CxpEm", "0viZ7D81W8pD65TkzaFkXT")
    assert decide(Song("Love Is A Battlefield", ("Pat Benatar",)), [live]).status == Status.REVIEW
    asked = decide(Song("Love Is A Battlefield (Live)", ("Pat Benatar",)), [live])
    assert asked.status == Status.MATCHED


# --- forgiven slips -----------------------------------------------------------------------

# (line title, line artist, candidate name, candidate artist, the reason's start)
FORGIVEN = [
    ("Appletere", "Erykah Badu", "Appletree", "Erykah Badu", "title typo"),  # the typo
    ("The Gray Cock", "Sara Grey", "The Grey Cock", "Sara Grey", "title spelling variant"),
    ("Colour Me Badd", "X", "Color Me Badd", "X", "title spelling variant"),
    ("Travelling Man", "X", "Traveling Man", "X", "title spelling variant"),
    ("Realise", "Lucky Daye", "Realize", "Lucky Daye", "title spelling variant"),
    ("Centre Of The Universe", "X", "Center Of The Universe", "X", "title spelling variant"),
    ("Purple Haze", "Hendrix", "Purple Haze", "Jimi Hendrix", "artist by surname"),
    ("Dancing In The Dark", "Springsteen", "Dancing In The Dark", "Bruce Springsteen", "artist by surname"),
    ("Layla", "Clapton", "Layla", "Eric Clapton", "artist by surname"),
    ("Billie Jean", "Micheal Jackson", "Billie Jean", "Michael Jackson", "artist typo"),
    ("Sly and Family Stone", "X", "Sly and the Family Stone", "X", 'title a "the"'),
    ("Stay", "Lisa Loeb", "Stay (I Missed You)", "Lisa Loeb", "a subtitle left out"),
    ("Stay (I Missed You)", "Lisa Loeb", "Stay", "Lisa Loeb", "a subtitle left out"),
]  # fmt: skip


@pytest.mark.parametrize("title, artist, name, credited, reason", FORGIVEN)
def test_a_slip_alone_is_forgiven_and_named(title, artist, name, credited, reason):
    candidate = track(name, credited)
    decision = decide(Song(title, (artist,)), [candidate])
    assert (decision.status, decision.track) == (Status.MATCHED, candidate), decision.reason
    assert reason in decision.reason


# (line title, line artist, the forgiven candidate, a rival that competes with it)
COMPETED = [
    ("Smille", "Nat King Cole", ("Smile", "Nat King Cole"), ("Smiles", "Nat King Cole")),
    ("Purple Haze", "Hendrix", ("Purple Haze", "Jimi Hendrix"), ("Purple Haze", "Noel Hendrix")),
    ("Colour", "X", ("Color", "X"), ("Colours", "X")),
    ("Micheal", "Franz Ferdinand", ("Michael", "Franz Ferdinand"), ("Michaels", "Franz Ferdinand")),
    ("Stay", "Lisa Loeb", ("Stay (I Missed You)", "Lisa Loeb"), ("Stay (Forever)", "Lisa Loeb")),
]  # fmt: skip


@pytest.mark.parametrize("title, artist, forgiven, rival", COMPETED)
def test_a_slip_is_not_forgiven_when_another_song_competes(title, artist, forgiven, rival):
    alone = decide(Song(title, (artist,)), [track(*forgiven)])
    assert alone.status == Status.MATCHED, alone.reason
    decision = decide(Song(title, (artist,)), [track(*forgiven), track(*rival)])
    assert decision.status == Status.REVIEW, decision.reason
    assert "also fits" in decision.reason


def test_a_feat_credit_folded_into_the_title_is_read_as_an_artist():
    candidate = track("Lean On", "Major Lazer", "MØ", "DJ Snake")
    decision = decide(Song("Lean On ft MO", ("Major Lazer", "DJ Snake")), [candidate])
    assert decision.status == Status.MATCHED
    folded = decide(Song("Lean On", ("Major Lazer ft. MØ",)), [candidate])
    assert folded.status == Status.MATCHED


def test_accents_and_latin_letters_fold():
    assert (
        decide(
            Song("Lean On", ("Major Lazer", "MO")), [track("Lean On", "Major Lazer", "MØ")]
        ).status
        == Status.MATCHED
    )
    assert decide(Song("Halo", ("Beyonce",)), [track("Halo", "Beyoncé")]).status == Status.MATCHED


def test_non_latin_titles_compare_in_their_own_script():
    kino = track("Группа крови", "Кино")
    assert decide(Song("Группа крови", ("Кино",)), [kino]).track == kino
    assert decide(Song("Звезда по имени Солнце", ("Кино",)), [kino]).status == Status.UNRESOLVED


# (written, spotify): never read as the same
NEVER_FORGIVEN = [
    ("Smile", "Smiles"),  # an inflection, not a typo
    ("Loving You", "Losing You"),  # both are words; v and s are not neighbouring keys
    ("Love", "Lovr"),  # too short to tell a typo from another word
    ("Heat", "Heart"),
    ("Four Seasons", "For Seasons"),  # "four" is no British "for"
    ("Natalie Cole", "Nat King Cole"),
    ("Dancing Queen", "Dancing Queens"),
]


@pytest.mark.parametrize("written, right", NEVER_FORGIVEN)
def test_what_changes_the_song_is_never_forgiven(written, right):
    from soundtrack_playlists.matching.normalise import normalise

    assert not forgive(normalise(written), normalise(right)).equal
    assert not surname(normalise(written), normalise(right)).equal


@pytest.mark.parametrize(
    "written, right, typo",
    [("appletere", "appletree", True), ("smille", "smile", True), ("micheal", "michael", True),
     ("beyonve", "beyonce", True), ("hendrx", "hendrix", True), ("losing", "loving", False),
     ("hendrix", "hendrixs", False), ("xhendrix", "hendrix", False), ("cole", "kole", False)],
)  # fmt: skip
def test_is_typo(written, right, typo):
    assert is_typo(written, right) is typo


def test_us_spelling_rules_leave_other_words_alone():
    assert [us_spelling(w) for w in ("colour", "favourite", "realise", "travelling", "grey")] == [
        "color", "favorite", "realize", "traveling", "gray"]  # fmt: skip
    assert [us_spelling(w) for w in ("four", "your", "rise", "calling")] == [
        "four",
        "your",
        "rise",
        "calling",
    ]


# --- the other mistakes, each a row ------------------------------------------------


def test_surname_alone_competes_with_another_person_of_that_name():
    nat, natalie = track("Smile", "Nat King Cole"), track("Smile", "Natalie Cole")
    assert decide(Song("Smile", ("Cole",)), [nat, natalie]).status == Status.REVIEW


def test_mo_against_mo_scores_full():
    assert score(Song("Lean On", ("MØ",)), track("Lean On", "MO")).artist == 1.0


# --- rows from the benchmark's mistakes ----------------------------------------------------


def test_a_band_name_is_no_surname():
    # "Romance" is an artist of its own; "My Chemical Romance" is not a person called Romance
    mcr = track("Dead!", "My Chemical Romance")
    assert decide(Song("Dead!", ("Romance",)), [mcr]).status != Status.MATCHED


def test_an_artist_named_exactly_as_written_competes_with_a_surname():
    girl_pusher = track("Okay, Okay", "Girl Pusher")
    pusher = track("Another Song", "Pusher")
    assert decide(Song("Okay, Okay", ("Pusher",)), [girl_pusher]).status == Status.MATCHED
    decision = decide(Song("Okay, Okay", ("Pusher",)), [girl_pusher, pusher])
    assert decision.status == Status.REVIEW and "also fits" in decision.reason


def test_the_same_song_by_the_artist_and_their_band_does_not_compete():
    solo = track("Free Fallin'", "Tom Petty", duration_ms=255_000)
    band = track("Free Fallin'", "Tom Petty and the Heartbreakers", duration_ms=256_000)
    decision = decide(Song("Free Fallin'", ("Petty",)), [solo, band])
    assert decision.status == Status.MATCHED and decision.track in (solo, band), decision.reason


def test_an_unplugged_set_answers_a_live_acoustic_line():
    unplugged = track("Tears in Heaven - Acoustic; Live at MTV Unplugged", "Eric Clapton")
    decision = decide(Song("Tears in Heaven (Acoustic Live)", ("Eric Clapton",)), [unplugged])
    assert decision.track == unplugged
