"""Against an emulator that checks every route's scopes: log in, sync, delete one, sync again.

The login is made through `login` (PKCE, the scopes the tool asks for); a second world keeps a
login made before the library check needed its scopes. Either way: exit 0, the deleted playlist
made again, never a duplicate, never a traceback. No test sleeps: the read lag is 0 for the
commands, and simulated where the wait itself is checked.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner, Result
from emulator_login import CLIENT_ID, emulator_settings
from simulated_clock import SimulatedClock

from soundtrack_playlists.cli import cli
from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.emulator.state import DEFAULT_USER
from soundtrack_playlists.files import paths
from soundtrack_playlists.settings import SCOPES, Settings
from soundtrack_playlists.spotify.client import SpotifyClient
from soundtrack_playlists.spotify.login import login
from soundtrack_playlists.sync.run import sync_season
from soundtrack_playlists.tracklists.folders import load_season
from tests.test_cli_login import free_port

OLD_SCOPES = tuple(s for s in SCOPES if s not in ("user-library-read", "user-follow-read"))


def followed_names(emulator: Emulator) -> list[str]:
    return sorted(
        str(p["name"])
        for p in emulator.playlists_state().values()
        if DEFAULT_USER in p["followers"]
    )


def log_in(emulator: Emulator, cache: Path, scopes: tuple[str, ...]) -> None:
    """`login` as a user runs it: the browser opens the authorize page, the user agrees."""
    port = free_port()
    settings = Settings(
        client_id=CLIENT_ID,
        redirect_uri=f"http://127.0.0.1:{port}/callback",
        api_url=emulator.api_url,
        accounts_url=emulator.accounts_url,
        cache_path=cache,
        scopes=scopes,
    )

    def browser(url: str) -> bool:
        threading.Thread(target=requests.get, args=(url,), kwargs={"timeout": 5}).start()
        return True

    login(settings, open_url=browser, say=lambda text: None)


@pytest.fixture
def commands(emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "token-cache.json"
    monkeypatch.setenv("SPOTIPY_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("SPOTIFY_API_URL", emulator.api_url)
    monkeypatch.setenv("SPOTIFY_ACCOUNTS_URL", emulator.accounts_url)
    monkeypatch.setenv("SPOTIFY_TOKEN_CACHE", str(cache))
    monkeypatch.setenv("SPOTIFY_READ_LAG", "0")  # tests never sleep
    return cache


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


@pytest.mark.parametrize("scopes", [SCOPES, OLD_SCOPES], ids=["login-now", "login-of-old"])
def test_sync_after_a_deleted_playlist_makes_it_again_once(
    emulator: Emulator, commands: Path, season_dir: Path, scopes: tuple[str, ...]
) -> None:
    # Was: "Error: The Spotify login lacks a permission this needs (Spotify said: Insufficient
    # client scope)" on the second sync, and logging in again could not help.
    log_in(emulator, commands, scopes)
    first = run("sync", season_dir)
    assert first.exit_code == 0, first.output
    names = followed_names(emulator)
    assert len(names) == len(set(names)) == 10
    gone = next(pid for pid, p in emulator.playlists_state().items() if p["owner"] == DEFAULT_USER)
    emulator.delete_playlist(gone)
    again = run("sync", season_dir)
    assert again.exit_code == 0, again.output
    assert "Traceback" not in again.output
    assert followed_names(emulator) == names  # made again, once
    if scopes == OLD_SCOPES:
        assert "lacks user-library-read user-follow-read" in again.output
        assert "run `soundtrack-playlists login` once" in again.output
    removed = run("remove", season_dir, "--yes")
    assert removed.exit_code == 0, removed.output
    assert followed_names(emulator) == []


def test_an_old_login_waits_out_the_lag_before_taking_a_playlist_for_deleted(tmp_path: Path):
    clock = SimulatedClock()
    folder = tmp_path / "season-1"
    shutil.copytree(paths.default_season_dir(), folder)
    with Emulator(sleep=lambda seconds: None, clock=clock.time) as emulator:
        token = emulator.issue_refresh_token(scopes=OLD_SCOPES)
        settings = replace(
            emulator_settings(emulator, tmp_path / "cache.json", refresh_token=token),
            read_lag=20.0,
        )

        def client() -> SpotifyClient:
            return SpotifyClient(settings, sleep=clock.sleep, jitter=lambda: 0.0, clock=clock.now)

        emulator.set_faults(Faults(stale_reads=5.0))  # the list lags behind the creates
        sync_season(load_season(folder), client())
        names = followed_names(emulator)
        clock.sleep(60)
        gone = next(p for p, v in emulator.playlists_state().items() if v["name"] == names[0])
        emulator.delete_playlist(gone)
        clock.sleep(10)  # the list has caught up with the deletion: the stored id is missing
        clock.waits.clear()
        sync_season(load_season(folder), client())
        assert followed_names(emulator) == names
        assert 20.0 in clock.waits  # the lag waited out, by the simulated clock


LOCAL = "spotify:local:Fugees+%28Refugee+Camp%29:The+Score:No+Woman%2C+No+Cry:273"
EPISODE = "spotify:episode:5ytYkag3JZJ3GP2uuFAEBe"


def test_odd_real_entries_do_not_stop_a_sync_and_are_never_written_back(
    emulator: Emulator, cli_env: None, season_dir: Path
) -> None:
    # Others' playlists as metadata only, entries with `item` alone, a local file and a podcast
    # episode the user put in one of ours: none stops a sync, none is written back.
    theirs = emulator.add_playlist("someone-else", "Theirs", items=[LOCAL])
    emulator.store.follow(emulator.store.playlist(theirs), DEFAULT_USER, True)
    emulator.set_faults(Faults(metadata_only=True, item_only=True))
    assert run("sync", season_dir).exit_code == 0
    names = followed_names(emulator)
    ours = next(p for p in emulator.store.playlists.values() if p.name == names[0])
    emulator.store.add_items(ours, [LOCAL, EPISODE], "demo-user")
    emulator.clear_log()
    again = run("-v", "sync", season_dir)
    assert again.exit_code == 0, again.output
    assert "left out playlist" in again.output  # the -v note on the metadata-only entry
    assert followed_names(emulator) == names
    assert not any(e.uri in (LOCAL, EPISODE) for e in emulator.store.playlist(ours.id).entries)
    written = [r.query for r in emulator.request_log if r.method in ("PUT", "POST")]
    assert all("spotify:local" not in str(query) for query in written)
    settled = run("sync", season_dir)
    assert settled.exit_code == 0 and followed_names(emulator) == names
