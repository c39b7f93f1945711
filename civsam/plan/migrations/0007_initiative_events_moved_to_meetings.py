# The initiative ↔ event link is owned by meetings.Event.initiatives from now on (ADR 0055). The
# table stays as it is; only Django's model state moves, here and in meetings 0003.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0006_reportpdf"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField(model_name="initiative", name="events")],
            database_operations=[],
        ),
    ]
