"""Applying plans: against an in-memory Spotify that counts requests and can fail on cue."""

from __future__ import annotations

import json

import pytest
from resolved_songs import Resolved

from soundtrack_playlists.errors import RefusedToEmpty, SpotifyUnavailable
from soundtrack_playlists.files import paths
from soundtrack_playlists.models import Action, Episode, Season, Song, Track
from soundtrack_playlists.sync.memory import API, InMemorySpotify
from soundtrack_playlists.sync.run import SyncOptions, sync_season
from soundtrack_playlists.sync.state import SEASON_KEY, load_state


def _season(tmp_path, titles=(("a", "b"), ("c", "a"), ())) -> Season:
    episodes = tuple(
        Episode(n, f"Title {n}", tuple(Song(t, ("Artist",)) for t in songs))
        for n, songs in enumerate(titles, start=1)
    )
    return Season("Show", 1, 2019, episodes=episodes, directory=tmp_path)


def _songs(season: Season, unresolved=()) -> list[Resolved]:
    result = []
    for episode in season.episodes:
        for song in episode.songs:
            if song.title in unresolved:
                result.append(Resolved(episode.number, song, "unresolved", None))
            else:
                track = Track(f"spotify:track:{song.title}", song.title, ("Artist",))
                result.append(Resolved(episode.number, song, "matched", track, score=1.0))
    return result


def _sync(season, spotify, **kwargs):
    kwargs.setdefault("workers", 1)  # one playlist at a time: the calls come in a known order
    kwargs.setdefault("covers", False)  # these tests are about the items; covers: test_covers_e2e
    songs = _songs(season, kwargs.pop("unresolved", ()))
    return sync_season(season, spotify, SyncOptions(**kwargs), songs=songs)


def test_first_sync_creates_each_playlist_with_its_items_and_saves_state(tmp_path):
    season, spotify = _season(tmp_path), InMemorySpotify()
    result = _sync(season, spotify)
    assert [o.action for o in result.outcomes] == [Action.CREATE, Action.CREATE, Action.CREATE]
    assert spotify.by_name() == {
        "Show S1E01 · Title 1": ["spotify:track:a", "spotify:track:b"],
        "Show S1E02 · Title 2": ["spotify:track:c", "spotify:track:a"],
        "Show · Season 1 (2019)": [f"spotify:track:{t}" for t in "abca"],
    }
    assert spotify.writes == ["create_playlist", "append_items"] * 3
    state = load_state(paths.state_path(tmp_path), API, "nellie")
    assert {r.key: r.id for r in state.playlists} == {
        SEASON_KEY: "pl3",
        "episode-01": "pl1",
        "episode-02": "pl2",
    }
    assert "Title 3" in result.report_path.read_text(encoding="utf-8")


def test_playlists_applied_side_by_side_each_get_their_create_then_their_items(tmp_path):
    season, spotify = _season(tmp_path), InMemorySpotify()
    result = _sync(season, spotify, workers=3)
    assert [o.action for o in result.outcomes] == [
        Action.CREATE,
        Action.CREATE,
        Action.CREATE,
    ]  # in plan order
    assert spotify.by_name() == {
        "Show S1E01 · Title 1": ["spotify:track:a", "spotify:track:b"],
        "Show S1E02 · Title 2": ["spotify:track:c", "spotify:track:a"],
        "Show · Season 1 (2019)": [f"spotify:track:{t}" for t in "abca"],
    }
    state = load_state(paths.state_path(tmp_path), API, "nellie")
    assert {r.key for r in state.playlists} == {SEASON_KEY, "episode-01", "episode-02"}
    assert all(record.uris for record in state.playlists)  # no record lost to a race


def test_second_sync_reads_twice_and_writes_nothing(tmp_path):
    season, spotify = _season(tmp_path), InMemorySpotify()
    _sync(season, spotify)
    state_before = paths.state_path(tmp_path).read_bytes()
    spotify.calls.clear()
    result = _sync(season, spotify)
    assert spotify.calls == ["current_user", "my_playlists"]
    assert {o.action for o in result.outcomes} == {Action.UNCHANGED}
    assert paths.state_path(tmp_path).read_bytes() == state_before


