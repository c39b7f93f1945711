"""Reading a funder's list of grant decisions: the header, then each row's cells checked and
converted, with every problem as a sentence in Swedish naming the line. Pure Python, no
database; the file itself is read by civsam.core.tabular.

Columns (header names in Swedish, case and spaces ignored; the English name works too):

    diarienummer*  organisationsnummer*  mottagare  program  källa  bidragsform
    sökt belopp  beviljat belopp*  utbetalt belopp  år*  beslutsdatum*  ändamål

`år` is one year ("2025") or a period ("2025–2027", also with "-"); amounts are written the
Swedish way or plain ("12 500,50", "12500.50", "12 500 kr"); dates as ÅÅÅÅ-MM-DD.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from civsam.core.tabular import ImportFileError
from civsam.registry import orgnr as orgnr_rules

COLUMNS: dict[str, tuple[str, ...]] = {
    "case_number": ("diarienummer", "dnr", "case number", "case_number"),
    "orgnr": ("organisationsnummer", "orgnr", "organisation number"),
    "recipient_name": ("mottagare", "organisation", "recipient"),
    "programme": ("program", "bidrag", "programme"),
    "source": ("källa", "finansieringskälla", "source"),
    "grant_form": ("bidragsform", "grant form", "grant_form"),
    "amount_applied": ("sökt belopp", "sökt", "amount applied", "amount_applied"),
    "amount_granted": ("beviljat belopp", "beviljat", "amount granted", "amount_granted"),
    "amount_paid": ("utbetalt belopp", "utbetalt", "amount paid", "amount_paid"),
    "years": ("år", "bidragsår", "year", "years"),
    "decision_date": ("beslutsdatum", "beslutsdag", "decision date", "decision_date"),
    "purpose": ("ändamål", "syfte", "purpose"),
}
REQUIRED = ("case_number", "orgnr", "amount_granted", "years", "decision_date")
LABELS = {field: names[0] for field, names in COLUMNS.items()}

# Grant forms as written in decision lists, to their codes (GrantForm).
GRANT_FORMS = {
    "operating": "operating",
    "verksamhetsbidrag": "operating",
    "grundbidrag": "operating",
    "organisationsbidrag": "operating",
    "project": "project",
    "projektbidrag": "project",
    "projekt": "project",
    "activity": "activity",
    "aktivitetsbidrag": "activity",
    "aktivitetsstöd": "activity",
    "premises": "premises",
    "lokalbidrag": "premises",
    "lokalstöd": "premises",
    "investment": "investment",
    "investeringsbidrag": "investment",
    "anläggningsbidrag": "investment",
    "other": "other",
    "övrigt": "other",
    "övrigt bidrag": "other",
}
MAX_AMOUNT = Decimal("999999999999.99")
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–—/]\s*(\d{4}))?\s*$")
_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")


@dataclass(slots=True)
class ParsedRow:
    line: int
    case_number: str
    orgnr: str
    recipient_name: str
    programme: str
    source: str
    grant_form: str
    amount_applied: Decimal | None
    amount_granted: Decimal
    amount_paid: Decimal | None
    year_from: int
    year_to: int
    decision_date: datetime.date
    purpose: str


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    message: str


def _name(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").replace("_", " ").split()).casefold()


def parse_header(cells: list[str]) -> dict[str, int]:
    """{field: column index}; ImportFileError naming what is missing or doubled."""
    aliases = {_name(alias): field for field, names in COLUMNS.items() for alias in names}
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        field = aliases.get(_name(cell))
        if field is None:
            continue
        if field in found:
            raise ImportFileError(_("Kolumnen ”%(name)s” finns två gånger i rubrikraden.") % {"name": LABELS[field]})
        found[field] = index
    missing = [LABELS[field] for field in REQUIRED if field not in found]
    if missing:
        raise ImportFileError(
            _("Rubrikraden saknar kolumnerna: %(names)s. Se mallen för vilka kolumner som behövs.")
            % {"names": ", ".join(missing)}
        )
    return found


def parse_amount(text: str) -> Decimal | None:
    """ "12 500,50", "12500.50", "12 500 kr" → Decimal; "" → None; ValueError if not a sum."""
    cleaned = text.replace("\u00a0", " ").replace("\u202f", " ").strip()
    if not cleaned:
        return None
    cleaned = re.sub(r"\s*(kr|sek|:-)\.?$", "", cleaned, flags=re.IGNORECASE).replace(" ", "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")  # 12.500,50
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(cleaned) from exc
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise ValueError(cleaned)
    return value.quantize(Decimal("0.01"))


def _amount_label(field: str) -> str:
    # Translated only for a row in error: gettext per cell is a tenth of an import's time.
    return {"amount_applied": _("sökt belopp"), "amount_granted": _("beviljat belopp")}.get(field) or _(
        "utbetalt belopp"
    )


def parse_row(line: int, cells: list[str], header: dict[str, int]) -> ParsedRow | list[RowError]:
    def cell(field: str) -> str:
        index = header.get(field)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    errors: list[str] = []
    case_number = cell("case_number")
    if not case_number:
        errors.append(_("diarienummer saknas"))
    elif len(case_number) > 40:
        errors.append(_("diarienumret får vara högst 40 tecken"))
    orgnr = ""
    try:
        orgnr = orgnr_rules.normalise(cell("orgnr"))
    except orgnr_rules.OrgnrError as exc:
        errors.append(str(exc).rstrip("."))
    amounts: dict[str, Decimal | None] = {}
    for field in ("amount_applied", "amount_granted", "amount_paid"):
        try:
            amounts[field] = parse_amount(cell(field))
        except ValueError:
            errors.append(
                _("%(label)s ”%(value)s” är inte ett belopp i kronor (till exempel 12 500 eller 12 500,50)")
                % {"label": _amount_label(field), "value": cell(field)}
            )
            amounts[field] = None
    if amounts.get("amount_granted") is None and cell("amount_granted") == "":
        errors.append(_("beviljat belopp saknas"))
    year_from = year_to = 0
    match = _YEARS.match(cell("years"))
    if not match:
        errors.append(_("år ”%(value)s” ska vara ett år (2025) eller en period (2025–2027)") % {"value": cell("years")})
    else:
        year_from = int(match.group(1))
        year_to = int(match.group(2) or match.group(1))
        if year_to < year_from:
            errors.append(_("perioden %(value)s slutar före den börjar") % {"value": cell("years")})
        elif year_from < 1900 or year_to > 2200:
            errors.append(_("år ”%(value)s” är inte ett rimligt årtal") % {"value": cell("years")})
    decision_date = None
    date_match = _DATE.match(cell("decision_date"))
    if date_match:
        try:
            decision_date = datetime.date(*(int(part) for part in date_match.groups()))
        except ValueError:
            decision_date = None
    if decision_date is None:
        errors.append(
            _("beslutsdatum ”%(value)s” ska skrivas ÅÅÅÅ-MM-DD") % {"value": cell("decision_date")}
            if cell("decision_date")
            else _("beslutsdatum saknas")
        )
    grant_form_text = _name(cell("grant_form"))
    grant_form = GRANT_FORMS.get(grant_form_text, "") if grant_form_text else "project"
    if not grant_form:
        errors.append(
            _(
                "bidragsformen ”%(value)s” är okänd; använd verksamhetsbidrag, projektbidrag, aktivitetsbidrag, "
                "lokalbidrag, investeringsbidrag eller övrigt"
            )
            % {"value": cell("grant_form")}
        )
    programme, purpose = cell("programme"), cell("purpose")
    if len(programme) > 200:
        errors.append(_("programmets namn får vara högst 200 tecken"))
    if len(purpose) > 2000:
        errors.append(_("ändamålet får vara högst 2 000 tecken"))
    granted = amounts["amount_granted"]
    if errors or granted is None or decision_date is None:
        return [RowError(line, _("Rad %(line)s: %(problem)s.") % {"line": line, "problem": e}) for e in errors]
    return ParsedRow(
        line=line,
        case_number=case_number,
        orgnr=orgnr,
        recipient_name=cell("recipient_name"),
        programme=programme,
        source=cell("source"),
        grant_form=grant_form,
        amount_applied=amounts["amount_applied"],
        amount_granted=granted,
        amount_paid=amounts["amount_paid"],
        year_from=year_from,
        year_to=year_to,
        decision_date=decision_date,
        purpose=purpose,
    )


TEMPLATE_HEADER = [
    "diarienummer",
    "organisationsnummer",
    "mottagare",
    "program",
    "källa",
    "bidragsform",
    "sökt belopp",
    "beviljat belopp",
    "utbetalt belopp",
    "år",
    "beslutsdatum",
    "ändamål",
]
