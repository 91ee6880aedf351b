"""Local files first: checked before any write to Spotify, errors not tracebacks, Ctrl-C kept."""

from __future__ import annotations

import json
import os
import shutil
import stat
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from emulator_login import CLIENT_ID, emulator_settings, log_in_commands

from soundtrack_playlists.cli import cli
from soundtrack_playlists.cli.progress import ProgressBars
from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.errors import SpotifyUnavailable
from soundtrack_playlists.files import paths
from soundtrack_playlists.spotify.client import SpotifyClient
from soundtrack_playlists.sync.run import SyncOptions, sync_season
from soundtrack_playlists.tracklists.folders import load_season

USER = "demo-user"
ROOT = Path(__file__).resolve().parent.parent
WRITES = {"POST", "PUT", "DELETE"}


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "token-cache.json"


@pytest.fixture
def sync_cli(
    emulator: Emulator, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    """`soundtrack-playlists …` in this process, logged in (headless) to the emulator."""
    log_in_commands(monkeypatch, emulator, cache)
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args))

    return run


def spotify_writes(emulator: Emulator) -> list[str]:
    return [
        f"{r.method} {r.path}"
        for r in emulator.request_log
        if r.path.startswith("/v1/") and r.method in WRITES
    ]


def own(emulator: Emulator) -> list[dict]:
    return [
        p
        for p in emulator.playlists_state().values()
        if p["owner"] == USER and USER in p["followers"]
    ]


def assert_clean_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Error: " in result.output, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    for fragment in fragments:
        assert fragment in result.output


# --- nothing written to Spotify until the local writes are known to work ------------------


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_season_folder_is_an_error_before_any_write(emulator, season_dir, sync_cli):
    season_dir.chmod(0o555)
    try:
        result = sync_cli("sync", str(season_dir))
    finally:
        season_dir.chmod(0o755)
    assert_clean_error(result, "not writable", "nothing was sent to Spotify")
    assert spotify_writes(emulator) == []


@pytest.mark.parametrize("name", [paths.STATE_FILE, paths.REPORT_FILE, paths.LOCK_FILE])
def test_a_folder_in_place_of_a_file_of_ours_is_an_error_before_any_write(
    emulator, season_dir, sync_cli, name
):
    (season_dir / name).mkdir()
    result = sync_cli("sync", str(season_dir))
    assert_clean_error(result, str(season_dir / name))
    assert spotify_writes(emulator) == []
    assert own(emulator) == []


def test_the_library_checks_too_before_its_first_write(emulator, season_dir, cache):
    settings = emulator_settings(emulator, cache)
    season = load_season(season_dir)
    (season_dir / paths.REPORT_FILE).mkdir()
    with pytest.raises(Exception, match="is a folder where"):
        sync_season(season, SpotifyClient(settings, sleep=lambda s: None))
    assert spotify_writes(emulator) == []


class FailingThirdAppend(SpotifyClient):
    """A client whose third item addition fails for good (after the playlist was created)."""

    appends = 0

    def append_items(self, playlist_id, uris, *, start=None):  # type: ignore[no-untyped-def]
        FailingThirdAppend.appends += 1
        if FailingThirdAppend.appends == 3:
            raise SpotifyUnavailable("Spotify did not answer: try again later")
        return super().append_items(playlist_id, uris, start=start)


def test_a_failure_never_leaves_an_empty_playlist_behind(emulator, season_dir, cache):
    settings = emulator_settings(emulator, cache)
    client = FailingThirdAppend(settings, sleep=lambda s: None)
    with pytest.raises(SpotifyUnavailable):
        sync_season(load_season(season_dir), client, SyncOptions(workers=1))
    assert own(emulator) and all(p["items"] for p in own(emulator))
    state = json.loads(paths.state_path(season_dir).read_text(encoding="utf-8"))
    assert {r["id"] for r in state["playlists"]} == {p["id"] for p in own(emulator)}
    again = sync_season(load_season(season_dir), SpotifyClient(settings, sleep=lambda s: None))
    assert len(own(emulator)) == 10 and all(p["items"] for p in own(emulator))
    assert len({p["name"] for p in own(emulator)}) == 10
    assert again.report_path is not None


# --- corrupted or unreadable files: an error naming the file, never a traceback -----------

