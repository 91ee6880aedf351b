"""Regressions: each way real pages were garbled or dropped silently, in examples of our own."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.errors import TracklistError
from soundtrack_playlists.importing.importer import ImportOptions, ImportResult, run_import
from soundtrack_playlists.tracklists.folders import load_season


def imported(tmp_path: Path, text: str, name: str = "page.txt", **options) -> ImportResult:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    source = folder / name
    source.write_text(text, encoding="utf-8")
    out = folder / "out"
    return run_import(ImportOptions(source=str(source), show="S", season=1, out=out, **options))


def songs(result: ImportResult) -> dict[int, list[str]]:
    return {episode.number: list(episode.lines) for episode in result.episodes}


# --- tables ---


def test_a_markdown_pipe_table_is_read_by_its_header_names(tmp_path):
    text = (
        "## Episode 4: Low Tide\n\n"
        "| # | Scene | Track | Performer |\n|---|---|---|---|\n"
        "| 1 | the pier at night | Harvest Moon | Neil Young |\n"
        "| 2 |  | Landslide | Fleetwood Mac |\n"
    )
    assert songs(imported(tmp_path, text, "page.md")) == {
        4: [
            '"Harvest Moon" by Neil Young (the pier at night)',
            '"Landslide" by Fleetwood Mac',
        ]
    }


def test_an_html_table_with_an_empty_cell_and_a_scene_column_keeps_each_row_in_order(tmp_path):
    html = """<h2>Episode 2: Harbour</h2>
<table><tr><th>Artist</th><th>Song</th><th>Scene</th></tr>
<tr><td>Fleetwood Mac</td><td>Dreams</td><td></td></tr>
<tr><td>Kate Bush</td><td>Cloudbusting</td><td>the lighthouse climb</td></tr></table>"""
    assert songs(imported(tmp_path, html, "page.html")) == {
        2: ['"Dreams" by Fleetwood Mac', '"Cloudbusting" by Kate Bush (the lighthouse climb)']
    }


def test_an_episode_column_with_cells_spanning_rows_spreads_the_songs(tmp_path):
    html = """<table>
<tr><th>Ep.</th><th>Title</th><th>Artist</th></tr>
<tr><td rowspan="2">1</td><td>Jolene</td><td>Dolly Parton</td></tr>
<tr><td>Crazy</td><td>Patsy Cline</td></tr>
<tr><td>2</td><td>Hurt</td><td>Johnny Cash</td></tr></table>"""
    assert songs(imported(tmp_path, html, "page.html")) == {
        1: ['"Jolene" by Dolly Parton', '"Crazy" by Patsy Cline'],
        2: ['"Hurt" by Johnny Cash'],
    }


def test_a_table_whose_columns_cannot_be_understood_is_reported_with_its_header(tmp_path):
    text = "Episode 1: Pilot\n\n| When | Who |\n|---|---|\n| 10:02 | Sam |\n"
    result = imported(tmp_path, text, "page.md")
    assert [(u.line, "When | Who" in u.text) for u in result.unreadable] == [(3, True)]


def test_exportify_escaped_commas_keep_one_artist_and_plain_commas_split(tmp_path):
    csv = (
        "Track Name,Artist Name(s)\n"
        '"See You Again","Tyler\\, The Creator,Kali Uchis"\n'
        '"September","Earth, Wind & Fire"\n'
    )
    assert songs(imported(tmp_path, csv, "export.csv"))[1] == [
        '"See You Again" by Tyler, The Creator featuring Kali Uchis',
        '"September" by Earth, Wind & Fire',
    ]


# --- element layouts ---


def test_a_track_list_sites_song_blocks_become_songs(tmp_path):
    html = """<h2>S2 · E1 The Return</h2>
