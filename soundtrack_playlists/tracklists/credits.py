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


def split_credits(text: str) -> tuple[str, ...]:
    """`A featuring B & C` → (A, B, C); `Simon & Garfunkel` stays one artist. One pass."""
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
    return joiner == "&" and fold(after).startswith(("the ", "his ", "her ", "their "))
