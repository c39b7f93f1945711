"""Swedish alphabetical order for organisation names (ADR 0040).

Adds `name_key`, the name's Swedish sort key made in Python (core/collation.py), fills it for
the stored rows and moves every name-ordered index from `name` to it. Ordering the key by code
point is Swedish order, so PostgreSQL keeps it in the "C" collation and SQLite in BINARY: the same
order on both backends, and index comparisons stay plain byte comparisons.

The column and its check are added with SQL rather than AddField/AddConstraint: on SQLite those
operations rebuild the table, which would drop the FTS5 triggers of migration 0002 and the
indexes of migration 0003. SQLite gets the check as triggers for the same reason.
"""

from django.db import migrations, models

from civsam.core.collation import sort_key

TABLE = "registry_organisation"

# 0003's name-led indexes, now led by the key instead (same names, same conditions).
KEY_INDEXES = {
    "org_name_idx": f"{TABLE} (name_key)",
    "org_social_enterprise_part": f"{TABLE} (name_key) WHERE social_enterprise",
    "org_work_integrating_part": f"{TABLE} (name_key) WHERE work_integrating",
    "org_ideburen_part": f"{TABLE} (name_key) WHERE ideburen_registered",
    "org_pub_members_part": f"{TABLE} (member_count DESC{{nulls}}, name_key, id) WHERE is_public",
    "org_pub_founded_part": f"{TABLE} (founded_year DESC{{nulls}}, name_key, id) WHERE is_public",
}
NAME_INDEXES = {
    name: definition.replace("name_key", "name") for name, definition in KEY_INDEXES.items()
}  # what 0003 made, for going back

SQLITE_CHECK = [
    f"""CREATE TRIGGER registry_organisation_name_key_bi BEFORE INSERT ON {TABLE}
        WHEN new.name_key = '' BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: name_key_present'); END""",
    f"""CREATE TRIGGER registry_organisation_name_key_bu BEFORE UPDATE OF name_key ON {TABLE}
        WHEN new.name_key = '' BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: name_key_present'); END""",
]
SQLITE_CHECK_BACKWARD = [
    "DROP TRIGGER IF EXISTS registry_organisation_name_key_bi",
    "DROP TRIGGER IF EXISTS registry_organisation_name_key_bu",
]


def _nulls(vendor: str) -> str:
    return " NULLS LAST" if vendor == "postgresql" else ""


def add_column(apps, schema_editor):
    collate = ' COLLATE "C"' if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"ALTER TABLE {TABLE} ADD COLUMN name_key text{collate} NOT NULL DEFAULT ''")


def drop_column(apps, schema_editor):
    for statement in SQLITE_CHECK_BACKWARD:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(statement)
    for name in KEY_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN name_key")


def fill_keys(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, name FROM {TABLE}")  # noqa: S608 - the name is a constant
        rows = cursor.fetchall()
        sql = f"UPDATE {TABLE} SET name_key = %s WHERE id = %s"  # noqa: S608
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, [(sort_key(name), pk) for pk, name in rows[start : start + 5000]])


def key_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name, definition in KEY_INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"CREATE INDEX {name} ON {definition.format(nulls=_nulls(vendor))}")
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN name_key DROP DEFAULT")
        schema_editor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT name_key_present CHECK (NOT (name_key = ''))")
    else:
        for statement in SQLITE_CHECK:
            schema_editor.execute(statement)


def name_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS name_key_present")
    else:
        for statement in SQLITE_CHECK_BACKWARD:
            schema_editor.execute(statement)
    for name, definition in NAME_INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"CREATE INDEX {name} ON {definition.format(nulls=_nulls(vendor))}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_directory_speed")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="organisation",
                    name="name_key",
                    field=models.TextField(default="", editable=False),
                ),
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="organisation",
            options={"ordering": ["name_key", "id"], "verbose_name": "organisation", "verbose_name_plural": "organisationer"},
        ),
        migrations.RemoveIndex(model_name="organisation", name="org_municipality_name_idx"),
        migrations.RemoveIndex(model_name="organisation", name="org_legal_form_name_idx"),
        migrations.RemoveIndex(model_name="organisation", name="org_public_name_idx"),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["municipality", "name_key"], name="org_municipality_key_idx"),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["legal_form", "name_key"], name="org_legal_form_key_idx"),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["is_public", "name_key"], name="org_public_key_idx"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddConstraint(
                    model_name="organisation",
                    constraint=models.CheckConstraint(condition=~models.Q(name_key=""), name="name_key_present"),
                ),
            ],
            database_operations=[migrations.RunPython(key_indexes, name_indexes)],
        ),
    ]
