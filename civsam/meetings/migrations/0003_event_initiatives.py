# The initiative ↔ event link, now owned by the event (ADR 0055), on the table plan 0004 created.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_conference_followup"),
        ("plan", "0007_initiative_events_moved_to_meetings"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="event",
                    name="initiatives",
                    field=models.ManyToManyField(
                        blank=True,
                        db_table="plan_initiative_events",
                        related_name="events",
                        to="plan.initiative",
                        verbose_name="insatser",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
