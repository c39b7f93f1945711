"""`manage.py backup` and `manage.py restore`: a round trip on the database the suite runs on
(SQLite in `make test`, PostgreSQL with pg_dump and pg_restore in `make test-postgres`), with a
stored file, and the refusals that keep an operator from restoring a broken backup."""

from __future__ import annotations

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from civsam.core.backup import MANIFEST, BackupError, read_manifest
from civsam.core.models import AuditEntry


def _entry(note: str) -> AuditEntry:
    return AuditEntry.objects.create(
        action=AuditEntry.Action.CREATE,
        content_type=ContentType.objects.get_for_model(AuditEntry),
        object_id="1",
        object_repr="backup",
        note=note,
    )


def _notes() -> list[str]:
    return sorted(AuditEntry.objects.values_list("note", flat=True))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)  # pg_dump and SQLite's backup see only committed data
def test_round_trip_brings_back_the_database_and_the_files(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    _entry("före")
    report = default_storage.save("rendered/plan/reportpdf/rapport.pdf", ContentFile(b"%PDF-1.7 original"))
    upload = default_storage.save("consultations/svar/bilaga å.txt", ContentFile("svar på remissen".encode()))

    call_command("backup", str(tmp_path / "backup"))
    assert f"Backed up the {connection.vendor} database" in capsys.readouterr().out
    manifest = read_manifest(tmp_path / "backup")
    assert manifest["engine"] == connection.vendor and set(manifest["files"]) == {report, upload}
    assert manifest["migrations"]["core"].startswith("000")

    # Everything changes after the backup: a row goes, a row comes, a file goes, a file changes.
    AuditEntry.objects.filter(note="före").delete()
    _entry("efter")
    default_storage.delete(report)
    default_storage.delete(upload)
    default_storage.save(upload, ContentFile(b"overwritten"))

    call_command("restore", str(tmp_path / "backup"), "--no-input")
    assert "Restored" in capsys.readouterr().out
    assert _notes() == ["före"]
    with default_storage.open(report, "rb") as file:
        assert file.read() == b"%PDF-1.7 original"
    with default_storage.open(upload, "rb") as file:
        assert file.read().decode() == "svar på remissen"
    # The restored database takes new writes as usual (sequences came back too).
    assert _entry("sedan").pk > AuditEntry.objects.get(note="före").pk


@pytest.mark.django_db
def test_backup_wants_a_new_directory(tmp_path):
    (tmp_path / "old.txt").write_text("something")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path))


def test_restore_refuses_an_unfinished_or_damaged_backup(tmp_path):
    with pytest.raises(BackupError, match="did not finish"):
        read_manifest(tmp_path)
    database = tmp_path / "database.sqlite3"
    database.write_bytes(b"not what was backed up")
    manifest = {
        "format": 1,
        "engine": "sqlite",
        "database": {"file": database.name, "bytes": 5, "sha256": "0" * 64},
        "files": {},
    }
    (tmp_path / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="damaged"):
        read_manifest(tmp_path)


@pytest.mark.django_db
def test_restore_refuses_a_backup_of_the_other_engine(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    database = tmp_path / "backup" / "database.bin"
    database.parent.mkdir()
    database.write_bytes(b"x")
    from civsam.core.backup import _sha256

    manifest = {"format": 1, "engine": other, "database": {"file": database.name, "sha256": _sha256(database)}}
    (tmp_path / "backup" / MANIFEST).write_text(json.dumps({**manifest, "files": {}}))
    with pytest.raises(CommandError, match=f"This is a {other} backup"):
        call_command("restore", str(tmp_path / "backup"), "--no-input")