BROKEN_LOCK = json.dumps(
    {
        "version": 1,
        "api_url": "x",
        "songs": [{"episode": 1, "song": "s", "status": "matched", "track": ["x"]}],
    }
)


def lock_for(emulator: Emulator, track: object) -> str:
    song = {"episode": 1, "song": "s", "status": "matched", "track": track, "score": 1}
    return json.dumps({"version": 1, "api_url": emulator.api_url, "songs": [song]})


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        (paths.LOCK_FILE, "{not json", "the lock file is damaged"),
        (paths.LOCK_FILE, "track-list", "the lock file is damaged"),
        (paths.LOCK_FILE, "track-artists", "the lock file is damaged"),
        (paths.STATE_FILE, "{not json", "the sync state is damaged"),
        (paths.STATE_FILE, '{"version": 2, "api_url": "a", "playlists": [5]}', "damaged"),
        (paths.STATE_FILE, '{"version": 2, "api_url": "a", "user_id": 5}', "damaged"),
        (paths.STATE_FILE, b"\xff\xfe", "the sync state is damaged (not UTF-8"),
        (paths.LOCK_FILE, b"\x89PNG\r\n\x1a\n\xff", "the lock file is damaged (not UTF-8"),
        (paths.STATE_FILE, "[" * 1000, "the sync state is damaged (nested"),
        (paths.LOCK_FILE, "[" * 1000, "the lock file is damaged (nested"),
    ],
)
def test_a_damaged_season_file_is_an_error_naming_it(
    emulator, season_dir, sync_cli, name, content, fragment
):
    if content == "track-list":
        content = lock_for(emulator, ["x"])
    elif content == "track-artists":
        content = lock_for(emulator, {"uri": "spotify:track:x", "artists": 5})
    target = season_dir / name
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    before = target.read_bytes()
    result = sync_cli("sync", str(season_dir))
    assert_clean_error(result, str(target), fragment)
    assert target.read_bytes() == before  # never replaced blindly
    assert spotify_writes(emulator) == []


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[1, 2]",
        "token-of-wrong-types",
        "folder",
        "[" * 1000,
        "binary",
    ],
)
def test_a_damaged_token_cache_is_an_error_naming_it(
    emulator, season_dir, sync_cli, cache, monkeypatch, content
):
    monkeypatch.delenv("SPOTIFY_REFRESH_TOKEN")  # an interactive login's cache
    cache.parent.mkdir(parents=True, exist_ok=True)
    if content == "folder":
        cache.mkdir()
    else:
        if content == "token-of-wrong-types":
            app = {"client_id": CLIENT_ID, "accounts_url": emulator.accounts_url}
            token = {"access_token": "a", "refresh_token": "r", "expires_at": "soon"}
            content = json.dumps({"app": app, "token": token})
        if content == "binary":
            cache.write_bytes(b"\x00\xff\xfe garbage")
        else:
            cache.write_text(content, encoding="utf-8")
    result = sync_cli("sync", str(season_dir))
    assert_clean_error(result, str(cache))
    assert "soundtrack-playlists login" in result.output
    assert spotify_writes(emulator) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_an_unreadable_state_is_an_error_naming_it(emulator, season_dir, sync_cli):
    state = season_dir / paths.STATE_FILE
    state.write_text("{}", encoding="utf-8")
    state.chmod(0)
    result = sync_cli("sync", str(season_dir))
    assert_clean_error(result, str(state), "cannot read the sync state")


# --- Ctrl-C, file modes, leftovers ---------------------------------------------------------


def interrupt_at(monkeypatch: pytest.MonkeyPatch, label: str, at: int) -> None:
    """Ctrl-C as the progress of step `label` reaches `at` (the main thread, as a signal)."""
    real = ProgressBars.__call__

    def progress(self: ProgressBars, step: str, done: int, total: int) -> None:
        if step == label and done == at:
            raise KeyboardInterrupt
        real(self, step, done, total)

    monkeypatch.setattr(ProgressBars, "__call__", progress)


