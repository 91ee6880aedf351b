"""`python -m soundtrack_playlists.cli`: the same as the soundtrack-playlists command."""

from __future__ import annotations

from soundtrack_playlists.cli import main

main()