<div class="song"><span class="song-title">Heroes</span><span class="artist">David Bowie</span>
<span class="scene">They drive out of town at dawn.</span></div>
<div class="song"><span class="song-title">Running Up That Hill</span>
<span class="artist">Kate Bush</span><span class="scene">The chase in the woods.</span></div>
<div class="song"><span class="song-title">Hounds of Love</span>
<span class="artist">Kate Bush</span><span class="scene">A quiet ending.</span></div>"""
    assert songs(imported(tmp_path, html, "page.html")) == {
        1: [
            '"Heroes" by David Bowie',
            '"Running Up That Hill" by Kate Bush',
            '"Hounds of Love" by Kate Bush',
        ]
    }


# --- lines as people write them ---


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("03:15 Zombie – The Cranberries", "Zombie – The Cranberries (03:15)"),
        ("[1:02:33] Linger - The Cranberries", "Linger – The Cranberries (1:02:33)"),
        ("Help! – The Beatles", "Help! – The Beatles"),
        (
            "Where Did You Sleep Last Night? – Nirvana",
            "Where Did You Sleep Last Night? – Nirvana",
        ),
        (
            "The Man Who Sold the World (Live on the Unplugged Session) – Nirvana",
            "The Man Who Sold the World (Live on the Unplugged Session) – Nirvana",
        ),
        ("“Rolling in the Deep,” by Adele", '"Rolling in the Deep" by Adele'),
        ("“💃 Dancing Queen” by ABBA 🪩", '"Dancing Queen" by ABBA'),
        (
            "Edit: forgot one, Seven Nation Army – The White Stripes",
            "Seven Nation Army – The White Stripes",
        ),
        ("*Harbour Lights* – The Lanterns", '"Harbour Lights" by The Lanterns'),
        ("Mumford &amp; Sons – “The Cave”", '"The Cave" by Mumford & Sons'),
        ("Édith Piaf – La Vie en rose”", '"La Vie en rose" by Édith Piaf'),
        ("• Theme song: “Cosy in the Rocket” by Psapp", '"Cosy in the Rocket" by Psapp'),
        ("Song: ‘Mr. Brightside’ — The Killers", '"Mr. Brightside" by The Killers'),
        (
            "Lean On – Major Lazer, DJ Snake, MØ",
            "Lean On – Major Lazer featuring DJ Snake featuring MØ",
        ),
        ("Garota de Ipanema por Tom Jobim", '"Garota de Ipanema" by Tom Jobim'),
        (
            '"Unwritten" by Natasha Bedingfield -- the graduation',
            '"Unwritten" by Natasha Bedingfield (the graduation)',
        ),
    ],
)
def test_a_line_as_people_write_it_reads_as_its_song(tmp_path, line, expected):
    result = imported(tmp_path, f"Episode 1: Pilot\n{line}\n")
    assert songs(result) == {1: [expected]}, result.unreadable


def test_several_quoted_titles_sharing_one_artist_are_each_a_song(tmp_path):
    text = (
        "Episode 1: Pilot\n"
        "Medley: “Octopus’s Garden”, “Something” and “Come Together” by The Beatles\n"
        "“Creep” and “Karma Police” by Radiohead\n"
    )
    assert songs(imported(tmp_path, text)) == {
        1: [
            'Medley: "Octopus’s Garden" by The Beatles and "Something" by The Beatles and '
            '"Come Together" by The Beatles',
            '"Creep" by Radiohead',
            '"Karma Police" by Radiohead',
        ]
    }


def test_two_songs_on_one_dash_line_are_two_songs(tmp_path):
    text = "Episode 1: Pilot\nCrazy – Gnarls Barkley / Hey Ya! – OutKast\n"
    assert songs(imported(tmp_path, text)) == {1: ["Crazy – Gnarls Barkley", "Hey Ya! – OutKast"]}


def test_a_heading_followed_by_a_quoted_sentence_opens_its_episode(tmp_path):
    text = (
        'Episode 1: Pilot\n"Heroes" by David Bowie\n'
        'Episode 2 "Homecoming" is where everything falls apart.\n"Hurt" by Johnny Cash\n'
    )
    assert songs(imported(tmp_path, text)) == {
        1: ['"Heroes" by David Bowie'],
        2: ['"Hurt" by Johnny Cash'],
    }


@pytest.mark.parametrize(
    "heading", ["S02E05 Dinner", "2x05 Dinner", "Ep. 5 — Dinner", "S2 · E5 Dinner"]
)
def test_episode_headings_pages_use(tmp_path, heading):
    assert songs(imported(tmp_path, f"{heading}\n“Hurt” – Johnny Cash\n")) == {
        5: ['"Hurt" by Johnny Cash']
    }


def test_three_line_entries_and_run_together_fields_are_read(tmp_path):
    text = (
        "Episode 1: Pilot\n"
        "Dreams\nFleetwood Mac\nThe drive to the coast.\n"
        "Jolene\nDolly Parton\nAt the diner.\n"
        "Hurt\nJohnny Cash\nThe funeral.\n"
    )
    assert songs(imported(tmp_path, text)) == {
        1: ['"Dreams" by Fleetwood Mac', '"Jolene" by Dolly Parton', '"Hurt" by Johnny Cash']
    }
    glued = "Episode 1: Pilot\n  • HeroesDavid Bowie\n    David Bowie\n    The drive.\n"
    assert songs(imported(tmp_path, glued)) == {1: ['"Heroes" by David Bowie']}


def test_an_unquoted_dash_line_keeps_both_readings_and_is_written_without_quotes(tmp_path):
    text = 'Episode 1: Pilot\n"Heroes" by David Bowie\n1. Sweet Caroline – Neil Diamond\n'
    result = imported(tmp_path, text)
    assert songs(result) == {1: ['"Heroes" by David Bowie', "Sweet Caroline – Neil Diamond"]}
    (season_song,) = [s for s in load_season(result.out).songs if s.title == "Sweet Caroline"]
    assert season_song.alternative == ("Neil Diamond", ("Sweet Caroline",))


# --- pages without numbered headings ---


def test_a_page_for_one_episode_takes_its_number_from_the_page_title(tmp_path):
    text = "Harbour Lights - S3E07 Soundtrack\n\n“Dreams” – Fleetwood Mac\n“Hurt” – Johnny Cash\n"
    result = imported(tmp_path, text)
    assert songs(result) == {7: ['"Dreams" by Fleetwood Mac', '"Hurt" by Johnny Cash']}
    assert result.episodes[0].title == "Harbour Lights - S3E07 Soundtrack"
    assert any("read as one episode" in remark for remark in result.remarks)
    other = imported(tmp_path, "Episode 2 songs\n\n“Dreams” – Fleetwood Mac\n")
    assert songs(other) == {2: ['"Dreams" by Fleetwood Mac']}


def test_a_list_under_the_page_title_is_one_episode_and_the_title_is_no_song(tmp_path):
    text = "“Harbour Lights” – Soundtrack\n\nDreams – Fleetwood Mac\nHurt – Johnny Cash\n"
    result = imported(tmp_path, text, episode=4)
    assert songs(result) == {4: ["Dreams – Fleetwood Mac", "Hurt – Johnny Cash"]}
    assert result.episodes[0].title == "“Harbour Lights” – Soundtrack"
    assert any("as --episode says" in remark for remark in result.remarks)


def test_a_page_title_that_opens_and_ends_with_different_quotes_reads_back_whole(tmp_path):
    text = '\'TVD\': Music from "Homecoming"\n\n"Hurt" by Johnny Cash -- the last scene\n'
    result = imported(tmp_path, text)
    assert [e.title for e in load_season(result.out).episodes] == [
        "'TVD': Music from \"Homecoming\""
    ]


def test_headings_with_titles_and_no_numbers_are_numbered_in_order(tmp_path):
    text = (
        "The night at the pier (Episode: “Pilot”)\n“Dreams” – Fleetwood Mac\n"
        "The storm (Episode: “Landfall”)\n“Hurt” – Johnny Cash\n"
    )
    result = imported(tmp_path, text)
    assert [(e.number, e.title) for e in result.episodes] == [(1, "Pilot"), (2, "Landfall")]
    assert any("numbered in order" in remark for remark in result.remarks)


def test_json_prints_a_result_object_when_import_refuses(tmp_path):
    source = tmp_path / "prose.txt"
    source.write_text("Just a paragraph about the show, with no songs at all.\n", encoding="utf-8")
    args = ["import", str(source), "--show", "S", "--season", "1", "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0
    data = json.loads(result.stdout)
    assert data["songs"] == 0 and "no episode headings" in data["error"]


# --- never silent ---


def test_an_episode_with_no_songs_or_with_song_shaped_prose_is_said_and_fails_strict(tmp_path):
    text = (
        "Episode 1: Pilot\n“Dreams” – Fleetwood Mac\nDreams, a dream – of a dream? No – a nap.\n"
        "Episode 2: Empty\nNothing played here.\n"
    )
    result = imported(tmp_path, text)
    assert any("Episode 2: Empty has no songs" in warning for warning in result.warnings)
    assert any("Episode 1" in w and "line 3" in w for w in result.warnings), result.warnings
    with pytest.raises(TracklistError, match="--strict"):
        imported(tmp_path, text, strict=True)
    source = tmp_path / "page.txt"
    source.write_text(text, encoding="utf-8")
    args = ["import", str(source), "--show", "S", "--season", "1", "--out", str(tmp_path / "o")]
    out = CliRunner().invoke(cli, args)
    assert "Warning: Episode 2: Empty has no songs" in out.stderr


def test_credits_that_may_be_one_act_or_two_are_named(tmp_path):
    text = (
        "Episode 1: Pilot\n“Celebration” by Kool and Friends\n“Hey” – Rock & Roll Club\n"
        "“Get Down Tonight” by KC and The Sunshine Band and Pat Boone\n"
    )
    result = imported(tmp_path, text)
    said = " ".join(result.remarks)
    assert "Kool and Friends read as one act" in said
    assert "Rock & Roll Club read as two artists" in said
    assert "KC and The Sunshine Band and Pat Boone read as one act" in said


def test_a_prose_page_with_nothing_song_shaped_is_refused(tmp_path):
    with pytest.raises(TracklistError, match="no episode headings"):
        imported(tmp_path, "A paragraph about the show.\nAnother paragraph about it.\n")
