"""Songs to Spotify tracks: the resolver with pins, the query cascade, the lock file, review."""
