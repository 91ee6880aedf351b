"""The query cascade, pins, lock reuse and concurrency of resolve_season, over a fake search."""

from __future__ import annotations

import re
import threading

import pytest
from catalog_rows import catalog_tracks

from soundtrack_playlists.matching.normalise import normalise
from soundtrack_playlists.models import Episode, Season, Song, Status, Track
from soundtrack_playlists.resolve.cascade import PAGE, core_title, queries_for, resolve_song
from soundtrack_playlists.resolve.lockfile import Lock, LockEntry
from soundtrack_playlists.resolve.resolver import (
    ResolveStopped,
    parse_track_ref,
    resolve_season,
    resolve_stopping,
)
from soundtrack_playlists.resolve.results import resolution_json, uri_for

API = "http://127.0.0.1:9/v1/"
_FIELD = re.compile(r'(track|artist|album):"([^"]*)"')


class CatalogSearch:
    """Fakes Spotify's track search over a list of Tracks: every word required, 10 at most.

    Field filters need their words in that field; free words may be anywhere; exact titles
    first, then popularity. It records each query it was asked.
    """

    def __init__(self, tracks):
        self.tracks = list(tracks)
        self.queries: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, query: str) -> list[Track]:
        with self._lock:
            self.queries.append(query)
        fields = _FIELD.findall(query)
        free = set(normalise(_FIELD.sub(" ", query)).split())

        def fits(track: Track) -> bool:
            name = set(normalise(track.name).split())
            artists = set(normalise(" ".join(track.artists)).split())
            album = set(normalise(track.album).split())
            where = {"track": name, "artist": artists, "album": album}
            if not all(set(normalise(value).split()) <= where[field] for field, value in fields):
                return False
            return free <= name | artists | album

        title = next((normalise(value) for field, value in fields if field == "track"), None)
        hits = [track for track in self.tracks if fits(track)]
        hits.sort(key=lambda t: (normalise(t.name) != title, -(t.popularity or 0), t.uri))
        return hits[:PAGE]


def make_track(name, *artists, uri_id=None, **fields) -> Track:
    uri_id = uri_id or (re.sub(r"[^A-Za-z0-9]", "", name + "".join(artists)) + "x" * 22)[:22]
    return Track(uri=f"spotify:track:{uri_id}", name=name, artists=artists, **fields)


def season_of(*episodes: tuple[Song, ...]) -> Season:
    return Season(
        show="Soundtrack",
        season=1,
        episodes=tuple(Episode(n, f"Episode {n}", songs) for n, songs in enumerate(episodes, 1)),
    )


@pytest.fixture
def search():
    return CatalogSearch(catalog_tracks().values())


# --- the cascade ---------------------------------------------------------------------------


def test_first_query_is_track_and_first_artist_then_looser_forms():
    song = Song("Morning View", ("Towkio", "SZA"))
    assert [q.text for q in queries_for(song)] == [
        'track:"Morning View" artist:"Towkio"',
        'track:"Morning View" artist:"SZA"',
        'track:"Morning View"',
        "morning view towkio",
    ]


def test_a_version_suffix_adds_a_core_title_query():
    texts = [q.text for q in queries_for(Song("Roads - Live at Roseland", ("Portishead",)))]
    assert 'track:"Roads" artist:"Portishead"' in texts
    assert core_title("Que Sera, Sera (Whatever Will Be, Will Be)") == "Que Sera, Sera"
    assert core_title("Flames feat. ZAYN") == "Flames"  # a credit folded into the title


def test_cast_recordings_also_search_the_show_album():
    oliver = Song("It's A Fine Life", ("Original Broadway Cast of Oliver",))
    band = Song("Houston We Have A Problem", ("Pacific Electric",), note="cast")
    assert 'track:"It\'s A Fine Life" album:"Oliver"' in [q.text for q in queries_for(oliver)]
    assert 'track:"Houston We Have A Problem" album:"Soundtrack"' in [
        q.text for q in queries_for(band, "Soundtrack")
    ]


