"""The OpenID Connect client for a Swedish e-ID broker, following the Sweden Connect OIDC profile.

Authorization code flow with PKCE (S256), `state` and `nonce`; client authentication at the token
endpoint with `private_key_jwt` only (Authlib's PrivateKeyJWT); the ID token's signature checked
against the provider's published keys, and its issuer, audience, expiry, nonce and level of
assurance checked before anything is believed. The personal identity number leaves this module
only as its keyed hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import requests
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oidc.core import CodeIDToken
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import ClaimError, ExpiredTokenError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet, RSAKey

logger = logging.getLogger(__name__)

# Level of assurance 3 of the Swedish eID framework (BankID, Freja eID+): required, and checked.
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
PNR_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"
SCOPES = (
    "openid",
    "https://id.oidc.se/scope/naturalPersonInfo",  # given_name, family_name, name
    "https://id.oidc.se/scope/naturalPersonNumber",  # the personal identity number
)
# Asymmetric signatures only: never "none", never a MAC (we share no secret with the provider).
ID_TOKEN_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
CLOCK_LEEWAY = 60  # seconds; the profile caps an ID token's life at five minutes
HTTP_TIMEOUT = 10  # seconds for each call to the provider
METADATA_TTL = 3600  # seconds the provider's metadata and keys are cached
PENDING_TTL = 600  # seconds a started login may take at the provider


class EidError(Exception):
    """The login is refused or cannot be completed; `message` says why, in the user's language."""

    MESSAGES = {
        "not_configured": _("Inloggning med e-legitimation är inte aktiverad i den här installationen."),
        "unavailable": _("E-legitimationstjänsten svarar inte just nu. Försök igen om en stund."),
        "state": _(
            "Inloggningen kunde inte kopplas till den här webbläsaren, eller tog för lång tid. Börja om från början."
        ),
        "cancelled": _("Inloggningen avbröts hos e-legitimationstjänsten."),
        "token": _("E-legitimationstjänsten godkände inte Civsams begäran. Försök igen om en stund."),
        "signature": _(
            "Svaret från e-legitimationstjänsten saknade en giltig signatur från tjänsten och godtogs inte."
        ),
        "issuer": _("Svaret kom inte från den e-legitimationstjänst som Civsam använder och godtogs inte."),
        "audience": _(
            "Svaret från e-legitimationstjänsten var utfärdat till en annan tjänst än Civsam och godtogs inte."
        ),
        "expired": _("Svaret från e-legitimationstjänsten hade slutat gälla och godtogs inte. Försök igen."),
        "nonce": _("Svaret från e-legitimationstjänsten hörde till en annan inloggning och godtogs inte. Försök igen."),
        "assurance": _(
            "Din e-legitimation har lägre tillitsnivå än Civsam kräver (nivå 3). "
            "Använd till exempel BankID eller Freja eID+."
        ),
        "identity": _("E-legitimationstjänsten lämnade inget giltigt personnummer."),
        "invalid": _("Svaret från e-legitimationstjänsten var ofullständigt och godtogs inte."),
    }

    def __init__(self, reason: str):
        if reason not in self.MESSAGES:
            raise ValueError(reason)
        self.reason = reason
        super().__init__(reason)

    @property
    def message(self) -> str:
        return str(self.MESSAGES[self.reason])


@dataclass(frozen=True)
class EidIdentity:
    """Who the provider vouched for: the hash of their personal identity number and their name."""

    pnr_hash: str
    given_name: str
    family_name: str


# Configuration -------------------------------------------------------------------------------------


def eid_enabled() -> bool:
    return bool(settings.CIVSAM_EID.get("ISSUER"))


def _setting(name: str) -> str:
    value = settings.CIVSAM_EID.get(name, "")
    if not value:
        raise EidError("not_configured")
    return value


@lru_cache(maxsize=4)
def _import_private_key(pem: str) -> RSAKey:
    try:
        key = RSAKey.import_key(pem)
    except (ValueError, TypeError, JoseError) as exc:
        raise ImproperlyConfigured("The e-ID client key is not an RSA private key in PEM form.") from exc
    if not key.is_private:
        raise ImproperlyConfigured("The e-ID client key is a public key; the private key is needed.")
    # The key id is the key's RFC 7638 thumbprint: stable, and it changes with the key.
    return RSAKey.import_key(pem, {"kid": key.thumbprint(), "alg": "RS256", "use": "sig"})


