"""Reference data: the county's municipalities, legal forms and classifications."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection

from civsam.core.collation import sort_key
from civsam.core.models import ActivityClass, LegalForm, Municipality, Principle, SocietalRole
from civsam.core.services import reference_data_load

# SCB kommunkoder and population on 31 December 2023 (Regionfakta), as in the reference CSV.
MUNICIPALITIES = {
    "1814": ("Lekeberg", 8606),
    "1860": ("Laxå", 5497),
    "1861": ("Hallsberg", 16232),
    "1862": ("Degerfors", 9357),
    "1863": ("Hällefors", 6495),
    "1864": ("Ljusnarsberg", 4407),
    "1880": ("Örebro", 159348),
    "1881": ("Kumla", 22516),
    "1882": ("Askersund", 11478),
    "1883": ("Karlskoga", 30261),
    "1884": ("Nora", 10627),
    "1885": ("Lindesberg", 23292),
}
CIVIL_SOCIETY_FORMS = ["49", "51", "53", "54", "61", "62", "63", "71", "72", "92", "94", "95"]


def test_municipalities_match_the_reference(db):
    reference_data_load()
    stored = {m.code: (m.name, m.population) for m in Municipality.objects.all()}
    assert stored == MUNICIPALITIES
    assert sum(p for _, p in stored.values()) == 308_116
    assert set(Municipality.objects.values_list("county_code", "county_name")) == {("18", "Örebro län")}
    assert {str(d) for d in Municipality.objects.values_list("population_date", flat=True)} == {"2023-12-31"}


# As the municipalities write their own names: the genitive s, but not after a vowel or an s.
OFFICIAL_NAMES = {
    "1814": "Lekebergs kommun", "1860": "Laxå kommun", "1861": "Hallsbergs kommun", "1862": "Degerfors kommun",
    "1863": "Hällefors kommun", "1864": "Ljusnarsbergs kommun", "1880": "Örebro kommun", "1881": "Kumla kommun",
    "1882": "Askersunds kommun", "1883": "Karlskoga kommun", "1884": "Nora kommun", "1885": "Lindesbergs kommun",
}  # fmt: skip


def test_municipalities_have_their_official_names(db):
    reference_data_load()
    assert {m.code: m.body_name for m in Municipality.objects.all()} == OFFICIAL_NAMES
    # The short name stays what lists and filters show.
    assert Municipality.objects.get(code="1885").name == "Lindesberg"


@pytest.mark.parametrize(
    ("name", "official", "body_name"),
    [
        ("Lindesberg", "", "Lindesbergs kommun"),
        ("Laxå", "", "Laxå kommun"),
        ("Hällefors", "", "Hällefors kommun"),
        ("Falun", "Falu kommun", "Falu kommun"),  # the official name wins over the rule
    ],
)
def test_body_name(name, official, body_name):
    assert Municipality(code="0000", name=name, official_name=official).body_name == body_name


# The county's municipalities in Swedish alphabetical order (å, ä, ö after z; Laxå before Lekeberg).
SWEDISH_ORDER = ["Askersund", "Degerfors", "Hallsberg", "Hällefors", "Karlskoga", "Kumla", "Laxå", "Lekeberg",
                 "Lindesberg", "Ljusnarsberg", "Nora", "Örebro"]  # fmt: skip


def test_municipalities_list_in_swedish_order_on_any_collation(db):
    reference_data_load()
    # The default ordering and the explicit one both use the stored key, not the database's collation
    # (an en_US collation would put Hällefors before Hallsberg).
    assert [m.name for m in Municipality.objects.all()] == SWEDISH_ORDER
    assert list(Municipality.objects.order_by("name_key").values_list("name", flat=True)) == SWEDISH_ORDER


def _name_key_collation() -> str:
    """The collation that decides ORDER BY core_municipality.name_key."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT coalesce(collation_name, 'default') FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = 'core_municipality' "
                "AND column_name = 'name_key'"
            )
            return cursor.fetchone()[0]
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'core_municipality'")
        column = re.search(r'"?name_key"?\s+([^,]*)', cursor.fetchone()[0]).group(1)
        declared = re.search(r"COLLATE\s+(\w+)", column, re.IGNORECASE)
        return declared.group(1) if declared else "BINARY"


def test_the_name_key_column_compares_by_code_point(db):
    # PostgreSQL: "C" by migration 0003 whatever the database's default collation (ADR 0053).
    # SQLite: no declared collation, so BINARY (memcmp, code-point order for UTF-8).
    assert _name_key_collation() == ("C" if connection.vendor == "postgresql" else "BINARY")


# Keys with the separator, space and punctuation codes and å/ä/ö's "{|}", which glibc and ICU
# collations skip or move at the first level.
TRICKY_NAMES = ["Östra Göinge", "Örkelljunga", "Ödeshög", "Älvkarleby", "Åsele", "Åre", "Ystad",
                "Upplands-Bro", "Upplands Väsby", "Upplandsbro", "Malung-Sälen", "Malå", "Mala", "Habo",
                "Håbo", "Hallsberg", "Hällefors", "Nora 2", "Nora 10", "NORA"]  # fmt: skip


