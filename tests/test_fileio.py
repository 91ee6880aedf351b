"""Atomic writes of the files we own."""

from __future__ import annotations

import os

from soundtrack_playlists.files.atomic import write_json_atomic, write_text_atomic


def test_an_unchanged_file_is_not_rewritten(tmp_path):
    path = tmp_path / "lock.json"
    write_json_atomic(path, {"a": 1})
    os.utime(path, (1_000_000, 1_000_000))
    write_json_atomic(path, {"a": 1})
    assert path.stat().st_mtime == 1_000_000  # same content: not touched
    write_json_atomic(path, {"a": 2})
    assert path.stat().st_mtime != 1_000_000 and '"a": 2' in path.read_text()


def test_a_write_leaves_no_temporary_file_and_sets_the_mode(tmp_path):
    path = tmp_path / "sub" / "cache.json"
    write_text_atomic(path, "secret", mode=0o600)
    assert path.read_text() == "secret" and (path.stat().st_mode & 0o777) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["cache.json"]
