"""The figures other publishers keep, stored beside Civsam's own (ADR 0129): the population per
municipality and year (Statistics Sweden), Kolada's key figures, and Statistics Sweden's national
figures on civil society (the satellite accounts). Each value is stored with its source and date."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry, Municipality
from civsam.core.services import audit_log_bulk

from ..kolada_file import ExternalValue
from ..models import ExternalFigure, Population

DATA = Path(__file__).resolve().parent.parent / "data"
SWEDEN = "00"


def population_load_reference() -> int:
    """Each municipality's population from the reference data (core.Municipality, Statistics Sweden)
    as that year's figure, where the date is a 31 December. A year already imported from Statistics
    Sweden is kept as imported. Returns how many rows were created."""
    created = 0
    now = timezone.now()
    for municipality in Municipality.objects.all():
        date = municipality.population_date
        if (date.month, date.day) != (12, 31):
            continue
        _row, made = Population.objects.get_or_create(
            municipality=municipality,
            year=date.year,
            defaults={
                "population": municipality.population,
                "source": municipality.population_source[:300],
                "imported_at": now,
            },
        )
        created += 1 if made else 0
    return created


def population_set(*, year: int, values: dict[str, int], source: str, actor=None) -> int:
    """Store one year's population per municipality code (an import of Statistics Sweden's table),
    with the source and the time it was read. Unknown codes are refused as a whole, in Swedish."""
    by_code = {m.code: m for m in Municipality.objects.all()}
    unknown = sorted(set(values) - set(by_code))
    if unknown:
        raise ValueError(_("Okända kommunkoder: %(codes)s.") % {"codes": ", ".join(unknown)})
    now = timezone.now()
    entries = []
    with transaction.atomic():
        for code, population in sorted(values.items()):
            row, created = Population.objects.update_or_create(
                municipality=by_code[code],
                year=year,
                defaults={"population": population, "source": source[:300], "imported_at": now},
            )
            entries.append((row.pk, str(row), {"population": population, "created": created}))
        audit_log_bulk(actor=actor, action=AuditEntry.Action.IMPORT, model=Population, entries=entries, note=source)
    return len(values)


def external_figures_set(*, source: str, values: Iterable[ExternalValue], actor=None) -> int:
    """Store a source's values, each replacing the stored value of the same indicator, area and year;
    all or nothing. Areas must be a municipality's code or Sweden ("00"). Returns how many were stored."""
    if source not in ExternalFigure.Source.values:
        raise ValueError(_("Okänd källa: %(source)s.") % {"source": source})
    chosen = list(values)
    areas = set(Municipality.objects.values_list("code", flat=True)) | {SWEDEN}
    unknown = sorted({v.area for v in chosen} - areas)
    if unknown:
        raise ValueError(_("Okända områden: %(codes)s.") % {"codes": ", ".join(unknown)})
    now = timezone.now()
    entries = []
    with transaction.atomic():
        for v in chosen:
            row, _created = ExternalFigure.objects.update_or_create(
                source=source,
                indicator=v.indicator,
                area=v.area,
                year=v.year,
                defaults={
                    "title": v.title[:300],
                    "unit": v.unit[:40],
                    "value": v.value,
                    "citation": v.citation[:400],
                    "url": v.url[:400],
                    "published_on": v.published_on,
                    "imported_at": now,
                },
            )
            entries.append((row.pk, str(row), {"value": str(v.value)}))
        audit_log_bulk(actor=actor, action=AuditEntry.Action.IMPORT, model=ExternalFigure, entries=entries, note=source)
    return len(chosen)


def national_values(path: Path | None = None) -> list[ExternalValue]:
    """Statistics Sweden's published national figures on civil society, as kept in the project's
    data file (each row cites the statistical news it is taken from)."""
    with (path or DATA / "scb_civil_society.csv").open(encoding="utf-8", newline="") as handle:
        return [
            ExternalValue(
                indicator=row["indicator"],
                title=row["title"],
                unit=row["unit"],
                area=SWEDEN,
                year=int(row["year"]),
                value=Decimal(row["value"]),
                citation=row["citation"],
                url=row["url"],
                published_on=datetime.date.fromisoformat(row["published_on"]),
            )
            for row in csv.DictReader(handle)
        ]


def national_figures_load_reference() -> int:
    """Load the national figures on civil society (reference data; nobody edits them in Civsam)."""
    return external_figures_set(source=ExternalFigure.Source.SCB_CIVIL_SOCIETY, values=national_values())
