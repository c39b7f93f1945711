"""Recompute every organisation's stored search text (issue #14: club abbreviations, sports as
"idrott", words inside compounds).

The search text is derived data, written when an organisation is saved; organisations saved
before the search learnt the new terms would otherwise never be found by them. Only rows whose
text changes are written (SQLite's FTS triggers and PostgreSQL's generated tsvector follow).
Uses the live `search.document`, on purpose: the result must match what saving writes today.
"""

from django.db import migrations

BATCH = 2000


def recompute(apps, schema_editor):
    from civsam.registry import search

    Organisation = apps.get_model("registry", "Organisation")
    rows = Organisation.objects.order_by("pk").values_list("pk", "name", "description", "orgnr", "search_document")
    changed = []
    for pk, name, description, orgnr, stored in rows.iterator(chunk_size=BATCH):
        text = search.document(name, description or "", orgnr or "")
        if text != stored:
            changed.append(Organisation(pk=pk, search_document=text))
        if len(changed) >= BATCH:
            Organisation.objects.bulk_update(changed, ["search_document"])
            changed.clear()
    if changed:
        Organisation.objects.bulk_update(changed, ["search_document"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_directory_export")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
