"""`login` always shows its address, falls back to pasting, and hands out CI tokens safely."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from emulator_login import CLIENT_ID

from soundtrack_playlists.cli import cli
from soundtrack_playlists.emulator.app import Emulator
from soundtrack_playlists.emulator.state import DEFAULT_USER
from soundtrack_playlists.spotify.login import LOGIN_WAIT, login
from tests.test_spotify_emulator import follow_to_callback, settings_for


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_wait_is_short_and_stated(emulator: Emulator, tmp_path: Path) -> None:
    assert LOGIN_WAIT <= 180
    port = free_port()
    settings = settings_for(emulator, tmp_path, redirect_uri=f"http://127.0.0.1:{port}/callback")
    said: list[str] = []

    def browser(url: str) -> bool:
        threading.Thread(target=requests.get, args=(url,), kwargs={"timeout": 5}).start()
        return True

    result = login(settings, open_url=browser, say=said.append)
    assert result.user.id == DEFAULT_USER
    address = next(line for line in said if line.startswith(emulator.accounts_url + "authorize?"))
    assert "state=" in address  # the address itself is printed, not only opened
    assert f"Waiting up to {int(LOGIN_WAIT)} s" in "\n".join(said)


def test_no_browser_falls_back_to_pasting_the_address(emulator: Emulator, tmp_path: Path) -> None:
    port = free_port()
    settings = settings_for(emulator, tmp_path, redirect_uri=f"http://127.0.0.1:{port}/callback")
    said: list[str] = []
    opened: list[str] = []

    def no_browser(url: str) -> bool:
        opened.append(url)
        return False  # what webbrowser.open answers when it finds no browser

    def paste(prompt: str) -> str:
        assert "paste the address" in prompt
        return follow_to_callback(opened[0])

    result = login(settings, open_url=no_browser, say=said.append, ask=paste)
    assert result.user.id == DEFAULT_USER
    assert opened[0] in said
    assert any("No browser could be opened" in line for line in said)
    with socket.socket() as probe:  # the redirect server was closed, not left waiting
        probe.bind(("127.0.0.1", port))


def test_a_printed_refresh_token_is_not_kept_here(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {
        "SPOTIPY_CLIENT_ID": CLIENT_ID,
        "SPOTIFY_API_URL": emulator.api_url,
        "SPOTIFY_ACCOUNTS_URL": emulator.accounts_url,
        "SPOTIFY_TOKEN_CACHE": str(tmp_path / "cache.json"),
    }
    pasted: list[str] = []

    def prompt(text: str, err: bool = False) -> str:
        return pasted[0]

    def echo_then_remember(message: object = None, *args: object, **kwargs: object) -> None:
        text = str(message)
        if text.startswith(emulator.accounts_url + "authorize?"):
            pasted.append(follow_to_callback(text))
        real_echo(message, *args, **kwargs)  # type: ignore[arg-type]

    import click

    (tmp_path / "cache.json").write_text('{"a login": "of this machine"}', encoding="utf-8")

    real_echo = click.echo
    monkeypatch.setattr(click, "prompt", prompt)
    monkeypatch.setattr(click, "echo", echo_then_remember)
    result = CliRunner().invoke(cli, ["login", "--no-browser", "--print-refresh-token"], env=env)
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    assert token in emulator_refresh_tokens(emulator)
    assert "nowhere else" in result.stderr and "separate login" in result.stderr
    # this machine keeps no copy to rotate, and its own login is left as it was
    assert (tmp_path / "cache.json").read_text(encoding="utf-8") == '{"a login": "of this machine"}'
    assert not any(tmp_path.glob("soundtrack-login-*"))


def emulator_refresh_tokens(emulator: Emulator) -> list[str]:
    return [t.token for t in emulator.store.refresh_tokens.values() if not t.revoked]
