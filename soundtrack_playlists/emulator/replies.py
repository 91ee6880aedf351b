"""What a route answers: status, body and headers, before the HTTP handler writes them."""

from __future__ import annotations

from dataclasses import dataclass, field

FAULT_HEADER = "x-emulator-fault"  # internal: carries the fault to the log, never sent


@dataclass
class Reply:
    """One answer; `body` dict/list -> JSON, bytes -> as is, None -> empty."""

    status: int
    body: object = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    """Spotify's error shape: `{"error": {"status": status, "message": message}}`."""
    return Reply(status, {"error": {"status": status, "message": message}}, headers or {})
