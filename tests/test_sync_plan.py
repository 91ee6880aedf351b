"""The pure half of sync: desired playlists from a resolved season, and plan(desired, current)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from resolved_songs import Resolved

from soundtrack_playlists.cli.sync import parse_episodes
from soundtrack_playlists.models import Action, Episode, PlaylistInfo, Season, Song, Track
from soundtrack_playlists.sync.actions import (
    AppendItems,
    CreatePlaylist,
    ReplaceItems,
    UpdateDetails,
)
from soundtrack_playlists.sync.current import AMBIGUOUS, NOT_OWNED, Current, items_to_read
from soundtrack_playlists.sync.plan import plan, plan_playlist
from soundtrack_playlists.sync.state import SEASON_KEY, PlaylistRecord, SyncState
from soundtrack_playlists.sync.targets import (
    DESCRIPTION_LIMIT,
    Desired,
    DesiredPlaylist,
    clean_description,
    desired_state,
)

API = "http://127.0.0.1:1/v1/"
ME = "nellie"


def _track(name: str) -> Track:
    return Track(uri=f"spotify:track:{name}", name=name, artists=("x",))


def _season() -> Season:
    def songs(*titles):
        return tuple(Song(title, ("Artist",), line=i + 2) for i, title in enumerate(titles))

    return Season(
        show="Soundtrack",
        season=1,
        year=2019,
        network="Netflix",
        episodes=(
            Episode(1, "Nellie and Sam", songs("a", "b", "c")),
            Episode(2, "Dante and Gina", songs("d", "a")),
            Episode(3, "Finale"),
        ),
    )


def _resolution(statuses=None):
    statuses = statuses or {}
    result = []
    for episode in _season().episodes:
        for song in episode.songs:
            status = statuses.get((episode.number, song.title), "matched")
            track = None if status == "unresolved" else _track(song.title)
            result.append(Resolved(episode.number, song, status, track, 0.9))
    return result


# --- desired state ---


def test_one_playlist_per_episode_with_songs_then_the_season():
    desired = desired_state(_season(), _resolution())
    names = [playlist.name for playlist in desired.playlists]
    assert names == [
        "Soundtrack S1E01 · Nellie and Sam",
        "Soundtrack S1E02 · Dante and Gina",
        "Soundtrack · Season 1 (2019)",
    ]
    assert [p.key for p in desired.playlists] == ["episode-01", "episode-02", SEASON_KEY]
    assert desired.playlists[0].uris == ("spotify:track:a", "spotify:track:b", "spotify:track:c")
    # The season keeps every episode's songs in order, a song used twice included.
    assert [uri.rsplit(":", 1)[1] for uri in desired.playlists[-1].uris] == list("abcda")
    assert [(e.episode, e.title) for e in desired.without_songs] == [(3, "Finale")]


def test_review_and_unresolved_songs_are_left_out():
    desired = desired_state(_season(), _resolution({(1, "b"): "review", (2, "d"): "unresolved"}))
    assert desired.playlists[0].uris == ("spotify:track:a", "spotify:track:c")
    assert desired.playlists[1].uris == ("spotify:track:a",)
    assert len(desired.playlists[-1].uris) == 3


def test_pinned_songs_are_kept():
    desired = desired_state(_season(), _resolution({(1, "a"): "pinned"}))
    assert desired.playlists[0].uris[0] == "spotify:track:a"


def test_episode_filter_keeps_the_whole_season_playlist():
    desired = desired_state(_season(), _resolution(), episodes={2})
    assert [p.key for p in desired.playlists] == ["episode-02", SEASON_KEY]
    assert len(desired.playlists[-1].uris) == 5
    assert desired.without_songs == ()


def test_descriptions_name_show_season_episode_and_say_generated():
    desired = desired_state(_season(), _resolution())
    first = desired.playlists[0].description
    assert "Soundtrack" in first and "season 1" in first and "episode 1" in first
    assert "Nellie and Sam" in first and "Generated" in first
    assert "Generated" in desired.playlists[-1].description


def test_public_flag_is_carried_through():
    assert desired_state(_season(), _resolution()).playlists[0].public is None
    assert desired_state(_season(), _resolution(), public=True).playlists[0].public is True


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Tom & Jerry", "Tom and Jerry"),
        ("line one\nline two", "line one line two"),
        ('<b>"hi"</b>', "‹b›”hi”‹/b›"),
        ("Nellie's", "Nellie’s"),
    ],
)
def test_descriptions_avoid_what_spotify_escapes_or_rejects(raw, expected):
    assert clean_description(raw) == expected


def test_long_descriptions_are_cut_to_the_limit():
    text = clean_description("word " * 200)
    assert len(text) == DESCRIPTION_LIMIT
    assert text.endswith("…")


# --- plan ---


def _desired(key="episode-01", name="E1", uris=("spotify:track:a",), public=None):
    return DesiredPlaylist(key, name, "generated", tuple(uris), public)


def _info(id_="p1", name="E1", owner=ME, snapshot="s1", total=1, description="generated"):
    return PlaylistInfo(id_, name, owner, description, False, snapshot, total)


def _current(playlists=(), records=(), items=None):
    state = SyncState(API, ME)
    for record in records:
        state = state.with_record(record)
    return Current(ME, tuple(playlists), state, items or {})


def _record(key="episode-01", id_="p1", snapshot="s1", uris=("spotify:track:a",)):
    return PlaylistRecord(key, id_, "E1", snapshot, tuple(uris))


def test_nothing_in_spotify_creates_every_playlist_with_its_items():
    desired = Desired((_desired(), _desired(SEASON_KEY, "S", ("spotify:track:a",) * 2)))
    result = plan(desired, _current())
    assert [item.action for item in result.playlists] == [Action.CREATE, Action.CREATE]
    create = result.playlists[1].steps[0]
    assert create == CreatePlaylist("S", "generated", False, ("spotify:track:a",) * 2)
    assert result.playlists[1].added == 2


def test_same_snapshot_and_items_plans_nothing_and_reads_nothing():
    current = _current([_info()], [_record()])
    desired = Desired((_desired(),))
    assert items_to_read(desired, current) == ()
    result = plan(desired, current)
    assert result.playlists[0].action == Action.UNCHANGED
    assert result.writes == ()
    assert "Nothing to write" in str(result)


def test_moved_snapshot_asks_for_the_items_and_plans_with_them():
    current = _current([_info(snapshot="s2")], [_record(snapshot="s1")])
    desired = Desired((_desired(uris=("spotify:track:a", "spotify:track:b")),))
    assert items_to_read(desired, current) == ("p1",)
    with pytest.raises(ValueError):
        plan(desired, current)
    read = replace(current, items={"p1": ("spotify:track:x",)})
    step = plan(desired, read).playlists[0].steps[0]
    assert isinstance(step, ReplaceItems)


def test_a_prefix_is_completed_by_appending_only_the_rest():
    current = _current([_info()], [_record()])
    desired = Desired((_desired(uris=("spotify:track:a", "spotify:track:b")),))
    item = plan(desired, current).playlists[0]
    assert item.action == Action.UPDATE
    assert item.steps == (AppendItems("p1", ("spotify:track:b",)),)
    assert (item.added, item.removed, item.tracks) == (1, 0, 2)


def test_a_prefix_read_from_spotify_is_replaced_not_appended_to():
    """Items read may lag behind Spotify's own: an append at their length could land
    mid-playlist, so only items our last write left (its snapshot) are appended to."""
    current = _current([_info(snapshot="s2")], [_record(snapshot="s1")])
    read = replace(current, items={"p1": ("spotify:track:a",)})
    wanted = ("spotify:track:a", "spotify:track:b")
    item = plan(Desired((_desired(uris=wanted),)), read).playlists[0]
    assert item.steps == (ReplaceItems("p1", wanted, 1, 0),)
    assert (item.added, item.removed, item.tracks) == (1, 0, 2)


def test_a_changed_line_replaces_the_items():
    old = ("spotify:track:a", "spotify:track:b", "spotify:track:c")
    new = ("spotify:track:a", "spotify:track:x", "spotify:track:c")
    current = _current([_info()], [_record(uris=old)])
    item = plan(Desired((_desired(uris=new),)), current).playlists[0]
    assert item.steps == (ReplaceItems("p1", new, 1, 1),)


def test_removing_one_of_two_copies_replaces_rather_than_removes():
    old = ("spotify:track:a", "spotify:track:b", "spotify:track:a")
    new = ("spotify:track:a", "spotify:track:b")
    current = _current([_info()], [_record(uris=old)])
    item = plan(Desired((_desired(uris=new),)), current).playlists[0]
    assert item.steps == (ReplaceItems("p1", new, 0, 1),)


def test_only_the_details_that_differ_are_updated():
    current = _current([_info(name="Old name")], [_record()])
    item = plan(Desired((_desired(name="E1", public=True),)), current).playlists[0]
    assert item.steps == (UpdateDetails("p1", name="E1", public=True, old_name="Old name"),)
    assert "rename “Old name” to “E1”" in str(item)


def test_an_html_escaped_description_counts_as_equal():
    desired = replace(_desired(), description="Nellie’s songs, and more")
    info = _info(description="Nellie&#x2019;s songs, and more")
    current = _current([info], [_record()])
    assert plan(Desired((desired,)), current).playlists[0].action == Action.UNCHANGED


def test_unset_public_flag_keeps_what_the_user_chose():
    info = replace(_info(), public=True)
    current = _current([info], [_record()])
    assert plan(Desired((_desired(public=None),)), current).playlists[0].action == Action.UNCHANGED


def test_a_playlist_the_user_deleted_is_created_anew():
    current = _current([], [_record()])
    item = plan(Desired((_desired(),)), current).playlists[0]
    assert item.action == Action.CREATE
    assert "deleted" in item.reason


def test_a_playlist_owned_by_someone_else_is_left_alone():
    current = _current([_info(owner="someone")], [_record()])
    item = plan(Desired((_desired(uris=("spotify:track:z",)),)), current).playlists[0]
    assert item.action == Action.SKIP and item.steps == ()
    assert item.located == NOT_OWNED and "someone" in item.reason


def test_one_own_playlist_of_that_name_is_adopted_without_state():
    current = _current([_info(owner="other", id_="theirs"), _info(id_="mine", snapshot="s9")])
    desired = Desired((_desired(),))
    assert items_to_read(desired, current) == ("mine",)
    current = replace(current, items={"mine": ("spotify:track:a",)})
    item = plan(desired, current).playlists[0]
    assert (item.action, item.playlist_id, item.reason) == (
        Action.UNCHANGED,
        "mine",
        "adopted by its name",
    )


def test_two_own_playlists_of_that_name_adopt_none_and_create_none():
    current = _current([_info(id_="one"), _info(id_="two")])
    item = plan(Desired((_desired(),)), current).playlists[0]
    assert item.action == Action.SKIP and item.located == AMBIGUOUS and item.steps == ()
    assert "2 of your playlists" in item.reason


def test_a_playlist_stored_for_another_key_is_not_adopted_by_name():
    current = _current([_info(id_="p1", name="E1")], [_record(key=SEASON_KEY, id_="p1")])
    item = plan_playlist(_desired(), current)
    assert item.action == Action.CREATE


def test_emptying_an_existing_playlist_is_refused_unless_allowed():
    current = _current([_info()], [_record()])
    desired = Desired((_desired(uris=()),))
    refused = plan(desired, current)
    assert refused.refusals and refused.playlists[0].steps == ()
    assert "--allow-empty" in refused.playlists[0].reason
    assert "`review`" in refused.playlists[0].reason and "`review`" in refused.refusal_message()
    allowed = plan(desired, current, allow_empty=True)
    assert allowed.refusals == ()
    assert allowed.playlists[0].steps == (ReplaceItems("p1", (), 0, 1),)


def test_no_empty_playlist_is_created():
    item = plan_playlist(_desired(uris=()), _current())
    assert item.action == Action.SKIP and item.steps == ()
    assert "`review`" in item.reason  # the way to the songs that found nothing


def test_the_plan_prints_one_readable_line_per_playlist():
    desired = desired_state(_season(), _resolution())
    text = str(plan(desired, _current()))
    assert "create    “Soundtrack S1E01 · Nellie and Sam” (private, 3 tracks, a cover)" in text
    assert "episode 3 “Finale”: no songs listed" in text
    assert len(text.splitlines()) == 4


@pytest.mark.parametrize(
    "text, expected",
    [("1", {1}), ("1,3-5", {1, 3, 4, 5}), (" 2 , 2-3 ", {2, 3}), ("10-10", {10})],
)
def test_episode_selections(text, expected):
    assert parse_episodes(text) == expected


@pytest.mark.parametrize("text", ["", "a", "3-1", "0", "1,x-2", "-2"])
def test_bad_episode_selections_say_what_is_wrong(text):
    with pytest.raises(ValueError, match="episode"):
        parse_episodes(text)


# --- holes: null entries, tracks Spotify no longer has ---


def test_an_append_is_never_planned_after_a_hole():
    # Read as (a, hole): dropping the hole would make "append b" land one place early.
    desired = _desired(uris=("spotify:track:a", "spotify:track:x", "spotify:track:b"))
    current = _current([_info(snapshot="s2", total=2)], items={"p1": ("spotify:track:a", None)})
    item = plan_playlist(desired, current)
    assert item.action == Action.UPDATE
    (step,) = item.steps
    assert isinstance(step, ReplaceItems)
    assert step.uris == desired.uris
    assert (item.added, item.removed) == (2, 1)  # x and b in, the hole out


def test_a_playlist_with_a_hole_the_tracklist_does_not_want_is_replaced():
    desired = _desired(uris=("spotify:track:a", "spotify:track:b"))
    record = _record(snapshot="s1", uris=("spotify:track:a", "spotify:track:b", "spotify:track:c"))
    current = _current(
        [_info(snapshot="s2", total=3)],
        [record],
        items={"p1": ("spotify:track:a", "spotify:track:b", None)},
    )
    item = plan_playlist(desired, current)
    assert [type(step) for step in item.steps] == [ReplaceItems]
    assert item.steps[0].uris == desired.uris


def test_a_hole_where_we_wrote_a_wanted_track_is_that_track_gone_unavailable():
    # Writing the same track again cannot fill the hole: no rewrite on every sync.
    uris = ("spotify:track:a", "spotify:track:b", "spotify:track:c")
    current = _current(
        [_info(snapshot="s2", total=3)],
        [_record(snapshot="s1", uris=uris)],
        items={"p1": ("spotify:track:a", None, "spotify:track:c")},
    )
    item = plan_playlist(_desired(uris=uris), current)
    assert item.action == Action.UNCHANGED and item.steps == ()


def test_a_hole_in_a_playlist_we_did_not_write_that_way_is_replaced():
    uris = ("spotify:track:a", "spotify:track:b")
    current = _current(
        [_info(snapshot="s2", total=2)],
        [_record(snapshot="s1", uris=("spotify:track:a",))],  # another length: not our write
        items={"p1": ("spotify:track:a", None)},
    )
    item = plan_playlist(_desired(uris=uris), current)
    assert [type(step) for step in item.steps] == [ReplaceItems]
