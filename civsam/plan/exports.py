"""Column specs for the follow-up downloads (core.exports does the formats). The initiative columns
are also the import layout, so that an export can be edited and imported again."""

from __future__ import annotations

from civsam.core.exports import Column


def _codes(initiative, name: str) -> str:
    return "; ".join(obj.code for obj in getattr(initiative, name).all())


def _areas(initiative) -> str:
    return "; ".join(f"{pa.focus_area.plan.slug}:{pa.code}" for pa in initiative.priority_areas.all())


def _partners(initiative) -> str:
    return "; ".join(org.orgnr for org in initiative.partner_organisations.all())


INITIATIVE_COLUMNS = [
    Column("ref", "Referens", lambda i: i.ref or ""),
    Column("title", "Titel", lambda i: i.title),
    Column("description", "Beskrivning", lambda i: i.description),
    Column(
        "lead_orgnr",
        "Ansvarig organisation (orgnr)",
        lambda i: i.lead_organisation.orgnr if i.lead_organisation_id else "",
    ),
    Column(
        "lead_municipality",
        "Ansvarig kommun (kod)",
        lambda i: i.lead_municipality.code if i.lead_municipality_id else "",
    ),
    Column("lead_name", "Annan ansvarig aktör", lambda i: i.lead_name),
    Column("partner_orgnrs", "Partner (orgnr)", _partners),
    Column("partner_names", "Andra partner", lambda i: i.partner_names),
    Column("priority_areas", "Aktivitetsområden (plan:kod)", _areas),
    Column("principles", "Principer (koder)", lambda i: _codes(i, "principles")),
    Column("roles", "Roller (koder)", lambda i: _codes(i, "roles")),
    Column("municipalities", "Kommuner (koder)", lambda i: _codes(i, "municipalities")),
    Column("start_date", "Startdatum", lambda i: i.start_date.isoformat()),
    Column("end_date", "Slutdatum", lambda i: i.end_date.isoformat() if i.end_date else ""),
    Column("budget", "Budget (kr)", lambda i: i.budget),
    Column("status", "Status (kod)", lambda i: i.status.code),
    Column("progress", "Andel genomförd (%)", lambda i: i.progress),
    Column("weight", "Vikt", lambda i: i.weight),
    Column("parent_ref", "Ingår i (referens)", lambda i: i.parent.ref if i.parent_id and i.parent.ref else ""),
    Column("verified", "Verifierad", lambda i: i.is_verified),
    Column("id", "Id", lambda i: i.pk),
    Column("url", "Adress", lambda i: i.get_absolute_url()),
]

IMPORT_COLUMNS = [c.key for c in INITIATIVE_COLUMNS if c.key not in ("verified", "id", "url")]


# Shown in the export, not read by the import (which names them as ignored): the strategies and
# goals (ADR 0122) and the assessed consequences (ADR 0123): positive, neutral, negative or not_assessed.
FRAME_COLUMNS = [
    Column("frame_tags", "Strategier och mål (koder)", lambda i: _codes(i, "frame_tags")),
    Column("environment_assessment", "Konsekvenser för miljön (kod)", lambda i: i.environment_assessment),
    Column("environment_note", "Motivering, miljö", lambda i: i.environment_note),
    Column("children_assessment", "Konsekvenser för barn (kod)", lambda i: i.children_assessment),
    Column("children_note", "Motivering, barn", lambda i: i.children_note),
    Column("gender_assessment", "Konsekvenser för jämställdheten (kod)", lambda i: i.gender_assessment),
    Column("gender_note", "Motivering, jämställdhet", lambda i: i.gender_note),
]

INDICATOR_VALUE_COLUMNS = [
    Column("indicator", "Indikator (kod)", lambda row: row[0].indicator.code),
    Column("name", "Indikator", lambda row: row[0].indicator.name_sv),
    Column("unit", "Enhet", lambda row: row[0].indicator.unit),
    Column("year", "År", lambda row: row[1].year),
    Column("target", "Målvärde", lambda row: row[1].target),
    Column("value", "Utfall", lambda row: row[1].actual),
    Column("status", "Status", lambda row: row[1].status),
    Column("source", "Källa", lambda row: row[1].source),
    Column("comment", "Kommentar", lambda row: row[1].comment),
]

INDICATOR_IMPORT_COLUMNS = ["indicator", "year", "value", "source", "comment"]


def export_columns() -> list[Column]:
    """The follow-up export's columns: the plan's own (the import layout), then those other apps
    register (civsam.plan.extensions), which an import ignores."""
    from .extensions import export_columns as registered

    return [*INITIATIVE_COLUMNS, *FRAME_COLUMNS, *(extra.column for extra in registered())]


def export_prefetch() -> list[str]:
    from .extensions import export_columns as registered

    return [name for extra in registered() for name in extra.prefetch]
