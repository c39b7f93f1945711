"""Statistics Sweden's population table in JSON-stat 2.0, as PxWebApi 2.0 answers it."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from civsam.stats.models import Population
from civsam.stats.population_file import PopulationFileError, read


def table(values, *, regions=("18", "1814", "1880"), years=("2023", "2024"), contents=("BE0101N1",), **changes):
    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": "Folkmängden efter region och år",
        "source": "SCB",
        "id": ["Region", "ContentsCode", "Tid"],
        "size": [len(regions), len(contents), len(years)],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "dimension": {
            "Region": {"category": {"index": {code: i for i, code in enumerate(regions)}}},
            "ContentsCode": {"category": {"index": {code: i for i, code in enumerate(contents)}}},
            "Tid": {"category": {"index": list(years)}},
        },
        "value": values,
    }
    doc.update(changes)
    return json.dumps(doc).encode()


def test_the_table_is_read_in_row_major_order_and_the_county_row_left_out():
    data = table([308116, 309000, 8606, 8700, 159348, 160100])
    assert read(data) == {2023: {"1814": 8606, "1880": 159348}, 2024: {"1814": 8700, "1880": 160100}}


def test_a_sparse_table_and_missing_cells():
    data = table({"2": 8606, "4": 159348}, regions=("18", "1814", "1880"))
    assert read(data) == {2023: {"1814": 8606, "1880": 159348}}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json", "JSON"),
        (json.dumps({"class": "collection"}).encode(), "JSON-stat"),
        (table([1, 2, 3, 4, 5, 6], size=[3, 1, 1]), "storlek"),
        (table([1] * 12, contents=("A", "B")), "flera värden"),
        (table([1, 2, 3]), "ett värde per cell"),
        (table([1, 2, 3, 4, -5, 6]), "inte ett antal"),
        (table([1, 2], regions=("18",)), "inga värden för kommuner"),
    ],
)
def test_what_is_not_a_population_table_is_refused(data, message):
    with pytest.raises(PopulationFileError, match=message):
        read(data)


@pytest.mark.django_db
def test_the_command_stores_every_year_or_none(reference_data, tmp_path):
    good = tmp_path / "good.json"
    good.write_bytes(table([308116, 309000, 8606, 8700, 159348, 160100]))
    call_command("import_population", str(good))
    assert Population.objects.get(municipality__code="1880", year=2024).population == 160100
    bad = tmp_path / "bad.json"
    bad.write_bytes(table([1, 2, 3, 4, 5, 6], regions=("18", "1814", "9999")))
    with pytest.raises(CommandError, match="9999"):
        call_command("import_population", str(bad))
    assert Population.objects.get(municipality__code="1814", year=2023).population == 8606
