"""Settings: the order values are taken in, defaults, and the checks doctor relies on."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from soundtrack_playlists.errors import ConfigError
from soundtrack_playlists.settings import (
    DEFAULT_ACCOUNTS_URL,
    DEFAULT_API_URL,
    DEFAULT_REDIRECT_URI,
    SCOPES,
    Settings,
    client_id_problem,
    is_loopback_http,
    missing_scopes,
    redirect_uri_problem,
)
from soundtrack_playlists.spotify.client import SpotifyClient

CLIENT_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def in_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults(in_folder: Path) -> None:
    settings = Settings.from_env(environ={})
    assert settings.client_id is None and settings.client_secret is None
    assert settings.redirect_uri == DEFAULT_REDIRECT_URI == "http://127.0.0.1:8888/callback"
    assert settings.api_url == DEFAULT_API_URL == "https://api.spotify.com/v1/"
    assert settings.accounts_url == DEFAULT_ACCOUNTS_URL == "https://accounts.spotify.com/"
    assert settings.token_url == "https://accounts.spotify.com/api/token"
    assert settings.authorize_url == "https://accounts.spotify.com/authorize"
    assert settings.scopes == SCOPES
    assert settings.max_wait == 60
    assert settings.flow == "authorization code with PKCE"
    assert not settings.headless


def test_explicit_beats_environment_beats_dotenv(in_folder: Path) -> None:
    (in_folder / ".env").write_text(
        "SPOTIPY_CLIENT_ID=from-dotenv\n"
        "SPOTIPY_REDIRECT_URI=http://127.0.0.1:9000/cb\n"
        "SPOTIFY_API_URL=http://127.0.0.1:1/v1\n"
    )
    environ = {"SPOTIPY_CLIENT_ID": "from-env", "SPOTIPY_REDIRECT_URI": "http://127.0.0.1:7/cb"}
    settings = Settings.from_env(environ=environ, redirect_uri="http://127.0.0.1:5/cb")
    assert settings.client_id == "from-env"
    assert settings.redirect_uri == "http://127.0.0.1:5/cb"
    assert settings.api_url == "http://127.0.0.1:1/v1/"  # only .env had it; slash added
    assert settings.sources["client_id"] == "environment"
    assert settings.sources["redirect_uri"] == "argument"
    assert settings.sources["api_url"] == ".env"
    assert settings.sources["accounts_url"] == "default"


def test_from_env_reads_the_real_environment_and_dotenv(
    in_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (in_folder / ".env").write_text("SPOTIPY_CLIENT_ID=from-dotenv\nSPOTIFY_MAX_WAIT=5\n")
    assert Settings.from_env().client_id == "from-dotenv"
    monkeypatch.setenv("SPOTIPY_CLIENT_ID", "from-env")
    settings = Settings.from_env()
    assert settings.client_id == "from-env" and settings.max_wait == 5.0


def test_empty_values_count_as_unset(in_folder: Path) -> None:
    (in_folder / ".env").write_text("SPOTIPY_CLIENT_SECRET=\nSPOTIPY_CLIENT_ID=abc\n")
    settings = Settings.from_env(environ={"SPOTIPY_CLIENT_ID": "  "})
    assert settings.client_secret is None
    assert settings.client_id == "abc"


def test_a_secret_switches_to_the_classic_flow_and_a_refresh_token_to_headless(
    in_folder: Path,
) -> None:
    settings = Settings.from_env(
        environ={"SPOTIPY_CLIENT_SECRET": "s3cret", "SPOTIFY_REFRESH_TOKEN": "r3fresh"}
    )
    assert settings.flow == "authorization code"
    assert settings.headless
    assert set(settings.secrets()) == {"s3cret", "r3fresh"}


def test_repr_never_shows_secrets() -> None:
    settings = Settings(client_id=CLIENT_ID, client_secret="s3cret", refresh_token="r3fresh")
    assert "s3cret" not in repr(settings) and "r3fresh" not in repr(settings)
    assert CLIENT_ID in repr(settings)


def test_token_cache_from_environment(in_folder: Path, tmp_path: Path) -> None:
    settings = Settings.from_env(environ={"SPOTIFY_TOKEN_CACHE": str(tmp_path / "t.json")})
    assert settings.token_cache == tmp_path / "t.json"


@pytest.mark.parametrize("variable", ["SPOTIFY_MAX_WAIT", "SPOTIFY_READ_LAG"])
def test_a_bad_number_of_seconds_is_a_config_error(in_folder: Path, variable: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        Settings.from_env(environ={variable: "soon"})
    with pytest.raises(ConfigError, match="negative"):
        Settings.from_env(environ={variable: "-1"})


def test_the_read_lag_comes_from_the_environment_and_the_client_waits_it(
    in_folder: Path,
) -> None:
    settings = Settings.from_env(environ={"SPOTIFY_READ_LAG": "45"})
    assert settings.read_lag == 45.0 and settings.sources["read_lag"] == "environment"
    assert SpotifyClient(replace(settings, client_id=CLIENT_ID)).read_lag == 45.0
    assert SpotifyClient(Settings(client_id=CLIENT_ID)).read_lag == 20.0


def test_unknown_explicit_settings_are_refused(in_folder: Path) -> None:
    with pytest.raises(TypeError):
        Settings.from_env(client="x")


def test_client_id_checks() -> None:
    assert "SPOTIPY_CLIENT_ID is not set" in client_id_problem(None)
    assert ".env" in client_id_problem("")
    assert "32 hexadecimal" in client_id_problem("not-an-id")
    assert client_id_problem(CLIENT_ID) is None


@pytest.mark.parametrize(
    ("uri", "words"),
    [
        ("http://localhost:8888/callback", "localhost"),
        ("http://example.com/callback", "127.0.0.1 or [::1]"),
        ("http://192.168.1.5:8888/callback", "127.0.0.1 or [::1]"),
        ("http://127.0.0.1/callback", "no port"),
        ("ftp://127.0.0.1:8888/callback", "not an http(s) URL"),
        ("127.0.0.1:8888/callback", "not an http(s) URL"),
    ],
)
def test_redirect_uri_problems_say_what_to_set(uri: str, words: str) -> None:
    problem = redirect_uri_problem(uri)
    assert words in problem
    assert "http://127.0.0.1:8888/callback" in problem and "dashboard" in problem


@pytest.mark.parametrize(
    "uri",
    [
        "http://127.0.0.1:8888/callback",
        "http://[::1]:8888/callback",
        "https://example.com/callback",
    ],
)
def test_good_redirect_uris(uri: str) -> None:
    assert redirect_uri_problem(uri) is None


def test_loopback_detection() -> None:
    assert is_loopback_http("http://127.0.0.1:8888/callback")
    assert not is_loopback_http("https://127.0.0.1:8888/callback")
    assert not is_loopback_http("http://localhost:8888/callback")
    assert not is_loopback_http("http://127.0.0.1/callback")


def test_missing_scopes() -> None:
    assert missing_scopes(" ".join(SCOPES)) == ()
    assert missing_scopes("playlist-read-private") == (
        "playlist-modify-public",
        "playlist-modify-private",
        "ugc-image-upload",
        "user-library-read",
        "user-follow-read",
    )
    assert missing_scopes(None) == SCOPES
