"""What a sync did, for people (a Markdown report) and for scripts (the --json summary)."""

from __future__ import annotations

import shlex
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from soundtrack_playlists.models import (
    KEPT_STATUSES,
    Action,
    Outcome,
    ResolvedSong,
    Season,
    Song,
    Status,
    Track,
)
from soundtrack_playlists.settings import DEFAULT_API_URL
from soundtrack_playlists.sync.actions import Plan
from soundtrack_playlists.text import plural, same_api


def song_counts(songs: Iterable[ResolvedSong]) -> dict[str, int]:
    counts = Counter(song.status for song in songs)
    return {status: counts.get(status, 0) for status in Status}


def left_out(songs: Iterable[ResolvedSong]) -> tuple[ResolvedSong, ...]:
    """Songs that are in a tracklist but in no playlist: review and unresolved ones."""
    return tuple(song for song in songs if song.status not in KEPT_STATUSES)


def summary_json(
    outcomes: Sequence[Outcome],
    songs: Sequence[ResolvedSong],
    *,
    report: str | None = None,
    dry_run: bool = False,
) -> dict[str, Any]:
    """The --json document: playlists with their action, song counts, and what was left out."""
    return {
        "playlists": [outcome.to_json() for outcome in outcomes],
        "songs": song_counts(songs),
        "left_out": [
            {
                "episode": song.episode,
                "song": song.song.key,
                "status": song.status,
                "search": search_url(song.song),
            }
            for song in left_out(songs)
        ],
        "dry_run": dry_run,
        "report": report,
    }


def search_url(song: Song) -> str:
    """A Spotify search for the song as written, to pick a track by hand."""
    return "https://open.spotify.com/search/" + quote(f"{song.title} {' '.join(song.artists)}")


def playlist_url(playlist_id: str) -> str:
    return f"https://open.spotify.com/playlist/{playlist_id}"


def _cell(text: str) -> str:
    """Text that cannot break a Markdown table cell or a link label."""
    text = " ".join(str(text).split())
    for char in ("\\", "|", "[", "]"):
        text = text.replace(char, "\\" + char)
    return text


def _track_cell(resolved: ResolvedSong, links: bool = True) -> str:
    track = resolved.track
    if track is None:
        return "—"
    label = _cell(f"{track.name} — {', '.join(track.artists)}")
    cell = f"[{label}]({track.url})" if links else f"{label} ({track.uri})"
    return cell + relink_note(track)


def relink_note(track: Track) -> str:
    """What the report says of a pinned track Spotify plays another copy of."""
    if not track.plays_as:
        return ""
    return f" (Spotify plays a relinked copy, {track.plays_as}, in your market)"


def _score_cell(score: float | None) -> str:
    return "" if score is None else f"{score:.2f}"


def _outcome_cell(resolved: ResolvedSong) -> str:
    if resolved.status in KEPT_STATUSES:
        return resolved.status
    return f"**{resolved.status}**, left out ([search]({search_url(resolved.song)}))"


