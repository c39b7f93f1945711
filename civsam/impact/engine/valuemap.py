"""Import and export of an impact map in the value-map layout SROI practitioners use (the SROI
Network's value-map template: one row per outcome, grouped by stakeholder, with the inputs, the
outputs, the outcome and its indicator, quantity, duration, financial proxy and the four
adjustments). The layout is described in docs/social-value-schema.md, "Value-map layout"; this
module is the project's own reading of it, not a copy of the template.

Reading: the first sheet whose header row names stakeholders and an outcome. Headers are matched
in English or Swedish, case and punctuation aside. A blank stakeholder cell continues the one
above (the template leaves it blank under the first row). Percentages are per cent (25 for 25 %);
a cell formatted as a percentage (0.25 shown as 25 %) is read as 25. Identifiers are given in
order: s1, s2 … for stakeholders, i1 … for inputs and o1 … for outcomes.
What the layout cannot hold (distributions, justifications other than the indicator's source,
derivations, hourly values) is not in a value map: the engine's JSON and XLSX carry everything.
"""

from __future__ import annotations

import re
from typing import IO, Any

from openpyxl import load_workbook

from civsam.core.exports import append_row, new_workbook

from .errors import FieldError, ImpactMapError
from .i18n import _
from .model import ImpactMap
from .schema import ImpactMapIn
from .validation import parse_impact_map

SHEET = "Value map"
# (key, header written, headers read)
COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("stakeholder", "Stakeholders", ("stakeholders", "stakeholder", "intressenter", "intressent")),
    ("inputDescription", "Inputs", ("inputs", "input", "inputs description", "insatser", "insats")),
    ("inputValue", "Inputs value", ("inputs value", "input value", "value of inputs", "insatsernas värde")),
    ("output", "Outputs", ("outputs", "output", "prestationer", "prestation")),
    (
        "outcome",
        "Outcome description",
        ("outcome description", "outcome", "outcomes", "the outcomes what changes", "utfall"),
    ),
    ("indicator", "Indicator", ("indicator", "indikator")),
    ("indicatorSource", "Indicator source", ("indicator source", "source of indicator", "källa för indikatorn")),
    ("quantity", "Quantity", ("quantity", "antal")),
    ("duration", "Duration", ("duration", "varaktighet")),
    ("start", "Outcome starts", ("outcome starts", "outcomes start", "start", "startar")),
    ("proxyDescription", "Financial proxy", ("financial proxy", "finansiell proxy")),
    ("proxy", "Value of proxy", ("value of proxy", "proxy value", "value", "proxyns värde", "värde")),
    ("proxySource", "Proxy source", ("proxy source", "source of proxy", "proxykälla", "källa")),
    ("deadweight", "Deadweight %", ("deadweight", "dödvikt")),
    ("displacement", "Displacement %", ("displacement", "undanträngning")),
    ("attribution", "Attribution %", ("attribution", "tillskrivning")),
    ("dropOff", "Drop off %", ("drop off", "dropoff", "avtagande")),
)
PERCENTS = {"deadweight", "displacement", "attribution", "dropOff"}
NUMBERS = {"inputValue", "quantity", "duration", "proxy", *PERCENTS}
SETTINGS = (("name", "Project"), ("currency", "Currency"), ("discountRate", "Discount rate %"))
SETTING_NAMES = {
    "project": "name",
    "name": "name",
    "namn": "name",
    "currency": "currency",
    "valuta": "currency",
    "discount rate": "discountRate",
    "diskonteringsränta": "discountRate",
}
DURING = {"during", "under", "1", "in the period of activity"}
AFTER = {"after", "efter", "2", "in the period after"}


def _key(text: Any) -> str:
    return re.sub(r"[^\w]+", " ", str(text or "").casefold()).strip()


LOOKUP = {_key(name): key for key, _written, names in COLUMNS for name in names}


def is_value_map(sheetnames: list[str], header_rows: list[tuple[Any, ...]]) -> bool:
    return any({"stakeholder", "outcome"} <= {LOOKUP.get(_key(c)) for c in row} for row in header_rows)


def _number(value: Any, cell_format: str, key: str) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "").replace("%", "").replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            return value  # left for the schema to refuse
    if key in PERCENTS and "%" in (cell_format or ""):
        value = round(float(value) * 100, 9)
    if key == "duration" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_value_map_document(source: str | IO[bytes]) -> dict[str, Any]:
    try:
        workbook = load_workbook(source, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise ImpactMapError([FieldError("", _("Filen kunde inte läsas som en XLSX-arbetsbok."))]) from exc
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows())
        for position, row in enumerate(rows):
            keys = [LOOKUP.get(_key(cell.value)) for cell in row]
            if {"stakeholder", "outcome"} <= set(keys):
                return _document(rows[:position], keys, rows[position + 1 :], sheet.title)
    raise ImpactMapError(
        [FieldError("", _("Arbetsboken har ingen värdekarta: ingen rubrikrad med intressenter och utfall."))]
    )


