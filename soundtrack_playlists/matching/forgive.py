"""What people get wrong and matching forgives: typos, British/US spelling, "The", a surname."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

# Whole-word spelling variants, read as the US form ("grey" -> "gray"); besides the rules below.
_VARIANTS = {
    "grey": "gray",
    "greys": "grays",
    "catalogue": "catalog",
    "dialogue": "dialog",
    "monologue": "monolog",
    "analogue": "analog",
    "programme": "program",
    "cheque": "check",
    "tyre": "tire",
    "tyres": "tires",
    "pyjamas": "pajamas",
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "pretence": "pretense",
    "plough": "plow",
    "mould": "mold",
    "smoulder": "smolder",
    "smouldering": "smoldering",
    "sceptic": "skeptic",
    "aeroplane": "airplane",
    "aeroplanes": "airplanes",
    "doughnut": "donut",
    "jewellery": "jewelry",
    "whisky": "whiskey",
    "nite": "night",
    "tonite": "tonight",
    "thru": "through",
    "til": "till",
    "n": "and",  # rock 'n' roll
    "centre": "center",
    "theatre": "theater",
    "metre": "meter",
    "litre": "liter",
    "fibre": "fiber",
    "sombre": "somber",
    "spectre": "specter",
    "lustre": "luster",
    "calibre": "caliber",
    "meagre": "meager",
    "sabre": "saber",
}
# Rules for whole families: colour/color, realise/realize, travelling/traveling.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^([a-z]{3,})our(s|ed|ing|ite|ites|able|ful|less)?$"), r"\1or\2"),
    (re.compile(r"^([a-z]{4,})is(e|es|ed|ing|er|ers|ation|ations)$"), r"\1iz\2"),
    (re.compile(r"^([a-z]{3,})ys(e|es|ed|ing)$"), r"\1yz\2"),
    (re.compile(r"^([a-z]{2,}[aeiou][a-z]?)ll(ing|ed|er|ers)$"), r"\1l\2"),
)
# A word that another word plus one of these ends in is another word, not a typo of it.
_INFLECTIONS = ("s", "es", "d", "ed", "r", "er", "y", "n", "in", "ing")
_QWERTY = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_AT = {key: (row, col) for row, keys in enumerate(_QWERTY) for col, key in enumerate(keys)}
MIN_TYPO_WORD = 5  # shorter words have too many real neighbours one letter away


def us_spelling(word: str) -> str:
    """The US spelling of a normalised word, so spelling variants compare equal."""
    if word in _VARIANTS:
        return _VARIANTS[word]
    for pattern, replacement in _RULES:
        if pattern.match(word):
            return pattern.sub(replacement, word)
    return word


def _adjacent_keys(a: str, b: str) -> bool:
    if a not in _KEY_AT or b not in _KEY_AT:
        return False
    (row_a, col_a), (row_b, col_b) = _KEY_AT[a], _KEY_AT[b]
    return abs(row_a - row_b) <= 1 and abs(col_a - col_b) <= 1


def _inflection(short: str, long: str) -> bool:
    return long.startswith(short) and long[len(short) :] in _INFLECTIONS


def is_typo(written: str, right: str) -> bool:
    """Whether `written` is `right` with one slip of the hand, not another word.

    Forgiven: two neighbouring letters swapped, one letter left out (not an ending), a
    letter doubled or struck beside its neighbour, or a neighbouring key hit instead.
    Never forgiven: words under five letters, inflections ("smile"/"smiles", "love"/"loved"),
    and any other change of letter ("losing"/"loving" are both words).
    """
    if written == right or min(len(written), len(right)) < MIN_TYPO_WORD:
        return False
    if _inflection(written, right) or _inflection(right, written):
        return False
    if len(written) == len(right):
        diff = [i for i, (a, b) in enumerate(zip(written, right, strict=True)) if a != b]
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            i = diff[0]
            return written[i] == right[i + 1] and written[i + 1] == right[i]
        return len(diff) == 1 and diff[0] > 0 and _adjacent_keys(written[diff[0]], right[diff[0]])
    if abs(len(written) - len(right)) != 1:
        return False
    longer, shorter = (written, right) if len(written) > len(right) else (right, written)
    for i in range(len(longer)):
        if longer[:i] + longer[i + 1 :] == shorter:
            if longer is right:
                return 0 < i < len(longer) - 1  # a letter left out inside the word
            extra, before = longer[i], longer[i - 1] if i else ""
            after = longer[i + 1] if i + 1 < len(longer) else ""
            return extra in (before, after) or _adjacent_keys(extra, before or after)
    return False


class Forgiven(NamedTuple):
    """Two texts read as equal despite a human slip, and the slip, for the explanation."""

    equal: bool
    reason: str = ""


def _words_differ(
    a: list[str], b: list[str], same: Callable[[str, str], bool]
) -> list[tuple[str, str]] | None:
    """The word pairs that differ, when a and b align word for word; None if they don't."""
    if len(a) != len(b):
        return None
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return pairs if all(same(x, y) for x, y in pairs) else None


def forgive(written: str, right: str) -> Forgiven:
    """Two normalised texts equal but for spelling variants, a "the" or one typo.

    One typo at most, in a word of five letters or more.
    """
    if written == right or not written or not right:
        return Forgiven(written == right and bool(written))
    a, b = written.split(), right.split()
    variants = _words_differ(a, b, lambda x, y: us_spelling(x) == us_spelling(y))
    if variants:
        shown = ", ".join(f"{x} = {y}" for x, y in variants)
        return Forgiven(True, f"spelling variant ({shown})")
    without_a = [w for w in a if w != "the"]
    without_b = [w for w in b if w != "the"]
    if without_a == without_b and without_a:
        return Forgiven(True, 'a "the" missing or extra')
    a_us = [us_spelling(w) for w in without_a]
    b_us = [us_spelling(w) for w in without_b]
    typos = _words_differ(a_us, b_us, is_typo)
    if typos and len(typos) == 1:
        x, y = typos[0]
        return Forgiven(True, f"typo ({x} = {y})")
    return Forgiven(False)


# Words that make a name a band's or a title rather than a person's: "My Chemical Romance".
_NOT_A_PERSON = frozenset(
    "my the a an of and in on at to for from with band boys girls brothers sisters orchestra "
    "group crew club project quartet trio choir cast sounds kids".split()
)


def surname(written: str, right: str) -> Forgiven:
    """An artist written by surname alone: "hendrix" for "jimi hendrix".

    Only for names of two or three words that read like a person's (no "My", "The", "Band").
    """
    words = right.split()
    if (
        " " not in written
        and len(written) >= MIN_TYPO_WORD - 1
        and 2 <= len(words) <= 3
        and words[-1] == written
        and not _NOT_A_PERSON.intersection(words)
    ):
        return Forgiven(True, f"artist by surname ({written} = {right})")
    return Forgiven(False)
