"""Helpers for the account tests: TOTP codes as an authenticator app makes them, links in e-mails."""

from __future__ import annotations

import re


def totp_code(secret: str, *, step: int = 0) -> str:
    """The code an authenticator app shows now (step=±1: the previous or next 30 seconds, which
    the server still accepts; a code is accepted once)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counters = list(yield_hotp_counters_from_time())
    now = counters[len(counters) // 2]
    return format_hotp_value(hotp_value(secret, now + step))


KNOWN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # a test authenticator app's


def totp_enable(user, secret: str = KNOWN_SECRET):
    """Give the user an authenticator app with a known secret, as activating it would."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    return secret


def link_in(message, pattern: str) -> str:
    """The path of the first link in an e-mail's text that contains `pattern`."""
    match = re.search(r"https?://[^/\s]+(\S*" + re.escape(pattern) + r"\S*)", message.body)
    assert match, f"no link with {pattern!r} in:\n{message.body}"
    return match.group(1)


class SoftKey:
    """A security key in software, for tests without a browser (ADR 0114): it makes a real P-256
    key pair and answers allauth's creation and request options as a FIDO2 authenticator would
    (attestation "none"), so the server's own checks (challenge, origin, RP id, signature,
    counter) run unchanged."""

    def __init__(self, origin: str = "http://localhost") -> None:
        import os

        from cryptography.hazmat.primitives.asymmetric import ec

        self.origin = origin
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0

    @staticmethod
    def _b64(data: bytes) -> str:
        from fido2.utils import websafe_encode

        return websafe_encode(data)

    def _client_data(self, kind: str, challenge: str) -> bytes:
        import json

        return json.dumps({"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}).encode()

    def register(self, creation_options: dict) -> dict:
        """The credential the browser would post after `navigator.credentials.create()`."""
        import hashlib

        from fido2 import cbor
        from fido2.cose import ES256
        from fido2.webauthn import AttestedCredentialData, AuthenticatorData

        options = creation_options["publicKey"]
        rp_id = options["rp"]["id"]
        public = ES256.from_cryptography_key(self.private.public_key())
        attested = AttestedCredentialData.create(b"\0" * 16, self.credential_id, public)
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV | AuthenticatorData.FLAG.AT
        auth_data = AuthenticatorData.create(hashlib.sha256(rp_id.encode()).digest(), flags, self.counter, attested)
        attestation = cbor.encode({"fmt": "none", "authData": bytes(auth_data), "attStmt": {}})
        return {
            "id": self._b64(self.credential_id),
            "rawId": self._b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": self._b64(self._client_data("webauthn.create", options["challenge"])),
                "attestationObject": self._b64(attestation),
            },
            "clientExtensionResults": {"credProps": {"rk": False}},
        }

    def sign(self, request_options: dict, *, rp_id: str = "localhost") -> dict:
        """The assertion the browser would post after `navigator.credentials.get()`."""
        import hashlib

        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from fido2.webauthn import AuthenticatorData

        options = request_options["publicKey"]
        self.counter += 1
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV
        auth_data = bytes(
            AuthenticatorData.create(hashlib.sha256(options.get("rpId", rp_id).encode()).digest(), flags, self.counter)
        )
        client_data = self._client_data("webauthn.get", options["challenge"])
        signature = self.private.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            "id": self._b64(self.credential_id),
            "rawId": self._b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": self._b64(client_data),
                "authenticatorData": self._b64(auth_data),
                "signature": self._b64(signature),
                "userHandle": None,
            },
            "clientExtensionResults": {},
        }


def js_data(html: str) -> dict:
    """The options allauth gives the page's script (`{{ js_data|json_script:"js_data" }}`)."""
    import json

    match = re.search(r'<script id="js_data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "no js_data on the page"
    return json.loads(match.group(1))
