"""Reference data: the county's municipalities, legal forms and classifications."""

from __future__ import annotations

import pytest

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


# The county's municipalities in Swedish alphabetical order (å, ä, ö after z; Laxå before Lekeberg).
SWEDISH_ORDER = ["Askersund", "Degerfors", "Hallsberg", "Hällefors", "Karlskoga", "Kumla", "Laxå", "Lekeberg",
                 "Lindesberg", "Ljusnarsberg", "Nora", "Örebro"]  # fmt: skip


def test_municipalities_list_in_swedish_order_on_any_collation(db):
    reference_data_load()
    # The default ordering and the explicit one both use the stored key, not the database's collation
    # (an en_US collation would put Hällefors before Hallsberg).
    assert [m.name for m in Municipality.objects.all()] == SWEDISH_ORDER
    assert list(Municipality.objects.order_by("name_key").values_list("name", flat=True)) == SWEDISH_ORDER


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
