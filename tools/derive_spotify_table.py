"""Derive the table of operations, scopes and limits from Spotify's OpenAPI file.

    python tools/derive_spotify_table.py     # rewrites soundtrack_playlists/spotify/spec.py

Development only: the package reads the generated module, never the spec (which stays in
tests/spotify_openapi/, with its provenance). tests/test_spotify_spec_table.py fails when the
checked-in table is not what this script derives from the spec.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "tests" / "spotify_openapi" / "official-spotify-open-api.yml"
TABLE = ROOT / "soundtrack_playlists" / "spotify" / "spec.py"

# The operations the client calls or the emulator serves (retired ones included: the emulator
# answers them with Spotify's 403, and the table says why).
OPERATIONS = (
    "GET /me",
    "GET /search",
    "GET /tracks/{id}",
    "GET /me/playlists",
    "POST /me/playlists",
    "GET /me/library/contains",
    "GET /playlists/{playlist_id}",
    "PUT /playlists/{playlist_id}",
    "GET /playlists/{playlist_id}/items",
    "POST /playlists/{playlist_id}/items",
    "PUT /playlists/{playlist_id}/items",
    "DELETE /playlists/{playlist_id}/items",
    "GET /playlists/{playlist_id}/images",
    "PUT /playlists/{playlist_id}/images",
    "PUT /playlists/{playlist_id}/followers",
    "DELETE /playlists/{playlist_id}/followers",
    "GET /playlists/{playlist_id}/tracks",
    "POST /playlists/{playlist_id}/tracks",
    "PUT /playlists/{playlist_id}/tracks",
    "DELETE /playlists/{playlist_id}/tracks",
    "GET /users/{user_id}/playlists",
    "POST /users/{user_id}/playlists",
)

# Scopes the spec lists that decide which fields an answer carries, not whether it is given:
# (operation, scope) -> the evidence. Everything else the spec lists is needed for access.
FIELD_SCOPES = {
    ("GET /me", "user-read-private"): "only adds country, product and explicit_content",
    ("GET /me", "user-read-email"): "only adds email (real-2026/joostlek_me_2026_no_email.json)",
}

HEADER = '''"""Operations, scopes and limits from Spotify's OpenAPI file (generated, not edited)."""

# Written by tools/derive_spotify_table.py from tests/spotify_openapi/official-spotify-open-api.yml;
# tests/test_spotify_spec_table.py checks that it still says what the spec says.

from __future__ import annotations

from typing import NamedTuple


class Operation(NamedTuple):
    """One operation of the Web API as the spec describes it."""

    operation_id: str
    scopes: tuple[str, ...]  # every scope the spec lists for it
    needed: tuple[str, ...]  # those a token must hold to be answered at all
    deprecated: bool


'''


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        *_, kind, name = node["$ref"].split("/")
        node = spec["components"][kind][name]
    return node


def operation(spec: dict[str, Any], key: str) -> dict[str, Any]:
    method, path = key.split(" ", 1)
    return dict(spec["paths"][path][method.lower()])


def scopes_of(spec: dict[str, Any], key: str) -> tuple[str, ...]:
    found: list[str] = []
    for requirement in operation(spec, key).get("security") or []:
        for scopes in requirement.values():
            found += [scope for scope in scopes if scope not in found]
    return tuple(found)


def parameter(spec: dict[str, Any], key: str, name: str) -> dict[str, Any]:
    for raw in operation(spec, key).get("parameters", []):
        found = _resolve(spec, raw)
        if found["name"] == name:
            return found
    raise KeyError(f"{key} has no parameter {name}")


def _maximum_in_text(spec: dict[str, Any], key: str, name: str) -> int:
    found = parameter(spec, key, name)
    text = found.get("description") or found.get("schema", {}).get("description", "")
    match = re.search(r"(?:Maximum: |A maximum of )(\d+)", text)
    if match is None:
        raise ValueError(f"{key}: no maximum in the description of {name}")
    return int(match.group(1))


def limits(spec: dict[str, Any]) -> dict[str, int]:
    search_limit = parameter(spec, "GET /search", "limit")["schema"]
    return {
        "SEARCH_LIMIT_MIN": int(search_limit["minimum"]),
        "SEARCH_LIMIT_MAX": int(search_limit["maximum"]),
        # Spotify counts offset and limit together against this (offset + limit <= 1000).
        "SEARCH_OFFSET_MAX": int(parameter(spec, "GET /search", "offset")["schema"]["maximum"]),
        "PLAYLISTS_PAGE_MAX": int(
            parameter(spec, "GET /me/playlists", "limit")["schema"]["maximum"]
        ),
        "ITEMS_PAGE_MAX": int(
            parameter(spec, "GET /playlists/{playlist_id}/items", "limit")["schema"]["maximum"]
        ),
        "ITEMS_PER_WRITE": _maximum_in_text(spec, "POST /playlists/{playlist_id}/items", "uris"),
        "LIBRARY_URIS_MAX": _maximum_in_text(spec, "GET /me/library/contains", "uris"),
    }


def table(spec: dict[str, Any]) -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...], bool]]:
    """operation -> (operationId, the spec's scopes, those needed for access, deprecated)."""
    found = {}
    for key in OPERATIONS:
        scopes = scopes_of(spec, key)
        needed = tuple(scope for scope in scopes if (key, scope) not in FIELD_SCOPES)
        op = operation(spec, key)
        found[key] = (op["operationId"], scopes, needed, bool(op.get("deprecated", False)))
    return found


def render(spec: dict[str, Any]) -> str:
    version = spec.get("info", {}).get("version", "?")
    lines = [HEADER, f'SPEC_VERSION = "{version}"\n\n', "OPERATIONS: dict[str, Operation] = {\n"]
    for key, (operation_id, scopes, needed, deprecated) in table(spec).items():
        values = f'"{operation_id}", {scopes!r}, {needed!r}, {deprecated}'
        lines.append(f'    "{key}": Operation({values}),\n')
    lines.append("}\n\n")
    lines.append(
        "# Scopes the spec lists that only decide which fields come back, with the evidence.\n"
    )
    lines.append("FIELD_SCOPES = {\n")
    for (key, scope), reason in FIELD_SCOPES.items():
        lines.append(f'    ("{key}", "{scope}"): {reason!r},\n')
    lines.append("}\n\n")
    for name, value in limits(spec).items():
        lines.append(f"{name} = {value}\n")
    return "".join(lines)


def load_spec() -> dict[str, Any]:
    return dict(yaml.safe_load(SPEC.read_text(encoding="utf-8")))


def main(argv: list[str]) -> int:
    TABLE.write_text(render(load_spec()), encoding="utf-8")
    # The house format, so the checked-in module is exactly what this script writes.
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", str(TABLE)], check=True)
    print(f"wrote {TABLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
