"""What a route answers: status, body and headers, before the HTTP handler writes them."""

from __future__ import annotations

from dataclasses import dataclass, field

FAULT_HEADER = "x-emulator-fault"  # internal: carries the fault to the log, never sent
# The fault of an answer holding null playlist entries: Spotify sends them, but the spec has
# no null entry, so such answers are logged with it and kept out of the spec check.
UNAVAILABLE = "unavailable"


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


class ApiError(Exception):
    """An error answer: `{"error": {"status": status, "message": message}}`."""

    def __init__(self, status: int, message: str, fault: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fault = fault  # the injected fault behind it, for the request log


class OAuthError(Exception):
    """An accounts-service error answer: `{"error": code, "error_description": description}`."""

    def __init__(self, code: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.status = status
