"""The only door to Spotify: http (one request function, one retry policy), auth, login, client,
wire (Spotify's JSON -> our values) and spotipy_compat (every reliance on spotipy's internals)."""
