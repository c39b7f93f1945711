"""Large directory exports as XLSX are built in the background (registry.DirectoryExport, ADR 0085)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import civsam.core.models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_contact_phone_checked"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DirectoryExport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("language", models.CharField(max_length=8, verbose_name="språk")),
                ("version", models.CharField(max_length=64, verbose_name="dataversion")),
                (
                    "status",
                    models.CharField(
                        choices=[("queued", "i kö"), ("running", "skapas"), ("done", "klar"), ("failed", "misslyckades")],
                        default="queued",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        blank=True, max_length=300, upload_to=civsam.core.models.rendered_file_path, verbose_name="fil"
                    ),
                ),
                ("error", models.TextField(blank=True, verbose_name="fel")),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="försök")),
                ("queued_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="köad")),
                ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="påbörjad")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="klar")),
                ("query", models.CharField(max_length=64, verbose_name="sökning")),
                ("filters", models.JSONField(verbose_name="filter")),
                ("audience", models.CharField(max_length=40, verbose_name="för")),
                ("client", models.CharField(blank=True, max_length=64)),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "katalogexport",
                "verbose_name_plural": "katalogexporter",
                "ordering": ["-queued_at"],
                "indexes": [models.Index(fields=["status", "queued_at"], name="directory_export_status_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("query", "language", "version"), name="directory_export_unique_version"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["queued", "running", "done", "failed"])),
                        name="directory_export_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "done"), _negated=True),
                            models.Q(("file", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="directory_export_done_has_file",
                    ),
                ],
            },
        ),
    ]
