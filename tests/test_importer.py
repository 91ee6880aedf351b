"""Importing article-like text: prose skipped, song lines kept verbatim, nothing clobbered."""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.errors import TracklistError
from soundtrack_playlists.files.paths import default_season_dir
from soundtrack_playlists.importing.fetch import SourceError
from soundtrack_playlists.importing.importer import (
    ImportOptions,
    ImportResult,
    extract_episodes,
    import_article,
    render_summary,
    run_import,
)
from soundtrack_playlists.tracklists.folders import load_season

ARTICLE = Path(__file__).parent / "data" / "article-season-1.txt"
SHIPPED_ARGS = ["--show", "Soundtrack", "--season", "1", "--year", "2019", "--network", "Netflix"]


def files_of(folder: Path) -> dict[str, str]:
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(folder.iterdir())
        if p.name == "season.toml" or p.suffix == ".txt"
    }


def test_importing_the_article_reproduces_the_shipped_files_exactly(tmp_path):
    out = tmp_path / "season-1"
    result = CliRunner().invoke(cli, ["import", str(ARTICLE), *SHIPPED_ARGS, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "10 episodes, 45 songs" in result.output
    assert files_of(out) == files_of(default_season_dir())


def test_prose_is_skipped_even_when_it_opens_with_a_quote():
    episodes = extract_episodes(ARTICLE.read_text(encoding="utf-8"))
    lines = [line for episode in episodes for line in episode.lines]
    assert not any("paragraph" in line.lower() or "reviewer" in line for line in lines)
    assert len(lines) == 38  # song lines: a mashup or a medley is one line


def test_an_existing_folder_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "season-1"
    out.mkdir()
    (out / "lock.json").write_text("{}")
    result = CliRunner().invoke(cli, ["import", str(ARTICLE), *SHIPPED_ARGS, "--out", str(out)])
    assert result.exit_code == 1 and "--force" in result.output
    assert [p.name for p in out.iterdir()] == ["lock.json"]


def test_force_replaces_tracklists_and_keeps_the_lock(tmp_path):
    out = tmp_path / "season-1"
    out.mkdir()
    (out / "lock.json").write_text("{}")
    (out / "episode-99.txt").write_text("Episode 99: Old\n")
    result = CliRunner().invoke(
        cli, ["import", str(ARTICLE), *SHIPPED_ARGS, "--out", str(out), "--force"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "lock.json").read_text() == "{}"
    assert not (out / "episode-99.txt").exists()
    assert len(load_season(out).songs) == 45


def test_the_default_folder_is_named_after_show_and_season(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = 'Episode 1: Pilot\n\nSome prose.\n\n"Smile" by Nat King Cole\n'
    (tmp_path / "a.txt").write_text(text)
    result = CliRunner().invoke(cli, ["import", "a.txt", "--show", "Glee!", "--season", "2"])
    assert result.exit_code == 0, result.output
    season = load_season(tmp_path / "tracklists" / "glee" / "season-2")
    assert (season.show, season.season, season.year) == ("Glee!", 2, None)
    assert [s.title for s in season.songs] == ["Smile"]


def test_text_without_headings_is_refused_and_writes_nothing(tmp_path):
    with pytest.raises(TracklistError, match="no episode headings"):
        import_article("just prose\n", tmp_path / "out", show="S", season=1)
    assert not (tmp_path / "out").exists()


def test_a_repeated_heading_is_refused(tmp_path):
    with pytest.raises(TracklistError, match="episode 1 appears twice"):
        import_article("Episode 1: A\nEpisode 1: B\n", tmp_path / "out", show="S", season=1)


# --- the library call behind `import`: every line accounted for ---


def import_text(tmp_path: Path, text: str, **options) -> ImportResult:
    source = tmp_path / options.pop("name", "article.txt")
    source.write_text(text, encoding="utf-8")
    out = options.pop("out", tmp_path / "out")
    return run_import(ImportOptions(source=str(source), show="S", season=1, out=out, **options))


def songs_by_episode(result: ImportResult) -> dict[int, list[str]]:
    return {episode.number: list(episode.lines) for episode in result.episodes}


def test_headings_the_old_importer_missed_keep_songs_in_their_own_episodes(tmp_path):
    # Regression: three unrecognised headings put episodes 6 and 7 into episode 5's playlist.
    text = (
        "Episode 3 – “Call-In Hour”\n“Mad World” by Tears for Fears\n"
        'Episode 5: Dead Air\n"Hurt" by Johnny Cash\n'
        'Episode Six: Overnight\n"At Last" by Etta James\n'
        'S01E07 - Pledge Drive\n"Respect" by Aretha Franklin\n'
    )
    result = import_text(tmp_path, text)
    assert songs_by_episode(result) == {
        3: ['"Mad World" by Tears for Fears'],
        5: ['"Hurt" by Johnny Cash'],
        6: ['"At Last" by Etta James'],
        7: ['"Respect" by Aretha Franklin'],
    }
    assert [e.title for e in result.episodes] == [
        "Call-In Hour",
        "Dead Air",
        "Overnight",
        "Pledge Drive",
    ]


@pytest.mark.parametrize(
    ("line", "written"),
    [
        # Regression: each of these was dropped without a word.
        ("“Purple Rain” by Prince", '"Purple Rain" by Prince'),
        ("Purple Rain – Prince", "Purple Rain – Prince"),  # unquoted: both readings kept
        ('Prince – "Purple Rain"', '"Purple Rain" by Prince'),
        ("1. “Purple Rain” by Prince", '"Purple Rain" by Prince'),
        ("- “Purple Rain” by Prince", '"Purple Rain" by Prince'),
        ("'Purple Rain' by Prince", '"Purple Rain" by Prince'),
        ("- Purple Rain by Prince", '"Purple Rain" by Prince'),
        ('"Purple Rain" performed by Prince', '"Purple Rain" by Prince'),
        # Regression: each of these was garbled.
        (
            '"Purple Rain" by Prince — Scene: the finale',
            '"Purple Rain" by Prince (Scene: the finale)',
        ),
        ('"Purple Rain" by Prince.', '"Purple Rain" by Prince'),
        ('"Purple Rain" by Prince,', '"Purple Rain" by Prince'),
        (
            '"Get Lucky" by Daft Punk ft Pharrell Williams',
            '"Get Lucky" by Daft Punk featuring Pharrell Williams',
        ),
        (
            '"One Kiss" by Calvin Harris x Dua Lipa',
            '"One Kiss" by Calvin Harris featuring Dua Lipa',
        ),
        (
            'Mashup: "A" by X and "B" by Y and "C" by Z',
            'Mashup: "A" by X and "B" by Y and "C" by Z',
        ),
        ('Medley: "A" by X and "B" by Y', 'Medley: "A" by X and "B" by Y'),
    ],
)
def test_song_lines_that_were_dropped_or_garbled_are_written_canonically(tmp_path, line, written):
    result = import_text(tmp_path, f"Episode 1: Pilot\n{line}\n")
    assert songs_by_episode(result) == {1: [written]}
    assert result.unreadable == ()


def test_a_three_song_mashup_is_three_songs_not_two(tmp_path):
    result = import_text(tmp_path, 'Episode 1: P\nMashup: "A" by X and "B" by Y and "C" by Z\n')
    season = load_season(tmp_path / "out")
    assert [(s.title, s.artists) for s in season.songs] == [
        ("A", ("X",)),
        ("B", ("Y",)),
        ("C", ("Z",)),
    ]
    assert result.songs == 3


def test_a_medley_of_two_songs_is_two_songs(tmp_path):
    import_text(tmp_path, 'Episode 1: P\nMedley: "A" by X and "B" by Y\n')
    assert [(s.title, s.group) for s in load_season(tmp_path / "out").songs] == [
        ("A", "medley"),
        ("B", "medley"),
    ]


def test_a_saved_html_page_imports_instead_of_being_refused(tmp_path):
    page = (
        "<html><head><title>t</title></head><body><nav>Episode 9: Menu</nav>"
        "<h2>Episode 1: Dead Air</h2><p>&ldquo;Radio Ga Ga&rdquo; by Queen</p></body></html>"
    )
    result = import_text(tmp_path, page, name="page.html")
    assert result.format == "html"
    assert songs_by_episode(result) == {1: ['"Radio Ga Ga" by Queen']}


def test_html_with_a_song_per_line_leaves_no_markup_or_entities_in_names(tmp_path):
    page = (
        '<h3>Episode 1: Dead Air</h3><p>Dead Air<br>"Mrs. Robinson" by Simon &amp; Garfunkel<br>'
        '"Radio Ga Ga" by Queen<br></p>'
    )
    result = import_text(tmp_path, page, name="page.html")
    assert songs_by_episode(result) == {
        1: ['"Mrs. Robinson" by Simon & Garfunkel', '"Radio Ga Ga" by Queen']
    }
    assert result.prose_lines == 1  # "Dead Air" alone is no song
    written = (tmp_path / "out" / "episode-01.txt").read_text(encoding="utf-8")
    assert "<br>" not in written and "&amp;" not in written


def test_songs_before_the_first_heading_are_reported_not_folded(tmp_path):
    result = import_text(tmp_path, '"Early" by A\nEpisode 1: P\n"Later" by B\n')
    assert songs_by_episode(result) == {1: ['"Later" by B']}
    assert [(u.line, u.text) for u in result.unreadable] == [(1, '"Early" by A')]
    assert "before the first episode heading" in result.unreadable[0].reason


def test_songs_under_a_heading_without_a_number_are_reported_not_folded(tmp_path):
    text = 'Episode 1: P\n"One" by A\nEpisode: Lost\n"Two" by B\nEpisode 2: Q\n"Three" by C\n'
    result = import_text(tmp_path, text)
    assert songs_by_episode(result) == {1: ['"One" by A'], 2: ['"Three" by C']}
    assert [u.line for u in result.unreadable] == [3, 4]
    assert "no episode number" in result.unreadable[0].reason
    assert "heading on line 3" in result.unreadable[1].reason


def test_strict_fails_on_any_unreadable_line_and_writes_nothing(tmp_path):
    with pytest.raises(TracklistError) as caught:
        import_text(tmp_path, 'Episode 1: P\n"Fine" by A\n"Broken by B\n', strict=True)
    assert "--strict" in str(caught.value) and "line 3" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_dry_run_writes_nothing_and_says_what_it_would_write(tmp_path):
    result = import_text(tmp_path, 'Episode 1: P\n"Fine" by A\n', dry_run=True)
    assert not (tmp_path / "out").exists()
    summary = render_summary(result)
    assert summary.startswith(f"Dry run, nothing written: would write {tmp_path / 'out'}")
    assert "Next steps" not in summary


def test_json_has_the_documented_shape(tmp_path):
    text = 'Intro prose.\nEpisode 2: Pilot\n"One" by A\nMashup: "B" by X and "C" by Y\n"Bad by Z\n'
    data = json.loads(json.dumps(import_text(tmp_path, text).to_json()))
    assert data == {
        "out": str(tmp_path / "out"),
        "episodes": [{"number": 2, "title": "Pilot", "songs": 3}],
        "songs": 3,
        "unreadable": [{"line": 5, "text": '"Bad by Z', "reason": data["unreadable"][0]["reason"]}],
        "prose_lines": 1,
        "remarks": [],
        "warnings": [],
        "error": None,
    }
    assert "opening quote" in data["unreadable"][0]["reason"]


def test_the_summary_lists_episodes_unreadable_lines_and_next_steps_for_the_folder(tmp_path):
    out = tmp_path / "my season"
    text = 'Episode 1: P\n"One" by A\n"Bad\x1b[2J by Z\n'
    summary = render_summary(import_text(tmp_path, text, out=out))
    assert f"Wrote {out}: 1 episode, 1 song." in summary
    assert "Episode 1: P — 1 song" in summary
    assert 'line 3: "Bad\\x1b[2J by Z' in summary and "\x1b" not in summary
    assert f"soundtrack-playlists resolve '{out}'" in summary
    assert f"soundtrack-playlists sync '{out}'" in summary


def test_standard_input_is_a_source(tmp_path):
    options = ImportOptions(source="-", show="S", season=1, out=tmp_path / "out")
    result = run_import(options, stdin=io.BytesIO(b'Episode 1: P\n"One" by A\n'))
    assert result.source == "standard input" and result.songs == 1


def test_a_one_megabyte_line_in_an_article_is_reported_and_the_rest_imported(tmp_path):
    huge = '"' + '" by "' * 170_000
    result = import_text(tmp_path, f'Episode 1: P\n"One" by A\n{huge}\n"Two" by B\nprose {huge}\n')
    assert songs_by_episode(result) == {1: ['"One" by A', '"Two" by B']}
    assert [(u.line, len(u.text)) for u in result.unreadable] == [(3, 121)]
    assert "longest line read" in result.unreadable[0].reason
    assert result.prose_lines == 1


def test_a_file_that_is_not_utf8_is_read_as_windows_1252_and_said(tmp_path):
    source = tmp_path / "a.txt"
    source.write_bytes("Episode 1: P\n“Café” by Beyoncé\n".encode("cp1252"))
    result = run_import(ImportOptions(source=str(source), show="S", season=1, out=tmp_path / "o"))
    assert songs_by_episode(result) == {1: ['"Café" by Beyoncé']}
    assert any("Windows-1252" in remark for remark in result.remarks)


def test_a_file_neither_utf8_nor_windows_1252_names_the_line(tmp_path):
    source = tmp_path / "a.txt"
    source.write_bytes(b'Episode 1: P\n"Caf\x81" by A\n')  # 0x81 means nothing in cp1252
    with pytest.raises(SourceError, match=r"a.txt:2: the text is neither UTF-8 nor Windows-1252"):
        run_import(ImportOptions(source=str(source), show="S", season=1, out=tmp_path / "o"))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_with_a_byte_order_mark_is_read(tmp_path, codec):
    source = tmp_path / "notepad.txt"  # what Notepad saves as "Unicode"
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    source.write_bytes(bom + "Episode 1: P\r\n“Zoë” by Björk\r\n".encode(codec))
    result = run_import(ImportOptions(source=str(source), show="S", season=1, out=tmp_path / "o"))
    assert songs_by_episode(result) == {1: ['"Zoë" by Björk']}
    assert any("UTF-16" in remark for remark in result.remarks)


def test_a_missing_source_is_a_clear_error(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        run_import(ImportOptions(source=str(tmp_path / "nope.txt"), show="S", season=1))


# --- what --force may touch ---

ARTICLE_TEXT = 'Episode 1: P\n"One" by A\n'


def test_an_empty_existing_folder_needs_no_force(tmp_path):
    (tmp_path / "out").mkdir()
    import_text(tmp_path, ARTICLE_TEXT)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["episode-01.txt", "season.toml"]


def test_force_replaces_only_the_files_import_writes(tmp_path):
    out = tmp_path / "out"
    import_text(tmp_path, 'Episode 1: P\n"Old" by A\nEpisode 2: Q\n"Old" by B\n')
    (out / "lock.json").write_text("{}")
    (out / "notes.md").write_text("mine")
    import_text(tmp_path, ARTICLE_TEXT, force=True)
    assert sorted(p.name for p in out.iterdir()) == [
        "episode-01.txt",
        "lock.json",
        "notes.md",
        "season.toml",
    ]
    assert (out / "notes.md").read_text() == "mine" and (out / "lock.json").read_text() == "{}"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.import-")]


def test_force_refuses_a_folder_that_is_not_a_season_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    with pytest.raises(TracklistError, match="no season folder"):
        import_text(tmp_path, ARTICLE_TEXT, force=True)
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]


def test_force_refuses_tracklist_files_it_did_not_write(tmp_path):
    out = tmp_path / "out"
    import_text(tmp_path, ARTICLE_TEXT)
    (out / "bonus.txt").write_text("Episode 9: Bonus\n")
    with pytest.raises(TracklistError, match=r"import did not write \(bonus.txt\)"):
        import_text(tmp_path, ARTICLE_TEXT, force=True)


def test_force_never_writes_through_a_symlink(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    import_text(tmp_path, ARTICLE_TEXT, out=elsewhere)
    before = {p.name: p.read_text() for p in elsewhere.iterdir()}
    (tmp_path / "link").symlink_to(elsewhere)
    with pytest.raises(TracklistError, match="symbolic link"):
        import_text(tmp_path, 'Episode 1: P\n"New" by B\n', out=tmp_path / "link", force=True)
    assert {p.name: p.read_text() for p in elsewhere.iterdir()} == before


def test_force_refuses_an_episode_file_that_is_a_symlink(tmp_path):
    out = tmp_path / "out"
    import_text(tmp_path, ARTICLE_TEXT)
    target = tmp_path / "precious.txt"
    target.write_text("keep")
    (out / "episode-01.txt").unlink()
    (out / "episode-01.txt").symlink_to(target)
    with pytest.raises(TracklistError, match="is a link"):
        import_text(tmp_path, ARTICLE_TEXT, force=True)
    assert target.read_text() == "keep"


def test_a_page_nested_deeper_than_the_recursion_limit_still_imports(tmp_path):
    deep = "<div>" * 1500 + '<h2>Episode 1: Deep</h2><p>"Hurt" by Johnny Cash</p>' + "</div>" * 1500
    result = import_text(tmp_path, deep, name="deep.html")
    assert songs_by_episode(result) == {1: ['"Hurt" by Johnny Cash']}


# --- the `import` command ---


def test_import_command_prints_json_in_the_documented_shape(tmp_path):
    out = tmp_path / "s1"
    args = ["import", str(ARTICLE), *SHIPPED_ARGS, "--out", str(out), "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # warnings go to stderr
    assert set(data) == {
        "out", "episodes", "songs", "unreadable", "prose_lines", "remarks", "warnings", "error"
    }  # fmt: skip
    assert data["warnings"][-1] == "Episode 10: Finale has no songs"
    assert (data["out"], data["songs"], data["unreadable"]) == (str(out), 45, [])
    assert data["episodes"][0] == {"number": 1, "title": "Nellie and Sam", "songs": 7}
    assert data["prose_lines"] == 5  # two of them open with a quote


def test_import_command_reads_standard_input_and_names_the_folder_in_next_steps(tmp_path):
    out = tmp_path / "from-stdin"
    args = ["import", "-", "--show", "S", "--season", "1", "--out", str(out)]
    result = CliRunner().invoke(cli, args, input='Episode 1: P\n"One" by A\n"Two by B\n')
    assert result.exit_code == 0, result.output
    assert "Read standard input as text" in result.output
    assert 'line 3: "Two by B' in result.output and "opening quote" in result.output
    assert f"soundtrack-playlists resolve {out}" in result.output
    assert load_season(out).songs[0].title == "One"


def test_import_command_strict_exits_1_and_writes_nothing(tmp_path):
    out = tmp_path / "s1"
    args = ["import", "-", "--show", "S", "--season", "1", "--out", str(out), "--strict"]
    result = CliRunner().invoke(cli, args, input='Episode 1: P\n"One" by A\n"Two by B\n')
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "--strict" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_import_command_dry_run_and_order(tmp_path):
    out = tmp_path / "s1"
    args = ["import", "-", "--show", "S", "--season", "1", "--out", str(out), "--dry-run"]
    result = CliRunner().invoke(
        cli, [*args, "--order", "artist-title"], input="Episode 1: P\nPrince - Purple Rain\n"
    )
    assert result.exit_code == 0, result.output
    assert "would write" in result.output and "as --order says" in result.output
    assert not out.exists()


def test_import_command_says_when_a_url_cannot_be_reached(tmp_path):
    import socket

    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    args = ["import", f"http://127.0.0.1:{port}/list.html", "--show", "S", "--season", "1"]
    result = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "s1")])
    assert result.exit_code == 1 and "could not connect" in result.output
    assert "Traceback" not in result.output
