"""The tracklist grammar, line by line: what each line becomes and what it refuses."""

from __future__ import annotations

import pytest

from soundtrack_playlists.files.paths import default_season_dir
from soundtrack_playlists.models import MASHUP, MEDLEY
from soundtrack_playlists.tracklists.canonical import render_song_line
from soundtrack_playlists.tracklists.grammar import (
    ARTIST_TITLE,
    GrammarError,
    parse_pin,
    parse_song_line,
)
from soundtrack_playlists.tracklists.headings import Heading, parse_heading
from soundtrack_playlists.tracklists.lines import MAX_LINE_LENGTH, shown, split_lines

PIN_ID = "4iV5W9uYEdYUVa79Axb7Rh"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('"Elastic Heart" by Sia', [("Elastic Heart", ("Sia",), None, None)]),
        # featured artists are credited artists, in order
        (
            '"Morning View" by Towkio featuring SZA',
            [("Morning View", ("Towkio", "SZA"), None, None)],
        ),
        ('"X" by A feat. B', [("X", ("A", "B"), None, None)]),
        # a bracketed annotation is a note, not part of the artist name
        (
            '"Houston We Have A Problem" by Pacific Electric (cast)',
            [("Houston We Have A Problem", ("Pacific Electric",), None, "cast")],
        ),
        (
            '"Not Gonna Blink" by Sam (Paul James of the cast)',
            [("Not Gonna Blink", ("Sam",), None, "Paul James of the cast")],
        ),
        # commas and parentheses inside titles stay in the title
        (
            '"Que Sera, Sera (Whatever Will Be, Will Be)" by Sly & The Family Stone',
            [
                (
                    "Que Sera, Sera (Whatever Will Be, Will Be)",
                    ("Sly & The Family Stone",),
                    None,
                    None,
                )
            ],
        ),
        ('"Blood // Water" by grandson', [("Blood // Water", ("grandson",), None, None)]),
        ('"Danny\'s Song" by Anne Murray', [("Danny's Song", ("Anne Murray",), None, None)]),
        (
            'Mashup: "Good Luck" by Basement Jaxx featuring Lisa Kekaula'
            ' and "Blood // Water" by grandson',
            [
                ("Good Luck", ("Basement Jaxx", "Lisa Kekaula"), MASHUP, None),
                ("Blood // Water", ("grandson",), MASHUP, None),
            ],
        ),
        # " and " inside an artist name does not end the first half of a mashup
        (
            'Mashup: "A" by Sly and the Family Stone and "B" by Y',
            [("A", ("Sly and the Family Stone",), MASHUP, None), ("B", ("Y",), MASHUP, None)],
        ),
        (
            'Medley: "Both Sides Now" by Judy Collins / Neil Diamond / Joni Mitchell',
            [
                ("Both Sides Now", ("Judy Collins",), MEDLEY, None),
                ("Both Sides Now", ("Neil Diamond",), MEDLEY, None),
                ("Both Sides Now", ("Joni Mitchell",), MEDLEY, None),
            ],
        ),
    ],
)
def test_song_lines_as_the_article_writes_them(line, expected):
    songs = parse_song_line(line, line=7)
    assert [(s.title, s.artists, s.group, s.note) for s in songs] == expected
    assert all(song.line == 7 and song.pin is None for song in songs)


@pytest.mark.parametrize(
    "pin",
    [
        f"spotify:track:{PIN_ID}",
        f"https://open.spotify.com/track/{PIN_ID}",
        f"https://open.spotify.com/track/{PIN_ID}?si=abc123",
        f"https://open.spotify.com/intl-de/track/{PIN_ID}",
        f"open.spotify.com/track/{PIN_ID}",
    ],
)
def test_a_pin_in_any_written_form_becomes_a_track_uri(pin):
    (song,) = parse_song_line(f'"Smile" by Nat King Cole {pin}')
    assert song.title == "Smile" and song.artists == ("Nat King Cole",)
    assert song.pin == f"spotify:track:{PIN_ID}"


def test_a_pin_after_a_note_keeps_the_note():
    (song,) = parse_song_line(f'"Houston" by Pacific Electric (cast) spotify:track:{PIN_ID}')
    assert (song.artists, song.note, song.pin) == (
        ("Pacific Electric",),
        "cast",
        f"spotify:track:{PIN_ID}",
    )


def test_a_mashup_takes_one_pin_per_song_in_order():
    other = "0" * 22
    songs = parse_song_line(
        f'Mashup: "A" by X and "B" by Y spotify:track:{PIN_ID} spotify:track:{other}'
    )
    assert [s.pin for s in songs] == [f"spotify:track:{PIN_ID}", f"spotify:track:{other}"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Elastic Heart by Sia", "expected a song line"),
        ('"Elastic Heart" Sia', "expected a song line"),
        ('"" by Sia', "title is empty"),
        ('"Elastic Heart" by', "empty artist"),
        ('"Elastic Heart" by   ', "empty artist"),
        ('"X" by A featuring ', "empty artist"),
        ('Medley: "Both Sides Now" by Judy Collins /  / Joni Mitchell', "empty artist"),
        ('"Smile" by Nat King Cole spotify:track:short', "invalid pin"),
        (f'"Smile" by Nat King Cole spotify:album:{PIN_ID}', "invalid pin"),
        (f'"Smile" by Nat King Cole https://open.spotify.com/album/{PIN_ID}', "invalid pin"),
        (f'Mashup: "A" by X and "B" by Y spotify:track:{PIN_ID}', "2 songs but 1 pins"),
    ],
)
def test_bad_lines_say_what_was_expected(line, message):
    with pytest.raises(GrammarError, match=message):
        parse_song_line(line)