def test_name_key_order_is_code_point_order(db):
    for n, name in enumerate(TRICKY_NAMES):
        Municipality.objects.create(
            code=f"{9000 + n}", name=name, name_key=sort_key(name), county_code="99", county_name="Test",
            population=1, population_date=datetime.date(2023, 12, 31), population_source="test",
        )  # fmt: skip
    keys = list(Municipality.objects.values_list("name_key", flat=True))  # Meta.ordering: name_key
    assert len(keys) == len(TRICKY_NAMES)
    assert keys == sorted(keys)  # Python compares str by code point
    names = [m.name for m in Municipality.objects.all()]
    assert names.index("Mala") < names.index("Malung-Sälen") < names.index("Malå")
    assert names.index("Upplands Väsby") < names.index("Upplands-Bro") < names.index("Upplandsbro")
    assert names[-3:] == ["Ödeshög", "Örkelljunga", "Östra Göinge"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute('SELECT name_key FROM core_municipality ORDER BY name_key COLLATE "C"')
            assert [key for (key,) in cursor.fetchall()] == keys
            cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'")
            if cursor.fetchone() is not None:
                # Under a linguistic collation the same keys come out in another order: the column's
                # "C" collation is what makes ORDER BY name_key right.
                cursor.execute('SELECT name_key FROM core_municipality ORDER BY name_key COLLATE "und-x-icu"')
                assert [key for (key,) in cursor.fetchall()] != keys
        else:
            cursor.execute("SELECT name_key FROM core_municipality ORDER BY name_key COLLATE BINARY")
            assert [key for (key,) in cursor.fetchall()] == keys


def test_renamed_municipality_gets_a_new_key_on_reload(db):
    reference_data_load()
    Municipality.objects.filter(code="1863").update(name_key="0")
    reference_data_load()
    assert Municipality.objects.first().name == "Askersund"


def test_legal_forms_present(db):
    reference_data_load()
    codes = set(LegalForm.objects.values_list("code", flat=True))
    assert set(CIVIL_SOCIETY_FORMS) <= codes
    assert LegalForm.objects.get(code="61").name_sv == "Ideell förening"
    for form in LegalForm.objects.all():
        assert form.name_sv and form.name_en


def test_classifications_present(db):
    counts = reference_data_load()
    assert ActivityClass.objects.count() == counts["activity_classes"] == 12
    assert Principle.objects.count() == 6
    assert list(SocietalRole.objects.values_list("code", flat=True)) == [
        "voice",
        "service-provider",
        "community",
        "school-of-democracy",
        "counterweight",
    ]


def test_loading_is_idempotent(db):
    first = reference_data_load()
    rows = [M.objects.count() for M in (Municipality, LegalForm, ActivityClass, Principle, SocietalRole)]
    Municipality.objects.filter(code="1880").update(population=1)
    assert reference_data_load() == first
    assert [M.objects.count() for M in (Municipality, LegalForm, ActivityClass, Principle, SocietalRole)] == rows
    assert Municipality.objects.get(code="1880").population == 159348


@pytest.mark.parametrize(("language", "expected"), [("sv", "Ideell förening"), ("en", "Non-profit association")])
def test_bilingual_names_follow_the_active_language(db, language, expected):
    from django.utils import translation

    reference_data_load()
    with translation.override(language):
        assert LegalForm.objects.get(code="61").name == expected


def test_upsert_by_key_creates_the_missing_updates_the_changed_in_few_queries(db, django_assert_max_num_queries):
    from civsam.core.models import Principle
    from civsam.core.services import upsert_by_key

    Principle.objects.create(code="a", name_sv="Fel namn", name_en="A", sort_order=1)
    Principle.objects.create(code="b", name_sv="B", name_en="B", sort_order=2)
    rows = [{"code": code, "name_sv": code.upper(), "name_en": code.upper(), "sort_order": n}
            for n, code in enumerate("abcd", start=1)]  # fmt: skip
    with django_assert_max_num_queries(3):  # read all, one update (a), one insert (c and d)
        found = upsert_by_key(Principle, ("code",), rows)
    assert sorted(found) == [("a",), ("b",), ("c",), ("d",)]
    assert list(Principle.objects.order_by("code").values_list("code", "name_sv")) == [
        ("a", "A"), ("b", "B"), ("c", "C"), ("d", "D"),
    ]  # fmt: skip
    assert all(obj.pk for obj in found.values())
    Principle.objects.filter(code="c").update(name_sv="Ändrad av samordnaren")
    upsert_by_key(Principle, ("code",), rows, update=False)  # only what is missing
    assert Principle.objects.get(code="c").name_sv == "Ändrad av samordnaren"
