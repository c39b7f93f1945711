"""An impact map in an XLSX workbook (openpyxl), in the layout documented in
docs/social-value-schema.md: one sheet of settings, then one sheet per table with a header row.

Headers may be the Swedish labels written by write_xlsx or the JSON property names. A workbook is
read into the same JSON document as the API takes, so the validation and its Swedish messages
are the same; error paths are given as sheet and row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any

from openpyxl import load_workbook

from civsam.core.exports import append_row, new_workbook

from .analysis import Analysis
from .errors import FieldError, ImpactMapError
from .i18n import _
from .model import ImpactMap
from .schema import ImpactMapIn
from .validation import parse_impact_map
from .valuemap import read_value_map_document

SETTINGS_SHEET = "Karta"
Column = tuple[str, str, str]  # (JSON name, Swedish header, kind)
# (sheet, JSON list name, [(JSON name, Swedish header, kind)]); kind: "id", "text", "number", "int"
TABLES = (
    ("Intressenter", "stakeholders", [("id", "Id", "id"), ("name", "Namn", "text")]),
    (
        "Insatser",
        "inputs",
        [
            ("id", "Id", "id"),
            ("stakeholder", "Intressent", "id"),
            ("description", "Beskrivning", "text"),
            ("money", "Pengar", "number"),
            ("inKind", "Naturaresurser", "number"),
            ("volunteerHours", "Ideella timmar", "number"),
            ("hourlyRate", "Timvärde", "number"),
            ("year", "År", "int"),
        ],
    ),
    (
        "Utfall",
        "outcomes",
        [
            ("id", "Id", "id"),
            ("stakeholder", "Intressent", "id"),
            ("outcome", "Utfall", "text"),
            ("indicator", "Indikator", "text"),
            ("quantity", "Antal", "number"),
            ("proxy", "Finansiell proxy", "number"),
            ("proxyDescription", "Proxybeskrivning", "text"),
            ("proxySource", "Proxykälla", "text"),
            ("duration", "Varaktighet (år)", "int"),
            ("startYear", "Startår", "int"),
            ("deadweight", "Dödvikt (%)", "number"),
            ("displacement", "Undanträngning (%)", "number"),
            ("attribution", "Tillskrivning (%)", "number"),
            ("dropOff", "Avtagande (%)", "number"),
            ("transfer", "Transferering", "bool"),
            ("proxyPriceYear", "Proxyns prisår", "int"),
            ("proxyCurrency", "Proxyns valuta", "text"),
            ("output", "Prestation", "text"),
        ],
    ),
    (
        "Fördelningar",
        "distributions",
        [
            ("assumption", "Antagande", "text"),
            ("type", "Typ", "text"),
            ("min", "Minimum", "number"),
            ("mode", "Typvärde", "number"),
            ("max", "Maximum", "number"),
            ("mean", "Medelvärde", "number"),
            ("sd", "Standardavvikelse", "number"),
            ("shape", "Form", "number"),
        ],
    ),
)
# (JSON path, Swedish label, kind) for the settings sheet: two columns, label and value.
SETTINGS = (
    ("name", "Namn", "text"),
    ("currency", "Valuta", "text"),
    ("discountRate", "Diskonteringsränta (%)", "number"),
    ("discountFrom", "Diskontering från", "text"),
    ("discountSchedule", "Diskonteringsschema", "text"),
    ("priceYear", "Prisår", "int"),
    ("volunteerHourRate", "Timvärde för ideellt arbete", "number"),
    ("volunteerHourRateSource", "Källa för timvärdet", "text"),
    ("guards.maxDurationYears", "Högsta varaktighet (år)", "int"),
    ("guards.dominanceThreshold", "Dominansgräns (%)", "number"),
    ("guards.ratioLimit", "Kvotgräns", "number"),
    ("monteCarlo.draws", "Monte Carlo-dragningar", "int"),
    ("monteCarlo.seed", "Monte Carlo-frö", "int"),
)


# Nested parts of an outcome, one row each: its justifications and the factors of its proxy's derivation.
JUSTIFICATIONS_SHEET = "Motiveringar"
JUSTIFICATION_COLUMNS: tuple[Column, ...] = (
    ("outcome", "Utfall (id)", "id"),
    ("field", "Fält", "text"),
    ("text", "Motivering", "text"),
    ("evidence", "Belägg", "text"),
    ("grade", "Evidensgrad", "text"),
)
DERIVATIONS_SHEET = "Härledningar"
DERIVATION_COLUMNS: tuple[Column, ...] = (
    ("outcome", "Utfall (id)", "id"),
    ("formula", "Formel", "text"),
    ("value", "Faktor", "number"),
    ("unit", "Enhet", "text"),
)
_TRUE = {"ja", "true", "1", "yes", "sant"}
_FALSE = {"nej", "false", "0", "no", "falskt"}


class NoSettingsSheet(ImpactMapError):
    """Not a workbook in the engine's layout (it may be a value map)."""