def test_one_changed_song_rewrites_its_episode_and_the_season_only(tmp_path):
    spotify = InMemorySpotify()
    _sync(_season(tmp_path), spotify)
    spotify.calls.clear()
    changed = _season(tmp_path, (("a", "x"), ("c", "a"), ()))
    result = _sync(changed, spotify)
    assert [o.action for o in result.outcomes] == [Action.UPDATE, Action.UNCHANGED, Action.UPDATE]
    assert spotify.writes == ["replace_items", "replace_items"]
    assert "playlist_item_uris" not in spotify.calls  # the stored snapshot vouches for them
    assert spotify.by_name()["Show · Season 1 (2019)"] == [f"spotify:track:{t}" for t in "axca"]


def test_appends_say_where_the_end_is_so_the_playlist_is_not_read_first(tmp_path):
    spotify = InMemorySpotify()
    _sync(_season(tmp_path), spotify)
    assert spotify.starts == [0, 0, 0]  # each new playlist is empty
    spotify.calls.clear()
    longer = _season(tmp_path, (("a", "b"), ("c", "a", "d"), ()))
    result = _sync(longer, spotify)
    assert [o.action for o in result.outcomes] == [Action.UNCHANGED, Action.UPDATE, Action.UPDATE]
    assert spotify.writes == ["append_items", "append_items"]
    assert spotify.starts[3:] == [2, 4]
    assert "playlist" not in spotify.calls
    assert spotify.by_name()["Show S1E02 · Title 2"] == [f"spotify:track:{t}" for t in "cad"]
    assert spotify.by_name()["Show · Season 1 (2019)"] == [f"spotify:track:{t}" for t in "abcad"]


def test_an_append_whose_answer_was_lost_is_not_repeated_behind_a_lagging_list(tmp_path):
    """The write landed, its answer did not, the run stopped; the next run's list still shows
    the snapshot from before the write. The state must not vouch for the old items then."""
    spotify = InMemorySpotify()
    _sync(_season(tmp_path), spotify)
    before_the_write = spotify.my_playlists()  # what the lagging list will keep showing
    longer = _season(tmp_path, (("a", "b"), ("c", "a", "d"), ()))
    lands = spotify.append_items

    def lands_then_the_answer_is_lost(playlist_id, uris, *, start=None):
        lands(playlist_id, uris, start=start)
        raise SpotifyUnavailable("connection dropped after the write")

    spotify.append_items = lands_then_the_answer_is_lost
    with pytest.raises(SpotifyUnavailable):
        _sync(longer, spotify)
    spotify.append_items = lands
    spotify.my_playlists = lambda *, settled_after=None: list(before_the_write)
    _sync(longer, spotify)
    assert spotify.by_name()["Show S1E02 · Title 2"] == [f"spotify:track:{t}" for t in "cad"]


def test_a_deleted_playlist_is_recreated_and_its_new_id_kept(tmp_path):
    season, spotify = _season(tmp_path), InMemorySpotify()
    _sync(season, spotify)
    spotify.followed.remove("pl1")  # deleting in Spotify is unfollowing
    result = _sync(season, spotify)
    assert result.outcomes[0].action == Action.CREATE and result.outcomes[0].id == "pl4"
    assert spotify.by_name()["Show S1E01 · Title 1"] == ["spotify:track:a", "spotify:track:b"]
    state = load_state(paths.state_path(tmp_path), API, "nellie")
    assert state.get("episode-01").id == "pl4"


def test_a_failed_sync_leaves_no_empty_playlist_and_converges_without_duplicates(tmp_path):
    season, spotify = _season(tmp_path), InMemorySpotify()
    spotify.fail_on = ("append_items", 2)  # fails filling the second playlist it creates
    with pytest.raises(SpotifyUnavailable):
        _sync(season, spotify)
    # The playlist whose filling failed is deleted again, and forgotten.
    assert spotify.followed == ["pl1"]
    assert spotify.calls.count("unfollow_playlist") == 1
    state = json.loads(paths.state_path(tmp_path).read_text(encoding="utf-8"))
    assert [r["id"] for r in state["playlists"]] == ["pl1"]
    result = _sync(season, spotify)
    assert [o.action for o in result.outcomes] == [Action.UNCHANGED, Action.CREATE, Action.CREATE]
    assert len(spotify.followed) == 3
    assert all(spotify.playlists[i].uris for i in spotify.followed)
    assert spotify.by_name()["Show S1E02 · Title 2"] == ["spotify:track:c", "spotify:track:a"]


