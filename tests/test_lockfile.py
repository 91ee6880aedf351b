"""The lock file: round trip, stable readable JSON, API separation, damage reported."""

from __future__ import annotations

import json

import pytest

from soundtrack_playlists.errors import LockError
from soundtrack_playlists.matching.decide import Candidate
from soundtrack_playlists.models import Status, Track
from soundtrack_playlists.resolve.lockfile import Lock, LockEntry, load_lock, save_lock

SPOTIFY = "https://api.spotify.com/v1/"
EMULATOR = "http://127.0.0.1:8765/v1/"

STEELY = Track(
    uri="spotify:track:1I7zHEdDx8Ny5RxzYPqsU2",
    name="Reelin' In The Years",
    artists=("Steely Dan",),
    album="Can't Buy A Thrill",
    release_date="1972-01-01",
)
EAGLES = Track(
    uri="spotify:track:2cWHN0WK52RGAWHgaDamUA",
    name="Take It to the Limit - 2013 Remaster",
    artists=("Eagles",),
    album="One of These Nights (2013 Remaster)",
    release_date="1975-06-10",
)


def sample_lock(api_url: str = SPOTIFY) -> Lock:
    return Lock(
        api_url=api_url,
        entries=(
            LockEntry(
                4, '"Reelin In The Years" by Steely Dan', Status.MATCHED, STEELY, 1.0, "accepted"
            ),
            LockEntry(
                5,
                '"Take It To The Limit" by Etta James',
                Status.UNRESOLVED,
                None,
                0.75,
                "nothing good enough",
                candidates=(Candidate(EAGLES, 0.75, "title 1.00, artist 0.50 -> rejected"),),
            ),
            LockEntry(
                1,
                '"Smile" by Nat King Cole',
                Status.PINNED,
                Track(uri="spotify:track:" + "N" * 22, name="Smile", artists=("Nat King Cole",)),
                None,
                "pinned in review",
                pin="spotify:track:" + "N" * 22,
            ),
        ),
    )


def test_round_trip(tmp_path):
    path = tmp_path / "lock.json"
    lock = sample_lock()
    save_lock(path, lock)
    assert load_lock(path, SPOTIFY) == lock


def test_saving_twice_gives_the_same_bytes_in_tracklist_order(tmp_path):
    path = tmp_path / "lock.json"
    save_lock(path, sample_lock())
    first = path.read_bytes()
    save_lock(path, load_lock(path, SPOTIFY))
    assert path.read_bytes() == first
    data = json.loads(first)
    assert list(data) == ["version", "apis"]
    (section,) = data["apis"]
    assert list(section) == ["api_url", "songs"]
    songs = section["songs"]
    assert [song["episode"] for song in songs] == [4, 5, 1]  # as given, never re-sorted
    assert list(songs[0]) == ["episode", "song", "status", "score", "track", "reason"]
    assert songs[1]["candidates"][0]["uri"] == EAGLES.uri
    assert first.endswith(b"\n") and b'\n      "songs": [\n' in first  # indented for diffs


def test_a_lock_made_against_another_api_is_no_lock(tmp_path):
    path = tmp_path / "lock.json"
    save_lock(path, sample_lock(EMULATOR))
    assert load_lock(path, SPOTIFY) is None
    assert load_lock(path, EMULATOR.rstrip("/")) is not None  # a trailing slash is no difference


def test_a_missing_lock_is_no_lock(tmp_path):
    assert load_lock(tmp_path / "lock.json", SPOTIFY) is None


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[]",
        json.dumps({"version": 1, "api_url": SPOTIFY, "songs": [{"episode": 1}]}),
        json.dumps(
            {
                "version": 1,
                "api_url": SPOTIFY,
                "songs": [{"episode": 1, "song": "x", "status": "maybe", "track": None}],
            }
        ),
    ],
)
def test_a_damaged_lock_is_reported_with_what_to_do(tmp_path, text):
    path = tmp_path / "lock.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LockError, match="delete it and run `soundtrack-playlists resolve`"):
        load_lock(path, SPOTIFY)


def test_save_is_atomic_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "lock.json"
    save_lock(path, sample_lock())
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", fail)
    with pytest.raises(OSError):
        save_lock(path, sample_lock(EMULATOR))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["lock.json"]


def test_with_entry_replaces_the_same_line_in_place():
    lock = sample_lock()
    chosen = LockEntry(5, '"Take It To The Limit" by Etta James', Status.PINNED, EAGLES, None, "x",
                       pin=EAGLES.uri)  # fmt: skip
    updated = lock.with_entry(chosen)
    assert [e.status for e in updated.entries] == ["matched", "pinned", "pinned"]
    assert updated.get(5, chosen.key) == chosen
    assert lock.get(5, chosen.key).status == "unresolved"  # the original is unchanged