def render_markdown(
    season: Season,
    songs: Sequence[ResolvedSong],
    outcomes: Sequence[Outcome],
    *,
    api_url: str = "",
) -> str:
    """The sync report: playlists, then every episode's songs with the track chosen for each."""
    title = f"{season.show}, season {season.season}"
    lines = [f"# Sync report: {title}", ""]
    if api_url:
        lines += [f"Spotify Web API: {api_url}", ""]
    counts = song_counts(songs)
    lines += [
        "Songs: " + ", ".join(f"{counts[status]} {status}" for status in Status) + ".",
        "",
        "## Playlists",
        "",
        "| Playlist | Action | Tracks | Added | Removed | Note |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    links = links_to_spotify(api_url)
    for outcome in outcomes:
        name = _cell(outcome.name)
        link = f"[{name}]({playlist_url(outcome.id)})" if outcome.id and links else name
        lines.append(
            f"| {link} | {outcome.action} | {outcome.tracks} | {outcome.added} "
            f"| {outcome.removed} | {_cell(outcome.reason)} |"
        )
    lines.append("")
    lines += _episode_sections(season, songs, links)
    lines += _left_out_section(songs)
    return "\n".join(lines).rstrip("\n") + "\n"


def _episode_sections(
    season: Season, songs: Sequence[ResolvedSong], links: bool = True
) -> list[str]:
    """Each episode's songs with the track chosen for each, in tracklist order."""
    by_episode: dict[int, list[ResolvedSong]] = {}
    for resolved in songs:
        by_episode.setdefault(resolved.episode, []).append(resolved)
    lines: list[str] = []
    for episode in season.episodes:
        lines += [f"## Episode {episode.number}: {_cell(episode.title)}", ""]
        episode_songs = by_episode.get(episode.number, [])
        if not episode_songs:
            lines += ["No songs listed: no playlist for this episode.", ""]
            continue
        lines += ["| # | Song | Track | Outcome | Score |", "| ---: | --- | --- | --- | ---: |"]
        for index, resolved in enumerate(episode_songs, start=1):
            lines.append(
                f"| {index} | {_cell(resolved.song.key)} | {_track_cell(resolved, links)} "
                f"| {_outcome_cell(resolved)} | {_score_cell(resolved.score)} |"
            )
        lines.append("")
    return lines


def _left_out_section(songs: Sequence[ResolvedSong]) -> list[str]:
    """The songs in no playlist, each with a search link, and how to pick a track by hand."""
    missing = left_out(songs)
    lines = ["## Left out", ""]
    if not missing:
        lines += ["Every song is in its playlists.", ""]
    for resolved in missing:
        lines.append(
            f"- Episode {resolved.episode}: {_cell(resolved.song.key)} ({resolved.status}): "
            f"[search Spotify]({search_url(resolved.song)})"
        )
    if missing:
        lines += [
            "",
            "To pick a track by hand, copy its link from Spotify (Share → Copy Song Link) "
            "to the end of the song's line, then sync again.",
            "",
        ]
    return lines


# `status` says each playlist's state in these words, in its text and in its JSON alike.
STATUS_WORDS = {
    Action.UNCHANGED: "in sync",
    Action.UPDATE: "differs",
    Action.CREATE: "missing",
    Action.SKIP: "skipped",
}
NO_PLAYLIST = "no playlist"


def differing(plan: Plan) -> int:
    """How many playlists are not as the tracklists say (`status` then exits 1)."""
    return sum(1 for item in plan.playlists if item.action != Action.UNCHANGED)


def status_summary(plan: Plan) -> str:
    """The last line of `status`: all in sync, or how many differ and what sync does to them."""
    total, count = len(plan.playlists), differing(plan)
    if count == 0:
        return f"All {plural(total, 'playlist')} match the tracklists."
    skipped = sum(1 for item in plan.playlists if item.action == Action.SKIP)
    text = (
        f"{count} of {plural(total, 'playlist')} {'differs' if count == 1 else 'differ'} from "
        "the tracklists"
    )
    if skipped == count:
        return f"{text}: `soundtrack-playlists sync` cannot make them either (see why above)."
    if skipped:
        return (
            f"{text}: `soundtrack-playlists sync` updates {count - skipped}; it skips "
            f"{skipped} (see why above)."
        )
    return f"{text}: `soundtrack-playlists sync` updates them."


def result_line(outcomes: Sequence[Outcome], left: int) -> str:
    """`sync -q`'s one line for scripts: what became of the playlists, and songs left out."""
    counts = Counter(outcome.action for outcome in outcomes)
    done = ", ".join(
        f"{counts[action]} {word}"
        for action, word in (
            (Action.CREATE, "created"),
            (Action.UPDATE, "updated"),
            (Action.UNCHANGED, "unchanged"),
            (Action.SKIP, "skipped"),
        )
    )
    return f"{plural(len(outcomes), 'playlist')}: {done}; {plural(left, 'song')} left out."


def nothing_made(plan: Plan) -> bool:
    """True when a sync could make or keep no playlist at all: every one was skipped."""
    return bool(plan.playlists) and all(item.action == Action.SKIP for item in plan.playlists)


def left_out_advice(folder: Path | None, count: int) -> str:
    """The line naming the songs a season left out and the command that picks their tracks."""
    where = f" {shlex.quote(str(folder))}" if folder is not None else ""
    return (
        f"{plural(count, 'song')} left out (review or unresolved): pick their tracks with "
        f"`soundtrack-playlists review{where}`, then sync again."
    )


def status_json(
    outcomes: Sequence[Outcome], songs: Sequence[ResolvedSong], plan: Plan
) -> dict[str, Any]:
    """`status --json`: the sync summary, each playlist's status word, and the verdict."""
    value = summary_json(outcomes, songs, dry_run=True)
    for row, outcome in zip(value["playlists"], outcomes, strict=True):
        row["status"] = STATUS_WORDS[outcome.action]
    value["in_sync"] = differing(plan) == 0
    value["differing"] = differing(plan)
    value["summary"] = status_summary(plan)
    return value


def render_status(
    plan: Plan, *, api_url: str = "", word: Callable[[str, int], str] = str.ljust
) -> str:
    """`status`: each playlist as Spotify holds it against the tracklists, from a dry plan.

    `word(status, width)` pads (and may colour) the status column; links to open.spotify.com
    are given only for Spotify's own API.
    """
    lines = []
    for item in plan.playlists:
        status = word(STATUS_WORDS[item.action], 12)
        link = item.playlist_id and links_to_spotify(api_url)
        where = f" ({playlist_url(item.playlist_id)})" if link and item.playlist_id else ""
        if item.action == Action.UNCHANGED:
            lines.append(f"{status} “{item.name}”: {plural(item.tracks, 'track')}{where}")
        elif item.action == Action.UPDATE:
            steps = "; ".join(str(step) for step in item.steps)
            lines.append(f"{status} “{item.name}”: sync would {steps}{where}")
        elif item.action == Action.CREATE:
            why = f" ({item.reason})" if item.reason else ""
            lines.append(f"{status} “{item.name}”: not in Spotify{why}")
        else:
            lines.append(f"{status} “{item.name}”: {item.reason}{where}")
    for episode in plan.without_songs:
        lines.append(
            f"{word(NO_PLAYLIST, 12)} episode {episode.episode} “{episode.title}”: no songs listed"
        )
    return "\n".join(lines)


def links_to_spotify(api_url: str) -> bool:
    """Links to open.spotify.com only make sense for ids from Spotify's own API."""
    return not api_url or same_api(api_url, DEFAULT_API_URL)