def client_private_key() -> RSAKey:
    """The key that signs our client assertions, from the setting's PEM text or file."""
    pem = settings.CIVSAM_EID.get("PRIVATE_KEY", "")
    if not pem:
        pem = Path(_setting("PRIVATE_KEY_FILE")).read_text()
    return _import_private_key(pem)


def client_jwks() -> dict[str, Any]:
    """Our public key as a JWK Set, for the provider to check our client assertions with."""
    key = client_private_key()
    public = key.as_dict(private=False)
    public.update(kid=key.kid, alg="RS256", use="sig")
    return {"keys": [public]}


def personal_number_hash(number: str) -> str:
    """HMAC-SHA256 of a 12-digit personal identity number under the configured secret, in hex."""
    secret = _setting("PNR_HASH_KEY").encode()
    return hmac.new(secret, number.encode("ascii"), hashlib.sha256).hexdigest()


# The provider --------------------------------------------------------------------------------------


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT, headers={"Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("e-ID provider request failed: %s: %s", url, exc)
        raise EidError("unavailable") from exc
    if not isinstance(data, dict):
        raise EidError("unavailable")
    return data


def provider_metadata() -> dict[str, Any]:
    """The provider's discovery document, cached; its issuer must be the configured one."""
    issuer = _setting("ISSUER")
    cache_key = f"eid:metadata:{issuer}"
    metadata = cache.get(cache_key)
    if metadata is None:
        metadata = _get_json(f"{issuer}/.well-known/openid-configuration")
        if metadata.get("issuer") != issuer:
            logger.warning("e-ID provider metadata names another issuer: %r", metadata.get("issuer"))
            raise EidError("unavailable")
        for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(metadata.get(endpoint), str):
                logger.warning("e-ID provider metadata lacks %s", endpoint)
                raise EidError("unavailable")
        cache.set(cache_key, metadata, METADATA_TTL)
    return metadata


def provider_keys(*, refresh: bool = False) -> KeySet:
    """The provider's signing keys, cached; `refresh` fetches them again (after a key rollover)."""
    uri = provider_metadata()["jwks_uri"]
    cache_key = f"eid:jwks:{uri}"
    jwks = None if refresh else cache.get(cache_key)
    if jwks is None:
        jwks = _get_json(uri)
        cache.set(cache_key, jwks, METADATA_TTL)
    try:
        return KeySet.import_key_set(jwks)
    except (ValueError, TypeError, KeyError, JoseError) as exc:
        logger.warning("e-ID provider keys unusable: %s", exc)
        raise EidError("unavailable") from exc


def _session(redirect_uri: str) -> OAuth2Session:
    session = OAuth2Session(
        client_id=_setting("CLIENT_ID"),
        client_secret=client_private_key(),
        token_endpoint_auth_method="private_key_jwt",  # noqa: S106 (a method's name, not a secret)
        scope=" ".join(SCOPES),
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )
    token_endpoint = provider_metadata()["token_endpoint"]
    session.register_client_auth_method(
        PrivateKeyJWT(token_endpoint, headers={"kid": client_private_key().kid}, alg="RS256")
    )
    return session


# The flow ------------------------------------------------------------------------------------------


def authorization_start(*, redirect_uri: str) -> tuple[str, dict[str, Any]]:
    """The provider's URL to send the browser to, and what to keep in the session until it returns."""
    metadata = provider_metadata()
    state = secrets.token_urlsafe(32)  # 256 bits; the profile asks for at least 128
    nonce = secrets.token_urlsafe(32)
    code_verifier = secrets.token_urlsafe(64)
    url, _state = _session(redirect_uri).create_authorization_url(
        metadata["authorization_endpoint"],
        state=state,
        code_verifier=code_verifier,
        nonce=nonce,
        acr_values=LOA3,
        # Every login is a fresh authentication: the broker's single sign-on would let the next
        # person at a shared computer in as the last one.
        prompt="login",
    )
    pending = {
        "state": state,
        "nonce": nonce,
        "code_verifier": code_verifier,
        "redirect_uri": redirect_uri,
        "started": int(time.time()),
    }
    return url, pending


def authorization_complete(*, pending: dict[str, Any], params: dict[str, str]) -> EidIdentity:
    """Check the provider's answer (the query of our redirect URI), fetch and verify the ID token."""
    if not hmac.compare_digest(str(params.get("state", "")), pending["state"]):
        raise EidError("state")
    if time.time() - pending["started"] > PENDING_TTL:
        raise EidError("state")
    if "iss" in params and params["iss"] != _setting("ISSUER"):
        raise EidError("issuer")  # RFC 9207: an answer from another provider (mix-up)
    if params.get("error"):
        logger.info("e-ID login ended at the provider: %s", params.get("error"))
        raise EidError("cancelled")
    code = params.get("code")
    if not code:
        raise EidError("invalid")
    metadata = provider_metadata()
    try:
        token = _session(pending["redirect_uri"]).fetch_token(
            metadata["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            code_verifier=pending["code_verifier"],
            redirect_uri=pending["redirect_uri"],
            timeout=HTTP_TIMEOUT,
        )
    except OAuthError as exc:
        logger.warning("e-ID token request refused: %s", exc.error)
        raise EidError("token") from exc
    except (requests.RequestException, ValueError) as exc:
        logger.warning("e-ID token request failed: %s", exc)
        raise EidError("unavailable") from exc
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise EidError("invalid")
    claims = id_token_verify(id_token, nonce=pending["nonce"], access_token=token.get("access_token"))
    return identity_from_claims(claims)


def _header(id_token: str) -> dict[str, Any]:
    try:
        encoded = id_token.split(".", 1)[0]
        header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (ValueError, UnicodeDecodeError) as exc:
        raise EidError("invalid") from exc
    if not isinstance(header, dict):
        raise EidError("invalid")
    return header


def id_token_verify(id_token: str, *, nonce: str, access_token: str | None = None) -> dict[str, Any]:
    """The ID token's claims once its signature, issuer, audience, times, nonce and level of
    assurance have all been checked; EidError naming the first failure otherwise."""
    issuer = _setting("ISSUER")
    client_id = _setting("CLIENT_ID")
    metadata = provider_metadata()
    offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [alg for alg in offered if alg in ID_TOKEN_ALGORITHMS]
    if _header(id_token).get("alg") not in algorithms:
        raise EidError("signature")  # alg "none" (unsigned), a MAC, or an algorithm not offered

    try:
        try:
            token = jwt.decode(id_token, provider_keys(), algorithms=algorithms)
        except InvalidKeyIdError:
            token = jwt.decode(id_token, provider_keys(refresh=True), algorithms=algorithms)
    except JoseError as exc:
        logger.warning("e-ID ID token signature refused: %s", exc.error)
        raise EidError("signature") from exc

    options = {
        "iss": {"essential": True, "value": issuer},
        "aud": {"essential": True, "value": client_id},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "nonce": {"essential": True, "value": nonce},
        "acr": {"essential": True, "value": LOA3},
    }
    params = {"nonce": nonce, "client_id": client_id}
    if access_token:
        params["access_token"] = access_token
    claims = CodeIDToken(token.claims, token.header, options, params)
    try:
        claims.validate(leeway=CLOCK_LEEWAY)
    except ExpiredTokenError as exc:
        raise EidError("expired") from exc
    except ClaimError as exc:
        logger.warning("e-ID ID token refused: %s", exc)
        raise EidError(_claim_reason(exc.claim)) from exc
    # Core 3.1.3.7: refuse a token that also names audiences we do not trust.
    audience = claims["aud"]
    if audience != client_id and audience != [client_id]:
        raise EidError("audience")
    return dict(claims)


def _claim_reason(claim: str) -> str:
    names = set(claim.split(","))
    for name, reason in (("iss", "issuer"), ("aud", "audience"), ("azp", "audience"), ("nonce", "nonce")):
        if name in names:
            return reason
    if "acr" in names:
        return "assurance"
    if names & {"exp", "iat", "nbf"}:
        return "expired"
    return "invalid"


PNR_PATTERN = re.compile(r"^(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])[0-9]{2}[0-9]{4}$")


def identity_from_claims(claims: dict[str, Any]) -> EidIdentity:
    """The person from the ID token's claims; the personal identity number is hashed at once."""
    number = claims.get(PNR_CLAIM)
    if not isinstance(number, str) or not PNR_PATTERN.match(number):
        raise EidError("identity")

    def name(key: str) -> str:
        value = claims.get(key)
        return value.strip()[:150] if isinstance(value, str) else ""

    return EidIdentity(
        pnr_hash=personal_number_hash(number), given_name=name("given_name"), family_name=name("family_name")
    )
