"""What the contract checks run against: the local emulator, or real Spotify with `-m live`."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.files.paths import token_cache_path
from soundtrack_playlists.settings import DEFAULT_ACCOUNTS_URL, Settings

# Read when the suite is collected, before any test hides the developer's environment.
_ENVIRON = dict(os.environ)
LIVE_NEEDS = "SPOTIPY_CLIENT_ID and SPOTIFY_REFRESH_TOKEN (environment or .env)"
SCRATCH_NAME = "soundtrack-playlists contract check (safe to delete)"


@dataclass
class Answer:
    """One HTTP answer as the checks read it."""

    status: int
    headers: requests.structures.CaseInsensitiveDict[str]
    body: Any


@dataclass
class Target:
    """A Web API to check: its base URL, a user token, and the moves only some targets allow."""

    name: str
    api_url: str
    token: str
    emulator: Emulator | None = None
    # Development Mode apps (every personal app) get search limits of at most 10; an app with
    # extended quota (SPOTIFY_EXTENDED_QUOTA=1 for the live checks) may get more.
    development_mode: bool = True
    created: list[str] = field(default_factory=list)
    session: requests.Session = field(default_factory=requests.Session)

    def call(self, method: str, path: str, **kwargs: Any) -> Answer:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        answer = self.session.request(
            method, self.api_url + path, headers=headers, timeout=15, **kwargs
        )
        try:
            body = answer.json() if answer.content else None
        except ValueError:
            body = answer.text
        return Answer(answer.status_code, answer.headers, body)

    def search(self, q: str, **params: Any) -> list[dict[str, Any]]:
        answer = self.call("GET", "search", params={"q": q, "type": "track", **params})
        assert answer.status == 200, (q, answer.body)
        return list(answer.body["tracks"]["items"])

    def scratch_playlist(self, description: str = "") -> dict[str, Any]:
        """A new private playlist, unfollowed again when the check ends."""
        body = {"name": SCRATCH_NAME, "public": False, "description": description}
        answer = self.call("POST", "me/playlists", json=body)
        assert answer.status in (200, 201), answer.body
        self.created.append(answer.body["id"])
        return dict(answer.body)

    def settle(self) -> None:
        """Spotify's reads may lag its writes for a moment; the emulator's never do."""
        if self.emulator is None:
            time.sleep(1.0)

    def playlist_with_a_gone_track(self, present: list[str]) -> tuple[str, int]:
        """(playlist id, position of a track no longer in the catalog); skipped when impossible."""
        if self.emulator is None:
            playlist_id = _ENVIRON.get("SPOTIFY_LIVE_PLAYLIST_WITH_GONE_TRACK", "")
            position = _ENVIRON.get("SPOTIFY_LIVE_GONE_TRACK_POSITION", "")
            if not playlist_id or not position.isdigit():
                pytest.skip(
                    "Spotify cannot remove a track on demand: set "
                    "SPOTIFY_LIVE_PLAYLIST_WITH_GONE_TRACK and SPOTIFY_LIVE_GONE_TRACK_POSITION "
                    "to a playlist of yours that holds an unavailable track"
                )
            return playlist_id, int(position)
        gone = "spotify:track:" + "0" * 22
        items = [present[0], gone, *present[1:]]
        return self.emulator.add_playlist("demo-user", SCRATCH_NAME, items, public=False), 1

    def provoke_429(self, retry_after: int | None) -> None:
        """Make the next request answer 429; only the emulator can be asked to."""
        if self.emulator is None:
            pytest.skip("429s are not provoked against Spotify on purpose")
        self.emulator.set_faults(Faults(rate_429=1.0, retry_after=retry_after))

    def cleanup(self) -> None:
        for playlist_id in self.created:
            self.call("DELETE", f"playlists/{playlist_id}/followers")


def emulator_target() -> Iterator[Target]:
    with Emulator(sleep=lambda seconds: None) as emulator:
        target = Target("emulator", emulator.api_url, emulator.issue_access_token(), emulator)
        yield target
        target.cleanup()


def spotify_target() -> Iterator[Target]:
    """Real Spotify as configured for headless use; skipped without credentials or in CI."""
    if _ENVIRON.get("CI"):
        pytest.skip("live checks never run in CI")
    settings = Settings.from_env(environ=_ENVIRON, cache_path=_LIVE_TOKEN_CACHE)
    if not (settings.client_id and settings.refresh_token):
        pytest.skip(f"live checks need {LIVE_NEEDS}")
    from soundtrack_playlists.spotify.auth import Auth

    session = requests.Session()
    token = Auth(settings, session).get_access_token()
    extended = _ENVIRON.get("SPOTIFY_EXTENDED_QUOTA", "") not in ("", "0")
    target = Target(
        "spotify", settings.api_url, token, session=session, development_mode=not extended
    )
    yield target
    target.cleanup()


_LIVE_TOKEN_CACHE = _ENVIRON.get("SPOTIFY_TOKEN_CACHE") or token_cache_path(
    _ENVIRON.get("SPOTIFY_ACCOUNTS_URL") or DEFAULT_ACCOUNTS_URL, _ENVIRON.get("SPOTIPY_CLIENT_ID")
)  # where `login` keeps the token: a refresh rotates it there, as the CLI does
