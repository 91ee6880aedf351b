"""Season folders: the shipped season, and a clear error for every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.errors import TracklistError
from soundtrack_playlists.files.paths import default_season_dir
from soundtrack_playlists.tracklists.folders import load_season

MANIFEST = 'show = "Soundtrack"\nseason = 1\nyear = 2019\nnetwork = "Netflix"\n'


def make_season(folder: Path, episodes: dict[str, str], manifest: str | None = MANIFEST) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if manifest is not None:
        (folder / "season.toml").write_text(manifest, encoding="utf-8")
    for name, text in episodes.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_shipped_season_has_45_songs_in_the_expected_episodes():
    season = load_season(default_season_dir())
    assert (season.show, season.season, season.year, season.network) == (
        "Soundtrack",
        1,
        2019,
        "Netflix",
    )
    assert [len(e.songs) for e in season.episodes] == [7, 5, 6, 7, 5, 1, 5, 4, 5, 0]
    assert [e.number for e in season.episodes] == list(range(1, 11))
    assert season.episodes[9].title == "Finale"
    assert len(season.songs) == 45


def test_tracklists_json_is_the_documented_shape():
    result = CliRunner().invoke(cli, ["tracklists", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["show"], data["season"]) == ("Soundtrack", 1)
    assert sum(len(e["songs"]) for e in data["episodes"]) == 45
    first = data["episodes"][0]
    assert (first["number"], first["title"]) == (1, "Nellie and Sam")
    assert set(first["songs"][0]) == {"title", "artists", "pin", "group", "note"}
    medley = [s for e in data["episodes"] for s in e["songs"] if s["title"] == "Both Sides Now"]
    assert [s["artists"] for s in medley] == [["Judy Collins"], ["Neil Diamond"], ["Joni Mitchell"]]
    assert {s["group"] for s in medley} == {"medley"}


def test_tracklists_prints_a_readable_listing(tmp_path):
    folder = make_season(
        tmp_path / "s1", {"e1.txt": 'Episode 1: Pilot\n"Smile" by Nat King Cole\n'}
    )
    result = CliRunner().invoke(cli, ["tracklists", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Episode 1: Pilot" in result.output and '"Smile" by Nat King Cole' in result.output
    assert "1 song in 1 episode." in result.output


def test_a_utf8_bom_and_comments_are_fine(tmp_path):
    folder = tmp_path / "s1"
    make_season(folder, {})
    (folder / "e1.txt").write_bytes(
        '\ufeff# a comment\nEpisode 1: Pilot\n\n  # indented comment\n"Café" by Zoé\n'.encode()
    )
    (episode,) = load_season(folder).episodes
    assert [(s.title, s.artists, s.line) for s in episode.songs] == [("Café", ("Zoé",), 5)]


def error_of(folder: Path) -> str:
    with pytest.raises(TracklistError) as caught:
        load_season(folder)
    return str(caught.value)


def test_an_unparseable_line_names_file_line_and_expectation(tmp_path):
    folder = make_season(
        tmp_path / "s1",
        {"e1.txt": 'Episode 1: Pilot\n"Smile" by Nat King Cole\nSmile by Nat King Cole\n'},
    )
    message = error_of(folder)
    assert f"{folder / 'e1.txt'}:3" in message
    assert "Smile by Nat King Cole" in message
    assert "expected a song line" in message


def test_an_empty_title_is_refused(tmp_path):
    folder = make_season(tmp_path / "s1", {"e1.txt": 'Episode 1: Pilot\n"" by Sia\n'})
    message = error_of(folder)
    assert "e1.txt:2" in message and "title is empty" in message


def test_an_empty_artist_is_refused(tmp_path):
    folder = make_season(tmp_path / "s1", {"e1.txt": 'Episode 1: Pilot\n"Heat" by \n'})
    message = error_of(folder)
    assert "e1.txt:2" in message and "empty artist" in message


def test_an_invalid_pin_is_refused(tmp_path):
    folder = make_season(
        tmp_path / "s1",
        {"e1.txt": 'Episode 1: Pilot\n\n"Heat" by Kelly Clarkson spotify:track:123\n'},
    )
    message = error_of(folder)
    assert "e1.txt:3" in message and "invalid pin" in message and "spotify:track:123" in message


def test_a_duplicate_episode_number_names_both_files(tmp_path):
    folder = make_season(
        tmp_path / "s1", {"a.txt": "Episode 2: One\n", "b.txt": "Episode 2: Other\n"}
    )
    message = error_of(folder)
    assert "b.txt" in message and "a.txt" in message and "episode 2 is already defined" in message


def test_a_second_heading_in_one_file_is_refused(tmp_path):
    folder = make_season(tmp_path / "s1", {"a.txt": "Episode 1: One\nEpisode 2: Two\n"})
    message = error_of(folder)
    assert "a.txt:2" in message and "one episode per file" in message


def test_songs_before_the_heading_are_refused(tmp_path):
    folder = make_season(tmp_path / "s1", {"a.txt": '"Heat" by Kelly Clarkson\nEpisode 1: One\n'})
    assert "a.txt:1" in error_of(folder)


def test_a_missing_manifest_is_refused(tmp_path):
    folder = make_season(tmp_path / "s1", {"a.txt": "Episode 1: One\n"}, manifest=None)
    message = error_of(folder)
    assert "season.toml" in message and "missing" in message and 'show = "Soundtrack"' in message


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("show = Soundtrack\n", "not valid TOML"),
        ("season = 1\n", "`show` must be"),
        ('show = "S"\nseason = "one"\n', "`season` must be"),
        ('show = "S"\nseason = 1\nyear = "2019"\n', "`year` must be"),
        (
            'show = "S"\nseason = 1\n[playlists]\nepisode = "{show} {nope}"\n',
            "not a valid name template",
        ),
        (
            'show = "S"\nseason = 1\n[playlists]\nseason = "{show} ({year})"\n',
            "not a valid name template",
        ),
    ],
)
def test_a_malformed_manifest_is_refused(tmp_path, manifest, message):
    folder = make_season(tmp_path / "s1", {"a.txt": "Episode 1: One\n"}, manifest=manifest)
    text = error_of(folder)
    assert "season.toml" in text and message in text


def test_a_file_that_is_not_utf8_names_the_line(tmp_path):
    folder = make_season(tmp_path / "s1", {})
    (folder / "e1.txt").write_bytes('Episode 1: One\n"Caf\xe9" by Zo\xe9\n'.encode("latin-1"))
    message = error_of(folder)
    assert "e1.txt:2" in message and "not UTF-8" in message


def test_a_folder_without_episodes_is_refused(tmp_path):
    folder = make_season(tmp_path / "s1", {})
    assert "no episode files" in error_of(folder)


def test_the_cli_prints_the_error_without_a_traceback(tmp_path):
    folder = make_season(tmp_path / "s1", {"e1.txt": "Episode 1: One\nnot a song\n"})
    result = CliRunner().invoke(cli, ["tracklists", str(folder)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1].startswith("Error: ") and "e1.txt:2" in result.output
    assert "Traceback" not in result.output


def test_an_episode_file_reads_a_line_pasted_from_an_article(tmp_path):
    # Regression: a curly-quoted line was an error that did not say the quotes were the problem.
    lines = [
        "“Elastic Heart” by Sia",
        "1. Purple Rain by Prince.",
        'Prince – "When Doves Cry" — Scene: the finale',
        '"Get Lucky" by Daft Punk ft Pharrell Williams',
    ]
    folder = make_season(tmp_path / "s1", {"e1.txt": "Episode 1: Pilot\n" + "\n".join(lines)})
    songs = load_season(folder).songs
    assert [(s.title, s.artists, s.note, s.line) for s in songs] == [
        ("Elastic Heart", ("Sia",), None, 2),
        ("Purple Rain", ("Prince",), None, 3),
        ("When Doves Cry", ("Prince",), "Scene: the finale", 4),
        ("Get Lucky", ("Daft Punk", "Pharrell Williams"), None, 5),
    ]


def test_an_only_opening_curly_quote_is_named_as_the_problem(tmp_path):
    folder = make_season(tmp_path / "s1", {"e1.txt": "Episode 1: Pilot\n“Elastic Heart by Sia\n"})
    message = error_of(folder)
    assert "e1.txt:2" in message
    assert "curly or straight quotes around the title are fine" in message
    assert "only an opening quote (“)" in message


def test_a_control_character_is_escaped_in_the_error(tmp_path):
    folder = make_season(tmp_path / "s1", {"e1.txt": 'Episode 1: Pilot\n"X" by A\x1b[2J\n'})
    message = error_of(folder)
    assert "e1.txt:2" in message and "\\x1b[2J" in message and "\x1b" not in message


def test_a_form_feed_or_line_separator_does_not_shift_line_numbers(tmp_path):
    text = 'Episode 1: Pilot\n"A\u2028B" by X\n"C" by Y\n'
    (song_a, song_c) = load_season(make_season(tmp_path / "s1", {"e1.txt": text})).songs
    assert (song_a.title, song_a.line, song_c.line) == ("A B", 2, 3)
