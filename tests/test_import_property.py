"""Property: any season written out as an article, in any heading and line style, imports back."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soundtrack_playlists.importing.importer import ImportOptions, run_import
from soundtrack_playlists.models import MASHUP, MEDLEY, Song
from soundtrack_playlists.tracklists.canonical import render_song_line
from soundtrack_playlists.tracklists.folders import load_season
from soundtrack_playlists.tracklists.headings import NUMBER_WORDS

# Words a title or a name may hold, tricky ones included: "by" and "and" inside names, dots of
# abbreviations and initials, apostrophes, accents, "&" before "the".
_WORDS = st.one_of(
    # Not the credit words ("Ft", "With", "Feat"): a name holding one as a word is split there,
    # by design; the resolver's any-artist rule then still finds the track.
    st.from_regex(r"[A-Z][a-z]{1,7}", fullmatch=True).filter(
        lambda word: word.lower() not in {"ft", "feat", "with", "featuring"}
    ),
    st.sampled_from(
        ["by", "and", "the", "of", "Jr.", "R.E.M.", "St.", "Don't", "Zoë", "Björk", "P!nk", "2U"]
    ),
)
_TITLE_EXTRAS = st.sampled_from(["(Live)", "Que Sera, Sera", "//", "Rock 'n' Roll", "Mr. Blue"])
_TITLES = st.lists(st.one_of(_WORDS, _TITLE_EXTRAS), min_size=1, max_size=5).map(" ".join)
_ARTISTS = st.lists(_WORDS, min_size=1, max_size=4).map(" ".join)
_NOTES = st.one_of(
    st.none(),
    st.sampled_from(["cast", "plays over the credits", "Scene: the diner", "in the bar; reprise"]),
)
_PINS = st.from_regex(r"spotify:track:[0-9A-Za-z]{22}", fullmatch=True)


@st.composite
def song_lines(draw: st.DrawFn) -> tuple[Song, ...]:
    """The songs of one line: a song, a mashup, or a medley of either kind."""
    kind = draw(st.sampled_from(["song", "song", "song", MASHUP, MEDLEY, "one-title medley"]))
    if kind == "one-title medley":
        title, note = draw(_TITLES), draw(_NOTES)
        artists = draw(st.lists(_ARTISTS, min_size=2, max_size=3, unique=True))
        songs = [Song(title, (artist,), group=MEDLEY, note=note) for artist in artists]
    else:
        count = 1 if kind == "song" else draw(st.integers(2, 3))
        songs = [
            Song(
                draw(_TITLES),
                tuple(draw(st.lists(_ARTISTS, min_size=1, max_size=3))),
                group=None if kind == "song" else kind,
                note=draw(_NOTES),
            )
            for _ in range(count)
        ]
    if draw(st.booleans()):
        songs = [Song(s.title, s.artists, draw(_PINS), s.group, s.note) for s in songs]
    return tuple(songs)


@st.composite
def seasons(draw: st.DrawFn) -> list[tuple[int, str, list[tuple[Song, ...]]]]:
    numbers = draw(st.lists(st.integers(1, 40), min_size=1, max_size=5, unique=True))
    # An episode with no songs is warned about and fails --strict: see test_importer.
    return [
        (number, draw(_TITLES), draw(st.lists(song_lines(), min_size=1, max_size=4)))
        for number in numbers
    ]


_WORD_OF = {value: word for word, value in NUMBER_WORDS.items() if "-" not in word}
_HEADINGS = [
    "Episode {n}: {t}",
    "Episode {n} – “{t}”",
    "Episode {n} - {t}",
    "## Episode {n}: {t}",
    "**Episode {n}: {t}**",
    "S01E{n:02d} - {t}",
    "1x{n:02d} {t}",
    "Season 1, Episode {n}: {t}",
    "Ep. {n}: {t}",
    "Episode {word}: {t}",
]
_PROSE = [
    "",
    "The scene that follows is the best of the season.",
    "A paragraph of prose sits here, with a dash – and the word by in it, as prose does.",
]


def article_of(season: list[tuple[int, str, list[tuple[Song, ...]]]], draw: st.DrawFn) -> str:
    lines = ["Every song of the season, episode by episode", ""]
    for number, title, line_songs in season:
        style = draw(st.sampled_from(_HEADINGS))
        if "{word}" in style and number not in _WORD_OF:
            style = _HEADINGS[0]
        lines += [style.format(n=number, t=title, word=_WORD_OF.get(number, "")), ""]
        for index, songs in enumerate(line_songs, start=1):
            marker = draw(st.sampled_from(["", "", f"{index}. ", "- ", "• "]))
            line = render_song_line(songs)
            if draw(st.booleans()) and songs[0].group is None:
                line = "“" + line[1:].replace('" by ', "” by ", 1)  # what a browser copies
            lines.append(marker + line)
            lines.append(draw(st.sampled_from(_PROSE)))
    return "\n".join(lines) + "\n"


def fields(song: Song) -> tuple:
    return (song.title, song.artists, song.group, song.note, song.pin)


@pytest.mark.slow  # run by .ci/run: pytest -m slow
@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(season=seasons(), data=st.data())
def test_a_season_written_as_an_article_imports_back_the_same(season, data):
    article = article_of(season, data.draw)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "season-1"
        options = ImportOptions(source="-", show="Property", season=1, out=out, strict=True)
        run_import(options, stdin=io.BytesIO(article.encode("utf-8")))
        imported = load_season(out)
    expected = [
        (number, title, [fields(song) for songs in line_songs for song in songs])
        for number, title, line_songs in sorted(season)
    ]
    got = [(e.number, e.title, [fields(s) for s in e.songs]) for e in imported.episodes]
    assert got == expected, article


# --- articles in mixed styles: the forms pages use, tables, separators and list markers ---

_MORE_HEADINGS = [
    *_HEADINGS,
    "S1 · E{n} {t}",
    "Episode {n} — {t}",
    "Episode {n} “{t}” is where the season turns",
]
_DASHES = [" – ", " — ", " - "]
_MARKERS = ["", "", "1. ", "- ", "• ", "* "]


def _plain(songs: tuple[Song, ...]) -> bool:
    """One song with no group, pin or note: every form of a line can hold it."""
    return len(songs) == 1 and songs[0].group is None and not songs[0].pin and not songs[0].note


def _form_of(songs: tuple[Song, ...], draw: st.DrawFn) -> str:
    """One song line in a form pages use; canonical for what only the grammar's form holds."""
    line = render_song_line(songs)
    if not _plain(songs):
        return line
    song = songs[0]
    credit, dash = " featuring ".join(song.artists), draw(st.sampled_from(_DASHES))
    return draw(
        st.sampled_from(
            [
                line,
                f"“{song.title}” by {credit}",
                f"“{song.title}”{dash}{credit}",
                f"{credit}{dash}“{song.title}”",
                f"Song: “{song.title}” by {credit}",
                f"🎵 “{song.title}” by {credit} 🎵",
            ]
        )
    )


