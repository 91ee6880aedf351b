"""The sync report (Markdown) and the --json summary, built from values."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from resolved_songs import Resolved

from soundtrack_playlists.models import Episode, Outcome, PlaylistInfo, Season, Song, Track
from soundtrack_playlists.sync.current import Current
from soundtrack_playlists.sync.plan import plan
from soundtrack_playlists.sync.report import (
    render_markdown,
    render_status,
    search_url,
    summary_json,
)
from soundtrack_playlists.sync.state import PlaylistRecord, SyncState
from soundtrack_playlists.sync.targets import Desired, DesiredPlaylist

ELASTIC = Song("Elastic Heart", ("Sia",), line=3)
SMILE = Song("Smile", ("Nat King Cole",), line=4)
PIPE = Song("A | B [live]", ("X",), line=5)
SEASON = Season(
    show="Soundtrack",
    season=1,
    year=2019,
    episodes=(Episode(1, "Nellie and Sam", (ELASTIC, SMILE, PIPE)), Episode(10, "Finale")),
)
SONGS = (
    Resolved(1, ELASTIC, "matched", Track("spotify:track:abc", "Elastic Heart", ("Sia",)), 0.97),
    Resolved(1, SMILE, "review", Track("spotify:track:def", "Smile (Live)", ("Cole",)), 0.61),
    Resolved(1, PIPE, "unresolved", None, None),
)
OUTCOMES = (
    Outcome("episode-01", "Soundtrack S1E01 · Nellie and Sam", "pl1", "create", 1, 1, 0),
    Outcome("season", "Soundtrack · Season 1 (2019)", None, "skip", 0, reason="2 share the name"),
)


def _report(**kwargs):
    return render_markdown(SEASON, SONGS, OUTCOMES, **kwargs)


def test_report_links_each_chosen_track_with_outcome_and_score():
    text = _report()
    assert "[Elastic Heart — Sia](https://open.spotify.com/track/abc)" in text
    assert "| matched | 0.97 |" in text
    assert "## Episode 1: Nellie and Sam" in text


def test_report_lists_left_out_songs_with_a_search_link_each():
    text = _report()
    left_out = text.split("## Left out", 1)[1]
    assert search_url(SMILE) in left_out and search_url(PIPE) in left_out
    assert search_url(ELASTIC) not in left_out
    assert "(review)" in left_out and "(unresolved)" in left_out


def test_report_lists_playlists_and_episodes_without_songs():
    text = _report()
    assert "[Soundtrack S1E01 · Nellie and Sam](https://open.spotify.com/playlist/pl1)" in text
    assert "| skip | 0 | 0 | 0 | 2 share the name |" in text
    assert "## Episode 10: Finale\n\nNo songs listed" in text


def test_cells_escape_what_would_break_the_table():
    text = _report()
    assert "A \\| B \\[live\\]" in text
    row = next(line for line in text.splitlines() if "A \\| B" in line)
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert len(cells) == 5  # whatever the title holds


def test_search_url_quotes_the_song():
    assert search_url(PIPE) == "https://open.spotify.com/search/A%20%7C%20B%20%5Blive%5D%20X"


def test_json_summary_has_the_documented_shape():
    value = summary_json(OUTCOMES, SONGS, report="/tmp/r.md")
    json.dumps(value)  # serialisable as is
    assert value["songs"] == {"matched": 1, "pinned": 0, "review": 1, "unresolved": 1}
    assert value["playlists"][0] == {
        "name": "Soundtrack S1E01 · Nellie and Sam",
        "id": "pl1",
        "action": "create",
        "tracks": 1,
        "added": 1,
        "removed": 0,
    }
    assert value["playlists"][1]["reason"] == "2 share the name"
    assert [item["status"] for item in value["left_out"]] == ["review", "unresolved"]
    assert value["report"] == "/tmp/r.md"


def test_status_shows_each_playlist_against_the_tracklists():
    desired = [
        DesiredPlaylist(f"episode-0{n}", f"E{n}", "d", ("spotify:track:a",)) for n in (1, 2, 3)
    ]
    info = PlaylistInfo("p1", "E1", "me", "d", False, "s1", 1)
    other = PlaylistInfo("p2", "E2", "me", "d", False, "s1", 0)
    state = SyncState("api", "me").with_record(
        PlaylistRecord("episode-01", "p1", "E1", "s1", ("x",))
    )
    state = state.with_record(PlaylistRecord("episode-02", "p2", "E2", "s1"))
    current = Current(
        "me", (replace(info, snapshot_id="s2"), other), state, {"p1": ("spotify:track:a",)}
    )
    text = render_status(plan(Desired(tuple(desired)), current))
    lines = text.splitlines()
    assert lines[0].startswith("in sync      “E1”: 1 track ")
    assert "open.spotify.com/playlist/p1" in lines[0]
    assert lines[1].startswith("differs      “E2”: sync would append 1 track")
    assert lines[2] == "missing      “E3”: not in Spotify"
