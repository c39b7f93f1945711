"""Drop indexes no query needs; every index costs the import time (docs/performance.md).

- The single-column indexes Django makes for the legal_form and municipality foreign keys: the
  (legal_form_id, name_key) and (municipality_id, name_key) indexes serve every lookup by those
  columns (filters, and the checks when a legal form or a municipality is deleted).
- PostgreSQL's lower(name) index of migration 0002: no query filters or sorts on lower(name).

Done with SQL rather than AlterField: on SQLite AlterField rebuilds the table, which would drop
the FTS5 triggers of migration 0002 and the indexes of migrations 0003 and 0004.
"""

from django.db import migrations, models

TABLE = "registry_organisation"
COLUMNS = ("legal_form_id", "municipality_id")


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    for name, info in constraints.items():
        plain_index = info["index"] and not (info["unique"] or info["primary_key"] or info["foreign_key"])
        if plain_index and tuple(info["columns"]) in {(column,) for column in COLUMNS}:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS org_name_lower_idx")


def restore(apps, schema_editor):
    for column in COLUMNS:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_{column}_idx ON {TABLE} ({column})")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS org_name_lower_idx ON {TABLE} (lower(name))")


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_swedish_name_order")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="organisation",
                    name="legal_form",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.PROTECT,
                        to="core.legalform",
                        verbose_name="juridisk form",
                    ),
                ),
                migrations.AlterField(
                    model_name="organisation",
                    name="municipality",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.PROTECT,
                        related_name="organisations",
                        to="core.municipality",
                        verbose_name="hemkommun",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop, restore)],
        )
    ]
