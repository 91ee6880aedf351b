"""The accounts service: the /authorize redirect and the /api/token grants."""

from __future__ import annotations

import base64
import binascii
from email.message import Message
from urllib.parse import parse_qs, urlencode, urlsplit

from soundtrack_playlists.emulator.replies import OAuthError, Reply
from soundtrack_playlists.emulator.state import Store

LOOPBACK = ("127.0.0.1", "::1")


class Accounts:
    """Authorization codes and tokens for the one user a browser login would be."""

    def __init__(
        self, store: Store, login_user: str, *, rotate_refresh_tokens: bool = True
    ) -> None:
        self.store = store
        self.login_user = login_user
        # Spotify rotates refresh tokens given to PKCE (public) clients: each works once.
        self.rotate_refresh_tokens = rotate_refresh_tokens

    def authorize(self, params: dict[str, str]) -> Reply:
        """GET /authorize: redirect back at once with a code (or an error), as after a login."""
        client_id = params.get("client_id")
        redirect_uri = params.get("redirect_uri", "")
        if not client_id:
            return Reply(400, b"INVALID_CLIENT: Invalid client", content_type="text/plain")
        target = urlsplit(redirect_uri)
        loopback = target.scheme == "http" and target.hostname in LOOPBACK
        if not (target.scheme == "https" or loopback) or not target.netloc:
            return Reply(400, b"INVALID_CLIENT: Insecure redirect URI", content_type="text/plain")
        answer: dict[str, str] = {}
        if params.get("response_type") != "code":
            answer["error"] = "unsupported_response_type"
        elif params.get("code_challenge") and params.get("code_challenge_method") != "S256":
            answer["error"] = "invalid_request"
        else:
            answer["code"] = self.store.issue_code(
                client_id=client_id,
                redirect_uri=redirect_uri,
                user_id=self.login_user,
                scopes=params.get("scope", "").split(),
                code_challenge=params.get("code_challenge") or None,
            )
        if "state" in params:
            answer["state"] = params["state"]
        joiner = "&" if target.query else "?"
        location = f"{redirect_uri}{joiner}{urlencode(answer)}"
        return Reply(302, b"", {"Location": location}, content_type="text/plain")

    def token(self, headers: Message, body: bytes) -> Reply:
        """POST /api/token: the authorization_code, refresh_token and client_credentials grants."""
        form = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        client_id = form.get("client_id", "")
        auth = headers.get("Authorization", "")
        # A client secret (basic auth or in the form) makes a confidential client; PKCE has none.
        confidential = auth.lower().startswith("basic ") or bool(form.get("client_secret"))
        if auth.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(auth[6:].strip()).decode("utf-8")
                client_id = decoded.partition(":")[0] or client_id
            except (binascii.Error, UnicodeDecodeError):
                raise OAuthError("invalid_client", "Invalid client") from None
        if not client_id:
            raise OAuthError("invalid_client", "Invalid client")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            answer = self.store.exchange_code(
                code=form.get("code", ""),
                redirect_uri=form.get("redirect_uri", ""),
                client_id=client_id,
                verifier=form.get("code_verifier"),
            )
        elif grant == "refresh_token":
            rotate = self.rotate_refresh_tokens and not confidential
            answer = self.store.refresh(form.get("refresh_token", ""), client_id, rotate=rotate)
        elif grant == "client_credentials":
            answer = self.store.client_credentials(client_id)
        elif not grant:
            raise OAuthError("unsupported_grant_type", "grant_type parameter is missing")
        else:
            raise OAuthError("unsupported_grant_type", f"grant_type {grant!r} is not supported")
        return Reply(200, answer)