def test_a_song_read_the_wrong_way_round_is_found_the_other_way_and_says_so():
    caroline = make_track("Sweet Caroline", "Neil Diamond", popularity=80)
    catalog = CatalogSearch([caroline, make_track("Heroes", "David Bowie")])
    # `Neil Diamond – Sweet Caroline` read title first: the other reading is kept with it.
    song = Song(
        "Neil Diamond", ("Sweet Caroline",), alternative=("Sweet Caroline", ("Neil Diamond",))
    )
    decision, searches = resolve_song(song, catalog)
    assert decision.status == Status.MATCHED and decision.track == caroline
    assert decision.reason.startswith("read the other way round, “Sweet Caroline” by Neil Diamond")
    assert searches > len(queries_for(song))  # the likelier reading was searched first


def test_a_song_found_as_read_never_searches_the_other_reading():
    caroline = make_track("Sweet Caroline", "Neil Diamond", popularity=80)
    catalog = CatalogSearch([caroline])
    song = Song(
        "Sweet Caroline", ("Neil Diamond",), alternative=("Neil Diamond", ("Sweet Caroline",))
    )
    decision, _ = resolve_song(song, catalog)
    assert decision.track == caroline and "other way round" not in decision.reason
    assert not any('track:"Neil Diamond"' in query for query in catalog.queries)


def test_quotes_in_a_title_never_break_the_query():
    texts = [q.text for q in queries_for(Song('The "Real" Slim Shady', ("Eminem",)))]
    assert texts[0] == 'track:"The Real Slim Shady" artist:"Eminem"'


def test_one_search_settles_a_song_the_first_query_finds(search):
    decision, searches = resolve_song(Song("Reelin In The Years", ("Steely Dan",)), search)
    assert decision.status == Status.MATCHED
    assert searches == 1
    assert search.queries == ['track:"Reelin In The Years" artist:"Steely Dan"']


def test_a_song_not_in_the_catalog_tries_every_rung(search):
    decision, searches = resolve_song(Song("Smile", ("Nat King Cole",)), search)
    assert decision.status == Status.UNRESOLVED
    # a short page for the title proves nothing to a fuzzy search: free words are tried too
    assert search.queries == [
        'track:"Smile" artist:"Nat King Cole"',
        'track:"Smile"',
        "smile nat king cole",
    ]
    assert searches == 3


def test_a_line_asking_for_a_version_searches_for_it():
    live_album = make_track("Hallelujah", "Jeff Buckley", album="Live at Sin-e")
    studio = make_track("Hallelujah", "Jeff Buckley", uri_id="s" * 22, album="Grace")
    fake = CatalogSearch([studio, live_album])
    decision, _ = resolve_song(Song("Hallelujah (Live)", ("Jeff Buckley",)), fake)
    assert 'track:"Hallelujah" artist:"Jeff Buckley" live' in fake.queries
    assert decision.track == live_album


def test_the_title_alone_finds_what_the_artist_filter_hides():
    # the line misspells the artist, so the artist filter misses; scoring still accepts it
    spotify = make_track("Ain't No Sunshine", "Bill Withers", album="Just As I Am")
    fake = CatalogSearch([spotify])
    decision, searches = resolve_song(Song("Aint No Sunshine", ("Bil Withers",)), fake)
    assert searches == 2 and fake.queries[-1] == 'track:"Aint No Sunshine"'
    assert decision.status == Status.MATCHED and decision.track == spotify


def test_free_words_are_tried_when_the_title_alone_fills_a_page():
    crowd = [make_track("Smile", f"Artist {n}", popularity=90 - n) for n in range(PAGE)]
    nat = make_track("Smile", "Nat King Cole", album="Nat King Cole Sings Smile", popularity=1)
    fake = CatalogSearch([*crowd, nat])
    # the line misspells the artist, so the artist filter misses and the title page is full
    decision, searches = resolve_song(Song("Smile", ("Nat King Cole Sings",)), fake)
    assert fake.queries[-1] == "smile nat king cole sings"
    assert searches == 3
    assert nat in [c.track for c in decision.candidates]


def test_a_surname_match_looks_for_an_artist_of_exactly_that_name():
    girl_pusher = make_track("Okay, Okay", "Girl Pusher")
    pusher = make_track("Glow", "Pusher", uri_id="p" * 22)
    fake = CatalogSearch([girl_pusher, pusher])
    decision, _ = resolve_song(Song("Okay, Okay", ("Pusher",)), fake)
    assert fake.queries[-1] == 'artist:"Pusher"'
    assert decision.status == Status.REVIEW


