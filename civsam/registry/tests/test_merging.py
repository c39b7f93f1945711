"""Merging possible duplicates (ADR 0106): side by side, field by field, everything moved, history kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from civsam.accounts.models import Role
from civsam.accounts.services import role_assign
from civsam.core.models import ActivityClass
from civsam.registry import services
from civsam.registry.models import DuplicateCandidate, Organisation, OrganisationMerge

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(users, make_org):
    classes = list(ActivityClass.objects.order_by("code")[:2])
    keep = make_org(
        name="Glada Ekeby IF", municipality="1880", website="https://gladaekeby.se", activity_classes=[classes[0]]
    )
    remove = make_org(
        name="Glada Ekeby Idrottsförening",
        municipality="1880",
        website="",
        email="kansli@gladaekeby.se",
        member_count=340,
        activity_classes=[classes[1]],
    )
    low, high = sorted((keep.pk, remove.pk))
    candidate, _ = DuplicateCandidate.objects.get_or_create(first_id=low, second_id=high, defaults={"similarity": 0.9})
    return keep, remove, candidate


def test_the_merged_organisations_orgnr_can_win(users, pair):
    keep, remove, _candidate = pair
    services.organisations_merge(actor=users["admin"], keep=keep, remove=remove, take=["orgnr", "name"])
    keep.refresh_from_db()
    assert (keep.orgnr, keep.name) == (remove.orgnr, "Glada Ekeby Idrottsförening")


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("admin", True),
        ("officer", True),
        ("officer_kumla", False),
        ("rep", False),
        ("reviewer", False),
        ("plain", False),
    ],
)
def test_who_may_merge(users, pair, who, allowed):
    keep, remove, _candidate = pair
    role_assign(user=users["rep"], role=Role.ORGANISATION_REP, organisation=remove)
    if allowed:
        services.organisations_merge(actor=users[who], keep=keep, remove=remove)
        assert not Organisation.objects.filter(pk=remove.pk).exists()
    else:
        with pytest.raises(PermissionDenied):
            services.organisations_merge(actor=users[who], keep=keep, remove=remove)
        assert Organisation.objects.filter(pk=remove.pk).exists()
        assert not OrganisationMerge.objects.exists()


def test_an_officer_may_not_merge_across_municipalities(users, make_org):
    here = make_org(name="Ekeby Bollklubb", municipality="1880")
    there = make_org(name="Ekeby Bollklubb", municipality="1881")
    with pytest.raises(PermissionDenied):
        services.organisations_merge(actor=users["officer"], keep=here, remove=there)
    services.organisations_merge(actor=users["admin"], keep=here, remove=there)


def test_the_pages_compare_merge_and_keep_the_history(client, users, pair):
    keep, _remove, candidate = pair
    client.force_login(users["officer"])
    listing = client.get(reverse("registry:duplicates")).content.decode()
    assert "1 par att granska" in listing and reverse("registry:duplicate-compare", args=[candidate.pk]) in listing
    page = client.get(reverse("registry:duplicate-compare", args=[candidate.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Varför paret föreslås" in html and "90\u00a0%" in html and "glada ekeby" in html
    assert "kansli@gladaekeby.se" in html and "Välj vilka uppgifter som gäller" in html
    url = reverse("registry:duplicate-merge", args=[candidate.pk])
    missing = client.post(url, {"choose_email": "second"})
    assert missing.status_code == 400 and "Välj vilken organisation" in missing.content.decode()
    keep_side = "first" if candidate.first_id == keep.pk else "second"
    other = "second" if keep_side == "first" else "first"
    done = client.post(url, {"keep": keep_side, "choose_email": other, "choose_name": keep_side})
    assert done.status_code == 302 and done["Location"] == keep.get_absolute_url()
    keep.refresh_from_db()
    assert keep.email == "kansli@gladaekeby.se" and keep.name == "Glada Ekeby IF"
    history = client.get(reverse("registry:organisation-history", args=[keep.orgnr])).content.decode()
    assert "Sammanslagna organisationer" in history and "Glada Ekeby Idrottsförening" in history


def test_officers_of_other_municipalities_cannot_open_the_pair(client, users, pair):
    _keep, _remove, candidate = pair
    client.force_login(users["officer_kumla"])
    assert client.get(reverse("registry:duplicate-compare", args=[candidate.pk])).status_code == 403
    assert client.post(reverse("registry:duplicate-merge", args=[candidate.pk]), {"keep": "first"}).status_code == 403


def test_not_duplicates_takes_the_pair_off_the_list(client, users, pair):
    _keep, _remove, candidate = pair
    client.force_login(users["officer"])
    response = client.post(reverse("registry:duplicate-resolve", args=[candidate.pk]), {"status": "distinct"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.DISTINCT
    assert "Inget att granska" in client.get(reverse("registry:duplicates")).content.decode()


def test_a_merge_that_took_the_orgnr_is_undone_from_the_duplicates_page(client, users, pair):
    keep, remove, _candidate = pair
    keep_orgnr, remove_orgnr = keep.orgnr, remove.orgnr
    merge = services.organisations_merge(actor=users["admin"], keep=keep, remove=remove, take=["orgnr", "name"])
    client.force_login(users["officer"])
    page = client.get(reverse("registry:duplicates")).content.decode()
    assert "Ångra sammanslagningen" in page and "Glada Ekeby Idrottsförening" in page
    response = client.post(reverse("registry:merge-undo", args=[merge.pk]))
    restored = Organisation.objects.get(pk=remove.pk)
    assert response.status_code == 302 and response["Location"] == restored.get_absolute_url()
    keep.refresh_from_db()
    assert (keep.orgnr, keep.name) == (keep_orgnr, "Glada Ekeby IF")
    assert (restored.orgnr, restored.name) == (remove_orgnr, "Glada Ekeby Idrottsförening")
    assert "Ångra sammanslagningen" not in client.get(reverse("registry:duplicates")).content.decode()


def test_undoing_is_for_those_who_may_merge(client, users, pair):
    keep, remove, _candidate = pair
    merge = services.organisations_merge(actor=users["admin"], keep=keep, remove=remove)
    client.force_login(users["officer_kumla"])
    assert client.post(reverse("registry:merge-undo", args=[merge.pk])).status_code == 403
    assert not Organisation.objects.filter(pk=remove.pk).exists()


def test_a_not_duplicates_decision_is_undone_from_the_page(client, users, pair):
    _keep, _remove, candidate = pair
    client.force_login(users["officer"])
    client.post(reverse("registry:duplicate-resolve", args=[candidate.pk]), {"status": "distinct"})
    assert "Ångra beslutet" in client.get(reverse("registry:duplicates")).content.decode()
    client.post(reverse("registry:duplicate-resolve", args=[candidate.pk]), {"status": "open"})
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.OPEN
    assert "Jämför och slå ihop" in client.get(reverse("registry:duplicates")).content.decode()


def test_the_duplicates_page_filters_by_municipality(client, users, pair, make_org):
    a = make_org(name="Kumla Schackklubb", municipality="1881")
    b = make_org(name="Kumla Schacklubb", municipality="1881")
    low, high = sorted((a.pk, b.pk))
    DuplicateCandidate.objects.get_or_create(first_id=low, second_id=high, defaults={"similarity": 0.97})
    client.force_login(users["admin"])
    everything = client.get(reverse("registry:duplicates")).content.decode()
    assert "Kumla Schackklubb" in everything and "Glada Ekeby IF" in everything
    kumla = client.get(reverse("registry:duplicates"), {"kommun": "1881"}).content.decode()
    assert "Kumla Schackklubb" in kumla and "Glada Ekeby IF" not in kumla
    assert "1 par att granska." in kumla
