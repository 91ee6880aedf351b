"""A playlist list that lags behind a create never makes a second playlist of the same name."""

from __future__ import annotations

import shutil

from soundtrack_playlists import paths
from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.emulator.state import DEFAULT_USER
from soundtrack_playlists.settings import Settings
from soundtrack_playlists.spotify.client import SpotifyClient
from soundtrack_playlists.sync import sync_season
from soundtrack_playlists.tracklist import load_season


def test_a_sync_right_after_another_sees_through_a_lagging_playlist_list(tmp_path):
    folder = tmp_path / "season-1"
    shutil.copytree(paths.default_season_dir(), folder)
    with Emulator(sleep=lambda seconds: None) as emulator:
        settings = Settings(
            client_id="0123456789abcdef0123456789abcdef",
            refresh_token=emulator.issue_refresh_token(),
            api_url=emulator.api_url,
            accounts_url=emulator.accounts_url,
            cache_path=tmp_path / "token-cache.json",
        )

        def client() -> SpotifyClient:
            return SpotifyClient(settings, sleep=lambda seconds: None, jitter=lambda: 0.0)

        emulator.set_faults(Faults(stale_reads=60.0))  # GET /me/playlists shows the past
        sync_season(load_season(folder), client())
        emulator.clear_log()
        again = sync_season(load_season(folder), client())

        followed = [
            p["name"] for p in emulator.playlists_state().values() if DEFAULT_USER in p["followers"]
        ]
        assert len(followed) == len(set(followed)) == 10
        assert {str(outcome.action) for outcome in again.outcomes} == {"unchanged"}
        asked = [(r.method, r.route) for r in emulator.request_log if r.path.startswith("/v1/")]
        assert asked.count(("GET", "/me/library/contains")) == 1  # one check for all ten
        assert not [method for method, _ in asked if method != "GET"]


def test_a_deleted_playlist_is_told_apart_from_a_lagging_list(tmp_path):
    folder = tmp_path / "season-1"
    shutil.copytree(paths.default_season_dir(), folder)
    with Emulator(sleep=lambda seconds: None) as emulator:
        settings = Settings(
            client_id="0123456789abcdef0123456789abcdef",
            refresh_token=emulator.issue_refresh_token(),
            api_url=emulator.api_url,
            accounts_url=emulator.accounts_url,
            cache_path=tmp_path / "token-cache.json",
        )
        first = sync_season(load_season(folder), SpotifyClient(settings))
        gone = first.outcomes[0]
        emulator.delete_playlist(gone.id)
        again = sync_season(load_season(folder), SpotifyClient(settings))
        assert str(again.outcomes[0].action) == "create" and again.outcomes[0].id != gone.id
