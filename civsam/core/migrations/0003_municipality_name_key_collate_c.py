"""Keep `Municipality.name_key` in PostgreSQL's "C" collation (ADR 0053).

The key's code-point order is Swedish order (ADR 0040), but only a byte-wise collation compares it
by code point: on a database created with e.g. sv_SE.UTF-8 or en_US.UTF-8, glibc and ICU skip the
control characters the key uses at the first level and reorder it. SQLite's BINARY default is
code-point order already, so nothing is done there.

No model state changes: SQLite has no "C" collation, so the field cannot say db_collation="C".
"""

from django.db import migrations

TABLE = "core_municipality"


def _collate(schema_editor, collation: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'ALTER TABLE {TABLE} ALTER COLUMN name_key TYPE varchar(300) COLLATE "{collation}"')


def collate_c(apps, schema_editor):
    _collate(schema_editor, "C")


def collate_default(apps, schema_editor):
    _collate(schema_editor, "default")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_municipality_name_key")]

    operations = [migrations.RunPython(collate_c, collate_default)]
