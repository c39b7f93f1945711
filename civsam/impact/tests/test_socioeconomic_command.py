"""manage.py socioeconomic: the API's document from a file, as tables or as the API's JSON, and
Swedish errors for a file that is missing, not JSON or not a valid account."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from civsam.impact.engine.socioeconomic_io import calculate_account

DOCS = Path(__file__).resolve().parents[3] / "docs"
EXAMPLE = DOCS / "examples" / "socio-economic-account-example.json"


def run(*args) -> str:
    out = io.StringIO()
    call_command("socioeconomic", *args, stdout=out)
    return out.getvalue()


def test_json_output_is_the_api_answer():
    body = json.loads(run(str(EXAMPLE), "--format", "json"))
    expected = calculate_account(json.loads(EXAMPLE.read_text(encoding="utf-8"))).model_dump(mode="json", by_alias=True)
    assert body == expected
    municipality = next(b for b in body["bearers"] if b["bearer"] == "municipality")
    assert municipality["net"] == [99000.0, 179000.0, 179000.0]


def test_table_output_in_swedish():
    text = run(str(EXAMPLE))
    assert text.startswith("Från utanförskap till arbete\n")
    header = next(line for line in text.splitlines() if line.startswith("År"))
    assert header.split() == ["År", "Kommunen", "Regionen", "Staten", "Individen", "Samhället", "totalt"]
    year_1 = next(line for line in text.splitlines() if line.startswith("1 "))
    # Society in year 1: 179 000 − 80 000 + 44 110 + 144 260 + 106 890 = 394 260.
    assert year_1.split()[-2:] == ["394", "260,00"]
    assert "Summa" in text and "Nuvärde" in text and "Coachning" in text
    assert "Obs! Bokslutet bygger på illustrativa exempel" in text


def _write(tmp_path, content: str | bytes, name: str = "bokslut.json") -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"name": "x", ', "Filen är inte giltig JSON: fel på rad 1, kolumn 15."),
        (b"\xff\xfe{", "Filen är inte giltig JSON: den är inte kodad i UTF-8."),
        ("[1, 2]", "Bokslutet måste vara ett JSON-objekt."),
        ('{"name": "x", "years": 0}', "years: Måste vara minst 1."),
        ('{"name": "x", "years": 2, "colour": "röd"}', "colour: Okänt fält."),
        (
            '{"name": "x", "years": 2, "after": [{"code": "okand_post", "quantities": [1]}]}',
            "after[0].code: Posten ”okand_post” finns inte i tabellen.",
        ),
        ('{"name": "x", "years": 2, "priceYear": 1999}', "priceYear: Det finns ingen enhetskostnadstabell för 1999"),
        ('{"name": "x", "years": 2, "initiative": [{"bearer": "kyrkan", "amounts": [1]}]}', "initiative[0].bearer:"),
    ],
)
def test_malformed_files_give_swedish_errors(tmp_path, content, expected):
    with pytest.raises(CommandError) as info:
        run(_write(tmp_path, content))
    assert expected in str(info.value)


def test_every_error_of_a_file_is_listed(tmp_path):
    with pytest.raises(CommandError) as info:
        run(_write(tmp_path, '{"years": 200, "discountRate": -100}'))
    message = str(info.value)
    assert message.startswith("Bokslutet innehåller fel:")
    assert {"name:", "years:", "discountRate:"} <= {line.split()[0] for line in message.splitlines()[1:]}


def test_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="finns inte"):
        run(str(tmp_path / "saknas.json"))


def test_help_works():
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("socioeconomic", "--help", stdout=out)


def test_the_documented_example_is_the_example_file():
    text = (DOCS / "social-value-schema.md").read_text(encoding="utf-8")
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", text, flags=re.DOTALL) if '"quantities"' in b]
    assert blocks == [json.loads(EXAMPLE.read_text(encoding="utf-8"))]
    assert "python manage.py socioeconomic FILE.json" in text
    for name in ("name", "years", "discountRate", "priceYear", "before[]", "quantities", "initiative[].bearer"):
        assert f"`{name}`" in text or f"`{name.split('.')[-1]}`" in text, name
