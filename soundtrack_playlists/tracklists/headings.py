"""Episode headings as people write them: one line in, an episode number and title out (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from soundtrack_playlists.tracklists.grammar import (
    DOUBLE_QUOTES,
    SINGLE_QUOTES,
    GrammarError,
    single_spaced,
)
from soundtrack_playlists.tracklists.lines import MAX_LINE_LENGTH

MAX_HEADING_TITLE_LENGTH = 150

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS: dict[str, int] = {word: value for value, word in enumerate(_UNITS)}
NUMBER_WORDS.update({word: 20 + 10 * index for index, word in enumerate(_TENS)})
NUMBER_WORDS.update(
    {
        f"{tens}-{unit}": 20 + 10 * index + value
        for index, tens in enumerate(_TENS)
        for value, unit in enumerate(_UNITS[1:10], start=1)
    }
)

# Anchored, bounded and single-spaced input: linear time.
_SEASON_EPISODE = re.compile(
    r"^s(?P<season>\d{1,3})(?: ?[·•] ?| )?e(?P<number>\d{1,4})(?=$|[ :.,\-–—|])", re.I
)
_CROSS = re.compile(r"^(?P<season>\d{1,3})x(?P<number>\d{1,4})(?=$|[ :.,\-–—|])", re.I)
_SEASON_PREFIX = re.compile(r"^season (?P<season>\d{1,3})(?:,| -| –| —|:)? ", re.I)
_EPISODE_WORD = re.compile(r"^(?:episode|ep\.|ep)(?: |(?=[\d:]))", re.I)
_MARKDOWN_HEADING = re.compile(r"^#{1,6} ")
_SEPARATORS = ":.,-–—|"


@dataclass(frozen=True)
class Heading:
    number: int
    title: str


def parse_heading(text: str, *, marked: bool = False) -> Heading | None:
    """`Episode 3: Title` and its cousins → Heading; None for a line that is no heading.

    `marked` says the source already calls the line a heading (an HTML <h2>, say): then
    `Episode 3 Title` needs no separator. A Markdown `##` or a bold line counts as marked.
    """
    if len(text) > MAX_LINE_LENGTH:
        return None
    body = " ".join(text.split())
    if _MARKDOWN_HEADING.match(body):
        body, marked = body[body.index(" ") + 1 :], True
    if "**" in body or body.startswith("__"):
        body, marked = body.replace("**", "").replace("__", "").strip(), True
    found = _number_and_rest(body)
    if found is None:
        return None
    number, rest, needs_separator = found
    if number is None:
        raise GrammarError(
            "this episode heading has no episode number: expected `Episode 3: Title`"
        )
    separated = rest[:1] in tuple(_SEPARATORS) or rest[:2].strip()[:1] in tuple(_SEPARATORS)
    title = _title(rest)
    if needs_separator and not (marked or separated or _quoted_head(rest.strip()) or not rest):
        return None  # "Episode 3 was the best of the season": prose
    if len(title) > MAX_HEADING_TITLE_LENGTH:
        return None
    if not title and not rest.strip():
        title = f"Episode {number}"  # `Season 1, Episode 1` alone: `Episode 3:` still wants a title
    if not title:
        raise GrammarError("the episode heading has no title: expected `Episode N: Title`")
    single_spaced(title)  # a heading may not hide control characters either
    return Heading(number, title)


def _number_and_rest(body: str) -> tuple[int | None, str, bool] | None:
    """The episode number, the text after it, and whether a separator must follow it."""
    for pattern in (_SEASON_EPISODE, _CROSS):
        if match := pattern.match(body):
            return int(match["number"]), body[match.end() :], False
    if match := _SEASON_PREFIX.match(body):
        body = body[match.end() :]
        if not _EPISODE_WORD.match(body):
            return None
    match = _EPISODE_WORD.match(body)
    if not match:
        return None
    rest = body[match.end() :]
    token, _, after = rest.partition(" ")
    word = token.rstrip(_SEPARATORS)
    if word.isdigit() and len(word) <= 4:
        return int(word), rest[len(word) :], True
    if word.lower() in _TENS and after:
        unit, _, _ = after.partition(" ")
        combined = f"{word.lower()}-{unit.rstrip(_SEPARATORS).lower()}"
        if combined in NUMBER_WORDS:
            consumed = len(word) + 1 + len(unit.rstrip(_SEPARATORS))
            return NUMBER_WORDS[combined], rest[consumed:], True
    if word.lower() in NUMBER_WORDS:
        return NUMBER_WORDS[word.lower()], rest[len(word) :], True
    if token.endswith(":"):
        return None, rest, True  # `Episode: Title`, `Episode ?: Title`: a heading, no number
    return None


def _title(rest: str) -> str:
    title = rest.strip().lstrip(_SEPARATORS).strip()
    if _is_quoted(title):
        title = title[1:-1].strip()
    elif quoted := _quoted_head(title):  # `Episode 4 "Homecoming" was the best hour`
        title = quoted
    return title.rstrip(":").strip()


def _quoted_head(text: str) -> str | None:
    """The quoted title a heading opens with, when a sentence follows it."""
    if len(text) < 2 or text[0] not in DOUBLE_QUOTES:
        return None
    closing = next((i for i in range(1, len(text)) if text[i] in DOUBLE_QUOTES), -1)
    if closing < 2 or (closing + 1 < len(text) and text[closing + 1] not in " ,.:;!?"):
        return None
    quoted = text[1:closing].strip()
    return quoted if quoted and len(quoted.split()) <= 10 else None


def _is_quoted(text: str) -> bool:
    """`"Pilot"`, `‘Pilot’`: one pair of quotes of one kind around it all (`'TVD': Music from
    "Memorial"` opens and ends with quotes, but two different pairs)."""
    if len(text) < 2:
        return False
    for family in (DOUBLE_QUOTES, SINGLE_QUOTES):
        if text[0] in family and text[-1] in family:
            return not any(char in family for char in text[1:-1])
    return False
