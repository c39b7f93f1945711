from django.db import migrations, models

# The county's municipalities as they write their own names (core/data/municipalities.json), for
# the rows a database already has; load_reference_data keeps them up to date from then on.
OFFICIAL_NAMES = {
    "1814": "Lekebergs kommun",
    "1860": "Laxå kommun",
    "1861": "Hallsbergs kommun",
    "1862": "Degerfors kommun",
    "1863": "Hällefors kommun",
    "1864": "Ljusnarsbergs kommun",
    "1880": "Örebro kommun",
    "1881": "Kumla kommun",
    "1882": "Askersunds kommun",
    "1883": "Karlskoga kommun",
    "1884": "Nora kommun",
    "1885": "Lindesbergs kommun",
}


def fill_official_names(apps, schema_editor):
    Municipality = apps.get_model("core", "Municipality")
    for code, official_name in OFFICIAL_NAMES.items():
        Municipality.objects.filter(code=code, official_name="").update(official_name=official_name)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_audit_content_type_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="municipality",
            name="official_name",
            field=models.CharField(default="", max_length=100, verbose_name="officiellt namn"),
        ),
        migrations.RunPython(fill_official_names, migrations.RunPython.noop),
    ]
