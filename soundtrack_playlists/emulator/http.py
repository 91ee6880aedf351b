"""The HTTP side: one handler per connection, dispatch to the services, faults and the log."""

from __future__ import annotations

import base64
import json
import re
import socket
from email.message import Message
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from soundtrack_playlists.emulator.accounts import LOOPBACK, Accounts
from soundtrack_playlists.emulator.api import WebApi, route_of
from soundtrack_playlists.emulator.faults import (
    ADMIN_PREFIX,
    DROP,
    DROP_AFTER_APPLY,
    Decision,
    Faults,
    html_page,
    malformed_body,
)
from soundtrack_playlists.emulator.replies import (
    FAULT_HEADER,
    UNAVAILABLE,
    ApiError,
    OAuthError,
    Reply,
    error,
)
from soundtrack_playlists.emulator.state import Store


class Emulator(Protocol):
    """What the handler needs of the emulator it serves (declared here: the emulator imports
    the handler, never the other way round)."""

    accounts: Accounts
    api: WebApi
    store: Store

    @property
    def faults(self) -> Faults: ...

    @property
    def request_log(self) -> list[Any]: ...

    def clear_log(self) -> None: ...

    def playlists_state(self) -> dict[str, dict[str, object]]: ...

    def fault_for(self, path: str, method: str = "", route: str | None = None) -> Decision: ...

    def fault_eligible(self, path: str, method: str = "", route: str | None = None) -> bool: ...

    def record(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        status: int | None,
        fault: str | None,
        route: str | None,
    ) -> None: ...

    def record_response(self, method: str, route: str, status: int, body: object) -> None: ...


def dispatch(
    emulator: Emulator,
    method: str,
    path: str,
    params: dict[str, str],
    headers: Message,
    body: bytes,
) -> Reply:
    """Answer one accounts or API request (faults are applied by the caller)."""
    try:
        if path == "/authorize" and method == "GET":
            return emulator.accounts.authorize(params)
        if path == "/api/token":
            if method != "POST":
                return error(405, "Method not allowed")
            return emulator.accounts.token(headers, body)
        return emulator.api.handle(method, path, params, headers, body)
    except ApiError as failure:
        reply = error(failure.status, failure.message)
        if failure.fault:
            reply.headers[FAULT_HEADER] = failure.fault
        return reply
    except OAuthError as failure:
        answer = {"error": failure.code, "error_description": failure.description}
        return Reply(failure.status, answer)


def admin(emulator: Emulator, method: str, path: str) -> Reply:
    """The /_emulator paths (loopback only, never faulted or logged): log, state, images."""
    if path == "/_emulator/log" and method == "GET":
        return Reply(200, {"requests": [r.to_json() for r in emulator.request_log]})
    if path == "/_emulator/log" and method == "DELETE":
        emulator.clear_log()
        return Reply(200, {"cleared": True})
    if path == "/_emulator/state" and method == "GET":
        return Reply(200, {"playlists": emulator.playlists_state()})
    match = re.fullmatch(r"/_emulator/images/([0-9A-Za-z]+)\.jpg", path)
    if match and method == "GET":
        playlist = emulator.store.playlists.get(match.group(1))
        if playlist and playlist.image_jpeg_b64:
            return Reply(200, base64.b64decode(playlist.image_jpeg_b64), {}, "image/jpeg")
    return error(404, "Service not found")


class Handler(BaseHTTPRequestHandler):
    """One connection; HTTP/1.1 keep-alive so clients reuse connections as with Spotify."""

    protocol_version = "HTTP/1.1"
    emulator: Emulator  # set on the bound subclass
    timeout = 30  # an idle keep-alive connection does not pin a thread forever
    # Headers and body leave in one segment: with Nagle and delayed ACKs a separate body write
    # would add ~40 ms to every answer.
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the log is the record
        pass

    def _serve(self) -> None:
        emulator = self.emulator
        split = urlsplit(self.path)
        path = split.path
        params = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        if self.client_address[0] not in LOOPBACK:
            self._send(error(403, "The emulator answers loopback clients only"))
            return
        if path.startswith(ADMIN_PREFIX):
            self._send(admin(emulator, self.command, path))
            return
        route = route_of(path)
        decision = emulator.fault_for(path, self.command, route)

        def log(status: int | None, fault: str | None = None) -> None:
            emulator.record(self.command, path, params, status, fault, route)

        if decision.status is not None:
            headers: dict[str, str] = {}
            if decision.status == 429 and decision.retry_after is not None:
                headers["retry-after"] = str(decision.retry_after)
            message = "API rate limit exceeded" if decision.status == 429 else "Server error"
            reply = error(decision.status, message, headers)
            if decision.status == 429 and emulator.faults.empty_429:
                reply.body = None
            log(decision.status, decision.fault)
            self._send(self._spoilt(reply, path, route), route)
            return
        if decision.fault == DROP:
            log(None, DROP)
            self._drop()
            return
        reply = dispatch(emulator, self.command, path, params, self.headers, body)
        if decision.fault == DROP_AFTER_APPLY:
            log(None, DROP_AFTER_APPLY)
            self._drop()
            return
        fault = reply.headers.pop(FAULT_HEADER, None)
        if decision.malformed is not None and 200 <= reply.status < 300:
            # The request was applied (a create made its playlist); only its answer is spoilt.
            payload, content_type = malformed_body(reply.body, decision.malformed)
            reply = Reply(reply.status, payload, reply.headers, content_type)
            fault = decision.fault
        log(reply.status, fault)
        # An answer the spec has no shape for (null entries) is not offered to the spec check.
        self._send(self._spoilt(reply, path, route), None if fault == UNAVAILABLE else route)

    def _spoilt(self, reply: Reply, path: str, route: str | None) -> Reply:
        """An error answer as an HTML page, when the faults ask for that on this route."""
        emulator = self.emulator
        if (
            reply.status >= 400
            and isinstance(reply.body, dict)
            and emulator.faults.html_errors
            and emulator.fault_eligible(path, self.command, route)
        ):
            reason = self.responses.get(reply.status, ("Error",))[0]
            page = html_page(reply.status, reason)
            return Reply(reply.status, page, reply.headers, "text/html; charset=utf-8")
        return reply

    def _drop(self) -> None:
        """Close the socket without a byte of answer, as a broken connection looks."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, reply: Reply, route: str | None = None) -> None:
        if isinstance(reply.body, (dict, list)):
            payload = json.dumps(reply.body).encode("utf-8")
            if route:
                self.emulator.record_response(self.command, route, reply.status, reply.body)
        elif isinstance(reply.body, bytes):
            payload = reply.body
        else:
            payload = b""
        self.send_response(reply.status)
        if payload or reply.body is not None:
            self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("cache-control", "private, max-age=0")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _serve
