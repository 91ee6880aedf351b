"""Sync end to end: the shipped season, the real client, over HTTP against the local emulator."""

from __future__ import annotations

import json
import random

import pytest
import shipped_season
from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.errors import Interrupted, SoundtrackError
from soundtrack_playlists.files import paths
from soundtrack_playlists.models import Action, Status
from soundtrack_playlists.spotify.client import SpotifyClient
from soundtrack_playlists.sync.run import SyncOptions, sync_season
from soundtrack_playlists.tracklists.folders import load_season

WRITE_METHODS = {"POST", "PUT", "DELETE"}
SEASON_NAME = shipped_season.SEASON_PLAYLIST


def api_requests(emulator):
    return [r for r in emulator.request_log if r.path.startswith("/v1/")]


def writes(emulator):
    return [r for r in api_requests(emulator) if r.method in WRITE_METHODS]


def mine(emulator, user="demo-user"):
    """The user's own playlists as name -> items, failing on a duplicate name."""
    result = {}
    for playlist in emulator.playlists_state().values():
        if playlist["owner"] == user and user in playlist["followers"]:
            assert playlist["name"] not in result, f"duplicate playlist {playlist['name']}"
            result[playlist["name"]] = playlist["items"]
    return result


def files(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_first_sync_creates_ten_playlists_with_exactly_the_resolved_songs(
    emulator, season_dir, connect
):
    result = sync_season(load_season(season_dir), connect())
    assert [o.action for o in result.outcomes] == [Action.CREATE] * 10
    playlists = mine(emulator)
    assert len(playlists) == 10
    assert playlists == shipped_season.playlists()
    assert "Soundtrack S1E01 · Nellie and Sam" in playlists
    assert not any("Finale" in name for name in playlists)
    # At most create, cover + one add per playlist: the season has fewer than 100 songs.
    per_playlist = {}
    for request in writes(emulator):
        key = "create" if request.path == "/v1/me/playlists" else request.path.split("/")[3]
        per_playlist[key] = per_playlist.get(key, 0) + 1
    assert per_playlist["create"] == 10
    assert all(count == 2 for key, count in per_playlist.items() if key != "create")
    report = result.report_path.read_text(encoding="utf-8")
    assert "Episode 10: Finale" in report and "(spotify:track:" in report
    assert "https://open.spotify.com/track/" not in report  # emulator ids: no links to Spotify


def routes(emulator) -> list[tuple[str, str]]:
    return [(r.method, r.route) for r in api_requests(emulator)]


def test_a_cold_sync_never_reads_a_playlist_it_just_created(emulator, season_dir, connect):
    sync_season(load_season(season_dir), connect())
    sent = routes(emulator)
    assert ("GET", "/playlists/{playlist_id}") not in sent
    # one create, one cover and one add per playlist (playlists are applied side by side)
    writes_only = [route for route in sent if route[0] in ("POST", "PUT")]
    assert writes_only.count(("POST", "/me/playlists")) == 10
    assert writes_only.count(("PUT", "/playlists/{playlist_id}/images")) == 10
    assert writes_only.count(("POST", "/playlists/{playlist_id}/items")) == 10
    added_to = [r.path for r in emulator.request_log if r.route == "/playlists/{playlist_id}/items"]
    assert len(set(added_to)) == 10
    searches = sent.count(("GET", "/search"))
    assert len(sent) == searches + 2 + 30  # /me, /me/playlists, then create, cover, add each


def test_songs_added_at_an_episode_end_are_appended_without_a_read(emulator, season_dir, connect):
    first = sync_season(load_season(season_dir), connect())
    known = {song.track.uri for song in first.songs if song.track}
    extra = next(t.uri for t in emulator.catalog.tracks if t.uri not in known)
    episode_file = season_dir / "episode-09.txt"  # the last episode with songs
    text = episode_file.read_text(encoding="utf-8").rstrip("\n")
    episode_file.write_text(f'{text}\n"A Song Chosen By Hand" by Someone {extra}\n', "utf-8")
    emulator.clear_log()
    result = sync_season(load_season(season_dir), connect())
    appended = {o.name for o in result.outcomes if o.action == Action.UPDATE}
    assert len(appended) == 2 and SEASON_NAME in appended
    assert routes(emulator) == [
        ("GET", "/tracks/{id}"),  # the new pin is looked up once, before anything else
        ("GET", "/me"),
        ("GET", "/me/playlists"),
        ("POST", "/playlists/{playlist_id}/items"),
        ("POST", "/playlists/{playlist_id}/items"),
    ]
    tracks = dict(shipped_season.EPISODE_TRACKS)
    tracks[9] = (*tracks[9], extra)
    assert mine(emulator) == shipped_season.playlists(tracks)
    assert all(items[-1] == extra for name, items in mine(emulator).items() if name in appended)


def test_second_sync_sends_two_reads_and_no_write(emulator, season_dir, connect):
    sync_season(load_season(season_dir), connect())
    state_before = paths.state_path(season_dir).read_bytes()
    emulator.clear_log()
    result = sync_season(load_season(season_dir), connect())
    assert {o.action for o in result.outcomes} == {Action.UNCHANGED}
    assert writes(emulator) == []
    assert [(r.method, r.path) for r in api_requests(emulator)] == [
        ("GET", "/v1/me"),
        ("GET", "/v1/me/playlists"),
    ]
    assert paths.state_path(season_dir).read_bytes() == state_before


def test_editing_one_line_changes_that_episode_and_the_season_only(emulator, season_dir, connect):
    first = sync_season(load_season(season_dir), connect())
    ids = {o.name: o.id for o in first.outcomes}
    episode_file = season_dir / "episode-03.txt"
    lines = episode_file.read_text(encoding="utf-8").splitlines()
    song_line = next(i for i, line in enumerate(lines) if line.startswith('"'))
    pinned = next(s for s in first.songs if s.episode == 1 and s.status == Status.MATCHED).track.uri
    lines[song_line] = f'"A Song Chosen By Hand" by Someone {pinned}'
    episode_file.write_text("\n".join(lines) + "\n", encoding="utf-8")

    emulator.clear_log()
    result = sync_season(load_season(season_dir), connect())
    changed = {o.name for o in result.outcomes if o.action == Action.UPDATE}
    episode_three = next(o.name for o in result.outcomes if "S1E03" in o.name)
    assert changed == {episode_three, SEASON_NAME}
    touched = {r.path.split("/")[3] for r in writes(emulator)}
    assert touched == {ids[episode_three], ids[SEASON_NAME]}
    assert not any(r.path == "/v1/search" for r in api_requests(emulator))
    tracks = dict(shipped_season.EPISODE_TRACKS)
    tracks[3] = (pinned, *tracks[3][1:])  # the episode's first song line was replaced
    assert mine(emulator) == shipped_season.playlists(tracks)
    assert pinned in mine(emulator)[episode_three]


def test_a_playlist_deleted_in_between_is_recreated(emulator, season_dir, connect):
    first = sync_season(load_season(season_dir), connect())
    gone = first.outcomes[4]
    emulator.delete_playlist(gone.id)
    result = sync_season(load_season(season_dir), connect())
    again = result.outcomes[4]
    assert again.action == Action.CREATE and again.id != gone.id and again.name == gone.name
    assert [o.action for o in result.outcomes].count(Action.UNCHANGED) == 9
    assert mine(emulator) == shipped_season.playlists()


class InterruptedClient(SpotifyClient):
    """Stops the run (as Ctrl-C would) when the fourth playlist is about to be filled."""

    appends = 0

    def append_items(self, playlist_id, uris, **options):
        InterruptedClient.appends += 1
        if InterruptedClient.appends == 4:
            raise KeyboardInterrupt
        return super().append_items(playlist_id, uris, **options)


def test_an_interrupted_sync_converges_on_rerun_without_duplicates(emulator, season_dir, connect):
    with pytest.raises(Interrupted):  # one playlist at a time: the fourth is known
        sync_season(load_season(season_dir), connect(InterruptedClient), SyncOptions(workers=1))
    # The fourth was created, then deleted again when its filling was cut short.
    assert len(mine(emulator)) == 3 and all(mine(emulator).values())
    result = sync_season(load_season(season_dir), connect())
    assert [o.action for o in result.outcomes][:4] == [Action.UNCHANGED] * 3 + [Action.CREATE]
    assert mine(emulator) == shipped_season.playlists()
    emulator.clear_log()
    sync_season(load_season(season_dir), connect())
    assert writes(emulator) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_syncs_under_random_faults_then_a_clean_run_equal_the_desired_state(
    emulator, season_dir, connect, seed
):
    chance = random.Random(seed)
    for _ in range(4):
        emulator.set_faults(
            Faults(
                rate_429=0.1,
                rate_5xx=0.2,
                rate_drop=0.2,
                drop_after_apply=chance.random() < 0.5,
                seed=chance.randrange(1 << 30),
            )
        )
        try:
            sync_season(load_season(season_dir), connect())
        except SoundtrackError:
            pass  # the run gave up; the next one carries on from what was saved
    emulator.set_faults(Faults())
    sync_season(load_season(season_dir), connect())
    assert mine(emulator) == shipped_season.playlists()
    emulator.clear_log()
    sync_season(load_season(season_dir), connect())
    assert writes(emulator) == []


def test_dry_run_sends_no_write_and_leaves_every_file_untouched(emulator, season_dir, connect):
    before = files(season_dir)
    result = sync_season(load_season(season_dir), connect(), SyncOptions(dry_run=True))
    assert [o.action for o in result.outcomes] == [Action.CREATE] * 10
    assert writes(emulator) == []
    assert files(season_dir) == before  # no lock, state or report either

    sync_season(load_season(season_dir), connect())
    (season_dir / "episode-02.txt").write_text(
        'Episode 2: Changed\n\n"Smile" by Nat King Cole\n', encoding="utf-8"
    )
    before = files(season_dir)
    emulator.clear_log()
    result = sync_season(load_season(season_dir), connect(), SyncOptions(dry_run=True))
    assert {o.action for o in result.outcomes if "S1E02" in o.name} == {Action.UPDATE}
    assert writes(emulator) == []
    assert files(season_dir) == before


# --- the commands ---


def run(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def test_sync_json_prints_only_the_summary(emulator, season_dir, cli_env):
    result = run("sync", season_dir, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert [p["action"] for p in summary["playlists"]] == ["create"] * 10
    assert summary["playlists"][0]["name"] == "Soundtrack S1E01 · Nellie and Sam"
    assert sum(summary["songs"].values()) == len(load_season(season_dir).songs)
    assert summary["report"] == str(paths.report_path(season_dir))
    assert {p["id"] for p in summary["playlists"]} == set(
        pid for pid, p in emulator.playlists_state().items()
    )


def test_sync_prints_the_plan_and_status_compares_without_writing(emulator, season_dir, cli_env):
    dry = run("sync", season_dir, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Dry run" in dry.output and "create    “Soundtrack S1E01 · Nellie and Sam”" in dry.output
    assert emulator.playlists_state() == {}
    assert run("sync", season_dir).exit_code == 0
    emulator.clear_log()
    status = run("status", season_dir)
    assert status.exit_code == 0, status.output
    assert status.output.count("in sync") == 10
    assert "no playlist  episode 10 “Finale”" in status.output
    assert writes(emulator) == []


def test_strict_fails_when_a_song_is_left_out(emulator, season_dir, cli_env):
    with (season_dir / "episode-06.txt").open("a", encoding="utf-8") as handle:
        handle.write('"Qwzx Nonexistent Tune" by Nobody Anyone Knows\n')
    relaxed = run("sync", season_dir, "--json")
    assert relaxed.exit_code == 0
    assert json.loads(relaxed.stdout)["songs"]["unresolved"] == 1
    strict = run("sync", season_dir, "--strict")
    assert strict.exit_code == 3
    assert "--strict: 1 song left out" in strict.output


def test_refuses_to_empty_a_playlist_unless_allowed(emulator, season_dir, cli_env):
    assert run("sync", season_dir).exit_code == 0
    (season_dir / "episode-06.txt").write_text(
        'Episode 6: Joanna and Eleanor\n\n"Qwzx Nonexistent Tune" by Nobody Anyone Knows\n',
        encoding="utf-8",
    )
    emulator.clear_log()
    refused = run("sync", season_dir)
    assert refused.exit_code == 1
    assert "--allow-empty" in refused.output
    assert writes(emulator) == []
    allowed = run("sync", season_dir, "--allow-empty")
    assert allowed.exit_code == 0, allowed.output
    assert mine(emulator)["Soundtrack S1E06 · Joanna and Eleanor"] == []


def test_unknown_episodes_are_a_usage_error(season_dir, cli_env):
    result = run("sync", season_dir, "--episodes", "2,42")
    assert result.exit_code == 2
    assert "no episode 42" in result.output
    assert run("sync", season_dir, "--episodes", "x").exit_code == 2


def test_a_pin_shows_its_real_track_and_a_pin_to_no_track_stops_before_any_write(
    emulator, season_dir, connect
):
    real = emulator.catalog.tracks[0]
    episode_file = season_dir / "episode-01.txt"
    text = episode_file.read_text(encoding="utf-8").rstrip("\n")
    episode_file.write_text(f'{text}\n"A Song Chosen By Hand" by Someone {real.uri}\n', "utf-8")
    result = sync_season(load_season(season_dir), connect())
    pinned = next(s for s in result.songs if s.status == Status.PINNED)
    assert (pinned.track.name, pinned.track.artists) == (real.name, real.artists)
    assert real.name in (season_dir / "sync-report.md").read_text(encoding="utf-8")
    lines = episode_file.read_text(encoding="utf-8").splitlines()
    episode_file.write_text(
        "\n".join(lines) + '\n"Nowhere" by Nobody spotify:track:' + "0" * 22 + "\n", "utf-8"
    )
    emulator.clear_log()
    with pytest.raises(SoundtrackError) as error:
        sync_season(load_season(season_dir), connect())
    assert f"episode-01.txt line {len(lines) + 1}" in str(error.value)
    assert writes(emulator) == []