def _document(settings_rows: list[Any], keys: list[str | None], rows: list[Any], title: str) -> dict[str, Any]:
    document: dict[str, Any] = {"name": title, "stakeholders": [], "inputs": [], "outcomes": []}
    for row in settings_rows:
        if len(row) >= 2 and _key(row[0].value) in SETTING_NAMES and row[1].value is not None:
            name = SETTING_NAMES[_key(row[0].value)]
            document[name] = _number(row[1].value, "", "proxy") if name == "discountRate" else str(row[1].value)
    stakeholder_ids: dict[str, str] = {}
    current = None
    for row in rows:
        record: dict[str, Any] = {}
        for cell, key in zip(row, keys, strict=False):
            if key is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                continue
            record[key] = _number(cell.value, cell.number_format, key) if key in NUMBERS else str(cell.value).strip()
        if not record:
            continue
        if "stakeholder" in record:
            current = record["stakeholder"]
        if current is None:
            current = _("Okänd intressent")
        if current not in stakeholder_ids:
            stakeholder_ids[current] = f"s{len(stakeholder_ids) + 1}"
            document["stakeholders"].append({"id": stakeholder_ids[current], "name": current})
        sid = stakeholder_ids[current]
        if "inputDescription" in record or "inputValue" in record:
            document["inputs"].append(
                {
                    "id": f"i{len(document['inputs']) + 1}",
                    "stakeholder": sid,
                    "description": record.get("inputDescription", ""),
                    "money": record.get("inputValue", 0),
                }
            )
        outcome_keys = set(record) - {"stakeholder", "inputDescription", "inputValue"}
        if not outcome_keys:
            continue
        outcome: dict[str, Any] = {"id": f"o{len(document['outcomes']) + 1}", "stakeholder": sid}
        for key in (
            "outcome",
            "output",
            "indicator",
            "quantity",
            "duration",
            "proxyDescription",
            "proxy",
            "proxySource",
        ):
            if key in record:
                outcome[key] = record[key]
        for key in PERCENTS:
            if key in record:
                outcome[key] = record[key]
        start = _key(record.get("start", ""))
        if start in AFTER:
            outcome["startYear"] = 2
        elif start and start not in DURING:
            outcome["startYear"] = record["start"]  # refused by the schema with its own message
        if "indicatorSource" in record:
            outcome["justifications"] = {"quantity": {"evidence": record["indicatorSource"]}}
        document["outcomes"].append(outcome)
    return document


def read_value_map(source: str | IO[bytes]) -> tuple[ImpactMap, ImpactMapIn]:
    return parse_impact_map(read_value_map_document(source))


def write_value_map(document: ImpactMapIn, target: str | IO[bytes]) -> None:
    """The map in the value-map layout: one row per outcome or input, grouped by stakeholder."""
    data = document.model_dump(mode="json", by_alias=True)
    workbook = new_workbook()
    sheet = workbook.worksheets[0]
    sheet.title = SHEET
    for name, label in SETTINGS:
        append_row(sheet, [label, data[name]])
    append_row(sheet, [])
    append_row(sheet, [written for _key_, written, _names in COLUMNS])
    names = {s["id"]: s["name"] for s in data["stakeholders"]}
    for stakeholder in data["stakeholders"]:
        inputs = [i for i in data["inputs"] if i["stakeholder"] == stakeholder["id"]]
        outcomes = [o for o in data["outcomes"] if o["stakeholder"] == stakeholder["id"]]
        for index in range(max(len(inputs), len(outcomes), 1)):
            values: dict[str, Any] = {"stakeholder": names[stakeholder["id"]] if index == 0 else None}
            if index < len(inputs):
                item = inputs[index]
                values.update(inputDescription=item["description"], inputValue=item["money"])
            if index < len(outcomes):
                o = outcomes[index]
                evidence = ((o.get("justifications") or {}).get("quantity") or {}).get("evidence")
                values.update(
                    output=o.get("output") or None,
                    outcome=o["outcome"],
                    indicator=o["indicator"],
                    indicatorSource=evidence or None,
                    quantity=o["quantity"],
                    duration=o["duration"],
                    start="after" if o["startYear"] == 2 else "during",
                    proxyDescription=o["proxyDescription"],
                    proxy=o["proxy"],
                    proxySource=o["proxySource"],
                    deadweight=o["deadweight"],
                    displacement=o["displacement"],
                    attribution=o["attribution"],
                    dropOff=o["dropOff"],
                )
            append_row(sheet, [values.get(key) for key, _written, _names in COLUMNS])
    workbook.save(target)
