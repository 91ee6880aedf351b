"""Many seasons in one run, the whole-show playlist and `remove`, over HTTP against the emulator."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from soundtrack_playlists.cli import cli
from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.files import paths
from soundtrack_playlists.sync.state import SHOW_KEY

USER = "demo-user"
SHOW_NAME = "Soundtrack · All seasons"
SHOW_TOML = 'show = "Soundtrack"\n\n[playlists]\nshow = "{show} · All seasons"\n'


def make_show(root: Path, seasons: int = 3, *, show_toml: bool = True) -> Path:
    """A show folder of copies of the shipped season, numbered 1..seasons."""
    show = root / "soundtrack"
    for number in range(1, seasons + 1):
        folder = show / f"season-{number}"
        shutil.copytree(paths.default_season_dir(), folder)
        manifest = folder / "season.toml"
        text = manifest.read_text(encoding="utf-8")
        manifest.write_text(text.replace("season = 1", f"season = {number}"), encoding="utf-8")
    if show_toml:
        (show / "show.toml").write_text(SHOW_TOML, encoding="utf-8")
    return show


@pytest.fixture
def show_dir(tmp_path: Path) -> Path:
    return make_show(tmp_path / "library")


def run(*args: object, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args], input=stdin)


def api_routes(emulator: Emulator) -> list[tuple[str, str]]:
    return [(r.method, r.route) for r in emulator.request_log if r.path.startswith("/v1/")]


def followed(emulator: Emulator) -> dict[str, dict[str, Any]]:
    """The user's own followed playlists by id."""
    return {
        pid: playlist
        for pid, playlist in emulator.playlists_state().items()
        if playlist["owner"] == USER and USER in playlist["followers"]
    }


def by_name(emulator: Emulator) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for playlist in followed(emulator).values():
        assert playlist["name"] not in result, f"duplicate playlist {playlist['name']}"
        result[playlist["name"]] = playlist["items"]
    return result


def state_ids(folder: Path) -> dict[str, str]:
    path = paths.state_path(folder)
    if not path.is_file():
        return {}
    return {r["key"]: r["id"] for r in json.loads(path.read_text("utf-8"))["playlists"]}


def sync_ok(*args: object) -> Result:
    result = run("sync", *args)
    assert result.exit_code == 0, result.output
    return result


def test_three_seasons_and_the_show_playlist_sync_in_one_command(
    emulator: Emulator, show_dir: Path, cli_env: None
) -> None:
    result = sync_ok(show_dir, "--json")
    summary = json.loads(result.stdout)
    assert [t["name"] for t in summary["targets"]] == [
        "Soundtrack, season 1",
        "Soundtrack, season 2",
        "Soundtrack, season 3",
        "Soundtrack, all seasons",
    ]
    playlists = by_name(emulator)
    assert len(playlists) == 3 * 10 + 1
    seasons = [playlists[f"Soundtrack · Season {n} (2019)"] for n in (1, 2, 3)]
    assert all(seasons) and playlists[SHOW_NAME] == seasons[0] + seasons[1] + seasons[2]
    # one read of the user and of their playlists served all three seasons
    sent = api_routes(emulator)
    assert sent.count(("GET", "/me")) == 1
    assert sent.count(("GET", "/me/playlists")) == 1
    assert state_ids(show_dir) == {SHOW_KEY: next(iter(state_ids(show_dir).values()))}
    assert all(paths.report_path(show_dir / f"season-{n}").is_file() for n in (1, 2, 3))


def test_a_warm_resync_sends_only_the_user_and_the_listing_pages(
    emulator: Emulator, show_dir: Path, cli_env: None
) -> None:
    sync_ok(show_dir)
    for number in range(40):  # 31 ours + 40 others: two pages of 50
        emulator.add_playlist(USER, f"Road trip {number}")
    states = {p: p.read_bytes() for p in show_dir.rglob("state.json")}
    emulator.clear_log()
    result = sync_ok(show_dir)
    assert api_routes(emulator) == [
        ("GET", "/me"),
        ("GET", "/me/playlists"),
        ("GET", "/me/playlists"),
    ]
    assert "Nothing to write" in result.output
    assert {p: p.read_bytes() for p in show_dir.rglob("state.json")} == states


def test_syncing_one_season_updates_its_playlists_and_the_show_playlist(
    emulator: Emulator, show_dir: Path, cli_env: None
) -> None:
    sync_ok(show_dir)
    before = by_name(emulator)
    episode = show_dir / "season-2" / "episode-03.txt"
    lines = episode.read_text(encoding="utf-8").splitlines()
    dropped = next(i for i, line in enumerate(lines) if line.startswith('"'))
    del lines[dropped]
    episode.write_text("\n".join(lines) + "\n", encoding="utf-8")
    emulator.clear_log()
    sync_ok(show_dir / "season-2")
    after = by_name(emulator)
    changed = {name for name in after if after[name] != before[name]}
    assert SHOW_NAME in changed and "Soundtrack · Season 2 (2019)" in changed
    assert all("S2" in name or "Season 2" in name or name == SHOW_NAME for name in changed)
    seasons = [after[f"Soundtrack · Season {n} (2019)"] for n in (1, 2, 3)]
    assert after[SHOW_NAME] == seasons[0] + seasons[1] + seasons[2]
    assert not any(route == ("GET", "/search") for route in api_routes(emulator))


