"""The tracklist grammar, line by line: what each line becomes and what it refuses."""

from __future__ import annotations

import pytest

from soundtrack_playlists.grammar import GrammarError, parse_pin, parse_song_line
from soundtrack_playlists.headings import parse_heading
from soundtrack_playlists.models import MASHUP, MEDLEY

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
