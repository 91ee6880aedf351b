"""Spotify's OpenAPI response schemas as JSON Schema, and the check of emulator answers."""

from __future__ import annotations

from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

SPEC_PATH = Path(__file__).parent / "spotify_openapi" / "official-spotify-open-api.yml"
_DROP_KEYS = {"discriminator", "example", "deprecated", "xml", "externalDocs"}


def to_json_schema(node):
    """OpenAPI 3.0 schema -> JSON Schema: `nullable` becomes a null type, extensions go."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        key: to_json_schema(value)
        for key, value in node.items()
        if key not in _DROP_KEYS and not key.startswith("x-") and key != "nullable"
    }
    if isinstance(out.get("required"), bool):  # OpenAPI's parameter-style `required: true`
        del out["required"]
    if node.get("nullable"):
        if "type" in out and "$ref" not in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def load_spec():
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def spec_components(spec):
    converted = to_json_schema(spec["components"])
    # Spotify sends null for a track no longer available, though the spec does not say so
    # (tests/test_contract.py checks it against Spotify with -m live).
    entry = converted["schemas"]["PlaylistTrackObject"]["properties"]
    for name in ("item", "track"):
        entry[name] = {"anyOf": [entry[name], {"type": "null"}]}
    # Real 2026 answers send `images: null` for a playlist without a cover, though the spec
    # says an array (tests/data/real-answers/real-2026/joostlek_me_playlists_2026_p1.json).
    for name in ("PlaylistObject", "SimplifiedPlaylistObject"):
        images = converted["schemas"][name]["properties"]["images"]
        converted["schemas"][name]["properties"]["images"] = {"anyOf": [images, {"type": "null"}]}
    return converted


def response_schema(spec, route: str, method: str, status: int):
    """The schema the spec declares for (route, method, status); errors share ErrorObject."""
    responses = spec["paths"][route][method.lower()]["responses"]
    declared = responses.get(str(status))
    if declared is None:
        if status >= 400:
            declared = {"$ref": "#/components/responses/BadRequest"}
        else:
            raise AssertionError(f"{method} {route} answered {status}, which the spec lacks")
    if "$ref" in declared:
        declared = spec["components"]["responses"][declared["$ref"].rsplit("/", 1)[-1]]
    content = declared.get("content", {}).get("application/json")
    return None if content is None else content["schema"]


# The string fields whose values a schema constrains (enums); other strings only by type.
_ENUM_FIELDS = frozenset({"type", "album_type", "release_date_precision", "reason"})


def shape(value: object, field: str = "") -> object:
    """What a schema can tell apart in a body: its keys, types, enum values and nulls."""
    if isinstance(value, dict):
        return tuple(sorted((key, shape(item, key)) for key, item in value.items()))
    if isinstance(value, list):
        return ("list", tuple(sorted({repr(shape(item, field)) for item in value})))
    if isinstance(value, str):
        return value if field in _ENUM_FIELDS else "str"
    return type(value).__name__


def check(spec, components, records) -> list[str]:
    """What in the records' bodies Spotify's spec does not allow (answers of one shape, as
    `shape` sees it, are checked once: the rest would only repeat the verdict)."""
    problems = []
    validators: dict[tuple[str, str, int], Draft202012Validator] = {}
    seen: set[tuple[str, str, int, str]] = set()
    for record in records:
        key = (record.method, record.route, record.status, repr(shape(record.body)))
        if key in seen:
            continue
        seen.add(key)
        schema = response_schema(spec, record.route, record.method, record.status)
        if schema is None:
            problems.append(f"{record.method} {record.route} {record.status}: spec has no body")
            continue
        key = (record.method, record.route, record.status)
        if key not in validators:  # building a validator costs more than using it
            validators[key] = Draft202012Validator(
                {**to_json_schema(schema), "components": components}
            )
        validator = validators[key]
        for error in validator.iter_errors(record.body):
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{record.method} {record.route} {record.status} at {where}: "
                            f"{error.message[:200]}")  # fmt: skip
    return problems
