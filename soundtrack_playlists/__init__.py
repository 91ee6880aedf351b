"""soundtrack-playlists: a TV show's episode tracklists as Spotify playlists."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("soundtrack-playlists")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
