"""The group "Dataskyddsombud": an account put in it may review the processing of personal data
(the record, the read-access log, requests for a person's data) without any role that acts for a
body (privacy/permissions.py, ADR 0085)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Dataskyddsombud"


def create_group(apps, schema_editor):
    # Permissions are made after all migrations; make this app's now, so the group can hold one.
    app_config = apps.get_app_config("privacy")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(Permission.objects.get(content_type__app_label="privacy", codename="review_personal_data"))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
