"""Full-text index for the grant register, one per backend, as the directory's (registry 0002).

PostgreSQL: a GIN index on to_tsvector('simple', search_document), the expression the register's
query uses. SQLite: an FTS5 table kept in step with the decision table by triggers, so that bulk
imports stay indexed. The stems are made in Python (registry/search.py) for both.
"""

from django.db import migrations

T = "funding_grantdecision"
SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {T}_fts USING fts5(
        search_document, content='{T}', content_rowid='id', tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER {T}_fts_ai AFTER INSERT ON {T} BEGIN
        INSERT INTO {T}_fts(rowid, search_document) VALUES (new.id, new.search_document);
    END""",
    f"""CREATE TRIGGER {T}_fts_ad AFTER DELETE ON {T} BEGIN
        INSERT INTO {T}_fts({T}_fts, rowid, search_document) VALUES ('delete', old.id, old.search_document);
    END""",
    f"""CREATE TRIGGER {T}_fts_au AFTER UPDATE OF search_document ON {T} BEGIN
        INSERT INTO {T}_fts({T}_fts, rowid, search_document) VALUES ('delete', old.id, old.search_document);
        INSERT INTO {T}_fts(rowid, search_document) VALUES (new.id, new.search_document);
    END""",
    f"INSERT INTO {T}_fts({T}_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {T}_fts_au",
    f"DROP TRIGGER IF EXISTS {T}_fts_ad",
    f"DROP TRIGGER IF EXISTS {T}_fts_ai",
    f"DROP TABLE IF EXISTS {T}_fts",
]
POSTGRES_FORWARD = [
    f"CREATE INDEX grant_search_gin ON {T} USING gin (to_tsvector('simple'::regconfig, COALESCE(search_document, '')))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS grant_search_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
