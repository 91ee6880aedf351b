"""A song Spotify has but the user cannot play says so; a relinked pin keeps the id chosen."""

from __future__ import annotations

from pathlib import Path

from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.matching.decide import decide
from soundtrack_playlists.models import Episode, Season, Song, Status, Track
from soundtrack_playlists.resolve.lockfile import TrackInFile, track_to_json
from soundtrack_playlists.resolve.resolver import resolve_season
from soundtrack_playlists.sync.report import render_markdown

SMILE = Song("Smile", ("Lily Allen",), line=3)
EXACT = Track("spotify:track:" + "A" * 22, "Smile", ("Lily Allen",), album_type="single")
UNPLAYABLE = "on Spotify, but not playable in your market (restrictions: market)"


def test_an_exact_match_not_playable_in_the_market_says_so_not_no_candidates():
    # Was "no candidates found": the user was sent to search for a song Spotify has.
    blocked = Track(**{**EXACT.__dict__, "is_playable": False, "restriction": "market"})
    decision = decide(SMILE, [blocked])
    assert decision.status == Status.UNRESOLVED and decision.track is None
    assert decision.reason == f'"Smile" by Lily Allen is {UNPLAYABLE}'


def test_a_playable_match_still_wins_over_an_unplayable_copy():
    blocked = Track(**{**EXACT.__dict__, "uri": "spotify:track:" + "B" * 22, "is_playable": False})
    decision = decide(SMILE, [blocked, EXACT])
    assert decision.status == Status.MATCHED and decision.track == EXACT


def test_the_emulator_search_reason_reaches_the_resolution(emulator: Emulator, connect):
    track = emulator.catalog.tracks[0]
    emulator.set_faults(Faults(unplayable_rate=1.0))
    song = Song(track.name, tuple(track.artists[:1]), line=1)
    season = Season("Show", 1, episodes=(Episode(1, "One", (song,), path=Path("e1.txt")),))
    resolution = resolve_season(season, connect().search_tracks, lookup=connect().track)
    (item,) = resolution.songs
    assert item.status == Status.UNRESOLVED and UNPLAYABLE in item.reason


def test_a_relinked_pin_keeps_the_id_chosen_and_the_report_says_spotify_plays_a_copy(
    emulator: Emulator, connect
):
    chosen, played = emulator.catalog.tracks[0], emulator.catalog.tracks[1]
    emulator.set_faults(Faults(relinked={chosen.id: played.id}))
    found = connect().track(chosen.id)
    assert found is not None
    # The pin keeps the id chosen; what it shows (and is compared with) is the copy played.
    assert found.uri == chosen.uri and found.plays_as == played.uri
    assert found.name == played.name and found.artists == tuple(played.artists)
    song = Song("Anything", ("Anyone",), pin=chosen.uri, line=2)
    season = Season("Show", 1, episodes=(Episode(1, "One", (song,), path=Path("e1.txt")),))
    resolution = resolve_season(season, connect().search_tracks, lookup=connect().track)
    (item,) = resolution.songs
    assert item.track is not None and item.track.uri == chosen.uri
    lock = resolution.to_lock(emulator.api_url)
    assert lock.entries[0].track is not None and lock.entries[0].track.plays_as == played.uri
    assert TrackInFile.model_validate(track_to_json(item.track)).track() == Track(
        item.track.uri, item.track.name, item.track.artists, item.track.album,
        release_date=item.track.release_date, plays_as=played.uri,
    )  # fmt: skip
    report = render_markdown(season, resolution.songs, [])
    assert f"Spotify plays a relinked copy, {played.uri}, in your market" in report
