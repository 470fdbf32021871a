"""A minimal OpenID Connect provider on 127.0.0.1, for driving `st.login` end to end offline.

It speaks the authorization-code flow the way a real provider does, so Streamlit's own client
(Authlib) checks everything it would check against Google or Keycloak: the discovery document,
`state`, PKCE (S256), client authentication (`client_secret_basic` or `_post`), and an RS256
`id_token` whose signature (via `/jwks`), issuer, audience, expiry and nonce it verifies.
`/authorize` signs in one fixed test user without a form (the browser just follows the redirect).
The RSA key is made per instance; nothing is written to disk and nothing leaves the loopback.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

KEY_ID = "groundswell-test-key"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _uint(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Grant:
    """What /authorize promised, checked again when the code is redeemed at /token."""

    redirect_uri: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None


@dataclass
class OIDCProvider:
    """The provider's state; `start()` serves it on 127.0.0.1 and returns its issuer URL."""

    client_id: str
    client_secret: str
    redirect_uri: str
    user: Mapping[str, str]
    forge: bool = False  # sign id_tokens with a key /jwks does not publish (a forged token)
    issuer: str = ""
    authorizations: int = 0  # how many times /authorize signed the user in
    tokens_issued: int = 0
    grants: list[Grant] = field(default_factory=list)  # every authorization request, as sent
    _codes: dict[str, Grant] = field(default_factory=dict)
    _key: rsa.RSAPrivateKey = field(default_factory=_new_key)
    _forger: rsa.RSAPrivateKey = field(default_factory=_new_key)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> str:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                provider._get(self)

            def do_POST(self) -> None:
                provider._post(self)

            def log_message(self, format: str, *args: Any) -> None:  # quiet: no access log in test output
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self.issuer

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def discovery(self) -> dict[str, object]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name", "nonce"],
        }

    def jwks(self) -> dict[str, object]:
        numbers = self._key.public_key().public_numbers()
        key = {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": KEY_ID}
        return {"keys": [key | {"n": _uint(numbers.n), "e": _uint(numbers.e)}]}

    def id_token(self, nonce: str | None) -> str:
        now = int(time.time())
        claims: dict[str, object] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
            "email_verified": True,
            **self.user,
        }
        if nonce is not None:
            claims["nonce"] = nonce
        header = {"alg": "RS256", "typ": "JWT", "kid": KEY_ID}
        signing_input = ".".join(
            b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
        )
        key = self._forger if self.forge else self._key
        signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{b64url(signature)}"

    # --- endpoints -------------------------------------------------------------------------

    def _get(self, h: BaseHTTPRequestHandler) -> None:
        url = urlsplit(h.path)
        if url.path == "/.well-known/openid-configuration":
            _json(h, 200, self.discovery())
        elif url.path == "/jwks":
            _json(h, 200, self.jwks())
        elif url.path == "/authorize":
            self._authorize(h, {k: v[0] for k, v in parse_qs(url.query).items()})
        else:
            _json(h, 404, {"error": "not_found"})

    def _authorize(self, h: BaseHTTPRequestHandler, q: dict[str, str]) -> None:
        if q.get("client_id") != self.client_id or q.get("redirect_uri") != self.redirect_uri:
            _json(h, 400, {"error": "invalid_request", "error_description": "unknown client or redirect"})
            return
        if q.get("response_type") != "code" or "openid" not in q.get("scope", "").split():
            _redirect(
                h, self.redirect_uri, {"error": "unsupported_response_type", "state": q.get("state", "")}
            )
            return
        code = secrets.token_urlsafe(24)
        grant = Grant(
            self.redirect_uri, q.get("nonce"), q.get("code_challenge"), q.get("code_challenge_method")
        )
        with self._lock:
            self._codes[code] = grant
            self.grants.append(grant)
            self.authorizations += 1
        _redirect(h, self.redirect_uri, {"code": code, "state": q.get("state", "")})

    def _post(self, h: BaseHTTPRequestHandler) -> None:
        if urlsplit(h.path).path != "/token":
            _json(h, 404, {"error": "not_found"})
            return
        length = int(h.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(h.rfile.read(length).decode("ascii")).items()}
        client = _basic_auth(h.headers.get("Authorization")) or (
            form.get("client_id", ""),
            form.get("client_secret", ""),
        )
        if client != (self.client_id, self.client_secret):
            _json(h, 401, {"error": "invalid_client"})
            return
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # a code is good once
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or form.get("redirect_uri") != grant.redirect_uri
        ):
            _json(h, 400, {"error": "invalid_grant"})
            return
        if grant.code_challenge is not None:
            verifier = form.get("code_verifier", "")
            if grant.code_challenge_method != "S256" or grant.code_challenge != b64url(
                hashlib.sha256(verifier.encode("ascii")).digest()
            ):
                _json(h, 400, {"error": "invalid_grant", "error_description": "PKCE check failed"})
                return
        with self._lock:
            self.tokens_issued += 1
        _json(
            h,
            200,
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(grant.nonce),
            },
        )


def _basic_auth(header: str | None) -> tuple[str, str] | None:
    if not header or not header.startswith("Basic "):
        return None
    user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    return unquote(user), unquote(password)


def _json(h: BaseHTTPRequestHandler, status: int, body: object) -> None:
    data = json.dumps(body).encode()
    h.send_response(status)
    h.send_header("Content-Type", "application/json")
    h.send_header("Cache-Control", "no-store")
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)


def _redirect(h: BaseHTTPRequestHandler, target: str, params: dict[str, str]) -> None:
    h.send_response(302)
    h.send_header("Location", f"{target}?{urlencode(params)}")
    h.send_header("Content-Length", "0")
    h.end_headers()
