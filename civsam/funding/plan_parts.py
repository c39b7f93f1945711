"""What the funding app adds to the plan's pages (ADR 0103): the funding lines on the initiative's
form, a column in the follow-up export, the co-financing section of the annual report, and the
co-financing download. Registered in FundingConfig.ready(); the plan never imports funding."""

from __future__ import annotations

from decimal import Decimal

from civsam.core.exports import Column
from civsam.plan import extensions

from .models import InitiativeFundingLine
from .selectors import co_financing_by_source_and_year

KIND_LABELS = dict(InitiativeFundingLine.Kind.choices)


def _plain(amount: Decimal) -> str:
    return str(int(amount)) if amount == amount.to_integral_value() else f"{amount:.2f}"


def initiative_lines_cell(initiative) -> str:
    """The initiative's funding lines in one cell, "2025 Källa (slag): 50000; …", from the
    prefetched lines (the export prefetches funding_lines__source)."""
    lines = sorted(initiative.funding_lines.all(), key=lambda line: (line.year, line.source.name, line.kind))
    return "; ".join(
        f"{line.year} {line.source.name} ({KIND_LABELS.get(line.kind, line.kind)}): {_plain(line.amount)}"
        for line in lines
    )


CO_FINANCING_COLUMNS = [
    Column("source", "finansieringskälla", lambda row: row.source),
    Column("funder", "bidragsgivare", lambda row: row.funder),
    Column("year", "år", lambda row: row.year),
    Column("amount", "belopp (kr)", lambda row: row.amount),
    Column("source_id", "källans id", lambda row: row.source_id),
]


def co_financing_section(plan, year: int) -> dict | None:
    """The plan's co-financing per source over the plan's years up to the report's year, as plain
    JSON for the report's snapshot (amounts as strings): a source × year table with totals."""
    rows = [
        row
        for row in co_financing_by_source_and_year(plan=plan)
        if plan.start_year <= row.year <= min(year, plan.end_year)
    ]
    if not rows:
        return None
    years = sorted({row.year for row in rows})
    by_source: dict[int, dict] = {}
    totals = dict.fromkeys(years, Decimal(0))
    for row in rows:
        entry = by_source.setdefault(
            row.source_id, {"source": row.source, "funder": row.funder, "amounts": dict.fromkeys(years)}
        )
        entry["amounts"][row.year] = row.amount
        totals[row.year] += row.amount
    out_rows = []
    for entry in by_source.values():
        amounts = [entry["amounts"][y] for y in years]
        out_rows.append(
            {
                "source": entry["source"],
                "funder": entry["funder"],
                "amounts": [str(a) if a is not None else None for a in amounts],
                "total": str(sum((a for a in amounts if a is not None), Decimal(0))),
            }
        )
    return {
        "year": year,
        "years": years,
        "rows": out_rows,
        "totals": [str(totals[y]) for y in years],
        "total": str(sum(totals.values(), Decimal(0))),
    }


def register() -> None:
    from .forms.cofinancing import build_part

    extensions.register_form_part(extensions.FormPart("funding-lines", build_part))
    extensions.register_export_column(
        Column("funding_lines", "Finansiering per källa och år", initiative_lines_cell),
        prefetch=("funding_lines__source",),
    )
    extensions.register_report_section(
        extensions.ReportSection("co_financing", co_financing_section, "funding/_report_co_financing.html")
    )