def test_a_surname_must_lead_the_artist_search_to_the_full_name():
    girl_pusher = make_track("Okay, Okay", "Girl Pusher")
    usher = make_track("My Boo", "Usher", uri_id="u" * 22)

    def fuzzy(query: str) -> list[Track]:  # a popular near-name comes first, as on Spotify
        return [usher] if query.startswith("artist:") else [girl_pusher]

    decision, _ = resolve_song(Song("Okay, Okay", ("Pusher",)), fuzzy)
    assert decision.status == Status.REVIEW
    assert "does not find Girl Pusher" in decision.reason
    hendrix = make_track("Purple Haze", "Jimi Hendrix")
    found, searches = resolve_song(Song("Purple Haze", ("Hendrix",)), CatalogSearch([hendrix]))
    assert found.track == hendrix and searches == 2


def test_is_playable_false_is_never_chosen():
    unplayable = make_track("Heat", "Kelly Clarkson", is_playable=False)
    decision, _ = resolve_song(Song("Heat", ("Kelly Clarkson",)), CatalogSearch([unplayable]))
    assert decision.status == Status.UNRESOLVED


# --- the season ----------------------------------------------------------------------------

TRAPS = (
    Song("Smile", ("Nat King Cole",), line=1),
    Song("Sorry Not Sorry", ("Demi Lovato",), group="mashup", line=2),
    Song("Believer", ("Imagine Dragons",), group="mashup", line=2),
)
MORE = (
    Song("Reelin In The Years", ("Steely Dan",), line=1),
    Song("Take It To The Limit", ("Etta James",), line=2),
    Song("Blood // Water", ("grandson",), line=3),
    Song("Together Again", ("Janet Jackson",), line=4),
    Song("Baker Street", ("Gerry Rafferty",), pin="spotify:track:5gOd6zDC8vhlYjqbQdJVWP", line=5),
)


def test_resolve_season_in_tracklist_order_with_outcomes(search):
    resolution = resolve_season(season_of(TRAPS, MORE), search)
    got = [(r.episode, r.song.title, r.status) for r in resolution.songs]
    assert got == [
        (1, "Smile", Status.UNRESOLVED),
        (1, "Sorry Not Sorry", Status.MATCHED),
        (1, "Believer", Status.MATCHED),
        (2, "Reelin In The Years", Status.MATCHED),
        (2, "Take It To The Limit", Status.UNRESOLVED),
        (2, "Blood // Water", Status.MATCHED),
        (2, "Together Again", Status.REVIEW),
        (2, "Baker Street", Status.PINNED),
    ]
    assert resolution.searches == len(search.queries)
    assert not any("Baker Street" in q for q in search.queries)  # pinned: no search
    by_title = {r.song.title: r for r in resolution.songs}
    assert uri_for(by_title["Baker Street"]) == "spotify:track:5gOd6zDC8vhlYjqbQdJVWP"
    assert uri_for(by_title["Together Again"]) is None
    assert uri_for(by_title["Believer"]) == by_title["Believer"].track.uri
    assert "artist" in by_title["Take It To The Limit"].reason


def test_a_malformed_pin_is_unresolved_and_says_so(search):
    bad = Song("Heat", ("Kelly Clarkson",), pin="spotify:album:xyz")
    (result,) = resolve_season(season_of((bad,)), search).songs
    assert result.status == Status.UNRESOLVED
    assert "not a Spotify track" in result.reason
    assert search.queries == []


def test_a_pin_may_be_an_open_spotify_link():
    assert parse_track_ref("https://open.spotify.com/track/5gOd6zDC8vhlYjqbQdJVWP?si=abc") == (
        "spotify:track:5gOd6zDC8vhlYjqbQdJVWP"
    )
    assert parse_track_ref("https://open.spotify.com/intl-de/track/5gOd6zDC8vhlYjqbQdJVWP") == (
        "spotify:track:5gOd6zDC8vhlYjqbQdJVWP"
    )
    assert parse_track_ref("spotify:track:short") is None
    assert parse_track_ref("https://example.com/track/5gOd6zDC8vhlYjqbQdJVWP") is None


