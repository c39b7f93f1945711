"""Organisation exports: the column layout (also the layout the importer reads), and the XLSX of
a large result set, built by the worker (models.DirectoryExport, ADR 0085).

CSV and JSON are streamed in the request at constant memory (rows fetched in chunks, written as
they come), however many rows there are. An XLSX file cannot be streamed (the workbook is a zip
written at the end), and a whole register took 24 s in a request: up to XLSX_IMMEDIATE_ROWS rows
it is made in the request, above that by the worker, with a status page and a download link.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from civsam.core.exports import Column, xlsx_bytes

from .models import DirectoryExport, Organisation
from .selectors import directory_export_rows

# About half a second of work in the request; larger XLSX exports go to the worker.
XLSX_IMMEDIATE_ROWS = 5_000
FILENAME = "organisationer"

ORGANISATION_COLUMNS = [
    Column("organisationsnummer", "Organisationsnummer", lambda o: o.orgnr or ""),
    Column("namn", "Namn", lambda o: o.name),
    Column("juridisk_form", "Juridisk form (kod)", lambda o: o.legal_form.code),
    Column("juridisk_form_namn", "Juridisk form", lambda o: o.legal_form.name_sv),
    Column("kommunkod", "Kommunkod", lambda o: o.municipality.code),
    Column("kommun", "Kommun", lambda o: o.municipality.name),
    Column("verksamhetsomraden", "Verksamhetsområden (ICNPO)", lambda o: [a.code for a in o.activity_classes.all()]),
    Column("roller", "Roller", lambda o: [r.code for r in o.roles.all()]),
    Column("webbplats", "Webbplats", lambda o: o.website),
    Column("epost", "E-post", lambda o: o.email),
    Column("beskrivning", "Beskrivning", lambda o: o.description),
    Column("grundad_ar", "Grundad år", lambda o: o.founded_year),
    Column("antal_medlemmar", "Antal medlemmar", lambda o: o.member_count),
    Column("socialt_foretag", "Socialt företag", lambda o: o.social_enterprise),
    Column("arbetsintegrerande", "Arbetsintegrerande socialt företag", lambda o: o.work_integrating),
    Column("ideburen_registrerad", "Registrerad idéburen organisation", lambda o: o.ideburen_registered),
]


# The directory's downloads: the import layout above, then what tells every kind of actor apart
# (ADR 0096). The importer reads the first part and passes over the rest with a warning.
DIRECTORY_COLUMNS = [
    *ORGANISATION_COLUMNS,
    Column("civsam_id", "Civsam-id", lambda o: o.civsam_id),
    Column("sektor", "Sektor (kod)", lambda o: o.sector),
    Column("sektor_namn", "Sektor", lambda o: o.get_sector_display()),
    Column("slag", "Slag av aktör (kod)", lambda o: o.kind),
    Column("slag_namn", "Slag av aktör", lambda o: o.get_kind_display()),
    Column("land", "Land (ISO 3166-1)", lambda o: o.country),
    Column("registreringsnummer_hemland", "Registreringsnummer i hemlandet", lambda o: o.foreign_registration_number),
]


def iterate(qs: QuerySet[Organisation]) -> Iterator[Organisation]:
    """Stream a large export in chunks; prefetches run once per chunk."""
    return qs.iterator(chunk_size=2000)


def directory_xlsx_render(row: DirectoryExport) -> bytes:
    """The worker's renderer (DirectoryExport.RENDERER): the rows the export's audience sees now."""
    return xlsx_bytes(DIRECTORY_COLUMNS, iterate(directory_export_rows(row)), sheet_title=FILENAME)
