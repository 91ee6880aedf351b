"""Our exceptions: raised low with a message a person can act on, translated once by the CLI."""

from __future__ import annotations

import os

EX_TEMPFAIL = 75  # sysexits.h: "try again later", used when Spotify asks us to wait too long


class SoundtrackError(Exception):
    """Base class: the CLI prints `Error: <message>` and exits with `exit_code`."""

    exit_code = 1


class TracklistError(SoundtrackError):
    """A tracklist file or season manifest that cannot be read; names the file and line."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        message: str,
        line_number: int | None = None,
        line: str | None = None,
    ) -> None:
        self.path = path
        self.line_number = line_number
        self.line = line
        where = f"{path}:{line_number}" if line_number else f"{path}"
        text = f"{where}: {message}"
        if line is not None:
            text += f"\n    {line_number} | {line}"
        super().__init__(text)


class ConfigError(SoundtrackError):
    """A missing or wrong setting (client id, redirect URI, ...)."""


class LockError(SoundtrackError):
    """A lock file that cannot be read, or a command that needs one that is missing."""


class SpotifyError(SoundtrackError):
    """Spotify answered with an error we cannot recover from automatically."""

    def __init__(self, message: str, status: int | None = None):
        self.status = status
        super().__init__(message)


class LoginRequired(SpotifyError):
    """No usable token, or the refresh token expired or was revoked (invalid_grant)."""


class MissingScope(SpotifyError):
    """403 "Insufficient client scope": the token was granted without a scope we need.

    `missing`: the scopes the refused operation needs that the login lacks (as far as known).
    """

    def __init__(self, message: str, status: int | None = 403, missing: tuple[str, ...] = ()):
        self.missing = missing
        super().__init__(message, status=status)


class PremiumRequired(SpotifyError):
    """403 since 2026: the Development Mode app's owner has no Premium subscription."""


class NotAllowListed(SpotifyError):
    """403 for a Development Mode app whose allow-list lacks this user."""


class Forbidden(SpotifyError):
    """Any other 403: e.g. writing to a playlist the user does not own."""


class NotFound(SpotifyError):
    """404: the playlist, track or route does not exist."""


class RateLimited(SpotifyError):
    """429 with a wait longer than we are willing to sleep; everything done so far is kept."""

    exit_code = EX_TEMPFAIL

    def __init__(self, message: str, retry_after: float | None):
        self.retry_after = retry_after
        super().__init__(message, status=429)


class SpotifyUnavailable(SpotifyError):
    """5xx, timeouts or dropped connections that outlasted our retries."""


class MalformedAnswer(SpotifyError):
    """An answer that is not what the Web API sends (empty, HTML, cut short, wrong shape).

    Names the request, never a token; nothing more is written after it.
    """

    def __init__(self, where: str, problem: str, *, status: int | None = None) -> None:
        self.where = where
        self.problem = problem
        super().__init__(
            f"Spotify's answer to {where} was not what Spotify sends ({problem}); nothing "
            "more was written. This is usually a passing fault at Spotify or in a proxy on the "
            "way: run the command again in a few minutes, and if it keeps happening check "
            "SPOTIFY_API_URL, SPOTIFY_ACCOUNTS_URL and any proxy settings",
            status=status,
        )


class EndlessPages(MalformedAnswer):
    """A paged list that does not end: repeated pages, or more pages than any list has."""


class RefusedToEmpty(SoundtrackError):
    """A sync would empty a playlist that has items: nothing is written; --allow-empty overrides."""


class AccountEmptied(SoundtrackError):
    """Every playlist a state records vanished at once: nothing is written; --recreate overrides."""


class SongsLeftOut(SoundtrackError):
    """`sync --strict`: some songs (review or unresolved) are in no playlist."""

    exit_code = 3


class NothingMade(SoundtrackError):
    """A sync that could make (or keep) no playlist at all: every one was skipped."""

    exit_code = 4


class SeasonBusy(SoundtrackError):
    """Another run (sync, resolve or review) holds the season: try again once it is done."""

    exit_code = EX_TEMPFAIL


class LocalFileError(SoundtrackError):
    """A file of ours (state, run lock, token cache, report) that cannot be read or written."""


class ReadOnlyFile(LocalFileError, PermissionError):
    """A file of ours without write permission: never replaced, never silently.

    Also a PermissionError, so code that goes on without a file it could not write (the token
    cache after a refresh) treats it like any other write that failed.
    """


class NotWritable(LocalFileError, OSError):
    """A folder that takes no new file of ours (read-only, or a file in the way): names the
    folder and the setting that moves it. An OSError too, for code that skips optional files."""


class Interrupted(SoundtrackError):
    """Ctrl-C: what was done is kept (and reported); the shell's code for SIGINT."""

    exit_code = 130


class PinError(SoundtrackError):
    """A pin names a track Spotify doesn't have or the user can't play; names file and line."""
