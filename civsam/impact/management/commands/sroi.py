"""python manage.py sroi FILE.json|FILE.xlsx [--format table|json] [--draws N --seed S]

The same calculation as POST /api/v1/social-value/calculations, from a file, printed as tables or
as the API's JSON. Nothing is stored.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from civsam.impact.engine import ImpactMapError, analyse_document, parse_impact_map_json, to_json_dict
from civsam.impact.engine.analysis import Analysis
from civsam.impact.engine.schema import MAX_DRAWS
from civsam.impact.engine.xlsx import read_xlsx


def number(value: float | None, decimals: int = 2) -> str:
    """Swedish number format: space between thousands, decimal comma."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",")


def table(headers: list[str], rows: list[list[str]], numeric_from: int = 1) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        parts = [
            str(cell).rjust(width) if index >= numeric_from else str(cell).ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def render(analysis: Analysis, *, tornado_rows: int = 10) -> str:
    result = analysis.result
    currency = result.currency
    out = [f"{analysis.name}", ""]
    out.append(
        table(
            [_("Mått"), _("Värde")],
            [
                [_("Diskonteringsränta (%)"), number(result.discount_rate)],
                [_("Totala insatser (%(currency)s)") % {"currency": currency}, number(result.total_inputs)],
                [_("Årlig effekt (%(currency)s)") % {"currency": currency}, number(result.annual_impact)],
                [_("Totalt nuvärde (%(currency)s)") % {"currency": currency}, number(result.total_present_value)],
                [_("Nettonuvärde (%(currency)s)") % {"currency": currency}, number(result.net_present_value)],
                [_("SROI-kvot"), number(result.sroi_ratio)],
                [_("Netto-SROI-kvot"), number(result.net_sroi_ratio)],
                [_("Återbetalningstid (månader)"), number(result.payback_months, 1)],
                [_("Återbetalningstid, diskonterad (månader)"), number(result.payback_months_discounted, 1)],
            ],
        )
    )
    out.append("")
    out.append(
        table(
            [
                pgettext("social value outcome", "Utfall"),
                _("Intressent"),
                _("Effekt första året"),
                _("Nuvärde"),
                _("Andel"),
            ],
            [
                [
                    row.id,
                    row.stakeholder,
                    number(row.impact),
                    number(row.present_value),
                    number(None if row.share_of_present_value is None else row.share_of_present_value * 100, 1) + " %",
                ]
                for row in result.outcomes
            ],
            numeric_from=2,
        )
    )
    out.append("")
    out.append(
        table(
            [_("År"), _("Värde"), _("Diskonteringsfaktor"), _("Nuvärde"), _("Ackumulerat nuvärde")],
            [
                [
                    str(y.year),
                    number(y.value),
                    number(y.discount_factor, 6),
                    number(y.present_value),
                    number(y.cumulative_present_value),
                ]
                for y in result.years
            ],
        )
    )
    out.append("")
    out.append(_("Känslighet, ett antagande i taget (störst utslag först):"))
    bars = analysis.tornado.bars[:tornado_rows]
    out.append(
        table(
            [_("Antagande"), _("Lågt"), _("Högt"), _("Kvot vid lågt"), _("Kvot vid högt")],
            [
                [
                    bar.label,
                    number(bar.low_value),
                    number(bar.high_value),
                    number(bar.ratio_at_low),
                    number(bar.ratio_at_high),
                ]
                for bar in bars
            ],
        )
    )
    out.append("")
    out.append(_("Brytpunkter (värdet där kvoten blir 1:1):"))
    out.append(
        table(
            [_("Antagande"), _("Nu"), _("Brytpunkt"), _("Giltigt värde")],
            [
                [
                    b.label,
                    number(b.base_value),
                    number(b.value),
                    "–" if b.in_domain is None else (_("ja") if b.in_domain else _("nej")),
                ]
                for b in analysis.break_even
            ],
        )
    )
    if analysis.monte_carlo is not None:
        mc = analysis.monte_carlo
        out.append("")
        out.append(
            _("Monte Carlo: %(draws)s dragningar, frö %(seed)s.") % {"draws": number(mc.draws, 0), "seed": mc.seed}
        )
        if mc.ratio is not None:
            rows = [[_("Percentil %(p)s") % {"p": key}, number(value)] for key, value in mc.ratio.percentiles.items()]
            rows.insert(0, [_("Medelvärde"), number(mc.ratio.mean)])
            rows.append([_("Andel dragningar under 1:1"), number(mc.probability_ratio_below_one * 100, 1) + " %"])
            out.append(table([_("SROI-kvot"), _("Värde")], rows))
    out.append("")
    if analysis.warnings:
        out.append(_("Varningar:"))
        out.extend(f"  [{w.code}] {w.message}" for w in analysis.warnings)
    else:
        out.append(_("Inga varningar."))
    return "\n".join(out)


HELP = gettext_lazy(
    "Beräknar SROI för en effektkarta i JSON eller XLSX och skriver resultatet som tabeller eller JSON."
)


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse formats its texts with re, which needs real strings, not lazy translations.
        self.help = str(HELP)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Effektkartan: en .json- eller .xlsx-fil."))
        parser.add_argument("--format", choices=["table", "json"], default="table", help=_("Utskriftens form."))
        parser.add_argument("--draws", type=int, default=None, help=_("Antal Monte Carlo-dragningar."))
        parser.add_argument("--seed", type=int, default=None, help=_("Frö för slumptalen, för att kunna upprepa."))
        parser.add_argument(
            "--tornado-rows", type=int, default=10, help=_("Hur många antaganden känslighetstabellen visar.")
        )

    def handle(self, *args, file, format, draws, seed, tornado_rows, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Filen %(file)s finns inte.") % {"file": file})
        if draws is not None and not 1 <= draws <= MAX_DRAWS:
            raise CommandError(_("--draws måste vara mellan 1 och %(max)s.") % {"max": MAX_DRAWS})
        if seed is not None and not 0 <= seed < 2**32:
            raise CommandError(_("--seed måste vara mellan 0 och %(max)s.") % {"max": 2**32 - 1})
        suffix = path.suffix.lower()
        try:
            if suffix == ".json":
                impact_map, document = parse_impact_map_json(path.read_bytes())
            elif suffix == ".xlsx":
                impact_map, document = read_xlsx(str(path))
            else:
                raise CommandError(_("Filen måste sluta på .json eller .xlsx."))
            analysis = analyse_document(document, impact_map, draws=draws, seed=seed)
            answer = to_json_dict(analysis)  # also refuses figures that are not finite numbers
        except ImpactMapError as exc:
            lines = [_("Effektkartan innehåller fel:")]
            lines.extend(f"  {e.path}: {e.message}" if e.path else f"  {e.message}" for e in exc.errors)
            raise CommandError("\n".join(lines)) from None
        if format == "json":
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render(analysis, tornado_rows=tornado_rows))
