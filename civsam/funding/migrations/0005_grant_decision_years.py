"""The years each grant decision covers, in a table of their own for the register's year filter
(ADR 0142), filled from the register with one recursive statement (the one services.grant_years
runs for the decisions it writes)."""

import django.db.models.deletion
from django.db import migrations, models


FILL = (
    "WITH RECURSIVE covered (decision_id, year, year_to, decision_date, amount_granted) AS ("
    "SELECT id, CAST(year_from AS integer), year_to, decision_date, amount_granted FROM funding_grantdecision "
    "UNION ALL SELECT decision_id, year + 1, year_to, decision_date, amount_granted FROM covered "
    "WHERE year < year_to) "
    "INSERT INTO funding_grantdecisionyear (decision_id, year, decision_date, amount_granted) "
    "SELECT decision_id, year, decision_date, amount_granted FROM covered"
)


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0004_initiative_funding_lines'),
    ]

    operations = [
        migrations.CreateModel(
            name='GrantDecisionYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('decision_date', models.DateField()),
                ('amount_granted', models.DecimalField(decimal_places=2, max_digits=14)),
                ('decision', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='covered_years', to='funding.grantdecision')),
            ],
            options={
                'verbose_name': 'bidragsbeslutets år',
                'verbose_name_plural': 'bidragsbesluts år',
                'indexes': [models.Index(fields=['year', '-decision_date', '-decision'], name='grant_year_date_idx'), models.Index(fields=['year', '-amount_granted', '-decision'], name='grant_year_amount_idx')],
                'constraints': [models.UniqueConstraint(fields=('decision', 'year'), name='grant_year_unique')],
            },
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
