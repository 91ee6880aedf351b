"""Tracklists on disk: season folders, naming, the song-line grammar, headings, selection."""
