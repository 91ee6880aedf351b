"""Covers end to end: uploaded over HTTP to the emulator once, and again only when they change."""

from __future__ import annotations

import base64
import io
import json

import requests
from click.testing import CliRunner
from emulator_login import emulator_env
from PIL import Image

from soundtrack_playlists.cli import cli
from soundtrack_playlists.covers import SIZE
from soundtrack_playlists.files import paths
from soundtrack_playlists.models import Action
from soundtrack_playlists.settings import SCOPES
from soundtrack_playlists.sync.apply import NO_COVER_SCOPE
from soundtrack_playlists.sync.run import SyncOptions, sync_season
from soundtrack_playlists.tracklists.folders import load_season

UPLOAD = ("PUT", "/playlists/{playlist_id}/images")


def uploads(emulator) -> list[str]:
    """Playlist ids a cover was uploaded to, in order, and clears the log."""
    ids = [r.path.split("/")[3] for r in emulator.request_log if (r.method, r.route) == UPLOAD]
    emulator.clear_log()
    return ids


def cover_of(emulator, playlist_id: str) -> Image.Image:
    playlist = emulator.store.playlists[playlist_id]
    return Image.open(io.BytesIO(base64.b64decode(playlist.image_jpeg_b64)))


def rename_episode(season_dir, number: int, title: str) -> None:
    path = season_dir / f"episode-{number:02d}.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] = f"Episode {number}: {title}"
    path.write_text("\n".join(lines), encoding="utf-8")


def test_covers_go_up_once_per_playlist_and_again_only_after_a_title_changes(
    emulator, season_dir, connect
):
    first = sync_season(load_season(season_dir), connect())
    ids = [outcome.id for outcome in first.outcomes]
    assert sorted(uploads(emulator)) == sorted(ids) and len(ids) == 10
    for playlist_id in ids:  # the emulator keeps what Spotify would show
        image = cover_of(emulator, playlist_id)
        assert image.format == "JPEG" and image.size == (SIZE, SIZE)
        served = emulator.api_url.replace("/v1/", "/_emulator/images/") + f"{playlist_id}.jpg"
        assert requests.get(served, timeout=5).content[:2] == b"\xff\xd8"
    state = json.loads(paths.state_path(season_dir).read_text(encoding="utf-8"))
    assert all(record["cover"] for record in state["playlists"])

    again = sync_season(load_season(season_dir), connect())
    assert uploads(emulator) == []
    assert {outcome.action for outcome in again.outcomes} == {Action.UNCHANGED}

    rename_episode(season_dir, 2, "A New Title")
    renamed = sync_season(load_season(season_dir), connect())
    episode_2 = next(o for o in renamed.outcomes if o.key == "episode-02")
    assert uploads(emulator) == [episode_2.id]  # the season's cover shows no episode title
    assert "upload a new cover" in str(renamed.plan)

    # The upload moved the snapshot; the sync learnt the new one, so nothing is read next.
    settled = sync_season(load_season(season_dir), connect())
    assert {outcome.action for outcome in settled.outcomes} == {Action.UNCHANGED}
    sent = [(r.method, r.route) for r in emulator.request_log if r.path.startswith("/v1/")]
    assert ("GET", "/playlists/{playlist_id}/items") not in sent
    assert all(method == "GET" for method, _ in sent)


def test_no_covers_leaves_them_alone_until_covers_are_wanted(emulator, season_dir, connect):
    sync_season(load_season(season_dir), connect(), SyncOptions(covers=False))
    assert uploads(emulator) == []
    assert not any(p["has_image"] for p in emulator.playlists_state().values())
    later = sync_season(load_season(season_dir), connect())
    assert len(uploads(emulator)) == 10
    assert all(o.action == Action.UPDATE for o in later.outcomes)


def test_a_login_without_the_upload_scope_syncs_the_playlists_and_says_why_no_covers(
    emulator, season_dir, connect
):
    scopes = tuple(scope for scope in SCOPES if scope != "ugc-image-upload")
    result = sync_season(load_season(season_dir), connect(scopes=scopes), SyncOptions(workers=1))
    assert [o.action for o in result.outcomes] == [Action.CREATE] * 10
    assert all(len(p["items"]) > 0 for p in emulator.playlists_state().values())
    assert len(uploads(emulator)) == 1  # refused once; the others are not tried
    assert result.notes == (NO_COVER_SCOPE,)
    assert "ugc-image-upload" in NO_COVER_SCOPE and "login" in NO_COVER_SCOPE
    # Once the permission is granted, the covers follow.
    sync_season(load_season(season_dir), connect())
    assert len(uploads(emulator)) == 10


def test_the_cli_shows_covers_in_the_dry_run_and_skips_them_with_no_covers(
    emulator, season_dir, tmp_path
):
    env = emulator_env(emulator, tmp_path / "cli-token-cache.json")
    runner = CliRunner()
    dry = runner.invoke(cli, ["sync", str(season_dir), "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert "(private, 7 tracks, a cover)" in dry.output
    plain = runner.invoke(cli, ["sync", str(season_dir), "--no-covers"], env=env)
    assert plain.exit_code == 0, plain.output
    assert uploads(emulator) == []
    covered = runner.invoke(cli, ["sync", str(season_dir), "--dry-run"], env=env)
    assert covered.output.count("upload its cover") == 10


def test_the_cli_says_plainly_when_the_login_may_not_upload_covers(emulator, season_dir, tmp_path):
    scopes = tuple(scope for scope in SCOPES if scope != "ugc-image-upload")
    token = emulator.issue_refresh_token(scopes=scopes)
    env = emulator_env(emulator, tmp_path / "cli-token-cache.json", refresh_token=token)
    result = CliRunner().invoke(cli, ["sync", str(season_dir)], env=env)
    assert result.exit_code == 0, result.output
    assert "Note: Covers were not uploaded" in result.output
    assert "Traceback" not in result.output
