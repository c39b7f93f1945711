"""Settings that are safe by default: settings.py imported afresh, as a server would start it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

NAMES = ["DEBUG", "SECRET_KEY", "CIVSAM_BASE_URL", "CIVSAM_LOG_FORMAT", "STORAGES"]


def _start(tmp_path, **env: str) -> subprocess.CompletedProcess:
    """Import civsam.settings in a new process with only `env` of Civsam's and Django's variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CIVSAM_"))}
    clean.update({"CIVSAM_VAR_DIR": str(tmp_path), **env})
    code = f"import json, civsam.settings as s; print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}}, default=str))"
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=django_settings.BASE_DIR,
        check=False,
    )


def _values(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_debug_is_off_unless_asked_for_and_then_a_key_is_required(tmp_path):
    refused = _start(tmp_path)
    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in refused.stderr and "DJANGO_DEBUG=1" in refused.stderr

    production = _values(_start(tmp_path, DJANGO_SECRET_KEY="k" * 50, DJANGO_ALLOWED_HOSTS="civsam.example.se"))
    assert production["DEBUG"] is False and production["CIVSAM_LOG_FORMAT"] == "json"
    for off in ("0", "false", "no", ""):
        assert _values(_start(tmp_path, DJANGO_DEBUG=off, DJANGO_SECRET_KEY="k" * 50))["DEBUG"] is False


def test_development_makes_its_own_key_once_and_keeps_it(tmp_path):
    first = _values(_start(tmp_path, DJANGO_DEBUG="1"))
    assert first["DEBUG"] is True and first["CIVSAM_LOG_FORMAT"] == "text"
    key_file = tmp_path / "development-secret-key"
    assert key_file.read_text() == first["SECRET_KEY"] and len(first["SECRET_KEY"]) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert _values(_start(tmp_path, DJANGO_DEBUG="1"))["SECRET_KEY"] == first["SECRET_KEY"]
    assert "insecure" not in first["SECRET_KEY"]


@pytest.mark.parametrize(
    ("url", "debug", "message"),
    [
        ("civsam.example.se", "0", "absolute http(s) URL"),
        ("ftp://civsam.example.se", "0", "absolute http(s) URL"),
        ("https://", "0", "absolute http(s) URL"),
        ("https://civsam.example.se/?a=1", "0", "absolute http(s) URL"),
        ("http://civsam.example.se", "0", "must use https"),
    ],
)
def test_a_wrong_base_url_stops_the_start(tmp_path, url, debug, message):
    result = _start(tmp_path, DJANGO_DEBUG=debug, DJANGO_SECRET_KEY="k" * 50, CIVSAM_BASE_URL=url)
    assert result.returncode != 0 and "CIVSAM_BASE_URL" in result.stderr and message in result.stderr


def test_base_url_given_derived_or_local(tmp_path):
    key = {"DJANGO_SECRET_KEY": "k" * 50}
    given = _start(tmp_path, **key, CIVSAM_BASE_URL="https://civsam.regionorebrolan.se/")
    assert _values(given)["CIVSAM_BASE_URL"] == "https://civsam.regionorebrolan.se"
    derived = _start(tmp_path, **key, DJANGO_ALLOWED_HOSTS=".example.se,civsam.example.se")
    assert _values(derived)["CIVSAM_BASE_URL"] == "https://civsam.example.se"
    assert _values(_start(tmp_path, DJANGO_DEBUG="1"))["CIVSAM_BASE_URL"] == "http://127.0.0.1:8000"
    assert _values(_start(tmp_path, DJANGO_DEBUG="1", CIVSAM_BASE_URL="http://localhost:8000"))
    nowhere = _start(tmp_path, **key, DJANGO_ALLOWED_HOSTS="*")
    assert nowhere.returncode != 0 and "CIVSAM_BASE_URL must be set" in nowhere.stderr


def test_s3_storage_is_chosen_by_the_bucket_variable(tmp_path):
    local = _values(_start(tmp_path, DJANGO_DEBUG="1"))["STORAGES"]["default"]
    assert local["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    s3 = _values(
        _start(
            tmp_path,
            DJANGO_DEBUG="1",
            CIVSAM_S3_BUCKET="civsam-filer",
            CIVSAM_S3_ENDPOINT_URL="https://s3.example.se",
            CIVSAM_S3_REGION="sto-1",
            CIVSAM_SIGNED_URL_SECONDS="30",
        )
    )["STORAGES"]["default"]
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s3["OPTIONS"]
    assert options["bucket_name"] == "civsam-filer" and options["endpoint_url"] == "https://s3.example.se"
    assert options["querystring_auth"] is True and options["querystring_expire"] == 30
    assert options["addressing_style"] == "path" and options["default_acl"] is None
    assert options["file_overwrite"] is False
