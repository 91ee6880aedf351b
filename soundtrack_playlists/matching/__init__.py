"""Pure matching of tracklist songs to Spotify tracks: normalise, score, decide."""
