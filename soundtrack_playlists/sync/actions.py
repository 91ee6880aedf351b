"""The plan as a value: small actions that print themselves, per playlist and in all.

`sync/plan.py` computes them with no I/O; apply runs exactly these, and `--dry-run` prints them.
"""

from __future__ import annotations

from dataclasses import dataclass

from soundtrack_playlists.covers import CoverSpec
from soundtrack_playlists.models import Action, Outcome
from soundtrack_playlists.sync.current import MISSING
from soundtrack_playlists.sync.state import PlaylistRecord
from soundtrack_playlists.sync.targets import DesiredPlaylist, EpisodeWithoutSongs
from soundtrack_playlists.text import plural


def track_count(count: int) -> str:
    return plural(count, "track")


def _visibility(public: bool | None) -> str:
    return "public" if public else "private"


@dataclass(frozen=True)
class CreatePlaylist:
    """POST /me/playlists, then the items in chunks of <= 100."""

    name: str
    description: str
    public: bool
    uris: tuple[str, ...]

    def __str__(self) -> str:
        return f"create “{self.name}” ({_visibility(self.public)}, {track_count(len(self.uris))})"


@dataclass(frozen=True)
class UpdateDetails:
    """PUT /playlists/{id} with only the fields that differ."""

    playlist_id: str
    name: str | None = None
    description: str | None = None
    public: bool | None = None
    old_name: str = ""

    def __str__(self) -> str:
        parts = []
        if self.name is not None:
            parts.append(f"rename “{self.old_name}” to “{self.name}”")
        if self.description is not None:
            parts.append("rewrite the description")
        if self.public is not None:
            parts.append(f"make it {_visibility(self.public)}")
        return ", ".join(parts)


@dataclass(frozen=True)
class AppendItems:
    """The playlist holds the start of the desired list: add only what follows."""

    playlist_id: str
    uris: tuple[str, ...]

    def __str__(self) -> str:
        return f"append {track_count(len(self.uris))}"


@dataclass(frozen=True)
class ReplaceItems:
    """Replace every item (PUT the first 100, then append): handles duplicates and order."""

    playlist_id: str
    uris: tuple[str, ...]
    added: int
    removed: int

    def __str__(self) -> str:
        return (
            f"replace the items with {track_count(len(self.uris))} (+{self.added} −{self.removed})"
        )


@dataclass(frozen=True)
class UploadCover:
    """PUT /playlists/{id}/images with the generated cover; the digest goes into the state.

    `playlist_id` is empty when the playlist is created by the same plan: apply knows its id.
    """

    playlist_id: str
    cover: CoverSpec
    digest: str
    replaces: bool = False  # a cover of ours is there already: the design's inputs changed

    def __str__(self) -> str:
        return "upload a new cover" if self.replaces else "upload its cover"


Step = CreatePlaylist | UpdateDetails | UploadCover | AppendItems | ReplaceItems


@dataclass(frozen=True)
class PlaylistPlan:
    """What happens to one desired playlist, and the state to keep once it has happened."""

    desired: DesiredPlaylist
    action: Action
    steps: tuple[Step, ...] = ()
    playlist_id: str | None = None  # the existing playlist, None when created or skipped
    located: str = MISSING  # the kind of Location the playlist was found as
    reason: str = ""  # why a playlist is skipped, adopted or recreated
    tracks: int = 0  # items once applied (skips: what Spotify holds, if known)
    added: int = 0
    removed: int = 0
    record: PlaylistRecord | None = None  # the state as it stands before the steps
    refused: bool = False  # emptying refused: the sync stops before writing anything

    @property
    def name(self) -> str:
        return self.desired.name

    def outcome(self) -> Outcome:
        """The outcome this plan would have: what --dry-run reports."""
        return Outcome(
            self.desired.key,
            self.name,
            self.playlist_id,
            self.action,
            self.tracks,
            self.added,
            self.removed,
            self.reason,
        )

    def __str__(self) -> str:
        head = f"{self.action:<9} “{self.name}”"
        create = self.steps[0] if self.steps else None
        if self.action == Action.UNCHANGED:
            text = f"{head} ({track_count(self.tracks)})"
        elif self.action == Action.CREATE and isinstance(create, CreatePlaylist):
            cover = ", a cover" if any(isinstance(s, UploadCover) for s in self.steps) else ""
            text = f"{head} ({_visibility(create.public)}, {track_count(len(create.uris))}{cover})"
        elif self.action == Action.UPDATE:
            text = f"{head}: " + "; ".join(str(step) for step in self.steps)
        else:
            text = f"{head}: {self.reason}"
        if self.reason and self.action != Action.SKIP:
            text += f" [{self.reason}]"
        return text


@dataclass(frozen=True)
class Plan:
    playlists: tuple[PlaylistPlan, ...]
    without_songs: tuple[EpisodeWithoutSongs, ...] = ()

    @property
    def writes(self) -> tuple[PlaylistPlan, ...]:
        return tuple(item for item in self.playlists if item.steps)

    @property
    def refusals(self) -> tuple[PlaylistPlan, ...]:
        return tuple(item for item in self.playlists if item.refused)

    def outcomes(self) -> tuple[Outcome, ...]:
        """The outcomes the plan would have: what --dry-run reports."""
        return tuple(item.outcome() for item in self.playlists)

    def refusal_message(self) -> str:
        names = ", ".join(f"“{item.name}”" for item in self.refusals)
        return (
            f"refusing to empty {names}: no song of it resolved to a track. Nothing was written. "
            "Pick tracks in `review`, fix the tracklist, or pass --allow-empty to empty it."
        )

    def __str__(self) -> str:
        lines = [str(item) for item in self.playlists]
        lines += [
            f"{Action.SKIP:<9} episode {episode.episode} “{episode.title}”: "
            "no songs listed, no playlist"
            for episode in self.without_songs
        ]
        if not self.writes and any(item.action != Action.SKIP for item in self.playlists):
            skipped = any(item.action == Action.SKIP for item in self.playlists)
            rest = "the others are" if skipped else "every playlist is"
            lines.append(f"Nothing to write: {rest} up to date.")
        return "\n".join(lines)


# --- the plan ------------------------------------------------------------------------------
