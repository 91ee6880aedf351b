"""The suite's own guards: nothing in a test reaches past the loopback interface or sleeps."""

from __future__ import annotations

import socket

import pytest
import requests


def test_a_request_to_spotify_is_refused_before_it_leaves():
    with pytest.raises(requests.exceptions.ConnectionError, match="may not look up"):
        requests.get("https://api.spotify.com/v1/me", timeout=1)


def test_dialling_a_public_address_is_refused():
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError, match="may not reach"):
        sock.connect(("192.0.2.1", 443))


def test_a_real_sleep_longer_than_half_a_second_fails_the_test():
    import time

    sleep = time.sleep  # the guarded one: this test asks for a long sleep that must fail
    with pytest.raises(AssertionError, match="a real sleep of 0.6 s"):
        sleep(0.6)
    sleep(0.01)  # short pauses (file-lock polling) stay allowed


def test_the_library_sleeps_through_time_sleep_at_call_time_so_the_guard_sees_it():
    from soundtrack_playlists.settings import Settings
    from soundtrack_playlists.spotify.client import SpotifyClient

    client = SpotifyClient(Settings(client_id="0" * 32, refresh_token="r"))
    with pytest.raises(AssertionError, match="a real sleep of 20 s"):
        client.http.sleep(20)
