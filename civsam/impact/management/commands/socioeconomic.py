"""python manage.py socioeconomic FILE.json [--format table|json]

The same calculation as POST /api/v1/social-value/socio-economic-accounts, from a file, printed as
tables (per bearer and year) or as the API's JSON. Nothing is stored.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civsam.impact.engine import ImpactMapError
from civsam.impact.engine.socioeconomic import Account, account, bearer_label
from civsam.impact.engine.socioeconomic_io import account_out, parse_case
from civsam.impact.management.commands.sroi import number, table
from civsam.impact.socio_accounts import society_label


def render(result: Account) -> str:
    out = [result.name, ""]
    out.append(
        _("Enhetskostnader: %(table)s, %(currency)s i %(year)s års priser. Diskonteringsränta %(rate)s %%.")
        % {
            "table": result.table,
            "currency": result.currency,
            "year": result.price_year,
            "rate": number(result.discount_rate),
        }
    )
    out.append("")
    headers = [_("År"), *(str(b.label) for b in result.bearers), society_label()]
    rows = [
        [str(year), *(number(b.net[year - 1]) for b in result.bearers), number(result.society_net[year - 1])]
        for year in range(1, result.years + 1)
    ]
    rows.append([_("Summa"), *(number(b.total_net) for b in result.bearers), number(result.society_total)])
    rows.append(
        [_("Nuvärde"), *(number(b.present_value) for b in result.bearers), number(result.society_present_value)]
    )
    out.append(_("Netto per bärare och år (positivt är pengar in eller sparade):"))
    out.append(table(headers, rows))
    out.append("")
    out.append(_("Per post och bärare, summa över alla år:"))
    out.append(
        table(
            [_("Post"), _("Bärare"), _("Summa")],
            [[line.label, str(bearer_label(line.bearer)), number(line.total)] for line in result.lines],
            numeric_from=2,
        )
    )
    out.append("")
    if result.uses_illustrative_figures:
        out.append(_("Obs! Bokslutet bygger på illustrativa exempel, inte belagda tal."))
    out.append(_("Källor:"))
    out.extend(f"  {s.publisher}: {s.title} ({s.year})" for s in result.sources)
    return "\n".join(out)


HELP = gettext_lazy(
    "Räknar ett socioekonomiskt bokslut ur en JSON-fil och skriver resultatet per bärare och år som tabeller "
    "eller JSON."
)


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse formats its texts with re, which needs real strings, not lazy translations.
        self.help = str(HELP)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Bokslutet: en .json-fil enligt schemat."))
        parser.add_argument("--format", choices=["table", "json"], default="table", help=_("Utskriftens form."))

    def handle(self, *args, file, format, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Filen %(file)s finns inte.") % {"file": file})
        try:
            data = json.loads(path.read_bytes())
        except UnicodeDecodeError:
            raise CommandError(_("Filen är inte giltig JSON: den är inte kodad i UTF-8.")) from None
        except json.JSONDecodeError as exc:
            raise CommandError(
                _("Filen är inte giltig JSON: fel på rad %(line)s, kolumn %(column)s.")
                % {"line": exc.lineno, "column": exc.colno}
            ) from None
        try:
            case, unit_costs = parse_case(data)
        except ImpactMapError as exc:
            lines = [_("Bokslutet innehåller fel:")]
            lines.extend(f"  {e.path}: {e.message}" if e.path else f"  {e.message}" for e in exc.errors)
            raise CommandError("\n".join(lines)) from None
        result = account(case, unit_costs)
        if format == "json":
            body = account_out(result).model_dump(mode="json", by_alias=True)
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render(result))