def test_when_the_empty_playlist_cannot_be_deleted_the_next_run_fills_it(tmp_path, monkeypatch):
    season, spotify = _season(tmp_path), InMemorySpotify()
    spotify.fail_on = ("append_items", 2)

    def unfollow_fails(playlist_id: str) -> None:
        raise SpotifyUnavailable("connection dropped")

    monkeypatch.setattr(spotify, "unfollow_playlist", unfollow_fails)
    with pytest.raises(SpotifyUnavailable, match="connection dropped"):
        _sync(season, spotify)
    state = json.loads(paths.state_path(tmp_path).read_text(encoding="utf-8"))
    assert [r["id"] for r in state["playlists"]] == ["pl1", "pl2"]  # kept: found by id next
    result = _sync(season, spotify)
    assert [o.action for o in result.outcomes] == [Action.UNCHANGED, Action.UPDATE, Action.CREATE]
    assert len(spotify.followed) == 3
    assert spotify.by_name()["Show S1E02 · Title 2"] == ["spotify:track:c", "spotify:track:a"]


def test_a_created_playlist_whose_answer_was_lost_is_found_by_its_marker(tmp_path):
    season, spotify = _season(tmp_path), InMemorySpotify()
    _sync(season, spotify)
    paths.state_path(tmp_path).unlink()  # as if no id had ever been stored
    spotify.calls.clear()
    result = _sync(season, spotify)
    assert {o.action for o in result.outcomes} == {Action.UNCHANGED}
    assert all(o.reason == "found by its marker" for o in result.outcomes)
    assert spotify.writes == []


def test_a_playlist_owned_by_someone_else_is_left_alone(tmp_path):
    season, spotify = _season(tmp_path), InMemorySpotify()
    _sync(season, spotify)
    spotify.playlists["pl1"].owner = "someone"
    spotify.calls.clear()
    result = _sync(_season(tmp_path, (("b",), ("c", "a"), ())), spotify)
    assert result.outcomes[0].action == Action.SKIP and "someone" in result.outcomes[0].reason
    assert spotify.playlists["pl1"].uris == ["spotify:track:a", "spotify:track:b"]
    assert spotify.writes == ["replace_items"]  # the season only


def test_emptying_is_refused_before_any_write(tmp_path):
    season, spotify = _season(tmp_path), InMemorySpotify()
    _sync(season, spotify)
    spotify.calls.clear()
    # Episode 1 now resolves to nothing, and episode 2 changed too: neither is written.
    changed = _season(tmp_path, (("a", "b"), ("c",), ()))
    with pytest.raises(RefusedToEmpty, match="--allow-empty"):
        _sync(changed, spotify, unresolved=("a", "b"))
    assert spotify.writes == []
    result = _sync(changed, spotify, unresolved=("a", "b"), allow_empty=True)
    assert spotify.by_name()["Show S1E01 · Title 1"] == []
    assert result.outcomes[0].removed == 2


def test_dry_run_writes_nothing_anywhere(tmp_path):
    season, spotify = _season(tmp_path), InMemorySpotify()
    result = _sync(season, spotify, dry_run=True)
    assert spotify.writes == []
    assert list(tmp_path.iterdir()) == []
    assert [o.action for o in result.outcomes] == [Action.CREATE, Action.CREATE, Action.CREATE]
    assert result.report_path is None


def test_only_the_chosen_episodes_are_synced_and_the_whole_season(tmp_path):
    season, spotify = _season(tmp_path), InMemorySpotify()
    result = _sync(season, spotify, episodes={2})
    assert [o.name for o in result.outcomes] == ["Show S1E02 · Title 2", "Show · Season 1 (2019)"]
    assert spotify.by_name()["Show · Season 1 (2019)"] == [f"spotify:track:{t}" for t in "abca"]


def test_public_flag_is_applied_only_when_asked_and_different(tmp_path):
    season, spotify = _season(tmp_path), InMemorySpotify()
    _sync(season, spotify)
    spotify.calls.clear()
    _sync(season, spotify, public=False)
    assert spotify.writes == []
    _sync(season, spotify, public=True)
    assert spotify.writes == ["update_playlist"] * 3
    assert all(p.public for p in spotify.playlists.values())
    # The new snapshots were learnt while writing: the next sync reads no items.
    spotify.calls.clear()
    _sync(season, spotify, public=True)
    assert spotify.calls == ["current_user", "my_playlists"]
