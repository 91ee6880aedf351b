"""What we rely on in spotipy: the tested versions, its internals used in one module only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import responses
from spotify_fakes import (
    ACCOUNTS,
    CLIENT_ID,
    ME,
    REFRESH,
    TOKEN_URL,
    make_client,
    mocked_http,
    token_answer,
)

from soundtrack_playlists.settings import Settings
from soundtrack_playlists.spotify.client import SpotifyClient


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    """Mocked HTTP; fails the test if any retired route was called."""
    yield from mocked_http()


@pytest.fixture
def client(tmp_path: Path, http: responses.RequestsMock) -> tuple[SpotifyClient, list[float]]:
    return make_client(tmp_path, http)


def test_accounts_url_override_leaves_spotipy_classes_alone(
    tmp_path: Path, http: responses.RequestsMock
) -> None:
    from spotipy.oauth2 import SpotifyOAuth, SpotifyPKCE

    local = "http://127.0.0.1:9999/"
    http.post(local + "api/token", json=token_answer())
    http.get("http://127.0.0.1:9999/v1/me", json=ME)
    client = SpotifyClient(
        Settings(
            client_id=CLIENT_ID, refresh_token=REFRESH, api_url=local + "v1", accounts_url=local
        )
    )
    assert client.current_user().id == "alice"
    assert [c.request.url for c in http.calls] == [local + "api/token", local + "v1/me"]
    assert SpotifyPKCE.OAUTH_TOKEN_URL == TOKEN_URL
    assert SpotifyOAuth.OAUTH_AUTHORIZE_URL == ACCOUNTS + "authorize"


def test_only_the_spotipy_compat_module_imports_spotipy() -> None:
    from pathlib import Path

    import soundtrack_playlists

    package = Path(soundtrack_playlists.__file__).parent
    importers = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if re.search(r"^\s*(import spotipy|from spotipy)", path.read_text(), re.MULTILINE)
    ]
    assert importers == ["spotify/spotipy_compat.py"]


def test_the_installed_spotipy_lies_in_the_tested_range() -> None:
    from importlib.metadata import version
    from pathlib import Path

    from soundtrack_playlists.spotify.spotipy_compat import TESTED_SPOTIPY

    installed = tuple(int(part) for part in version("spotipy").split(".")[:2])
    first, below = TESTED_SPOTIPY
    assert first <= installed < below
    # pyproject.toml promises the same range to installers.
    pyproject = Path(__file__).parent.parent / "pyproject.toml"
    spec = re.search(r'"spotipy([^"]*)"', pyproject.read_text(encoding="utf-8"))
    assert spec is not None
    assert spec.group(1) == ">={}.{},<{}.{}".format(*first, *below)


def test_only_spotipy_compat_touches_spotipys_private_attributes() -> None:
    from pathlib import Path

    import soundtrack_playlists

    private = re.compile(r"_internal_call|\.prefix\b|_handle_oauth_error|_add_custom_values_to_")
    package = Path(soundtrack_playlists.__file__).parent
    users = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "emulator" not in path.parts and private.search(path.read_text(encoding="utf-8"))
    ]
    assert users == ["spotify/spotipy_compat.py"]


def test_spotipys_log_filter_is_installed_once(
    tmp_path: Path, http: responses.RequestsMock
) -> None:
    import logging

    from soundtrack_playlists.spotify.spotipy_compat import SPOTIPY_LOGGERS, QuietSpotipy

    make_client(tmp_path, http)
    make_client(tmp_path, http)
    for name in SPOTIPY_LOGGERS:
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, QuietSpotipy) for f in filters) == 1
