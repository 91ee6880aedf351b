"""Cover uploads in the plan: only when the cover's inputs changed, before the items."""

from __future__ import annotations

from dataclasses import replace

from soundtrack_playlists.covers import CoverSpec
from soundtrack_playlists.models import Action, PlaylistInfo
from soundtrack_playlists.sync.actions import AppendItems, CreatePlaylist, UploadCover
from soundtrack_playlists.sync.current import Current
from soundtrack_playlists.sync.plan import plan_playlist
from soundtrack_playlists.sync.state import PlaylistRecord, SyncState
from soundtrack_playlists.sync.targets import DesiredPlaylist

API = "http://127.0.0.1:1/v1/"
ME = "nellie"
COVER = CoverSpec("Soundtrack", 1, 1, "Nellie and Sam")
URIS = ("spotify:track:a", "spotify:track:b")


def _desired(cover: CoverSpec | None = COVER, uris=URIS) -> DesiredPlaylist:
    return DesiredPlaylist("episode-01", "Soundtrack S1E01", "about", uris, cover=cover)


def _current(uploaded: str, held=URIS, record_id: str = "p1") -> Current:
    info = PlaylistInfo("p1", "Soundtrack S1E01", ME, "about", False, "snap", len(held))
    record = PlaylistRecord("episode-01", record_id, info.name, "snap", held, cover=uploaded)
    return Current(ME, (info,), SyncState(API, ME, (record,)))


def test_a_new_playlist_gets_its_cover_after_the_create():
    empty = Current(ME, (), SyncState(API, ME))
    item = plan_playlist(_desired(), empty)
    assert item.action == Action.CREATE
    assert [type(step) for step in item.steps] == [CreatePlaylist, UploadCover]
    assert item.steps[1].digest == COVER.digest() and "a cover" in str(item)
    assert [type(s) for s in plan_playlist(_desired(cover=None), empty).steps] == [CreatePlaylist]


def test_an_uploaded_cover_is_not_sent_again():
    item = plan_playlist(_desired(), _current(COVER.digest()))
    assert item.action == Action.UNCHANGED and item.steps == ()
    assert item.record is not None and item.record.cover == COVER.digest()


def test_a_changed_title_uploads_a_new_cover_before_the_items():
    renamed = CoverSpec("Soundtrack", 1, 1, "A New Title")
    more = (*URIS, "spotify:track:c")
    item = plan_playlist(_desired(cover=renamed, uris=more), _current(COVER.digest()))
    assert item.action == Action.UPDATE
    assert [type(step) for step in item.steps] == [UploadCover, AppendItems]
    assert str(item.steps[0]) == "upload a new cover" and item.steps[0].playlist_id == "p1"


def test_no_covers_leaves_the_cover_and_its_digest_alone():
    item = plan_playlist(_desired(cover=None), _current("old-digest"))
    assert item.steps == () and item.record.cover == "old-digest"


def test_an_adopted_playlist_gets_our_cover():
    # The stored record names another id: the playlist is adopted by name, its cover unknown.
    current = _current(COVER.digest(), record_id="gone")
    item = plan_playlist(_desired(), replace(current, items={"p1": URIS}))
    assert item.located == "adopted"
    assert [str(step) for step in item.steps] == ["upload its cover"]
