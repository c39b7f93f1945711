"""Full-text index for the directory, one per backend.

PostgreSQL: a GIN index on to_tsvector('simple', search_document) — the same expression the
directory query uses. SQLite: an FTS5 table kept in step with the organisation table by triggers,
so bulk upserts stay indexed. The stems themselves are made in Python (registry/search.py), so
both backends match the same words.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE registry_organisation_fts USING fts5(
        search_document, content='registry_organisation', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER registry_organisation_fts_ai AFTER INSERT ON registry_organisation BEGIN
        INSERT INTO registry_organisation_fts(rowid, search_document) VALUES (new.id, new.search_document);
    END""",
    """CREATE TRIGGER registry_organisation_fts_ad AFTER DELETE ON registry_organisation BEGIN
        INSERT INTO registry_organisation_fts(registry_organisation_fts, rowid, search_document)
        VALUES ('delete', old.id, old.search_document);
    END""",
    """CREATE TRIGGER registry_organisation_fts_au AFTER UPDATE OF search_document ON registry_organisation BEGIN
        INSERT INTO registry_organisation_fts(registry_organisation_fts, rowid, search_document)
        VALUES ('delete', old.id, old.search_document);
        INSERT INTO registry_organisation_fts(rowid, search_document) VALUES (new.id, new.search_document);
    END""",
    "INSERT INTO registry_organisation_fts(registry_organisation_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS registry_organisation_fts_au",
    "DROP TRIGGER IF EXISTS registry_organisation_fts_ad",
    "DROP TRIGGER IF EXISTS registry_organisation_fts_ai",
    "DROP TABLE IF EXISTS registry_organisation_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX org_search_gin ON registry_organisation "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_document, '')))",
    "CREATE INDEX org_name_lower_idx ON registry_organisation (lower(name))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS org_search_gin", "DROP INDEX IF EXISTS org_name_lower_idx"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
