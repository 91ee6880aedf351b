"""The only door to Spotify; its modules: http, auth, login, client, wire, spotipy_compat."""
