"""Impact maps in XLSX: the documented layout, read and written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from civsam.impact.engine import ImpactMapError, analyse_document, parse_impact_map_json
from civsam.impact.engine.xlsx import read_document, read_xlsx, write_xlsx

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "impact-map-example.json"


def workbook_bytes(book: Workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_write_then_read_gives_the_same_map():
    impact_map, parsed = parse_impact_map_json(EXAMPLE.read_bytes())
    buffer = io.BytesIO()
    write_xlsx(parsed, buffer, analyse_document(parsed, impact_map))
    buffer.seek(0)
    again_map, again = read_xlsx(buffer)
    assert again_map == impact_map
    assert again.monte_carlo == parsed.monte_carlo
    buffer.seek(0)
    book = load_workbook(buffer)
    assert book.sheetnames == [
        "Karta",
        "Intressenter",
        "Insatser",
        "Utfall",
        "Fördelningar",
        "Motiveringar",
        "Härledningar",
        "Resultat",
    ]
    assert [c.value for c in book["Utfall"][1]][:6] == [
        "Id",
        "Intressent",
        "Utfall",
        "Indikator",
        "Antal",
        "Finansiell proxy",
    ]


def hand_made() -> Workbook:
    """A workbook as a person might type it: JSON names in one header, Swedish in another, commas."""
    book = Workbook()
    sheet = book.active
    sheet.title = "karta"
    sheet.append(["Effektkarta för vår förening"])  # a title row, ignored
    sheet.append(["Namn", "Läxhjälp"])
    sheet.append(["Diskonteringsränta (%)", "3,5"])
    book.create_sheet("Intressenter").append(["id", "name"])
    book["Intressenter"].append([1, "Elever"])
    inputs = book.create_sheet("Insatser")
    inputs.append(["Id", "Intressent", "Pengar"])
    inputs.append(["bidrag", 1, "10 000"])
    outcomes = book.create_sheet("Utfall")
    outcomes.append(
        ["Id", "Intressent", "Utfall", "Antal", "Finansiell proxy", "Proxykälla", "Varaktighet (år)", "dropOff"]
    )
    outcomes.append(["betyg", 1, "Bättre betyg", 12, 2000, "Exempel", 2.0, "12,5"])
    outcomes.append([None, None, None, None, None, None, None, None])  # an empty row is skipped
    return book


def test_read_a_hand_made_workbook():
    impact_map, _parsed = read_xlsx(workbook_bytes(hand_made()))
    assert impact_map.name == "Läxhjälp"
    assert impact_map.discount_rate == 3.5
    assert impact_map.stakeholders[0].id == "1"
    assert impact_map.inputs[0].money == 10_000.0
    (row,) = impact_map.outcomes
    assert (row.quantity, row.proxy, row.duration, row.drop_off) == (12, 2000, 2, 12.5)


def test_errors_point_to_sheet_and_row():
    book = hand_made()
    book["Utfall"]["D2"] = "tolv"
    book["Insatser"]["B2"] = "okänd"
    with pytest.raises(ImpactMapError) as info:
        read_xlsx(workbook_bytes(book))
    paths = {e.path: e.message for e in info.value.errors}
    assert paths == {"Utfall, rad 2, Antal": "Måste vara ett tal."}
    book["Utfall"]["D2"] = 12
    with pytest.raises(ImpactMapError) as info:
        read_xlsx(workbook_bytes(book))
    assert [e.path for e in info.value.errors] == ["Insatser, rad 2, Intressent"]


def test_missing_settings_sheet_and_not_a_workbook():
    book = Workbook()
    book.active.title = "Något annat"
    with pytest.raises(ImpactMapError) as info:
        read_document(workbook_bytes(book))
    assert "saknar bladet ”Karta”" in info.value.errors[0].message
    with pytest.raises(ImpactMapError) as info:
        read_document(io.BytesIO(b"not a zip"))
    assert info.value.errors[0].message == "Filen kunde inte läsas som en XLSX-arbetsbok."


def test_start_year_round_trips_and_defaults_to_one():
    data = EXAMPLE.read_text(encoding="utf-8").replace('"duration": 2,', '"duration": 2, "startYear": 2,')
    impact_map, parsed = parse_impact_map_json(data)
    assert [o.start_year for o in impact_map.outcomes] == [1, 1, 2]
    buffer = io.BytesIO()
    write_xlsx(parsed, buffer)
    buffer.seek(0)
    assert "Startår" in [c.value for c in load_workbook(buffer)["Utfall"][1]]
    buffer.seek(0)
    again, _document = read_xlsx(buffer)
    assert again == impact_map
    # A workbook without the column (the layout before it existed) starts every outcome in year 1.
    assert all(o.start_year == 1 for o in read_xlsx(workbook_bytes(hand_made()))[0].outcomes)


# --- Text that a spreadsheet would take for a formula (issue #11) --------------------------------

HOSTILE_TEXTS = [
    "=1+1",
    '=HYPERLINK("http://example.com","klicka")',
    "=cmd|' /C calc'!A0",
    "+46 19 123 45",
    "-10 % återfall",
    "@SUM(A1:A3)",
    "==",
]


def hostile_map() -> dict:
    texts = iter(HOSTILE_TEXTS * 3)
    return {
        "name": next(texts),
        "volunteerHourRateSource": next(texts),
        "stakeholders": [{"id": "-s1", "name": next(texts)}, {"id": "s2", "name": next(texts)}],
        "inputs": [{"id": "-i1", "stakeholder": "s2", "description": next(texts), "money": 1000}],
        "outcomes": [
            {
                "id": "-o1",
                "stakeholder": "-s1",
                "outcome": next(texts),
                "indicator": next(texts),
                "quantity": 10,
                "proxy": -100,
                "proxyDescription": next(texts),
                "proxySource": next(texts),
                "duration": 2,
            }
        ],
        "distributions": [{"assumption": "outcomes.-o1.quantity", "type": "uniform", "min": 5, "max": 15}],
    }


def written(parsed) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(parsed, buffer)
    return buffer.getvalue()


def test_no_text_of_a_map_becomes_a_formula_and_each_reads_back_unchanged():
    from civsam.impact.engine import parse_impact_map

    impact_map, parsed = parse_impact_map(hostile_map())
    data = written(parsed)
    book = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    guarded = {cell.value for cell in cells if cell.quotePrefix}
    assert guarded == {*HOSTILE_TEXTS, "-s1", "-i1", "-o1"}
    for cell in cells:
        if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
            assert cell.quotePrefix, cell.coordinate
    again_map, again = read_xlsx(io.BytesIO(data))
    assert again == parsed and again_map == impact_map


# Texts as the schema keeps them (stripped, no carriage return: XML reads it as a line feed; no
# control characters, which XLSX cannot hold), with formula prefixes over-represented; numbers as
# a spreadsheet keeps them (openpyxl writes 16 significant digits, Excel keeps 15).
_CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="\n")
_TEXT = st.one_of(
    st.builds(
        lambda prefix, rest: prefix + rest, st.sampled_from(["=", "+", "-", "@", "'", "=="]), st.text(_CHARACTERS)
    ),
    st.text(_CHARACTERS),
).map(str.strip)
_NAME = _TEXT.filter(lambda text: 0 < len(text) <= 300)
_ID = st.from_regex(r"[-A-Za-z0-9_åäö]{1,12}", fullmatch=True)


@st.composite
def maps(draw):
    stakeholder_ids = draw(st.lists(_ID, min_size=1, max_size=3, unique=True))
    outcome_ids = draw(st.lists(_ID, min_size=1, max_size=3, unique=True))
    number = st.floats(-1e6, 1e6, allow_nan=False).map(lambda value: round(value, 4))
    amount = st.floats(0, 1e6, allow_nan=False).map(lambda value: round(value, 4))
    draws, seeds = st.integers(1, 10**6), st.integers(0, 2**32 - 1)
    return {
        "name": draw(_NAME),
        "volunteerHourRateSource": draw(_TEXT.filter(lambda text: len(text) <= 2000)),
        "stakeholders": [{"id": sid, "name": draw(_NAME)} for sid in stakeholder_ids],
        "inputs": [
            {"id": draw(_ID), "stakeholder": stakeholder_ids[0], "description": draw(_TEXT), "money": draw(amount)}
        ],
        "outcomes": [
            {
                "id": oid,
                "stakeholder": draw(st.sampled_from(stakeholder_ids)),
                "outcome": draw(_NAME),
                "indicator": draw(_TEXT),
                "quantity": draw(amount),
                "proxy": draw(number),
                "proxyDescription": draw(_TEXT),
                "proxySource": draw(_TEXT),
                "duration": draw(st.integers(1, 10)),
                "startYear": draw(st.integers(1, 3)),
                "dropOff": draw(st.floats(0, 100, allow_nan=False).map(lambda value: round(value, 6))),
            }
            for oid in outcome_ids
        ],
        "monteCarlo": draw(st.one_of(st.none(), st.fixed_dictionaries({"draws": draws, "seed": seeds}))),
    }


@given(maps())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_xlsx_round_trip_loses_nothing(data):
    from civsam.impact.engine import parse_impact_map

    if data["monteCarlo"] is None:
        del data["monteCarlo"]
    try:
        _impact_map, parsed = parse_impact_map(data)
    except ImpactMapError:
        assume(False)  # e.g. an input of less than an öre: not a map to write
    _again_map, again = read_xlsx(io.BytesIO(written(parsed)))
    assert again == parsed
