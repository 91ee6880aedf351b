"""Pins looked up: GET /tracks/{id} once, cached in the lock, bad pins named by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
import responses
from spotify_fakes import API, api_calls, make_client, mocked_http, search_item

from soundtrack_playlists.errors import PinError
from soundtrack_playlists.models import Episode, Season, Song, Status, Track
from soundtrack_playlists.resolve.lockfile import EntryInFile, Lock, LockEntry
from soundtrack_playlists.resolve.resolver import resolve_season
from soundtrack_playlists.resolve.table import resolution_table

BAKER = "spotify:track:5gOd6zDC8vhlYjqbQdJVWP"
REAL = Track(BAKER, "Baker Street", ("Gerry Rafferty",), album="City to City")
API_URL = "http://127.0.0.1:9/v1/"


class TracksById:
    """Fakes GET /tracks/{id} over a few tracks, counting the lookups asked for."""

    def __init__(self, *tracks: Track) -> None:
        self.tracks = {track.id: track for track in tracks}
        self.asked: list[str] = []

    def __call__(self, track_id: str) -> Track | None:
        self.asked.append(track_id)
        return self.tracks.get(track_id)


def no_search(query: str) -> list[Track]:
    raise AssertionError(f"searched {query!r} for a pinned song")


def season(*songs: Song, path: Path | None = Path("season-1/episode-02.txt")) -> Season:
    return Season("Soundtrack", 1, episodes=(Episode(2, "Two", songs, path=path),))


PINNED = Song("A Song By Hand", ("Someone",), pin=BAKER, line=7)


def test_a_pin_shows_the_real_track_and_is_looked_up_once():
    lookup = TracksById(REAL)
    first = resolve_season(season(PINNED), no_search, lookup=lookup)
    (item,) = first.songs
    assert (item.status, item.track, item.pin_checked) == (Status.PINNED, REAL, True)
    assert '"Baker Street" by Gerry Rafferty' in item.reason
    assert "Baker Street — Gerry Rafferty" in resolution_table(first)
    lock = first.to_lock(API_URL)
    assert lock.entries[0].pin_checked and lock.entries[0].track == REAL
    again = resolve_season(season(PINNED), no_search, lock=lock, lookup=lookup)
    assert again.songs[0].track == REAL
    assert lookup.asked == ["5gOd6zDC8vhlYjqbQdJVWP"]  # cached in the lock: not asked again


def test_the_lock_round_trips_a_checked_pin():
    entry = LockEntry(2, PINNED.key, Status.PINNED, REAL, None, "pinned", tracklist_pin=True,
                      pin_checked=True)  # fmt: skip
    assert EntryInFile.model_validate(entry.to_json()).entry() == entry


def test_a_changed_pin_is_looked_up_again():
    lookup = TracksById(REAL, Track("spotify:track:" + "B" * 22, "Other", ("X",)))
    lock = resolve_season(season(PINNED), no_search, lookup=lookup).to_lock(API_URL)
    moved = Song(PINNED.title, PINNED.artists, pin="spotify:track:" + "B" * 22, line=7)
    again = resolve_season(season(moved), no_search, lock=lock, lookup=lookup)
    assert again.songs[0].track.name == "Other"
    assert len(lookup.asked) == 2


def test_a_pin_to_no_track_names_the_file_and_line_before_any_search():
    missing = Song("Heat", ("Kelly Clarkson",), pin="spotify:track:" + "Z" * 22, line=4)
    with pytest.raises(PinError) as error:
        resolve_season(season(PINNED, missing), no_search, lookup=TracksById(REAL))
    assert f"{Path('season-1/episode-02.txt')} line 4" in str(error.value)
    assert "no Spotify track" in str(error.value)


def test_a_pin_to_an_unplayable_track_is_an_error():
    unplayable = Track(BAKER, "Baker Street", ("Gerry Rafferty",), is_playable=False)
    with pytest.raises(PinError, match="not playable"):
        resolve_season(season(PINNED), no_search, lookup=TracksById(unplayable))


def test_a_choice_made_in_review_is_looked_up_too():
    song = Song("Baker Street", ("Gerry Rafferty",), line=3)
    placeholder = Track(BAKER, song.title, song.artists)
    lock = Lock(API_URL, (LockEntry(2, song.key, Status.PINNED, placeholder, None, "", pin=BAKER),))
    resolved = resolve_season(season(song), no_search, lock=lock, lookup=TracksById(REAL))
    assert resolved.songs[0].track == REAL
    with pytest.raises(PinError, match="chosen in review"):
        resolve_season(season(song), no_search, lock=lock, lookup=TracksById())


# --- GET /tracks/{id} over HTTP ------------------------------------------------------------


@pytest.fixture
def http():
    yield from mocked_http()


def test_client_track_reads_the_track(tmp_path: Path, http: responses.RequestsMock) -> None:
    client, _ = make_client(tmp_path, http)
    http.get(API + "tracks/abc", json=search_item("spotify:track:abc"))
    track = client.track("abc")
    assert track is not None and track.name == "Tennessee Whiskey"
    (call,) = api_calls(http, "GET")
    assert "market=from_token" in call.request.url


@pytest.mark.parametrize("status", [404, 400])
def test_client_track_is_none_when_spotify_has_none(
    tmp_path: Path, http: responses.RequestsMock, status: int
) -> None:
    client, _ = make_client(tmp_path, http)
    http.get(API + "tracks/abc", status=status, json={"error": {"status": status, "message": "x"}})
    assert client.track("abc") is None


def test_client_track_refuses_an_answer_without_a_track(
    tmp_path: Path, http: responses.RequestsMock
) -> None:
    from soundtrack_playlists.errors import MalformedAnswer

    client, _ = make_client(tmp_path, http)
    http.get(API + "tracks/abc", json={"error": "nothing here"})
    with pytest.raises(MalformedAnswer, match="GET /tracks/abc"):
        client.track("abc")
