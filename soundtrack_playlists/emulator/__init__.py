"""A local Spotify Web API emulator: accounts, search, playlists, faults, request log."""

from __future__ import annotations

from soundtrack_playlists.emulator.catalog import Catalog, CatalogTrack
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.emulator.server import (
    Emulator,
    RequestRecord,
    ResponseRecord,
    demo_catalog_path,
)
from soundtrack_playlists.emulator.state import DEFAULT_USER, PROJECT_SCOPES

__all__ = [
    "DEFAULT_USER",
    "PROJECT_SCOPES",
    "Catalog",
    "CatalogTrack",
    "Emulator",
    "Faults",
    "RequestRecord",
    "ResponseRecord",
    "demo_catalog_path",
]
