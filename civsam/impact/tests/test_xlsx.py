"""Impact maps in XLSX: the documented layout, read and written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
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
    assert book.sheetnames == ["Karta", "Intressenter", "Insatser", "Utfall", "Fördelningar", "Resultat"]
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