def test_the_show_playlist_waits_until_every_season_is_resolved(
    emulator: Emulator, show_dir: Path, cli_env: None
) -> None:
    result = sync_ok(show_dir / "season-1")
    assert "season 2, season 3 not resolved yet" in result.output
    assert SHOW_NAME not in by_name(emulator)
    assert len(by_name(emulator)) == 10
    assert not paths.lock_path(show_dir / "season-2").exists()  # nothing searched for it


def test_without_show_toml_nothing_changes(
    emulator: Emulator, tmp_path: Path, cli_env: None
) -> None:
    show = make_show(tmp_path / "plain", 2, show_toml=False)
    sync_ok(show)
    assert len(by_name(emulator)) == 20
    assert not paths.state_path(show).exists()


def test_all_uses_the_tracklists_folder_and_says_which(
    emulator: Emulator, show_dir: Path, cli_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run("status", "--all", "--tracklists", show_dir.parent)
    assert result.exit_code == 1, result.output  # every playlist is missing
    assert f"Folder: {show_dir.parent} (--tracklists)" in result.output
    assert result.output.count("missing") == 31
    monkeypatch.setenv("SOUNDTRACK_TRACKLISTS", str(show_dir.parent))
    dry = run("sync", "--all", "--dry-run")
    assert "(SOUNDTRACK_TRACKLISTS)" in dry.output and "Soundtrack, season 3:" in dry.output
    assert followed(emulator) == {}
    assert run("sync", "--all", show_dir).exit_code == 2


def test_remove_unfollows_exactly_the_tools_playlists(
    emulator: Emulator, show_dir: Path, cli_env: None
) -> None:
    sync_ok(show_dir)
    season_two = show_dir / "season-2"
    ours = state_ids(season_two)
    theirs = emulator.add_playlist(USER, "Soundtrack · Season 2 (2019)", public=False)
    emulator.clear_log()

    dry = run("remove", season_two, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output.count("remove ") == 10 and "nothing was removed" in dry.output
    declined = run("remove", season_two, stdin="n\n")
    assert "Nothing was removed" in declined.output
    assert not any(method == "DELETE" for method, _ in api_routes(emulator))

    done = run("remove", season_two, "--yes")
    assert done.exit_code == 0, done.output
    assert "Removed 10 playlists" in done.output
    deleted = [r.path.split("/")[3] for r in emulator.request_log if r.method == "DELETE"]
    assert sorted(deleted) == sorted(ours.values())
    assert all(
        r.route == "/playlists/{playlist_id}/followers"
        for r in emulator.request_log
        if r.method == "DELETE"
    )
    still = followed(emulator)
    assert theirs in still and not set(ours.values()) & set(still)
    assert len(still) == 31 - 10 + 1  # seasons 1 and 3, the show playlist, the user's own
    assert state_ids(season_two) == {}
    again = run("remove", season_two, "--yes")
    assert "No playlist made by soundtrack-playlists" in again.output


def test_removing_a_show_folder_takes_its_show_playlist_too(
    emulator: Emulator, show_dir: Path, cli_env: None
) -> None:
    sync_ok(show_dir)
    emulator.delete_playlist(state_ids(show_dir / "season-1")["episode-01"])
    done = run("remove", show_dir, "--yes")
    assert done.exit_code == 0, done.output
    assert "Removed 30 playlists" in done.output  # one was deleted already: forgotten only
    assert followed(emulator) == {}
    assert all(state_ids(folder) == {} for folder in (show_dir, *show_dir.glob("season-*")))


def test_episodes_work_on_one_season_only(show_dir: Path, cli_env: None) -> None:
    result = run("sync", show_dir, "--episodes", "1")
    assert result.exit_code == 2 and "one season folder at a time" in result.output
    assert run("sync", show_dir / "season-1", "--tracklists", show_dir).exit_code == 2


def test_emptying_a_playlist_in_any_season_stops_the_run_before_any_write(
    emulator: Emulator, show_dir: Path, cli_env: None
) -> None:
    sync_ok(show_dir)
    first = show_dir / "season-1" / "episode-02.txt"
    first.write_text('Episode 2: Changed\n\n"Smile" by Nat King Cole\n', encoding="utf-8")
    (show_dir / "season-3" / "episode-06.txt").write_text(
        'Episode 6: Joanna and Eleanor\n\n"Qwzx Nonexistent Tune" by Nobody Anyone Knows\n',
        encoding="utf-8",
    )
    emulator.clear_log()
    refused = run("sync", show_dir)
    assert refused.exit_code == 1 and "--allow-empty" in refused.output
    assert "S3E06" in refused.output
    assert not any(method in ("POST", "PUT", "DELETE") for method, _ in api_routes(emulator))


def test_remove_takes_nothing_from_another_accounts_state(
    emulator: Emulator, show_dir: Path, cli_env: None
) -> None:
    sync_ok(show_dir / "season-1")
    state = paths.state_path(show_dir / "season-1")
    value = json.loads(state.read_text(encoding="utf-8"))
    value["user_id"] = "someone-else"
    state.write_text(json.dumps(value), encoding="utf-8")
    result = run("remove", show_dir / "season-1", "--yes")
    assert result.exit_code == 0, result.output
    assert "for another account or API" in result.output
    assert len(followed(emulator)) == 10
