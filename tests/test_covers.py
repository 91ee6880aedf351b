"""Generated covers: square JPEGs under Spotify's limit, the same bytes for the same inputs."""

from __future__ import annotations

import io

from PIL import Image

from soundtrack_playlists.covers import (
    MAX_UPLOAD_BYTES,
    SIZE,
    CoverSpec,
    fit,
    palette_for,
    render_cover,
    upload_size,
)

EPISODE = CoverSpec("Soundtrack", 1, 3, "Sometimes It Snows in April", year=2019)
SEASON = CoverSpec("Soundtrack", 1, None, year=2019)


def test_an_episode_cover_is_a_square_jpeg_under_the_upload_limit():
    jpeg = render_cover(EPISODE)
    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG"
    assert image.size == (SIZE, SIZE) == (640, 640)
    assert image.mode == "RGB"
    assert upload_size(jpeg) <= MAX_UPLOAD_BYTES  # the base64 form is what Spotify counts
    assert len(jpeg) < 256 * 1024


def test_the_season_cover_and_a_long_title_fit_too():
    long_title = "A Title So Long That It Cannot Possibly Fit " * 4
    for spec in (
        SEASON,
        CoverSpec("A Show With An Unusually Long Name, Really", 12, 24, long_title),
    ):
        jpeg = render_cover(spec)
        assert Image.open(io.BytesIO(jpeg)).size == (SIZE, SIZE)
        assert upload_size(jpeg) <= MAX_UPLOAD_BYTES


def test_the_same_inputs_give_the_same_bytes_and_other_inputs_other_bytes():
    assert render_cover(EPISODE) == render_cover(CoverSpec(**vars(EPISODE)))
    assert render_cover(EPISODE) != render_cover(CoverSpec("Soundtrack", 1, 3, "Another Title"))


def test_the_digest_follows_every_input():
    assert EPISODE.digest() == CoverSpec(**vars(EPISODE)).digest()
    changed = [
        CoverSpec("Soundtrack", 1, 3, "Sometimes It Snows in May", year=2019),
        CoverSpec("Soundtrack", 1, 4, "Sometimes It Snows in April", year=2019),
        CoverSpec("Soundtrack", 2, 3, "Sometimes It Snows in April", year=2019),
        CoverSpec("Other Show", 1, 3, "Sometimes It Snows in April", year=2019),
    ]
    assert len({EPISODE.digest(), *(spec.digest() for spec in changed)}) == 5


def test_a_show_keeps_its_colours_and_other_shows_get_others():
    assert palette_for("Soundtrack") == palette_for("SOUNDTRACK")  # folded: same show
    assert palette_for("Soundtrack") != palette_for("Grey's Anatomy")
    top_left = {
        Image.open(io.BytesIO(render_cover(spec))).getpixel((2, 2))
        for spec in (EPISODE, SEASON, CoverSpec("Soundtrack", 1, 9, "Else"))
    }
    assert len(top_left) == 1  # a show's playlists share their ground: a set


def test_fit_shrinks_then_cuts_with_an_ellipsis():
    font, lines = fit("Short", width=500, lines=1, sizes=range(60, 20, -10))
    assert lines == ["Short"] and font.size == 60
    font, lines = fit("word " * 200, width=300, lines=2, sizes=range(40, 20, -10))
    assert len(lines) == 2 and lines[-1].endswith("…") and font.size == 30
    assert all(font.getlength(line) <= 300 for line in lines)
