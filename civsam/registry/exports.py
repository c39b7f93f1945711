"""The column layout of organisation exports (also the layout the importer reads)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from civsam.core.exports import Column

from .models import Organisation

ORGANISATION_COLUMNS = [
    Column("organisationsnummer", "Organisationsnummer", lambda o: o.orgnr),
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


def iterate(qs: QuerySet[Organisation]) -> Iterator[Organisation]:
    """Stream a large export in chunks; prefetches run once per chunk."""
    return qs.iterator(chunk_size=2000)
