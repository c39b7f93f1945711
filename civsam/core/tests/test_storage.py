"""Files on S3-compatible storage (django-storages) against a local S3 server the tests start
themselves (moto's server mode, on a free port of 127.0.0.1), and on the local file system:
upload, read, delete, downloads through short-lived signed URLs on S3 and streamed locally, the
readiness check and a backup of the stored files."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import FileField
from django.db.models.fields.files import FieldFile

from civsam.core import backup as backup_module
from civsam.core.storage import serve_file, signs_urls

BUCKET = "civsam-test"
REGION = "eu-north-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A local S3-compatible server for this module's tests, stopped at the end."""
    import boto3
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test"
    )
    # moto keeps its buckets per process, and pytest-xdist may start this fixture twice in one.
    if BUCKET not in [bucket["Name"] for bucket in client.list_buckets()["Buckets"]]:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3(settings, s3_endpoint):
    """The default storage on the local S3 server, configured as settings.py does from CIVSAM_S3_*."""
    endpoint, client = s3_endpoint
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": REGION,
                "access_key": "test",
                "secret_key": "test",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": settings.CIVSAM_SIGNED_URL_SECONDS,
                "file_overwrite": False,
            },
        },
    }
    assert signs_urls(default_storage)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


def _field_file(name: str) -> FieldFile:
    return FieldFile(None, FileField(), name)


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (a local test server)
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, b"", error.headers


pytestmark = pytest.mark.slow


def test_upload_read_and_delete_on_s3(s3):
    name = default_storage.save("consultations/svar/bilaga.txt", ContentFile("svar på remissen".encode()))
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [name]
    with default_storage.open(name, "rb") as file:
        assert file.read().decode() == "svar på remissen"
    # A second file of the same name gets a name of its own, as on the local file system.
    assert default_storage.save("consultations/svar/bilaga.txt", ContentFile(b"other")) != name
    default_storage.delete(name)
    assert not default_storage.exists(name)


@pytest.mark.django_db  # closing a response ends a request, which looks at the connections
def test_private_download_on_s3_is_a_redirect_to_a_short_lived_signed_url(s3, settings):
    name = default_storage.save("rendered/plan/reportpdf/utkast.pdf", ContentFile(b"%PDF-1.7 draft"))
    response = serve_file(_field_file(name), filename="uppföljning 2024.pdf", content_type="application/pdf")

    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    location = response["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == [str(settings.CIVSAM_SIGNED_URL_SECONDS)]
    assert settings.CIVSAM_SIGNED_URL_SECONDS <= 300
    assert query["X-Amz-Signature"] and query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]

    status, body, headers = _get(location)
    assert status == 200 and body == b"%PDF-1.7 draft"
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith("inline; filename*=utf-8''uppf%C3%B6ljning%202024.pdf")
    # The bucket is private: without the signature there is nothing to read.
    unsigned = location.split("?", 1)[0]
    assert _get(unsigned)[0] == 403


@pytest.mark.django_db
def test_local_files_are_streamed_with_no_store_when_private(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert not signs_urls(default_storage)
    name = default_storage.save("consultations/bilaga.txt", ContentFile(b"svar"))

    private = serve_file(_field_file(name), filename="bilaga.txt", as_attachment=True)
    assert private.status_code == 200 and private.streaming
    assert b"".join(private.streaming_content) == b"svar"
    assert private["Content-Disposition"] == 'attachment; filename="bilaga.txt"'
    assert "no-store" in private["Cache-Control"]

    public = serve_file(_field_file(name), filename="bilaga.txt", private=False)
    assert "Cache-Control" not in public
    public.close()


@pytest.mark.django_db
def test_readiness_checks_the_s3_storage(s3, client, settings):
    assert client.get("/health/ready").json()["checks"]["storage"]["ok"] is True
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0  # the probe cleaned up

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such-bucket"},
        },
    }
    response = client.get("/health/ready")
    assert response.status_code == 503 and response.json()["checks"]["storage"]["ok"] is False
    assert "no-such-bucket" not in response.content.decode()


@pytest.mark.django_db
def test_backup_and_restore_carry_the_files_on_s3(s3, tmp_path):
    name = default_storage.save("rendered/impact/analysispdf/rapport.pdf", ContentFile(b"%PDF-1.7 s3"))
    backup_module.backup(tmp_path / "backup")
    assert (tmp_path / "backup" / "files" / name).read_bytes() == b"%PDF-1.7 s3"

    default_storage.delete(name)
    manifest = backup_module.read_manifest(tmp_path / "backup")
    backup_module._copy_files_in(default_storage, tmp_path / "backup" / "files", manifest["files"])
    with default_storage.open(name, "rb") as file:
        assert file.read() == b"%PDF-1.7 s3"
