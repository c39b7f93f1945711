"""The demo data generator and the load_demo_data command."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from civsam.accounts.models import Role, RoleAssignment, User
from civsam.core.models import ActivityClass, LegalForm, SocietalRole
from civsam.registry import demo, orgnr
from civsam.registry.models import (
    ContactPerson,
    DuplicateCandidate,
    Organisation,
    RepresentationInvitation,
    RepresentationRequest,
)
from civsam.registry.services.demo import DEMO_ACTORS

DATA = Path(__file__).resolve().parents[2] / "core" / "data"
POPULATIONS = {
    item["code"]: item["population"]
    for item in json.loads((DATA / "municipalities.json").read_text(encoding="utf-8"))["items"]
}
DEMO_PASSWORD = "demo-lösen-2026"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def generated() -> list[demo.DemoOrganisation]:
    return list(demo.generate(3000, POPULATIONS, seed=2026))


def test_same_seed_gives_the_same_organisations(generated):
    again = list(demo.generate(3000, POPULATIONS, seed=2026))
    assert again == generated
    other = list(demo.generate(3000, POPULATIONS, seed=2027))
    assert [o.orgnr for o in other] != [o.orgnr for o in generated]


def test_every_orgnr_is_valid_and_unique(generated):
    numbers = [o.orgnr for o in generated]
    assert all(orgnr.normalise(n) == n for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_municipality_counts_follow_population(generated):
    counts = Counter(o.municipality for o in generated)
    total = sum(POPULATIONS.values())
    assert sum(counts.values()) == 3000
    for code, population in POPULATIONS.items():
        exact = 3000 * population / total
        assert int(exact) <= counts[code] <= int(exact) + 1, code
    assert counts.most_common(1)[0][0] == "1880"  # Örebro, about half the county


@pytest.mark.slow
@given(
    count=st.integers(0, 5000),
    populations=st.dictionaries(
        st.from_regex(r"18[0-9]{2}", fullmatch=True), st.integers(1, 200_000), min_size=1, max_size=15
    ),
)
def test_largest_remainder_allocation_sums_exactly(count, populations):
    codes = demo._allocate(count, populations)
    assert len(codes) == count
    counts = Counter(codes)
    total = sum(populations.values())
    for code, population in populations.items():
        exact = count * population / total
        assert int(exact) <= counts[code] <= int(exact) + 1
    assert set(counts) <= set(populations)


def test_legal_form_mix_is_plausible(generated):
    forms = Counter(o.legal_form for o in generated)
    assert forms["61"] / 3000 > 0.5  # ideella föreningar are the large majority
    assert forms.most_common(1)[0][0] == "61"
    assert forms["53"] > forms["92"]  # more housing co-operatives than mutual insurers
    assert set(forms) <= set(demo.LEGAL_FORM_WEIGHTS)


def test_generated_values_fit_the_model(generated):
    for item in generated:
        assert item.name and len(item.name) <= 200
        assert 1000 <= item.founded_year <= 2100
        assert item.member_count is None or item.member_count >= 0
        assert item.municipality not in item.active_municipalities
        assert not item.work_integrating or item.social_enterprise
        assert item.description.startswith("Demodata")


def test_reference_codes_cover_what_the_generator_uses(reference_data, generated):
    assert set(demo.LEGAL_FORM_WEIGHTS) <= set(LegalForm.objects.values_list("code", flat=True))
    assert {a for o in generated for a in o.activity_classes} <= set(
        ActivityClass.objects.values_list("code", flat=True)
    )
    assert {r for o in generated for r in o.roles} <= set(SocietalRole.objects.values_list("code", flat=True))


def test_load_demo_data_command(client, reference_data):
    out = io.StringIO()
    call_command("load_demo_data", count=200, seed=3, password=DEMO_PASSWORD, stdout=out)
    assert "Skapade 200 demoorganisationer" in out.getvalue()
    # The generated register, and a few demo actors of other kinds (ADR 0096).
    extra = len(DEMO_ACTORS) + len(demo.DUPLICATE_EXAMPLES)
    assert Organisation.objects.filter(is_demo=True).count() == 200 + extra
    expected = [o.orgnr for o in demo.generate(200, POPULATIONS, seed=3)]
    twins = [name for name, *_rest in demo.DUPLICATE_EXAMPLES]
    generated = Organisation.objects.exclude(name__in=[a["name"] for a in DEMO_ACTORS] + twins)
    assert sorted(generated.values_list("orgnr", flat=True)) == sorted(expected)
    # The possible duplicates the review page shows: IF against IK and Rönnen against Lönnen,
    # each with its own organisationsnummer, flagged but not as 100 % matches.
    pairs = {
        frozenset((c.first.name, c.second.name)): c.similarity
        for c in DuplicateCandidate.objects.select_related("first", "second")
    }
    for first, second in (
        ("Glada Ekeby IF", "Glada Ekeby IK"),
        ("Rönnens Hembygdsförening", "Lönnens Hembygdsförening"),
    ):
        assert 0.88 <= pairs[frozenset((first, second))] < 1.0
    assert len(set(Organisation.objects.filter(name__in=twins).values_list("orgnr", flat=True))) == len(twins)
    kinds = set(Organisation.objects.filter(is_demo=True).values_list("kind", "sector"))
    assert {("informal", "civil_society"), ("foreign", "civil_society"), ("swedish", "social_economy")} <= kinds
    assert ContactPerson.objects.exists()
    # Indexed for search like any other organisation.
    assert client.get(reverse("registry:directory"), {"q": "förening"}).context["page"].paginator.count > 0

    # A second run adds nothing.
    out = io.StringIO()
    call_command("load_demo_data", count=200, seed=3, password=DEMO_PASSWORD, stdout=out)
    assert "inget nytt skapat" in out.getvalue()
    assert Organisation.objects.filter(is_demo=True).count() == 200 + extra
    assert User.objects.filter(username__in=["region", "orebro", "kumla", "bedomare", "forening"]).count() == 5


def test_demo_users_cover_every_role_and_can_log_in(client, reference_data):
    call_command("load_demo_data", count=150, seed=3, password=DEMO_PASSWORD, stdout=io.StringIO())
    roles = {
        "region": {(Role.REGION_ADMIN, None, None)},
        "orebro": {(Role.MUNICIPAL_OFFICER, "1880", None)},
        "kumla": {(Role.MUNICIPAL_OFFICER, "1881", None), (Role.MUNICIPAL_OFFICER, "1861", None)},
        "bedomare": {(Role.REVIEWER, None, None)},
    }
    for username, expected in roles.items():
        assigned = set(
            RoleAssignment.objects.filter(user__username=username).values_list(
                "role", "municipality__code", "organisation_id"
            )
        )
        assert assigned == expected, username
    [rep] = RoleAssignment.objects.filter(user__username="forening")
    assert rep.role == Role.ORGANISATION_REP
    assert (rep.organisation.municipality.code, rep.organisation.legal_form.code) == ("1880", "61")
    # Representatives with mandates, an invitation and a request waiting (ADR 0090, 0099).
    assert rep.mandate == "board_member"
    [co_rep] = RoleAssignment.objects.filter(user__username="kassor")
    assert (co_rep.organisation_id, co_rep.mandate) == (rep.organisation_id, "signatory")
    assert RepresentationInvitation.objects.filter(organisation=rep.organisation, status="pending").count() == 1
    [waiting] = RepresentationRequest.objects.filter(user__username="ny", status="pending")
    assert waiting.organisation.municipality.code == "1880" and waiting.organisation_id != rep.organisation_id
    assert not RoleAssignment.objects.filter(user__username="ny").exists()

    for username in [*roles, "forening"]:
        response = client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get(reverse("site:dashboard")).status_code == 200
        client.logout()
        assert SESSION_KEY not in client.session
