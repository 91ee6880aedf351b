"""Our own JSON files read at the door: any byte sequence, bounded nesting, a pydantic model."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TypeVar

from pydantic import BaseModel, ValidationError

# Deeper than any file of ours ever is, far below what would exhaust Python's recursion.
MAX_NESTING = 32

Model = TypeVar("Model", bound=BaseModel)


class Damaged(ValueError):
    """A file of ours that cannot be what it claims: `problem` says what and, if known, where."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def nesting_depth(text: str) -> int:
    """How deep JSON arrays and objects nest in `text`, in one linear pass (strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def decoded_json(data: bytes) -> object:
    """The JSON value in `data`; Damaged for bytes that are not UTF-8 JSON of sane depth."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Damaged(f"not UTF-8 text (byte {error.start})") from None
    if nesting_depth(text) > MAX_NESTING:
        raise Damaged(f"nested more than {MAX_NESTING} levels deep")
    try:
        return json.loads(text)
    except ValueError as error:
        raise Damaged(str(error)) from None


def validated(value: object, model: type[Model]) -> Model:
    """`value` as `model`; Damaged naming the first field that is wrong and why."""
    try:
        return model.model_validate(value)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise Damaged(f"{where}: {first['msg']}" if where else first["msg"]) from None


def stored_moment(text: object) -> datetime:
    """A time our files store: ISO 8601 text with its time zone (ValueError otherwise)."""
    if not isinstance(text, str):
        raise ValueError("a time must be ISO 8601 text")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"the time {text} must carry its time zone")
    return moment
