"""Review: choices become pins in the lock; the command prompts and saves each choice."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from soundtrack_playlists.cli import cli
from soundtrack_playlists.matching.decide import Candidate
from soundtrack_playlists.models import Episode, Season, Song, Track
from soundtrack_playlists.resolve.lockfile import Lock, LockEntry, load_lock, save_lock
from soundtrack_playlists.resolve.review import choose, interpret, pending
from soundtrack_playlists.settings import DEFAULT_API_URL

SMILE = Song("Smile", ("Nat King Cole",), line=3)
TOGETHER = Song("Together Again", ("Janet Jackson",), line=4)
HEAT = Song("Heat", ("Kelly Clarkson",), line=5)
ALBUM = Track("spotify:track:1GrikfH0jDejDvrxo84n4P", "Together Again", ("Janet Jackson",),
              album="The Velvet Rope")  # fmt: skip
SINGLE = Track("spotify:track:2nnU5UH4paoRkWCC7fSR2P", "Together Again", ("Janet Jackson",),
               album="Together Again")  # fmt: skip
HEAT_TRACK = Track("spotify:track:" + "H" * 22, "Heat", ("Kelly Clarkson",))


def the_lock(api_url: str = DEFAULT_API_URL) -> Lock:
    return Lock(
        api_url=api_url,
        entries=(
            LockEntry(1, SMILE.key, "unresolved", None, 0.76, "nothing good enough"),
            LockEntry(1, TOGETHER.key, "review", None, 1.0, "too close to call",
                      candidates=(Candidate(ALBUM, 1.0, "a"), Candidate(SINGLE, 1.0, "b"))),
            LockEntry(1, HEAT.key, "matched", HEAT_TRACK, 1.0, "accepted"),
        ),
    )  # fmt: skip


SEASON = Season(
    show="Soundtrack", season=1, episodes=(Episode(1, "Pilot", (SMILE, TOGETHER, HEAT)),)
)


def test_pending_lists_review_and_unresolved_songs_in_order():
    assert [item.song for item in pending(SEASON, the_lock())] == [SMILE, TOGETHER]


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("2", SINGLE.uri),
        (" 1 ", ALBUM.uri),
        ("", None),
        ("skip", None),
        ("https://open.spotify.com/track/2nnU5UH4paoRkWCC7fSR2P?si=x", SINGLE.uri),
        ("spotify:track:" + "Z" * 22, "spotify:track:" + "Z" * 22),
    ],
)
def test_interpret_answers(answer, expected):
    item = pending(SEASON, the_lock())[1]
    track = interpret(answer, item)
    assert (track.uri if track else None) == expected


@pytest.mark.parametrize("answer", ["3", "0", "a song please", "spotify:album:" + "Z" * 22])
def test_interpret_refuses_what_is_neither_a_number_nor_a_track(answer):
    with pytest.raises(ValueError):
        interpret(answer, pending(SEASON, the_lock())[1])


def test_a_choice_becomes_a_pin_and_leaves_review():
    lock = the_lock()
    item = pending(SEASON, lock)[1]
    chosen = choose(lock, item, SINGLE)
    entry = chosen.get(1, TOGETHER.key)
    assert (entry.status, entry.pin, entry.track) == ("pinned", SINGLE.uri, SINGLE)
    assert [i.song for i in pending(SEASON, chosen)] == [SMILE]


@pytest.fixture
def season_dir(tmp_path):
    directory = tmp_path / "season-1"
    directory.mkdir()
    (directory / "season.toml").write_text('show = "Soundtrack"\nseason = 1\n', encoding="utf-8")
    (directory / "episode-01.txt").write_text(
        'Episode 1: Pilot\n\n"Smile" by Nat King Cole\n"Together Again" by Janet Jackson\n'
        '"Heat" by Kelly Clarkson\n',
        encoding="utf-8",
    )
    return directory


NAT = Track("spotify:track:" + "N" * 22, "Smile", ("Nat King Cole",), album="Unforgettable")


class FakeSpotify:
    """Stands in for the client review connects to: GET /tracks/{id} and search, recorded."""

    def __init__(self, *tracks: Track) -> None:
        self.tracks = {track.id: track for track in tracks}
        self.queries: list[str] = []
        self.looked_up: list[str] = []

    def track(self, track_id: str) -> Track | None:
        self.looked_up.append(track_id)
        return self.tracks.get(track_id)

    def search_tracks(self, query: str, **options: object) -> list[Track]:
        self.queries.append(query)
        return list(self.tracks.values())


@pytest.fixture
def spotify(monkeypatch):
    fake = FakeSpotify(NAT)
    monkeypatch.setattr("soundtrack_playlists.spotify.client.connect", lambda: fake)
    return fake


def test_review_command_pins_a_number_and_a_link_and_skips(season_dir, spotify):
    save_lock(season_dir / "lock.json", the_lock())
    link = "https://open.spotify.com/track/" + "N" * 22
    result = CliRunner().invoke(cli, ["review", str(season_dir)], input=f"{link}\n\nnine\n2\n")
    assert result.exit_code == 0, result.output
    assert "that link is Smile — Nat King Cole [Unforgettable]" in result.output  # looked up
    assert spotify.looked_up == ["N" * 22]
    assert "1. Together Again — Janet Jackson [The Velvet Rope]  1.00" in result.output
    assert "not a candidate number" in result.output  # "nine" was asked again
    assert "2 pinned, 0 skipped" in result.output
    lock = load_lock(season_dir / "lock.json", DEFAULT_API_URL)
    assert lock.get(1, SMILE.key).pin == "spotify:track:" + "N" * 22
    assert lock.get(1, TOGETHER.key).pin == SINGLE.uri
    assert lock.get(1, HEAT.key).status == "matched"


def test_a_link_to_no_track_is_refused_and_asked_again(season_dir, spotify):
    save_lock(season_dir / "lock.json", the_lock())
    link = "spotify:track:" + "Z" * 22
    result = CliRunner().invoke(cli, ["review", str(season_dir)], input=f"{link}\n\n\n")
    assert result.exit_code == 0, result.output
    assert f"Spotify has no track {link}" in result.output
    assert "0 pinned, 2 skipped" in result.output


def test_a_new_search_lists_new_candidates(season_dir, spotify):
    save_lock(season_dir / "lock.json", the_lock())
    result = CliRunner().invoke(
        cli, ["review", str(season_dir)], input="?smile nat king cole unforgettable\n1\n\n"
    )
    assert result.exit_code == 0, result.output
    assert spotify.queries == ["smile nat king cole unforgettable"]
    assert "1. Smile — Nat King Cole [Unforgettable]" in result.output
    lock = load_lock(season_dir / "lock.json", DEFAULT_API_URL)
    assert lock.get(1, SMILE.key).pin == NAT.uri and lock.get(1, SMILE.key).pin_checked


def test_review_command_skip_changes_nothing(season_dir):
    save_lock(season_dir / "lock.json", the_lock())
    before = (season_dir / "lock.json").read_bytes()
    result = CliRunner().invoke(cli, ["review", str(season_dir)], input="\n\n")
    assert result.exit_code == 0, result.output
    assert "0 pinned, 2 skipped" in result.output
    assert (season_dir / "lock.json").read_bytes() == before


def test_review_without_a_lock_says_to_resolve_first(season_dir):
    save_lock(season_dir / "lock.json", the_lock("http://127.0.0.1:9/v1/"))  # emulator's lock
    result = CliRunner().invoke(cli, ["review", str(season_dir)])
    assert result.exit_code == 1
    assert "run `soundtrack-playlists resolve` first" in result.output
