"""Indexes for the directory at national scale (300,000 organisations); see docs/performance.md.

PostgreSQL: the tsvector is stored in a generated column with a GIN index on it, replacing the
expression index of 0002. Matching then needs no to_tsvector per row when a bitmap turns lossy or
the planner scans, and ranking reads the stored vector instead of rebuilding it for every match
(3.2 s -> 0.4 s for a word matching half the register). The column is database-only, like the
FTS5 table on SQLite: the model does not know it and no insert or update names it.

Both backends: an index on name and on what decides visibility, for staff (who see more than the
public rows); partial indexes on the public rows, which is what anonymous visitors list (SQLite
can only use an index for the bare `WHERE is_public` if it is partial on that very term); small
partial indexes on the rare flags; and link-table indexes led by the activity or role.
"""

from django.db import migrations

# Indexes both backends get. Each one costs import time (docs/performance.md), so only these.
COMMON_INDEXES = {
    # Name order for everyone: staff see more than the public rows (is_public OR their own
    # municipality), which the (is_public, name) index of the model cannot serve, and SQLite only
    # uses that index for an equality on is_public, never for the bare `WHERE is_public`.
    "org_name_idx": "registry_organisation (name)",
    # Counts of what someone may see, read from the index alone.
    "org_visibility_idx": "registry_organisation (is_public, municipality_id)",
    # The flags are rare, so these stay small; they serve both the count and the name order.
    "org_social_enterprise_part": "registry_organisation (name) WHERE social_enterprise",
    "org_work_integrating_part": "registry_organisation (name) WHERE work_integrating",
    "org_ideburen_part": "registry_organisation (name) WHERE ideburen_registered",
    # Filters by activity or role start from the link table and need only the index.
    "org_activity_org_idx": "registry_organisation_activity_classes (activityclass_id, organisation_id)",
    "org_role_org_idx": "registry_organisation_roles (societalrole_id, organisation_id)",
}
COMMON_FORWARD = [f"CREATE INDEX {name} ON {definition}" for name, definition in COMMON_INDEXES.items()]
COMMON_BACKWARD = [f"DROP INDEX IF EXISTS {name}" for name in COMMON_INDEXES]
# Sorts by "most members" and "newest" over the whole directory, which ask for NULLs last. That is
# SQLite's default for DESC (and it has no NULLS clause in CREATE INDEX); PostgreSQL must be told.
SORT_INDEXES = {
    "org_pub_members_part": "registry_organisation (member_count DESC{nulls}, name, id) WHERE is_public",
    "org_pub_founded_part": "registry_organisation (founded_year DESC{nulls}, name, id) WHERE is_public",
}
SORT_BACKWARD = [f"DROP INDEX IF EXISTS {name}" for name in SORT_INDEXES]


def _sort_indexes(nulls: str) -> list[str]:
    return [f"CREATE INDEX {name} ON {definition.format(nulls=nulls)}" for name, definition in SORT_INDEXES.items()]


POSTGRES_FORWARD = [
    "ALTER TABLE registry_organisation ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_document)) STORED",
    "CREATE INDEX org_search_vector_gin ON registry_organisation USING gin (search_vector)",
    "DROP INDEX IF EXISTS org_search_gin",
    *COMMON_FORWARD,
    *_sort_indexes(" NULLS LAST"),
]
POSTGRES_BACKWARD = [
    *COMMON_BACKWARD,
    *SORT_BACKWARD,
    "CREATE INDEX IF NOT EXISTS org_search_gin ON registry_organisation "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_document, '')))",
    "DROP INDEX IF EXISTS org_search_vector_gin",
    "ALTER TABLE registry_organisation DROP COLUMN IF EXISTS search_vector",
]
SQLITE_FORWARD = [*COMMON_FORWARD, *_sort_indexes("")]
SQLITE_BACKWARD = [*COMMON_BACKWARD, *SORT_BACKWARD]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_search_index")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