def test_a_rerun_reuses_the_lock_and_searches_only_changed_lines(search):
    first = resolve_season(season_of(TRAPS), search)
    lock = first.to_lock(API)
    search.queries.clear()
    changed = (TRAPS[0], Song("Believer", ("Major Lazer",), group="mashup", line=2))
    again = resolve_season(season_of(changed), search, lock=lock)
    assert [r.reused for r in again.songs] == [True, False]
    assert search.queries[0] == 'track:"Believer" artist:"Major Lazer"'
    assert (
        again.songs[0].status == Status.UNRESOLVED
    )  # even unresolved lines are not searched again
    assert again.songs[1].track.artists == ("Major Lazer",)


def test_refresh_searches_everything_but_keeps_review_choices(search):
    lock = resolve_season(season_of(TRAPS), search).to_lock(API)
    chosen = Track(uri="spotify:track:" + "N" * 22, name="Smile", artists=("Nat King Cole",))
    old = lock.get(1, TRAPS[0].key)
    lock = lock.with_entry(
        LockEntry(1, old.key, Status.PINNED, chosen, None, "chosen", pin=chosen.uri)
    )
    search.queries.clear()
    again = resolve_season(season_of(TRAPS), search, lock=lock, refresh=True)
    assert again.songs[0].status == Status.PINNED and again.songs[0].track == chosen
    assert len(search.queries) == again.searches >= 2
    assert not any("Smile" in q for q in search.queries)


def test_a_tracklist_pin_removed_later_is_searched_again(search):
    pinned = Song("Heat", ("Kelly Clarkson",), pin="spotify:track:" + "H" * 22)
    lock = resolve_season(season_of((pinned,)), search).to_lock(API)
    unpinned = Song("Heat", ("Kelly Clarkson",))
    assert pinned.key == unpinned.key
    again = resolve_season(season_of((unpinned,)), search, lock=lock)
    assert search.queries  # not the stale pin from the lock
    assert again.songs[0].status != Status.PINNED


def test_searches_run_concurrently_but_bounded():
    active, peak = 0, 0
    guard = threading.Lock()
    release = threading.Event()
    tracks = [make_track(f"Song {n}", "Band") for n in range(8)]
    fake = CatalogSearch(tracks)

    def slow_search(query):
        nonlocal active, peak
        with guard:
            active += 1
            peak = max(peak, active)
            if peak == 3:
                release.set()
        release.wait(timeout=5)  # hold until three searches overlap (no real sleeping)
        with guard:
            active -= 1
        return fake(query)

    songs = tuple(Song(f"Song {n}", ("Band",)) for n in range(8))
    progress = []
    resolution = resolve_season(
        season_of(songs), slow_search, workers=3, progress=lambda *a: progress.append(a)
    )
    assert peak == 3
    assert [r.status for r in resolution.songs] == [Status.MATCHED] * 8
    assert [r.song.title for r in resolution.songs] == [s.title for s in songs]
    assert progress[0] == (0, 8) and progress[-1] == (8, 8) and len(progress) == 9


def test_a_failing_search_hands_out_what_was_resolved_and_the_error(search):
    calls = []

    def failing(query):
        calls.append(query)
        if "Believer" in query:
            raise RuntimeError("rate limited")
        return search(query)

    with pytest.raises(ResolveStopped) as raised:
        resolve_stopping(season_of(TRAPS), failing, workers=1)
    assert [r.song.title for r in raised.value.partial.songs] == ["Smile", "Sorry Not Sorry"]
    assert isinstance(raised.value.error, RuntimeError)
    with pytest.raises(RuntimeError, match="rate limited"):  # the plain call: the error as is
        resolve_season(season_of(TRAPS), failing, workers=1)


def test_json_shape_lists_every_song_with_its_status(search):
    document = resolution_json(resolve_season(season_of(TRAPS, MORE[-2:]), search))
    first, *_ = document["songs"]
    assert set(first) >= {"episode", "title", "artists", "status", "uri", "score", "candidates"}
    assert [s["status"] for s in document["songs"]] == [
        Status.UNRESOLVED,
        Status.MATCHED,
        Status.MATCHED,
        Status.REVIEW,
        Status.PINNED,
    ]
    review = document["songs"][3]
    assert review["uri"] is None and len(review["candidates"]) == 2
    assert document["songs"][1]["uri"].startswith("spotify:track:")


def test_lock_for_another_api_is_kept_apart(search):
    lock = Lock(api_url="https://api.spotify.com/v1/", entries=())
    assert resolve_season(season_of(TRAPS), search, lock=lock).songs[0].reused is False
