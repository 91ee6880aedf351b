from __future__ import annotations

import pytest

from soundtrack_playlists.text import fold, plural, same_api


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Céline", "celine"),
        ("CELINE", "celine"),
        ("Beyoncé", "beyonce"),
        ("Straße", "strasse"),
        ("MØ", "mo"),  # a letter no accent decomposes
        ("Æther", "aether"),
        ("Łona", "lona"),
        ("Đorđe", "dorde"),
        ("Кино", "кино"),  # other scripts keep their own letters
        ("東京事変", "東京事変"),
    ],
)
def test_fold_drops_case_and_accents(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(("count", "expected"), [(0, "0 tracks"), (1, "1 track"), (2, "2 tracks")])
def test_plural_follows_the_count(count: int, expected: str) -> None:
    assert plural(count, "track") == expected


def test_plural_takes_an_irregular_plural() -> None:
    assert plural(3, "entry", "entries") == "3 entries"
    assert plural(1, "entry", "entries") == "1 entry"


def test_same_api_ignores_a_trailing_slash_only() -> None:
    assert same_api("https://api.spotify.com/v1/", "https://api.spotify.com/v1")
    assert not same_api("https://api.spotify.com/v1/", "http://127.0.0.1:8765/v1/")