def test_ctrl_c_during_a_sync_reports_what_was_done_keeps_it_and_exits_130(
    emulator, season_dir, sync_cli, monkeypatch
):
    real = ProgressBars.__call__
    interrupt_at(monkeypatch, "Syncing playlists", 2)
    result = sync_cli("sync", str(season_dir))
    assert result.exit_code == 130, result.output
    assert isinstance(result.exception, SystemExit)
    assert "interrupted:" in result.output and "of 10 playlists done" in result.output
    assert "done: create" in result.output
    report = (season_dir / paths.REPORT_FILE).read_text(encoding="utf-8")
    assert "Soundtrack S1E01" in report
    made = own(emulator)
    state = json.loads(paths.state_path(season_dir).read_text(encoding="utf-8"))
    assert {r["id"] for r in state["playlists"]} == {p["id"] for p in made}
    assert all(p["items"] for p in made)
    monkeypatch.setattr(ProgressBars, "__call__", real)
    finish = sync_cli("sync", str(season_dir))
    assert finish.exit_code == 0, finish.output
    assert len(own(emulator)) == 10 and len({p["name"] for p in own(emulator)}) == 10


def test_ctrl_c_while_resolving_keeps_the_songs_resolved_and_exits_130(
    emulator, season_dir, sync_cli, monkeypatch
):
    interrupt_at(monkeypatch, "Resolving songs", 5)
    result = sync_cli("sync", str(season_dir))
    assert result.exit_code == 130, result.output
    assert "interrupted" in result.output and "Traceback" not in result.output
    assert spotify_writes(emulator) == []
    lock = json.loads(paths.lock_path(season_dir).read_text(encoding="utf-8"))
    assert lock["apis"][0]["songs"]  # what was resolved is kept


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_files_we_write_honour_the_umask_and_the_token_cache_stays_private(
    emulator, season_dir, sync_cli, cache
):
    old = os.umask(0o027)
    try:
        result = sync_cli("sync", str(season_dir))
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    for name in (paths.LOCK_FILE, paths.STATE_FILE, paths.REPORT_FILE):
        assert stat.S_IMODE((season_dir / name).stat().st_mode) == 0o640, name
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600


def test_temporary_files_a_crash_left_are_removed_by_the_next_run(emulator, season_dir, sync_cli):
    leftovers = [season_dir / f".{name}.k2j3h4.tmp" for name in ("state.json", "lock.json")]
    for leftover in leftovers:
        leftover.write_text("half", encoding="utf-8")
    other = season_dir / ".notes.tmp"  # not ours: kept
    other.write_text("mine", encoding="utf-8")
    result = sync_cli("sync", str(season_dir))
    assert result.exit_code == 0, result.output
    assert not any(leftover.exists() for leftover in leftovers)
    assert other.exists()
    hidden = {p.name for p in season_dir.iterdir() if p.name.startswith(".")}
    assert hidden <= {".notes.tmp", paths.RUN_LOCK_FILE}


# --- packaging: a user's files never travel -----------------------------------------------


def test_a_wheel_or_sdist_built_from_a_used_checkout_carries_no_user_file(tmp_path):
    builders = pytest.importorskip("hatchling.builders.wheel")
    from hatchling.builders.sdist import SdistBuilder

    project = tmp_path / "project"  # a checkout someone has synced in
    shutil.copytree(
        ROOT,
        project,
        ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", "build"),
        dirs_exist_ok=True,
    )
    season = project / "tracklists" / "soundtrack" / "season-1"
    user_files = (
        paths.LOCK_FILE,
        paths.STATE_FILE,
        paths.REPORT_FILE,
        paths.RUN_LOCK_FILE,
        paths.RUN_INFO_FILE,
        ".state.json.x1y2.tmp",
    )
    for name in user_files:
        (season / name).write_text('{"user_id": "someone"}', encoding="utf-8")
    out = tmp_path / "dist"
    (wheel,) = builders.WheelBuilder(str(project)).build(directory=str(out), versions=["standard"])
    (sdist,) = SdistBuilder(str(project)).build(directory=str(out), versions=["standard"])
    wheel_names = zipfile.ZipFile(wheel).namelist()
    with tarfile.open(sdist) as archive:
        sdist_names = archive.getnames()
    for names in (wheel_names, sdist_names):
        season_files = {Path(n).name for n in names if "season-1" in n}
        assert "season.toml" in season_files and "episode-01.txt" in season_files
        assert not season_files & set(user_files), season_files
