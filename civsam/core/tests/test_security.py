"""HTTP security: headers on every kind of response, cookies and HTTPS in production settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.urls import reverse

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _csp_directives(header: str) -> dict[str, str]:
    return {part.strip().split(" ", 1)[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.parametrize(
    ("path_name", "args", "status"),
    [
        ("site:home", [], 200),
        ("registry:directory", [], 200),
        ("registry:directory-export", ["csv"], 200),  # a streamed response
        ("registry:directory-export", ["xlsx"], 200),
        ("registry:organisation-create", [], 302),  # redirect to login
        ("registry:organisation-detail", ["8020000000"], 404),
        ("accounts:login", [], 200),
        ("api-v1:api_info", [], 200),
    ],
)
def test_security_headers_on_every_kind_of_response(client, reference_data, path_name, args, status):
    response = client.get(reverse(path_name, args=args))
    assert response.status_code == status
    for header, value in SECURITY_HEADERS.items():
        assert response[header] == value, header
    directives = _csp_directives(response["Content-Security-Policy"])
    assert directives["default-src"] == "default-src 'self'"
    assert directives["script-src"] == "script-src 'self'"  # no 'unsafe-inline'
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["object-src"] == "object-src 'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_pages_have_no_inline_script_or_style(client, reference_data):
    """The CSP forbids them, so a page that has one is broken in the browser."""
    for name in ("site:home", "registry:directory", "accounts:login", "plan:plan-list", "site:accessibility"):
        html = client.get(reverse(name)).content.decode()
        assert "<script>" not in html and "style=" not in html and "<style" not in html, name
        assert "onclick=" not in html and "onload=" not in html, name


PRODUCTION = {
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "DEBUG": False,
}


@override_settings(**PRODUCTION)
def test_production_cookies_are_secure_and_http_only(client, users):
    login = reverse("accounts:login")
    # Plain HTTP is sent to HTTPS first.
    response = client.get(login)
    assert response.status_code == 301 and response["Location"].startswith("https://")

    response = client.get(login, secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    csrf_cookie = response.cookies[django_settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["secure"] and csrf_cookie["httponly"]

    response = client.post(login, {"username": "plain", "password": "secret-pass-123"}, secure=True)
    assert response.status_code == 302
    session_cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"] and session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


def test_settings_module_is_secure_when_debug_is_off(tmp_path):
    """Import settings.py afresh as production would (DJANGO_DEBUG=0) and read what it decided."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "CIVSAM_"))
    }
    env.update({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50, "CIVSAM_VAR_DIR": str(tmp_path)})
    names = [
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "X_FRAME_OPTIONS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
    ]
    code = f"import json, civsam.settings as s; print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    run = {"env": env, "capture_output": True, "text": True, "timeout": 60, "cwd": django_settings.BASE_DIR}
    result = subprocess.run([sys.executable, "-c", code], check=True, **run)
    values = json.loads(result.stdout)
    assert values == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
    }

    env.pop("DJANGO_SECRET_KEY")
    refused = subprocess.run([sys.executable, "-c", code], check=False, **run)
    assert refused.returncode != 0 and "DJANGO_SECRET_KEY must be set" in refused.stderr
