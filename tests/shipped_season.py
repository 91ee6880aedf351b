"""The shipped season as the demo catalog resolves it: known tracks, checked by hand.

End-to-end tests compare the playlists a sync makes with these ids, never with a rule that
re-derives them from the code under test.
"""

from __future__ import annotations

EPISODE_PLAYLISTS = {
    "Soundtrack S1E01 · Nellie and Sam": 1,
    "Soundtrack S1E02 · Joanna and Nellie": 2,
    "Soundtrack S1E03 · Sam and Dante": 3,
    "Soundtrack S1E04 · Margot and Frankie": 4,
    "Soundtrack S1E05 · Dante and Annette": 5,
    "Soundtrack S1E06 · Joanna and Eleanor": 6,
    "Soundtrack S1E07 · Sam and Frank": 7,
    "Soundtrack S1E08 · Gigi and Jean": 8,
    "Soundtrack S1E09 · Margot and Annette": 9,
}
SEASON_PLAYLIST = "Soundtrack · Season 1 (2019)"

# episode -> the tracks of its songs, in tracklist order (each: title — artists)
EPISODE_TRACKS: dict[int, tuple[str, ...]] = {
    1: (
        "spotify:track:6kwAbEjseqBob48jCus7Sz",  # Elastic Heart — Sia
        "spotify:track:0SYNTHETICbl9SJt1fm2EH",  # Between Me And You — Brandon Flowers
        "spotify:track:0SYNTHETICnt7aWwilv21U",  # Love Is A Losing Game — Amy Winehouse
        "spotify:track:0SYNTHETICRSbPFb8rudYn",  # Smile — Nat King Cole
        "spotify:track:0SYNTHETICmepdtXm3BbHQ",  # Houston We Have A Problem — Pacific Electric
        "spotify:track:2Kgm7u0NqBWaD2FY8vZGk7",  # Sorry Not Sorry — Demi Lovato
        "spotify:track:0pqnGHJpmpxLKifKRmU6WP",  # Believer — Imagine Dragons
    ),
    2: (
        "spotify:track:0SYNTHETICwIvTVRDArtJU",  # Heat — Kelly Clarkson
        "spotify:track:0SYNTHETICQ6ymO4BeYrbH",  # Never Gonna Happen — Lily Allen
        "spotify:track:0SYNTHETICFIRhuQwxPlid",  # Crash And Burn Girl — Robyn
        "spotify:track:4fwbGKNExPtPHbor1TBSY4",  # Unconditionally — Katy Perry
        "spotify:track:0SYNTHETICuJwCdBBOtwzE",  # Mercy — Duffy
    ),
    3: (
        "spotify:track:0SYNTHETICfVZi31VMg4ZF",  # Deep In A Dream — Chet Baker
        "spotify:track:0SYNTHETICAewgTVYkQtz6",  # Morning View — Towkio, SZA
        "spotify:track:0SYNTHETICKQjHTrZFXZnd",  # Simple Things — Miguel
        "spotify:track:1k1Bqnv2R0uJXQN4u6LKYt",  # Ain't No Sunshine — Bill Withers
        "spotify:track:0nJW01T7XtvILxQgC5J7Wh",  # When I Was Your Man — Bruno Mars
        "spotify:track:0SYNTHETICCfTZlGN7Cz5U",  # Not Gonna Blink — Sam
    ),
    4: (
        "spotify:track:5lQxMlCMTzCj3j4vyzdl8T",  # Danny's Song — Anne Murray
        "spotify:track:5gOd6zDC8vhlYjqbQdJVWP",  # Baker Street — Gerry Rafferty
        "spotify:track:0SYNTHETIC9vuL22FZM5HX",  # Nobody's Girl — Bonnie Raitt
        "spotify:track:1I7zHEdDx8Ny5RxzYPqsU2",  # Reelin' In The Years — Steely Dan
        "spotify:track:2xSfwtV4mUr2h63Q1zJH58",  # Both Sides Now — Judy Collins
        "spotify:track:0SYNTHETIC8rWnHgQ9DCA0",  # Both Sides Now — Neil Diamond
        "spotify:track:0SYNTHETICCJvXVMO7pjgO",  # Both Sides Now — Joni Mitchell
    ),
    5: (
        "spotify:track:0SYNTHETIC2hO3nLxBtxCj",  # Real Life — The Weeknd
        "spotify:track:0SYNTHETICB5Mm3jOosk65",  # Take It To The Limit — Etta James
        "spotify:track:1TPLsNVlofwX1txcE9gZZF",  # We Find Love — Daniel Caesar
        "spotify:track:0SYNTHETIC0ZKZysJUr5Sz",  # Good Luck — Basement Jaxx, Lisa Kekaula
        "spotify:track:0AUyNF6iFxMNQsNx2nhtrw",  # Blood // Water — grandson
    ),
    6: (
        "spotify:track:0SYNTHETICxwBSzj7JYFiV",  # Fast Slow Disco — St. Vincent
    ),
    7: (
        "spotify:track:0SYNTHETICroCDgD3UpkPI",  # Big Time — Peter Gabriel
        "spotify:track:0SYNTHETICMEteTiqsXNJL",  # Que Sera, Sera — Sly & The Family Stone
        "spotify:track:0SYNTHETICgbfCJ3PfD3fD",  # Losing You — Randy Newman
        "spotify:track:0SYNTHETICUhVcKM5dhRmA",  # Bye Bye Love — Ray Charles
        "spotify:track:0SYNTHETICThO6BUKFIAzP",  # I Will Not Stop Fighting — Leo Sayer
    ),
    8: (
        "spotify:track:0SYNTHETICWZVzOFsyIRAZ",  # It's A Fine Life — Oliver (Broadway cast)
        "spotify:track:0SYNTHETICDHnPZA6qnUmz",  # But Alive — Lauren Bacall
        "spotify:track:0SYNTHETICu4DUtveSrG42",  # Poor Everybody Else — Michele Lee
        "spotify:track:0SYNTHETICvIIg33OREnsL",  # Life Is Just A Bowl of Cherries — Judy Garland
    ),
    9: (
        "spotify:track:0SYNTHETICYz9wjRvt8Ur8",  # Roads — Portishead
        "spotify:track:0SYNTHETICLRUzDz9mKTQc",  # Long Way To Be Happy — Darlene Love
        "spotify:track:0SYNTHETICsKo0UIsUL7Eh",  # I Will Always Love You — Dolly Parton
        "spotify:track:4eHbdreAnSOrDDsFfc4Fpm",  # I Will Always Love You — Whitney Houston
        "spotify:track:0SYNTHETICxSshrtkSTgpZ",  # Tell Him — Lauryn Hill
    ),
}


def playlists(tracks: dict[int, tuple[str, ...]] | None = None) -> dict[str, list[str]]:
    """Playlist name -> track URIs: every episode playlist, then the season's, all in order."""
    tracks = EPISODE_TRACKS if tracks is None else tracks
    wanted = {name: list(tracks[episode]) for name, episode in EPISODE_PLAYLISTS.items()}
    wanted[SEASON_PLAYLIST] = [uri for episode in sorted(tracks) for uri in tracks[episode]]
    return wanted
