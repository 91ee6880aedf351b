"""soundtrack-playlists: a TV show's episode tracklists as Spotify playlists."""


def __getattr__(name: str) -> str:
    """`__version__`, looked up on first use: importing the package itself loads nothing, so a
    Ctrl-C while the command starts lands where the launcher can catch it."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("soundtrack-playlists")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0+unknown"
    globals()["__version__"] = found
    return found
