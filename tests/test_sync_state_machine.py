"""Sync as a state machine: random edits, deletions, faults and interruptions, then a clean run.

In the spirit of vdirsyncer's tests/unit/sync/test_sync.py: hypothesis drives random
operations against the emulator, and after every clean sync the user's playlists must be
exactly the desired ones, with no duplicate playlist and no item more or less.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from emulator_login import emulator_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.errors import SoundtrackError
from soundtrack_playlists.files import paths
from soundtrack_playlists.spotify.client import SpotifyClient
from soundtrack_playlists.sync.run import SyncOptions, SyncResult, sync_season
from soundtrack_playlists.tracklists.folders import load_season

EPISODES = 3  # a small season keeps each example fast: episodes 1-3 of the shipped one


class World:
    """What every example shares: one emulator and a lock resolved against it once."""

    def __init__(self, emulator: Emulator, root: Path, lock: bytes) -> None:
        self.emulator = emulator
        self.root = root
        self.lock = lock
        self.users = itertools.count(1)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("machine")
    template = root / "template"
    template.mkdir()
    shutil.copy2(paths.default_season_dir() / "season.toml", template)
    for number in range(1, EPISODES + 1):
        name = f"episode-{number:02d}.txt"
        shutil.copy2(paths.default_season_dir() / name, template / name)
    with Emulator() as emulator:
        client = make_client(emulator, "template-user", root / "cache-template.json")
        sync_season(load_season(template), client, SyncOptions(dry_run=False))
        yield World(emulator, root, paths.lock_path(template).read_bytes())


def make_client(
    emulator: Emulator, user: str, cache: Path, client_class: type[SpotifyClient] = SpotifyClient
) -> SpotifyClient:
    emulator.add_user(user)
    settings_ = emulator_settings(emulator, cache, refresh_token=emulator.issue_refresh_token(user))
    return client_class(settings_, sleep=lambda seconds: None, jitter=lambda: 0.0)


class StopsAtAppend(SpotifyClient):
    """Stops the run as Ctrl-C would when the n-th item addition is about to be sent."""

    stop_at = 1
    appends = 0

    def append_items(self, playlist_id, uris, **options):  # type: ignore[no-untyped-def]
        StopsAtAppend.appends += 1
        if StopsAtAppend.appends == StopsAtAppend.stop_at:
            raise KeyboardInterrupt
        return super().append_items(playlist_id, uris, **options)


class SyncMachine(RuleBasedStateMachine):
    world: World  # set by the test before the machine runs
    checked = 0  # clean syncs whose result was compared with the desired playlists

    @initialize()
    def new_user_and_season(self) -> None:
        number = next(self.world.users)
        self.user = f"machine-user-{number}"
        self.folder = self.world.root / f"season-{number}"
        shutil.copytree(self.world.root / "template", self.folder, ignore=_user_files)
        paths.lock_path(self.folder).write_bytes(self.world.lock)  # no searching again
        self.cache = self.world.root / f"cache-{number}.json"
        self.last: SyncResult | None = None
        self.foreign: dict[str, tuple[str, list[str], str]] = {}  # the user's own playlists
        self.world.emulator.set_faults(Faults())

    def client(self, client_class: type[SpotifyClient] = SpotifyClient) -> SpotifyClient:
        return make_client(self.world.emulator, self.user, self.cache, client_class)

    def own(self) -> list[dict]:
        return [
            p
            for p in self.world.emulator.playlists_state().values()
            if p["owner"] == self.user and self.user in p["followers"]
        ]

    # --- the world changes ---

    @rule(episode=st.integers(1, EPISODES), edit=st.sampled_from(["drop", "swap", "twice"]))
    def edit_tracklist(self, episode: int, edit: str) -> None:
        path = self.folder / f"episode-{episode:02d}.txt"
        lines = path.read_text(encoding="utf-8").split("\n")
        songs = [i for i, line in enumerate(lines) if line.strip() and i > 0]
        if edit == "drop" and len(songs) > 1:
            del lines[songs[-1]]
        elif edit == "swap" and len(songs) > 1:
            first, last = songs[0], songs[-1]
            lines[first], lines[last] = lines[last], lines[first]
        elif edit == "twice" and songs:
            lines.insert(songs[-1] + 1, lines[songs[0]])
        path.write_text("\n".join(lines), encoding="utf-8")

    @rule(episode=st.integers(1, EPISODES))
    def user_makes_a_playlist_named_like_ours(self, episode: int) -> None:
        season = load_season(self.folder)
        name = season.episode_playlist_name(season.episodes[episode - 1])
        if any(p["name"] == name for p in self.own()):
            return  # ours exists: found by its id from now on, whatever else bears the name
        items, description = [self.world.emulator.catalog.tracks[-1].uri], "my own mix"
        made = self.world.emulator.add_playlist(self.user, name, items, description=description)
        self.foreign[made] = (name, items, description)

    @rule(pick=st.integers(0, 20))
    def delete_a_playlist(self, pick: int) -> None:
        playlists = [p for p in self.own() if p["id"] not in self.foreign]
        if playlists:
            self.world.emulator.delete_playlist(playlists[pick % len(playlists)]["id"])

    @rule(seed=st.integers(0, 1 << 20), after_apply=st.booleans())
    def sync_under_faults(self, seed: int, after_apply: bool) -> None:
        faults = Faults(rate_5xx=0.2, rate_drop=0.2, drop_after_apply=after_apply, seed=seed)
        self.world.emulator.set_faults(faults)
        try:
            sync_season(load_season(self.folder), self.client())
        except SoundtrackError:
            pass  # the run gave up; what was done is kept
        finally:
            self.world.emulator.set_faults(Faults())

    @rule(stop_at=st.integers(1, EPISODES + 1))
    def interrupted_sync(self, stop_at: int) -> None:
        StopsAtAppend.stop_at, StopsAtAppend.appends = stop_at, 0
        try:
            sync_season(
                load_season(self.folder), self.client(StopsAtAppend), SyncOptions(workers=1)
            )
        except SoundtrackError:
            pass  # interrupted (or there was less to add than that)

    @rule()
    def clean_sync(self) -> None:
        self.last = sync_season(load_season(self.folder), self.client())

    # --- what must hold ---

    @invariant()
    def the_users_own_playlists_are_never_touched(self) -> None:
        state = self.world.emulator.playlists_state()
        for playlist_id, (name, items, description) in self.foreign.items():
            playlist = state[playlist_id]
            assert (playlist["name"], playlist["items"], playlist["description"]) == (
                name,
                items,
                description,
            )
            assert self.user in playlist["followers"]

    @invariant()
    def a_clean_sync_leaves_exactly_the_desired_playlists(self) -> None:
        if self.last is None:
            return
        desired = {
            item.desired.name: list(item.desired.uris)
            for item in self.last.plan.playlists
            if item.located != "foreign"  # the user's own of that name: none of ours is made
        }
        held: dict[str, list[str]] = {}
        for playlist in self.own():
            if playlist["id"] in self.foreign:
                continue
            assert playlist["name"] not in held, f"duplicate playlist {playlist['name']}"
            held[playlist["name"]] = playlist["items"]
        assert held == desired
        SyncMachine.checked += 1
        self.last = None  # later steps may change the world again


def _user_files(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n in (paths.LOCK_FILE, paths.STATE_FILE, paths.REPORT_FILE)]


def test_random_edits_faults_and_interruptions_always_converge(world: World) -> None:
    SyncMachine.world, SyncMachine.checked = world, 0
    run_state_machine_as_test(
        SyncMachine,
        settings=settings(
            max_examples=6,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,  # the same examples on every run: no flaky suite
            suppress_health_check=list(HealthCheck),
            database=None,
        ),
    )
    assert SyncMachine.checked > 0  # the examples did reach clean syncs
