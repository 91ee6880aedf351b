"""Chaos: syncs under random 429s, 5xx, dropped connections and interruptions lose nothing.

Bounded: a fixed number of rounds, no real sleeping (the client's and the emulator's waits are
injected), and a cap on the requests the emulator may see.
"""

from __future__ import annotations

import json
import random
import shutil

import pytest
from emulator_login import emulator_settings

from soundtrack_playlists.emulator.app import Emulator, demo_catalog_path
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.emulator.state import DEFAULT_USER
from soundtrack_playlists.errors import SoundtrackError
from soundtrack_playlists.files.paths import default_season_dir, lock_path, state_path
from soundtrack_playlists.models import KEPT_STATUSES
from soundtrack_playlists.spotify.client import SpotifyClient
from soundtrack_playlists.sync.run import sync_season
from soundtrack_playlists.tracklists.folders import load_season

ROUNDS = 12
MAX_REQUESTS = 6000  # a bound on the whole test, far above what it needs


class Interrupted(Exception):
    """Stands for Ctrl-C or a killed process in the middle of a sync."""


class InterruptingClient:
    """The real client, interrupted after a given number of calls into it."""

    def __init__(self, client: SpotifyClient, calls_before_interrupt: int):
        self._client = client
        self._left = calls_before_interrupt

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            self._left -= 1
            if self._left < 0:
                raise Interrupted(name)
            return attribute(*args, **kwargs)

        return call


def chaos_faults(seed: int) -> Faults:
    return Faults(
        rate_429=0.15,
        retry_after=1,
        rate_5xx=0.1,
        rate_drop=0.1,
        drop_after_apply=True,
        seed=seed,
    )


def song_lines(path) -> tuple[list[str], list[str]]:
    """An episode file split into its heading part and its song lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    head = [line for line in lines if not line.startswith(('"', "Mashup:", "Medley:"))]
    return head, [line for line in lines if line not in head]


def edit_tracklists(folder, rng: random.Random) -> None:
    """Reorder one episode's songs, or move a song to another episode (never emptying one)."""
    files = sorted(folder.glob("episode-0*.txt"))  # episodes 1-9: the Finale stays empty
    source = rng.choice(files)
    head, songs = song_lines(source)
    if rng.random() < 0.5 or len(songs) < 2:
        rng.shuffle(songs)
        source.write_text("\n".join(head + songs) + "\n", encoding="utf-8")
        return
    moved = songs.pop(rng.randrange(len(songs)))
    source.write_text("\n".join(head + songs) + "\n", encoding="utf-8")
    target = rng.choice([path for path in files if path != source])
    target_head, target_songs = song_lines(target)
    target_songs.insert(rng.randint(0, len(target_songs)), moved)
    target.write_text("\n".join(target_head + target_songs) + "\n", encoding="utf-8")


def followed_playlists(emulator: Emulator) -> list[dict]:
    return [
        playlist
        for playlist in emulator.playlists_state().values()
        if DEFAULT_USER in playlist["followers"]
    ]


@pytest.mark.parametrize("seed", [11, 23])
def test_repeated_faulty_interrupted_syncs_converge_exactly(tmp_path, seed):
    rng = random.Random(seed)
    folder = tmp_path / "season"
    shutil.copytree(default_season_dir(), folder)
    with Emulator(
        catalog=demo_catalog_path(), faults=chaos_faults(seed), sleep=lambda seconds: None
    ) as emulator:
        settings = emulator_settings(emulator, tmp_path / "token-cache.json", client_id="chaos")

        def client(calls_before_interrupt: int = 10**9):
            real = SpotifyClient(settings, sleep=lambda seconds: None)
            return InterruptingClient(real, calls_before_interrupt)

        interrupted = failed = 0
        for _ in range(ROUNDS):
            try:
                sync_season(load_season(folder), client(rng.randint(1, 30)))
            except Interrupted:
                interrupted += 1
            except SoundtrackError:
                failed += 1  # retries exhausted: a real user reruns, as the next round does
            between = rng.random()
            if between < 0.2 and followed_playlists(emulator):
                emulator.delete_playlist(rng.choice(followed_playlists(emulator))["id"])
            elif between < 0.3:
                state_path(folder).unlink(missing_ok=True)  # state lost: adopt by name
            else:
                edit_tracklists(folder, rng)
        assert interrupted > 0, "the chaos never interrupted a sync: the test proves nothing"
        assert any(record.fault for record in emulator.request_log)

        emulator.set_faults(Faults())
        final = sync_season(load_season(folder), client())
        assert len(emulator.request_log) < MAX_REQUESTS

        songs_by_episode: dict[int, list[str]] = {}
        for song in final.songs:
            if song.status in KEPT_STATUSES:
                songs_by_episode.setdefault(song.episode, []).append(song.track.uri)
        season = load_season(folder)
        expected = {
            season.episode_playlist_name(episode): songs_by_episode[episode.number]
            for episode in season.episodes
            if episode.number in songs_by_episode
        }
        expected[season.season_playlist_name()] = [
            uri for number in sorted(songs_by_episode) for uri in songs_by_episode[number]
        ]

        held = followed_playlists(emulator)
        names = [playlist["name"] for playlist in held]
        assert sorted(names) == sorted(expected), "a duplicate or missing playlist"
        assert {p["name"]: p["items"] for p in held} == expected
        assert len(expected) == 10 and sum(map(len, songs_by_episode.values())) == 45

        json.loads(lock_path(folder).read_text(encoding="utf-8"))
        json.loads(state_path(folder).read_text(encoding="utf-8"))

        log_before = len(emulator.request_log)
        again = sync_season(load_season(folder), client())
        writes = [
            r
            for r in emulator.request_log[log_before:]
            if r.method != "GET" and r.path.startswith("/v1/")
        ]
        assert writes == [] and {o.action for o in again.outcomes} == {"unchanged"}
