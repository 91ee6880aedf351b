"""A local Spotify Web API emulator: accounts, search, playlists, faults, request log."""
