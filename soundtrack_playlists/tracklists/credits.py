"""Artist credits: one credit text in, the separate artists out, band names kept whole."""

from __future__ import annotations

from soundtrack_playlists.text import fold

# Words that join two credited artists, matched as whole words case-insensitively, except
# "x" (a collaboration sign only in lower case: "Malcolm X" is one artist). A comma before
# "featuring" is part of the joiner: `A, feat. B`.
_JOINERS = frozenset({"featuring", "feat.", "feat", "ft.", "ft", "with", "&"})
_CASED_JOINERS = frozenset({"x", "×"})

# Names that contain a joiner but are one act. `X & the Y` and `X & His Y` are always kept
# whole; the resolver's any-artist rule carries the rest, so this list needs only well-known ones.
KEPT_WHOLE = frozenset(
    fold(name)
    for name in (
        "Simon & Garfunkel",
        "Earth, Wind & Fire",
        "Tyler, The Creator",
        "Crosby, Stills & Nash",
        "Crosby, Stills, Nash & Young",
        "Hall & Oates",
        "Daryl Hall & John Oates",
        "Mumford & Sons",
        "Kool & the Gang",
        "Sam & Dave",
        "Ike & Tina Turner",
        "Peaches & Herb",
        "Sonny & Cher",
        "Brooks & Dunn",
        "Big & Rich",
        "Iron & Wine",
        "Belle & Sebastian",
        "Captain & Tennille",
        "Ashford & Simpson",
        "Chase & Status",
        "Years & Years",
        "Marina & the Diamonds",
        "Zager & Evans",
        "Matt & Kim",
        "Nico & Vinz",
        "Chloe x Halle",
        "Lilo & Stitch",
    )
)


# Names kept whole that hold a comma: a credit is not split inside them.
_COMMA_NAMES = tuple(name for name in KEPT_WHOLE if ", " in name)


def split_credits(text: str, *, commas: bool = True) -> tuple[str, ...]:
    """`A featuring B & C` → (A, B, C); `A, B` → (A, B); `Simon & Garfunkel` and
    `Tyler, The Creator` stay one artist. One pass over the words, one over the commas."""
    parts = _comma_parts(text) if commas else [text]
    return tuple(artist for part in parts for artist in _split_joiners(part))


def _comma_parts(text: str) -> list[str]:
    """`Birdman, Lil Wayne` → two credits; a name kept whole keeps its commas."""
    if ", " not in text or fold(text) in KEPT_WHOLE:
        return [text]
    parts: list[str] = []
    for piece in text.split(", "):
        head = piece.split(" ", 1)[0].lower()
        if parts and (head in _JOINERS or _inside_a_name(f"{parts[-1]}, {piece}")):
            parts[-1] = f"{parts[-1]}, {piece}"
        else:
            parts.append(piece)
    return parts


def _inside_a_name(joined: str) -> bool:
    """Whether the comma just read is inside a name kept whole (`Tyler, The Creator`)."""
    tail = fold(_split_joiners(joined.split(", ")[0])[-1] + ", " + joined.split(", ", 1)[1])
    return any(name.startswith(tail) or tail.startswith(name + " ") for name in _COMMA_NAMES)


def _split_joiners(text: str) -> tuple[str, ...]:
    groups: list[list[str]] = [[]]
    joiners: list[str] = []
    for word in text.split():
        if groups[-1] and (word.lower() in _JOINERS or word in _CASED_JOINERS):
            joiners.append(word)
            groups.append([])
        else:
            groups[-1].append(word)
    parts = [" ".join(words) for words in groups]
    artists = [parts[0]]
    for joiner, part in zip(joiners, parts[1:], strict=True):
        joined = f"{artists[-1]} {joiner} {part}"
        if _kept_whole(joined, joiner, part):
            artists[-1] = joined
        else:
            artists.append(part)
    # `A, feat. B`: the comma belongs to the joiner, not to the first artist.
    return tuple(artist.rstrip(",").strip() for artist in artists)


def _kept_whole(joined: str, joiner: str, after: str) -> bool:
    if fold(joined) in KEPT_WHOLE:
        return True
    if joiner == "&" and fold(after) in ("company", "co.", "co", "friends"):
        return True  # `Shirley & Company`
    return joiner == "&" and fold(after).startswith(("the ", "his ", "her ", "their "))
