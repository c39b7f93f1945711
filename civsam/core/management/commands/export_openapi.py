"""Write the API's OpenAPI document to a file, byte for byte the same on every run (`make openapi`)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.module_loading import import_string


def openapi_document() -> str:
    """The OpenAPI JSON as committed in docs/openapi.json: sorted keys, indent 2, UTF-8, final newline."""
    api = import_string(settings.CIVSAM_API)
    # Swedish is the document's language whatever the environment says.
    with translation.override("sv"):
        schema = api.get_openapi_schema()
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Skriver API:ets OpenAPI-dokument (JSON) till en fil, t.ex. docs/openapi.json."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Filen att skriva; - skriver till standard ut.")

    def handle(self, *args, **options):
        document = openapi_document()
        if options["path"] == "-":
            self.stdout.write(document, ending="")
            return
        path = Path(options["path"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document, encoding="utf-8")
        self.stdout.write(f"OpenAPI written to {path}")