def _key(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


def _cell(value: Any, kind: str) -> Any:
    """A cell value as JSON would have it; Swedish decimal commas in text are accepted."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == "id":
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
    if kind == "text":
        return str(value).strip()
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = _key(value)
        return True if text in _TRUE else False if text in _FALSE else value
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return value  # left for the schema to refuse in Swedish
        return int(number) if kind == "int" and number.is_integer() else number
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _set(document: dict[str, Any], dotted: str, value: Any) -> None:
    target = document
    *parents, last = dotted.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value


def read_document(source: str | IO[bytes]) -> dict[str, Any]:
    """The workbook as a JSON document (not yet validated)."""
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise ImpactMapError([FieldError("", _("Filen kunde inte läsas som en XLSX-arbetsbok."))]) from exc
    document: dict[str, Any] = {}
    sheets = {_key(name): workbook[name] for name in workbook.sheetnames}
    settings = sheets.get(_key(SETTINGS_SHEET))
    if settings is None:
        workbook.close()
        raise NoSettingsSheet([FieldError("", _("Arbetsboken saknar bladet ”%(sheet)s”.") % {"sheet": SETTINGS_SHEET})])
    by_label = {_key(label): (path, kind) for path, label, kind in SETTINGS}
    by_label.update({_key(path): (path, kind) for path, _label, kind in SETTINGS})
    for row in settings.iter_rows(min_row=1, max_col=2, values_only=True):
        if not row or row[0] is None:
            continue
        found = by_label.get(_key(row[0]))
        if found is None:
            continue  # a title or a note on the sheet
        value = _cell(row[1] if len(row) > 1 else None, found[1])
        if value is not None:
            _set(document, found[0], value)

    for sheet_name, list_name, columns in TABLES:
        sheet = sheets.get(_key(sheet_name))
        if sheet is None:
            continue
        document[list_name] = _records(sheet, columns)
    _attach_nested(document, sheets)
    workbook.close()
    return document


def _records(sheet: Any, columns: Iterable[Column]) -> list[dict[str, Any]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    lookup = {}
    for json_name, label, kind in columns:
        lookup[_key(label)] = (json_name, kind)
        lookup[_key(json_name)] = (json_name, kind)
    mapping = {index: lookup.get(_key(title)) for index, title in enumerate(header)}
    records = []
    for row in rows:
        record = {}
        for index, value in enumerate(row):
            target = mapping.get(index)
            if target is None:
                continue
            converted = _cell(value, target[1])
            if converted is not None:
                record[target[0]] = converted
        if record:
            records.append(record)
    return records


def _attach_nested(document: dict[str, Any], sheets: dict[str, Any]) -> None:
    """Justifications and derivation factors, one row each, onto the outcomes they name. A row
    naming an outcome that is not there becomes an outcome of its own, which the schema refuses."""
    outcomes: dict[str, dict[str, Any]] = {str(o.get("id")): o for o in document.get("outcomes", [])}

    def target(outcome_id: Any) -> dict[str, Any]:
        key = str(outcome_id)
        if key not in outcomes:
            outcomes[key] = {"id": key}
            document.setdefault("outcomes", []).append(outcomes[key])
        return outcomes[key]

    sheet = sheets.get(_key(JUSTIFICATIONS_SHEET))
    if sheet is not None:
        for record in _records(sheet, JUSTIFICATION_COLUMNS):
            outcome = target(record.pop("outcome", ""))
            field = record.pop("field", "")
            outcome.setdefault("justifications", {})[field] = record
    sheet = sheets.get(_key(DERIVATIONS_SHEET))
    if sheet is not None:
        for record in _records(sheet, DERIVATION_COLUMNS):
            outcome = target(record.pop("outcome", ""))
            derivation = outcome.setdefault("proxyDerivation", {"factors": []})
            formula = record.pop("formula", None)
            if formula:
                derivation["formula"] = formula
            derivation["factors"].append(record)


def _location(path: str) -> str:
    """outcomes[2].quantity -> "Utfall, rad 4, Antal"."""
    match = re.match(r"^(\w+)\[(\d+)\](?:\.(\w+))?", path)
    if match:
        for sheet_name, list_name, columns in TABLES:
            if list_name == match.group(1):
                text = _("%(sheet)s, rad %(row)s") % {"sheet": sheet_name, "row": int(match.group(2)) + 2}
                labels = {json_name: label for json_name, label, _kind in columns}
                if match.group(3) in labels:
                    text += f", {labels[match.group(3)]}"
                return text
    for dotted, label, _kind in SETTINGS:
        if path == dotted:
            return f"{SETTINGS_SHEET}, {label}"
    return path


def read_xlsx(source: str | IO[bytes]) -> tuple[ImpactMap, ImpactMapIn]:
    """A workbook in the engine's layout or, failing that, in the value-map layout (valuemap.py)."""
    try:
        document = read_document(source)
    except NoSettingsSheet as missing:
        if not isinstance(source, str):
            source.seek(0)
        try:
            document = read_value_map_document(source)
        except ImpactMapError:
            raise missing from None
        return parse_impact_map(document)
    try:
        return parse_impact_map(document)
    except ImpactMapError as exc:
        raise ImpactMapError([FieldError(_location(e.path), e.message) for e in exc.errors]) from None


def _rows(items: Iterable[dict[str, Any]], columns: Iterable[Column]) -> Iterable[list[Any]]:
    for item in items:
        yield [item.get(json_name) for json_name, _label, _kind in columns]


def write_xlsx(document: ImpactMapIn, target: str | IO[bytes], analysis: Analysis | None = None) -> None:
    """Write a map in the documented layout; with an analysis, also a sheet of results.

    Cells go through Civsam's spreadsheet cell writer (civsam.core.exports), so that text such as
    "=1+1" or "-10 % återfall" stays text, exactly as written, and read_xlsx gets it back."""
    data = document.model_dump(mode="json", by_alias=True)
    workbook = new_workbook()
    settings = workbook.worksheets[0]  # a new workbook's one sheet
    settings.title = SETTINGS_SHEET
    append_row(settings, [_("Fält"), _("Värde")])
    for dotted, label, _kind in SETTINGS:
        value: Any = data
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        append_row(settings, [label, value])
    for sheet_name, list_name, columns in TABLES:
        sheet = workbook.create_sheet(sheet_name)
        append_row(sheet, [label for _json, label, _kind in columns])
        for row in _rows(data[list_name], columns):
            append_row(sheet, row)
    sheet = workbook.create_sheet(JUSTIFICATIONS_SHEET)
    append_row(sheet, [label for _json, label, _kind in JUSTIFICATION_COLUMNS])
    for outcome in data["outcomes"]:
        for field, note in (outcome.get("justifications") or {}).items():
            append_row(sheet, [outcome["id"], field, note["text"], note["evidence"], note["grade"]])
    sheet = workbook.create_sheet(DERIVATIONS_SHEET)
    append_row(sheet, [label for _json, label, _kind in DERIVATION_COLUMNS])
    for outcome in data["outcomes"]:
        derivation = outcome.get("proxyDerivation")
        if derivation:
            for index, item in enumerate(derivation["factors"]):
                append_row(
                    sheet, [outcome["id"], derivation["formula"] if index == 0 else None, item["value"], item["unit"]]
                )
    if analysis is not None:
        result = analysis.result
        sheet = workbook.create_sheet(_("Resultat"))
        append_row(sheet, [_("Mått"), _("Värde")])
        for label, value in (
            (_("Totala insatser"), result.total_inputs),
            (_("Årlig effekt"), result.annual_impact),
            (_("Totalt nuvärde"), result.total_present_value),
            (_("Nettonuvärde"), result.net_present_value),
            (_("SROI-kvot"), result.sroi_ratio),
            (_("Netto-SROI-kvot"), result.net_sroi_ratio),
            (_("Återbetalningstid (månader)"), result.payback_months),
        ):
            append_row(sheet, [label, value])
    workbook.save(target)


TEMPLATE_SHEET = "Instruktioner"
# The instructions in the blank workbook, in Swedish and English side by side: whoever fills it in
# may read either. (sheet or column, Swedish, English)
TEMPLATE_INSTRUCTIONS = (
    (
        "",
        "Fyll i effektkartan på bladen nedan och ladda upp filen som effektkarta för en analys i Civsam. "
        "Ändra inte rubrikraderna. Decimaler får skrivas med komma. Det här bladet läses inte in.",
        "Fill in the impact map on the sheets below and upload the file as the impact map of an analysis "
        "in Civsam. Do not change the header rows. Decimals may be written with a comma. This sheet is not read.",
    ),
    (
        SETTINGS_SHEET,
        "Kartans namn, valuta (SEK) och diskonteringsränta i procent; timvärdet för ideellt arbete och "
        "dess källa om insatserna har ideella timmar.",
        "The map's name, currency (SEK) and discount rate in per cent; the hourly value of volunteer work "
        "and its source if the inputs have volunteer hours.",
    ),
    (
        "Intressenter",
        "En rad per intressent: ett kort id (bokstäver, siffror, bindestreck) och ett namn.",
        "One row per stakeholder: a short id (letters, digits, hyphens) and a name.",
    ),
    (
        "Insatser",
        "Resurserna som sätts in: intressentens id, pengar och naturaresurser i kronor, ideella timmar.",
        "The inputs: the stakeholder's id, money and in-kind resources in kronor, volunteer hours.",
    ),
    (
        "Utfall",
        "En rad per förändring: intressentens id, antal, finansiell proxy i kronor per person och år (med "
        "källa), varaktighet i år, och dödvikt, undanträngning, tillskrivning och avtagande i procent.",
        "One row per outcome: the stakeholder's id, quantity, financial proxy in kronor per person and year "
        "(with its source), duration in years, and deadweight, displacement, attribution and drop-off in per cent.",
    ),
    (
        "Fördelningar",
        "Valfritt: osäkerhet per antagande, till exempel outcomes.<id>.deadweight, som triangular, "
        "uniform, normal eller pert.",
        "Optional: uncertainty per assumption, for example outcomes.<id>.deadweight, as triangular, "
        "uniform, normal or pert.",
    ),
)


def write_template(target: str | IO[bytes]) -> None:
    """A blank workbook in the layout read_xlsx reads: a sheet of instructions in Swedish and
    English first, the settings sheet with its defaults, and every table sheet with its header row."""
    from .model import DEFAULT_DISCOUNT_RATE

    workbook = new_workbook()
    instructions = workbook.worksheets[0]
    instructions.title = TEMPLATE_SHEET
    append_row(instructions, ["Blad / Sheet", "Svenska", "English"])
    for row in TEMPLATE_INSTRUCTIONS:
        append_row(instructions, list(row))
    instructions.column_dimensions["A"].width = 16
    for column in ("B", "C"):
        instructions.column_dimensions[column].width = 80
    settings = workbook.create_sheet(SETTINGS_SHEET)
    append_row(settings, [_("Fält"), _("Värde")])
    defaults = {"currency": "SEK", "discountRate": DEFAULT_DISCOUNT_RATE}
    for dotted, label, _kind in SETTINGS:
        append_row(settings, [label, defaults.get(dotted)])
    for sheet_name, _list_name, columns in TABLES:
        sheet = workbook.create_sheet(sheet_name)
        append_row(sheet, [label for _json, label, _kind in columns])
    workbook.save(target)