def test_headings():
    heading = parse_heading("Episode 10: Finale")
    assert (heading.number, heading.title) == (10, "Finale")
    assert parse_heading('"Smile" by Nat King Cole') is None
    with pytest.raises(GrammarError, match="no title"):
        parse_heading("Episode 3:")


def test_parse_pin_rejects_what_is_not_a_track():
    with pytest.raises(GrammarError, match="invalid pin"):
        parse_pin("spotify:playlist:" + PIN_ID)


# --- every song-line form import reads, episode files read too ---

FORMS = [
    # (line, [(title, artists, group, note)])
    ("“Elastic Heart” by Sia", [("Elastic Heart", ("Sia",), None, None)]),
    ("‘Elastic Heart’ by Sia", [("Elastic Heart", ("Sia",), None, None)]),
    ("'Danny's Song' by Anne Murray", [("Danny's Song", ("Anne Murray",), None, None)]),
    ("Elastic Heart – Sia", [("Elastic Heart", ("Sia",), None, None)]),
    ("Elastic Heart - Sia", [("Elastic Heart", ("Sia",), None, None)]),
    ('Sia – "Elastic Heart"', [("Elastic Heart", ("Sia",), None, None)]),
    (
        "Sia – “Elastic Heart” (plays at the end)",
        [("Elastic Heart", ("Sia",), None, "plays at the end")],
    ),
    ('"Elastic Heart" – Sia', [("Elastic Heart", ("Sia",), None, None)]),
    ("- Purple Rain by Prince", [("Purple Rain", ("Prince",), None, None)]),
    ("1. Purple Rain by Prince", [("Purple Rain", ("Prince",), None, None)]),
    ("2) Purple Rain by Prince.", [("Purple Rain", ("Prince",), None, None)]),
    ('* "Purple Rain" by Prince', [("Purple Rain", ("Prince",), None, None)]),
    ('• "Purple Rain" by Prince', [("Purple Rain", ("Prince",), None, None)]),
    ('"Feeling Good" performed by Nina Simone', [("Feeling Good", ("Nina Simone",), None, None)]),
    ('"X" by A ft. B', [("X", ("A", "B"), None, None)]),
    ('"X" by A ft B', [("X", ("A", "B"), None, None)]),
    ('"X" by A with B', [("X", ("A", "B"), None, None)]),
    ('"X" by A x B', [("X", ("A", "B"), None, None)]),
    ('"X" by A & B', [("X", ("A", "B"), None, None)]),
    ('"X" by A, feat. B', [("X", ("A", "B"), None, None)]),
    ('"X" by A (feat. B)', [("X", ("A", "B"), None, None)]),
    ('"X" by Simon & Garfunkel', [("X", ("Simon & Garfunkel",), None, None)]),
    ('"X" by Earth, Wind & Fire', [("X", ("Earth, Wind & Fire",), None, None)]),
    ('"X" by Tyler, The Creator feat. A', [("X", ("Tyler, The Creator", "A"), None, None)]),
    ('"X" by Lil Nas X', [("X", ("Lil Nas X",), None, None)]),
    ('"X" by A — Scene: the diner', [("X", ("A",), None, "Scene: the diner")]),
    ('"X" by A – the diner', [("X", ("A",), None, "the diner")]),
    ('"X" by A. Scene: the diner', [("X", ("A",), None, "Scene: the diner")]),
    ('"X" by A (plays as B leaves)', [("X", ("A",), None, "plays as B leaves")]),
    ('"X" by A,', [("X", ("A",), None, None)]),
    ('"X" by R.E.M.', [("X", ("R.E.M.",), None, None)]),
    ('"X" by Harry Connick Jr.', [("X", ("Harry Connick Jr.",), None, None)]),
    (
        'Mashup: "A" by X, "B" by Y and "C" by Z',
        [("A", ("X",), MASHUP, None), ("B", ("Y",), MASHUP, None), ("C", ("Z",), MASHUP, None)],
    ),
    (
        'Mashup of "A" by X and "B" by Y',
        [("A", ("X",), MASHUP, None), ("B", ("Y",), MASHUP, None)],
    ),
    ('"A" by X / "B" by Y (mashup)', [("A", ("X",), MASHUP, None), ("B", ("Y",), MASHUP, None)]),
    (
        'Medley: "A" by X and "B" by Y',
        [("A", ("X",), MEDLEY, None), ("B", ("Y",), MEDLEY, None)],
    ),
    ('Medley: "A" by X / Y', [("A", ("X",), MEDLEY, None), ("A", ("Y",), MEDLEY, None)]),
]


