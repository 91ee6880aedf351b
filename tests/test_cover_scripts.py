"""Covers in every script: text is drawn in a font that has it, or left off; never as boxes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PIL import ImageDraw, ImageFont

from soundtrack_playlists import covers
from soundtrack_playlists.covers import CoverSpec, draw_cover, is_emoji

TITLES = {
    "cjk": ("深夜食堂", "東京の夜 ラーメン 🍜"),
    "cyrillic": ("Саундтрек", "Москва — ночь"),
    "arabic": ("موسيقى", "ليلة في القاهرة"),
    "emoji": ("Party Show 🎉", "Dance 👍🏽 All Night 👨‍👩‍👧 ❤️"),
}
MISSING = "\U0010fffd"  # a private-use character no font has: drawn as the .notdef box


def drawn_text(spec: CoverSpec, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object]]:
    """Every (text, font) the cover draws, as Pillow is asked to draw it."""
    calls: list[tuple[str, object]] = []
    real = ImageDraw.ImageDraw.text

    def text(self, xy, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append((text, kwargs.get("font")))
        return real(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", text)
    draw_cover(spec)
    monkeypatch.undo()
    return calls


def is_box(font: ImageFont.FreeTypeFont, char: str) -> bool:
    """The glyph drawn for `char` is the font's missing-glyph box."""
    return not char.isspace() and bytes(font.getmask(char)) == bytes(font.getmask(MISSING))


@pytest.fixture(params=["with the fallbacks found here", "with no fallback font at all"])
def fallbacks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Both machines: whatever fonts this one has, and a fresh one with only ours (CI)."""
    if request.param == "with no fallback font at all":
        monkeypatch.setattr(covers, "fallback_font_files", lambda: ())
    covers._font.cache_clear()
    yield
    covers._font.cache_clear()


@pytest.mark.parametrize("script", sorted(TITLES))
def test_no_glyph_is_drawn_as_a_box_and_no_emoji_is_drawn(
    script: str, fallbacks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    show, title = TITLES[script]
    spec = CoverSpec(show, 1, 2, title, year=2019)
    calls = drawn_text(spec, monkeypatch)
    assert calls
    boxes = [(char, text) for text, font in calls for char in text if is_box(font, char)]
    assert not boxes
    assert not [char for text, _ in calls for char in text if is_emoji(char)]


def test_cyrillic_and_arabic_are_drawn_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    for show, title in (TITLES["cyrillic"], TITLES["arabic"]):
        drawn = "".join(text for text, _ in drawn_text(CoverSpec(show, 1, 2, title), monkeypatch))
        assert all(char in drawn for char in (show.upper() + title).replace(" ", ""))


def test_emoji_leave_the_rest_of_the_title(monkeypatch: pytest.MonkeyPatch) -> None:
    show, title = TITLES["emoji"]
    drawn = " ".join(text for text, _ in drawn_text(CoverSpec(show, 1, 2, title), monkeypatch))
    assert "PARTY SHOW" in drawn and "Dance" in drawn and "All Night" in drawn


def test_the_whole_show_playlist_gets_its_own_cover(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = CoverSpec("Soundtrack", 0, whole_show=True)
    drawn = " ".join(text for text, _ in drawn_text(spec, monkeypatch))
    assert "All seasons" in drawn and "Season 0" not in drawn
    assert spec.digest() != CoverSpec("Soundtrack", 0).digest()
