"""Files of ours behind a symbolic link are written through it; read-only ones are refused."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.errors import LocalFileError, ReadOnlyFile
from soundtrack_playlists.files import paths
from soundtrack_playlists.files.atomic import write_json_atomic, write_text_atomic
from soundtrack_playlists.spotify.auth import TokenCache

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX links and modes")


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_symlinked_file_is_written_through_and_stays_a_link(tmp_path):
    kept = tmp_path / "elsewhere" / "state.json"
    kept.parent.mkdir()
    kept.write_text("{}\n", encoding="utf-8")
    link = tmp_path / "season" / "state.json"
    link.parent.mkdir()
    link.symlink_to(os.path.relpath(kept, link.parent))  # a relative link, as `ln -s` makes
    write_json_atomic(link, {"a": 1})
    assert link.is_symlink(), "the link was replaced by a regular file"
    assert kept.read_text(encoding="utf-8") == '{\n  "a": 1\n}\n'
    assert sorted(p.name for p in link.parent.iterdir()) == ["state.json"]
    assert sorted(p.name for p in kept.parent.iterdir()) == ["state.json"]  # no leftover


def test_a_chain_of_links_and_a_link_to_a_file_not_there_yet(tmp_path):
    target = tmp_path / "real.json"
    middle = tmp_path / "middle.json"
    middle.symlink_to(target)  # dangling until the first write
    link = tmp_path / "lock.json"
    link.symlink_to(middle)
    write_text_atomic(link, "one\n")
    write_text_atomic(link, "two\n")
    assert link.is_symlink() and middle.is_symlink()
    assert target.read_text(encoding="utf-8") == "two\n"


def test_the_token_cache_behind_a_link_keeps_mode_0600(tmp_path):
    kept = tmp_path / "vault" / "token.json"
    kept.parent.mkdir()
    kept.write_text("{}", encoding="utf-8")
    kept.chmod(0o644)
    link = tmp_path / "cache" / "token.json"
    link.parent.mkdir()
    link.symlink_to(kept)
    TokenCache(link, "client", "http://127.0.0.1:1").save_token_to_cache({"access_token": "t"})
    assert link.is_symlink() and _mode(kept) == 0o600
    assert '"access_token": "t"' in kept.read_text(encoding="utf-8")


def test_a_link_that_leads_nowhere_is_a_clear_error(tmp_path):
    loop = tmp_path / "state.json"
    loop.symlink_to(tmp_path / "other.json")
    (tmp_path / "other.json").symlink_to(loop)
    with pytest.raises(LocalFileError, match="a loop of links"):
        write_text_atomic(loop, "x")
    unmounted = tmp_path / "lock.json"
    unmounted.symlink_to(tmp_path / "not-mounted" / "lock.json")
    with pytest.raises(LocalFileError, match="whose folder does not exist: create the folder"):
        write_text_atomic(unmounted, "x")
    assert not (tmp_path / "not-mounted").exists() and unmounted.is_symlink()


@pytest.mark.parametrize("through_a_link", [False, True])
def test_a_read_only_file_is_an_error_that_says_what_to_do_and_is_left_alone(
    tmp_path, through_a_link
):
    """The mode bits decide, so the refusal holds for root too (os.access says yes to root)."""
    kept = tmp_path / "state.json"
    kept.write_text("before\n", encoding="utf-8")
    kept.chmod(0o444)
    path = kept
    if through_a_link:
        path = tmp_path / "season" / "state.json"
        path.parent.mkdir()
        path.symlink_to(kept)
    with pytest.raises(ReadOnlyFile) as caught:
        write_text_atomic(path, "after\n")
    message = str(caught.value)
    assert message.startswith(f"{kept}") and "the file is read-only" in message
    assert f"chmod u+w {kept}" in message
    assert ("through the link" in message) is through_a_link
    assert kept.read_text(encoding="utf-8") == "before\n" and _mode(kept) == 0o444
    assert isinstance(caught.value, LocalFileError) and isinstance(caught.value, OSError)
    write_text_atomic(path, "before\n")  # nothing to change: nothing to refuse


def test_a_file_we_may_not_write_is_refused_even_with_write_bits_for_others(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root may write any file: only the mode bits can refuse it")
    path = tmp_path / "lock.json"
    path.write_text("before\n", encoding="utf-8")
    path.chmod(0o466)  # others may write, the owner may not
    with pytest.raises(ReadOnlyFile):
        write_text_atomic(path, "after\n")
    assert path.read_text(encoding="utf-8") == "before\n"


# --- the same through the commands, against the emulator ---


def _sync(season_dir):
    return CliRunner().invoke(cli, ["sync", str(season_dir)])


def test_sync_keeps_a_symlinked_state_up_to_date(emulator, season_dir, cli_env, tmp_path):
    assert _sync(season_dir).exit_code == 0
    state = paths.state_path(season_dir)
    kept = tmp_path / "backed-up" / "state.json"
    kept.parent.mkdir()
    state.rename(kept)
    state.symlink_to(kept)
    episode = season_dir / "episode-06.txt"
    episode.write_text(episode.read_text(encoding="utf-8").replace("Eleanor", "Ellie"), "utf-8")
    result = _sync(season_dir)
    assert result.exit_code == 0, result.output
    assert state.is_symlink(), "the link was replaced by a regular file"
    assert "Joanna and Ellie" in kept.read_text(encoding="utf-8")


def test_sync_with_a_read_only_lock_file_says_so_without_a_traceback(emulator, season_dir, cli_env):
    lock = paths.lock_path(season_dir)
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text('{"version": 2, "apis": []}\n', encoding="utf-8")
    lock.chmod(0o444)
    result = _sync(season_dir)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert f"Error: {lock}: the file is read-only, so it was not replaced" in result.output
    assert lock.read_text(encoding="utf-8") == '{"version": 2, "apis": []}\n'


def test_a_read_only_state_stops_the_sync_before_spotify_is_changed(emulator, season_dir, cli_env):
    assert _sync(season_dir).exit_code == 0
    state = paths.state_path(season_dir)
    before = state.read_bytes()
    state.chmod(0o444)
    (season_dir / "episode-02.txt").write_text(
        'Episode 2: Changed\n\n"Smile" by Nat King Cole\n', encoding="utf-8"
    )
    emulator.clear_log()
    result = _sync(season_dir)
    assert result.exit_code == 1, result.output
    assert f"Error: {state}: the file is read-only" in result.output
    sent = [r for r in emulator.request_log if r.method != "GET" and r.path.startswith("/v1/")]
    assert sent == []  # found before the first write, not when the state is saved
    assert state.read_bytes() == before