@pytest.mark.parametrize(("line", "expected"), FORMS, ids=[line for line, _ in FORMS])
def test_every_form_an_article_uses_reads_the_same_in_an_episode_file(line, expected):
    songs = parse_song_line(line)
    assert [(s.title, s.artists, s.group, s.note) for s in songs] == expected


def test_an_unquoted_dash_line_reads_the_other_way_round_when_asked():
    (song,) = parse_song_line("Sia – Elastic Heart (plays over the credits)", order=ARTIST_TITLE)
    assert (song.title, song.artists, song.note) == (
        "Elastic Heart",
        ("Sia",),
        "plays over the credits",
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("“Elastic Heart by Sia", "only an opening quote"),
        ('"Elastic Heart by Sia', "curly or straight quotes around the title are fine"),
        ('Elastic Heart" by Sia', "no opening quote"),
        ("- Stand by Me by Ben E. King", "more than once"),
        ('"A" by X and "B" by Y', "start it with `Mashup:`"),
        ('Mashup: "A" by X', "two or more songs"),
        ("x" * 1001, "longest line read is 1,000"),
        ('"' + "t" * 201 + '" by A', "longest title read is 200"),
        ('"X" by A\x1b[2J', "control character \\x1b"),
        ('"X" by A\u202e', "control character"),
    ],
)
def test_a_line_that_almost_reads_says_what_is_wrong(line, message):
    with pytest.raises(GrammarError) as caught:
        parse_song_line(line)
    assert message in str(caught.value)
    assert "\x1b" not in str(caught.value)


def test_a_one_megabyte_pathological_line_is_refused_at_once():
    # Backtracking patterns take quadratic time or worse on runs of quotes and `by`; the
    # grammar refuses an over-long line before any matching, whatever it holds.
    line = '"' + '" by "' * 170_000 + "x"
    assert len(line) > 1_000_000
    with pytest.raises(GrammarError, match="longest line read"):
        parse_song_line(line)


@pytest.mark.parametrize(
    "line",
    [
        '"' + '" by "' * 160 + "x",
        'Mashup: "' + '" by X and "' * 80,
        "- " + "a by " * 190,
        '"' + "“" * 990 + '" by A',
    ],
)
def test_pathological_lines_within_the_limit_end_in_songs_or_a_clear_error(line):
    assert len(line) <= MAX_LINE_LENGTH
    try:
        songs = parse_song_line(line)
    except GrammarError as error:
        assert str(error)
    else:
        assert songs and all(song.title and song.artists for song in songs)


def test_lines_split_on_newlines_only():
    text = "a\fb\r\nc\u2028d\x0be\x1cf\x85g\nlast"
    assert split_lines(text) == ["a\fb", "c\u2028d\x0be\x1cf\x85g", "last"]
    assert split_lines("one\n") == ["one"]


def test_shown_escapes_control_characters_and_cuts_long_text():
    assert shown("A\x1b[31mB\x07") == "A\\x1b[31mB\\x07"
    assert shown("x" * 500).endswith("…") and len(shown("x" * 500)) == 121


def test_the_shipped_lines_are_already_canonical():
    for path in sorted(default_season_dir().glob("episode-*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n")[2:]:
            if line and not line.startswith("#"):
                assert render_song_line(parse_song_line(line)) == line


@pytest.mark.parametrize(
    ("line", "number", "title"),
    [
        ("Episode 3: Call-In Hour", 3, "Call-In Hour"),
        ('Episode 3 – "Call-In Hour"', 3, "Call-In Hour"),
        ("Episode 3 – “Call-In Hour”", 3, "Call-In Hour"),
        ("Episode 3 - Call-In Hour", 3, "Call-In Hour"),
        ("Episode Six: Overnight", 6, "Overnight"),
        ("Episode twenty-one: Late", 21, "Late"),
        ("Ep. 2: Static", 2, "Static"),
        ("Ep 2 – Static", 2, "Static"),
        ("S01E07 - Pledge Drive", 7, "Pledge Drive"),
        ("s1e7: Pledge Drive", 7, "Pledge Drive"),
        ("1x07 Pledge Drive", 7, "Pledge Drive"),
        ("Season 1, Episode 3: Call-In Hour", 3, "Call-In Hour"),
        ("## Episode 2: Static", 2, "Static"),
        ("**Episode 2: Static**", 2, "Static"),
        ("**Episode 2:** Static", 2, "Static"),
    ],
)
def test_headings_as_people_write_them(line, number, title):
    assert parse_heading(line) == Heading(number, title)


def test_a_heading_without_a_separator_needs_the_source_to_call_it_one():
    assert parse_heading("Episode 3 was the best one") is None
    assert parse_heading("Episode 3 Call-In Hour", marked=True) == Heading(3, "Call-In Hour")


def test_a_heading_with_no_number_is_an_error_not_prose():
    with pytest.raises(GrammarError, match="no episode number"):
        parse_heading("Episode: The Lost One")
