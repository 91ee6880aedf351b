"""The suite's own guard: nothing in a test can reach past the loopback interface."""

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