def _table_of(line_songs: list[tuple[Song, ...]], draw: st.DrawFn) -> list[str]:
    scene = draw(st.booleans())
    rows = ["| # | Song | Artist |" + (" Scene |" if scene else ""), "|---|---|---|"]
    rows[1] += "---|" if scene else ""
    for index, songs in enumerate(line_songs, start=1):
        (song,) = songs
        cells = [str(index), song.title, " featuring ".join(song.artists)]
        rows.append("| " + " | ".join(cells + ([""] if scene else [])) + " |")
    return rows


def mixed_article_of(season: list[tuple[int, str, list[tuple[Song, ...]]]], draw: st.DrawFn) -> str:
    lines = ["# Every song of the season, episode by episode", ""]
    for number, title, line_songs in season:
        style = draw(st.sampled_from(_MORE_HEADINGS))
        if "{word}" in style and number not in _WORD_OF:
            style = _MORE_HEADINGS[0]
        lines += [style.format(n=number, t=title, word=_WORD_OF.get(number, "")), ""]
        if all(_plain(songs) for songs in line_songs) and draw(st.booleans()):
            lines += [*_table_of(line_songs, draw), ""]
            continue
        for songs in line_songs:
            lines.append(draw(st.sampled_from(_MARKERS)) + _form_of(songs, draw))
            lines.append(draw(st.sampled_from(_PROSE)))
    return "\n".join(lines) + "\n"


@pytest.mark.slow  # run by .ci/run: pytest -m slow
@settings(
    max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(season=seasons(), data=st.data())
def test_a_season_written_in_mixed_styles_imports_back_the_same(season, data):
    article = mixed_article_of(season, data.draw)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "season-1"
        options = ImportOptions(source="-", show="Property", season=1, out=out, strict=True)
        run_import(options, stdin=io.BytesIO(article.encode("utf-8")))
        imported = load_season(out)
    expected = [
        (number, title, [fields(song) for songs in line_songs for song in songs])
        for number, title, line_songs in sorted(season)
    ]
    got = [(e.number, e.title, [fields(s) for s in e.songs]) for e in imported.episodes]
    assert got == expected, article
