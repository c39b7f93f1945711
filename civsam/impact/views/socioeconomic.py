"""The socio-economic account page: compose a change from the shipped unit-cost table, see it per
bearer and year as tables and a chart, and download the result. Nothing is stored, so the form is
a GET form and the downloads take the same query string."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civsam.core.exports import FORMATS, Column, tabular_response

from ..charts import Chart, grouped_bar_chart
from ..charts import fmt as format_number
from ..engine.socioeconomic import BEARERS, Account, UnitCostTable, account, bearer_label
from ..engine.socioeconomic_io import tables_by_year
from ..forms import ScenarioForm, SocioEconomicAccountForm
from ..kpi import KpiYearMissing, kpi_table
from ..socio_accounts import (
    CUSTOM,
    SCENARIOS,
    build_case,
    indexed_table,
    money,
    reachable_price_years,
    result_rows,
    scenario_preset,
    society_label,
    totals,
    year_table,
)

DEFAULT_SCENARIO = "exclusion_to_work"


@dataclass
class Composed:
    form: SocioEconomicAccountForm
    scenario_form: ScenarioForm
    table: UnitCostTable  # in the price year of the result when there is one
    result: Account | None


def _compose(request) -> Composed:
    tables = tables_by_year()
    table = tables[max(tables)]
    kpi = kpi_table()
    price_years = reachable_price_years(table.price_year, kpi.values)
    code = request.GET.get("scenario") or DEFAULT_SCENARIO
    if code not in SCENARIOS:
        code = CUSTOM
    scenario_form = ScenarioForm(initial={"scenario": code})
    if "years" not in request.GET:
        preset = scenario_preset(code)
        initial = {"name": preset.name, "before": list(preset.before), "after": list(preset.after)}
        form = SocioEconomicAccountForm(initial=initial, table=table, price_years=price_years)
        return Composed(form, scenario_form, table, None)
    form = SocioEconomicAccountForm(request.GET, table=table, price_years=price_years)
    if not form.is_valid():
        return Composed(form, scenario_form, table, None)
    data = form.cleaned_data
    try:
        shown = indexed_table(table, to_year=data["price_year"], kpi=kpi.values)
    except KpiYearMissing as exc:
        form.add_error("price_year", str(exc))
        return Composed(form, scenario_form, table, None)
    case = build_case(
        name=data["name"],
        before=data["before"],
        after=data["after"],
        persons=data["persons"],
        years=data["years"],
        discount_rate=float(data["discount_rate"]),
        initiative_cost=float(data["initiative_cost"] or 0),
        initiative_bearer=data["initiative_bearer"],
    )
    return Composed(form, scenario_form, shown, account(case, shown))


def _chart(result: Account) -> Chart | None:
    currency = result.currency
    title = _("Netto per bärare och år, %(currency)s i %(year)s års priser") % {
        "currency": currency,
        "year": result.price_year,
    }
    description = (
        _(
            "Stapeldiagram med en grupp staplar per år, år 1 till %(years)s, och en stapel per bärare: "
            "över nollinjen sparar eller får bäraren pengar, under den kostar förändringen. "
        )
        % {"years": result.years}
        + " ".join(
            _("%(label)s: totalt %(total)s.") % {"label": b.label, "total": format_number(b.total_net, 0)}
            for b in result.bearers
        )
        + " "
        + _("Samhället totalt: %(total)s.") % {"total": format_number(result.society_total, 0)}
    )
    return grouped_bar_chart(
        groups=[str(year) for year in range(1, result.years + 1)],
        series=[(str(b.label), b.net) for b in result.bearers],
        title=title,
        description=description,
        axis_label=_("År"),
        value_label=_("Netto, %(currency)s") % {"currency": currency},
        chart_id="account-chart",
    )


def socioeconomic_account(request):
    composed = _compose(request)
    result = composed.result
    context: dict[str, Any] = {
        "form": composed.form,
        "scenario_form": composed.scenario_form,
        "table": composed.table,
        "unit_rows": [
            {"item": item, "effects": [money(item.effects.get(b)) for b in BEARERS]}
            for item in composed.table.items.values()
        ],
        "bearers": [bearer_label(b) for b in BEARERS],
        "society_label": society_label(),
        "result": result,
        "formats": FORMATS,
        "query": request.GET.urlencode(),
        "kpi": kpi_table(),
    }
    if result is not None:
        context.update(year_rows=year_table(result), totals=totals(result), chart=_chart(result))
    return render(request, "impact/socioeconomic_account.html", context)


def socioeconomic_account_export(request, fmt: str):
    """The result table (each bearer and society, per year) as CSV, XLSX or JSON."""
    if fmt not in FORMATS:
        raise Http404
    composed = _compose(request)
    if composed.result is None:
        # Invalid or missing input: back to the page, which shows what is wrong.
        page = reverse("impact:socioeconomic-account")
        return redirect(page + ("?" + request.GET.urlencode() if request.GET else ""))
    result = composed.result
    columns = [
        Column("ar", _("År"), lambda r: r.year),
        Column("barare", _("Bärare"), lambda r: r.bearer),
        Column("barare_namn", _("Bärarens namn"), lambda r: r.label),
        Column("intakter", _("Intäkter och besparingar"), lambda r: r.benefits),
        Column("kostnader", _("Kostnader"), lambda r: r.costs),
        Column("netto", _("Netto"), lambda r: r.net),
        Column("diskonteringsfaktor", _("Diskonteringsfaktor"), lambda r: round(r.discount_factor, 6)),
        Column("nuvarde", _("Nuvärde"), lambda r: r.present_value),
        Column("valuta", _("Valuta"), lambda r: result.currency),
        Column("prisar", _("Prisår"), lambda r: result.price_year),
    ]
    return tabular_response(fmt, columns, result_rows(result), "socioekonomiskt-bokslut")
