"""manage.py sroi: JSON and XLSX in, tables or JSON out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from civsam.impact.engine import parse_impact_map_json
from civsam.impact.engine.xlsx import write_xlsx
from civsam.impact.management.commands.sroi import number

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "impact-map-example.json"


def run(*args) -> str:
    out = io.StringIO()
    call_command("sroi", *args, stdout=out)
    return out.getvalue()


def test_json_output_is_the_api_body():
    body = json.loads(run(str(EXAMPLE), "--format", "json"))
    assert body["totalInputs"] == 660000.0
    assert body["monteCarlo"]["draws"] == 10_000  # from the file's monteCarlo block


def test_draws_and_seed_override_the_file():
    body = json.loads(run(str(EXAMPLE), "--format", "json", "--draws", "300", "--seed", "5"))
    assert (body["monteCarlo"]["draws"], body["monteCarlo"]["seed"]) == (300, 5)
    assert json.loads(run(str(EXAMPLE), "--format", "json", "--draws", "300", "--seed", "5")) == body


def test_table_output_in_swedish(tmp_path):
    _map, parsed = parse_impact_map_json(EXAMPLE.read_bytes())
    workbook = tmp_path / "karta.xlsx"
    write_xlsx(parsed, str(workbook))
    text = run(str(workbook), "--draws", "200", "--seed", "1")
    for fragment in (
        "Totala insatser (SEK)",
        "660 000,00",
        "SROI-kvot",
        "Brytpunkter",
        "Monte Carlo: 200 dragningar, frö 1.",
        "[dominant_assumption]",
    ):
        assert fragment in text, fragment


@pytest.mark.parametrize(
    ("content", "name", "args", "message"),
    [
        (None, "saknas.json", (), "finns inte"),
        ("{}", "karta.txt", (), "måste sluta på .json eller .xlsx"),
        ('{"name": "x"}', "karta.json", (), "stakeholders: Fältet krävs."),
        ("{", "karta.json", (), "Filen är inte giltig JSON."),
        ("{}", "karta.json", ("--draws", "0"), "--draws måste vara mellan 1"),
    ],
)
def test_errors(tmp_path, content, name, args, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run(str(path), *args)


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(1234567.891, 2, "1 234 567,89"), (0.5, 1, "0,5"), (-42.0, 0, "-42"), (None, 2, "–")],
)
def test_swedish_number_format(value, decimals, text):
    assert number(value, decimals) == text


def test_help_is_readable():
    """argparse formats help with re; a lazy translation there crashed `manage.py sroi --help`."""
    from civsam.impact.management.commands.sroi import Command

    text = Command().create_parser("manage.py", "sroi").format_help()
    assert "Beräknar SROI för en effektkarta" in text
    assert "--draws" in text and "Antal Monte Carlo-dragningar." in text
