"""Backup and restore of the database and the stored files (`manage.py backup`, `manage.py restore`).

A backup is a directory:

    manifest.json        what was backed up, when, from which engine, with a SHA-256 per file
    database.dump        PostgreSQL: pg_dump's custom format (restored with pg_restore)
    database.sqlite3     SQLite: a consistent copy made with SQLite's online backup API
    files/<name>         every file on the default storage (uploads, rendered PDFs), local or S3

The manifest is written last, so a directory without one is an interrupted backup and restore
refuses it; restore also refuses a backup of the other engine and any file whose checksum does
not match. docs/operations.md has the restore drill and the PostgreSQL point-in-time set-up.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
FILES_DIR = "files"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Something an operator must act on; the message says what, in plain words."""


@dataclass
class Summary:
    engine: str
    database_bytes: int
    files: int
    files_bytes: int


def _engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- PostgreSQL --------------------------------------------------------------------------------


def _pg_env(alias: str) -> dict[str, str]:
    """libpq's environment for the connection Django uses: no password on a command line."""
    params = connections[alias].settings_dict
    options = params.get("OPTIONS") or {}
    env = {**os.environ, "PGDATABASE": params["NAME"]}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if params.get(key):
            env[variable] = str(params[key])
    for key, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if options.get(key):
            env[variable] = str(options[key])
    return env


def _run(command: list[str], env: dict[str, str], **kwargs) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} was not found; install the PostgreSQL client tools (postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False, **kwargs)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _pg_dump(target: Path, alias: str) -> None:
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], _pg_env(alias))


def _pg_restore(source: Path, alias: str) -> None:
    """Replace the database's public schema by the dump's, in one transaction: if any statement
    fails, the database is left as it was."""
    env = _pg_env(alias)
    connections[alias].close()
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "restore.sql"
        _run(["pg_restore", "--no-owner", "--no-privileges", f"--file={script}", str(source)], env)
        _run(
            [
                "psql", "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1",
                "--command=DROP SCHEMA public CASCADE", "--command=CREATE SCHEMA public",
                f"--file={script}",
            ],
            env,
        )  # fmt: skip


# --- SQLite ------------------------------------------------------------------------------------


def _sqlite_path(alias: str) -> str:
    return str(connections[alias].settings_dict["NAME"])


def _sqlite_copy(source: str, target: str) -> None:
    """SQLite's online backup API: a consistent copy while others go on reading and writing."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _sqlite_restore(source: Path, alias: str) -> None:
    connections[alias].close()
    check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{source} fails SQLite's integrity check.")
    finally:
        check.close()
    _sqlite_copy(str(source), _sqlite_path(alias))


# --- Files -------------------------------------------------------------------------------------


def _walk_storage(storage: Storage, directory: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # a local MEDIA_ROOT not made yet
        return
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for sub in directories:
        yield from _walk_storage(storage, f"{directory}/{sub}" if directory else sub)


def _copy_files_out(storage: Storage, target: Path) -> dict[str, dict]:
    listed = {}
    for name in sorted(_walk_storage(storage)):
        path = target / name
        if not path.resolve().is_relative_to(target.resolve()):
            raise BackupError(f"Refusing a stored file name outside the backup: {name!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, path.open("wb") as copy:
            shutil.copyfileobj(source, copy, CHUNK)
        listed[name] = {"bytes": path.stat().st_size, "sha256": _sha256(path)}
    return listed


def _copy_files_in(storage: Storage, source: Path, listed: dict[str, dict]) -> None:
    for name in listed:
        if storage.exists(name):
            storage.delete(name)
        with (source / name).open("rb") as file:
            stored = storage.save(name, File(file, name=name))
        if stored != name:
            raise BackupError(f"The storage saved {name!r} as {stored!r}; the restore is incomplete.")


# --- Commands' entry points ----------------------------------------------------------------------


def _applied_migrations(alias: str) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[alias]).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def backup(target: Path, *, alias: str = "default", storage: Storage | None = None) -> Summary:
    """Write a backup of the database and the stored files into `target` (new or empty)."""
    storage = storage or default_storage
    engine = _engine(alias)
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; give a new directory for each backup.")
    target.mkdir(parents=True, exist_ok=True)
    migrations = _applied_migrations(alias)
    started = timezone.now()
    database = target / (PG_DUMP if engine == "postgresql" else SQLITE_COPY)
    if engine == "postgresql":
        _pg_dump(database, alias)
    else:
        _sqlite_copy(_sqlite_path(alias), str(database))
    files = _copy_files_out(storage, target / FILES_DIR)
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "started_at": started.isoformat(),
        "finished_at": timezone.now().isoformat(),
        "database": {"file": database.name, "bytes": database.stat().st_size, "sha256": _sha256(database)},
        "migrations": migrations,
        "storage": type(storage).__name__,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Summary(engine, manifest["database"]["bytes"], len(files), sum(f["bytes"] for f in files.values()))


def read_manifest(source: Path) -> dict:
    """The manifest of a complete backup, with every file checked against its checksum."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source} has no {MANIFEST}: it is not a backup, or the backup did not finish.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is a backup of format {manifest.get('format')}; this version reads {FORMAT}.")
    expected = [(source / manifest["database"]["file"], manifest["database"]["sha256"])]
    expected += [(source / FILES_DIR / name, entry["sha256"]) for name, entry in manifest["files"].items()]
    for path, digest in expected:
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{path} is missing or damaged (its checksum does not match the manifest).")
    return manifest


def restore(source: Path, *, alias: str = "default", storage: Storage | None = None) -> Summary:
    """Put the database and the stored files back as they were in the backup at `source`.

    The database is replaced whole. Stored files in the backup are written back (replacing files
    of the same name); files made since the backup stay, unreferenced by the restored database."""
    storage = storage or default_storage
    source = Path(source)
    manifest = read_manifest(source)
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(f"This is a {manifest['engine']} backup; the configured database is {engine}.")
    database = source / manifest["database"]["file"]
    if engine == "postgresql":
        _pg_restore(database, alias)
    else:
        _sqlite_restore(database, alias)
    _copy_files_in(storage, source / FILES_DIR, manifest["files"])
    return Summary(
        engine,
        manifest["database"]["bytes"],
        len(manifest["files"]),
        sum(entry["bytes"] for entry in manifest["files"].values()),
    )
