"""Services: the proxy library, analyses, and the review workflow with its transitions table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from civsam.core.models import AuditEntry
from civsam.core.selectors import history_for
from civsam.impact import services
from civsam.impact.models import FinancialProxy, SocialValueAnalysis

Status = SocialValueAnalysis.Status

PROXY = {
    "name": "Undvikt placering på HVB",
    "unit": "person och år",
    "value": Decimal("1200000.00"),
    "price_year": 2022,
    "source": "Exempelkälla för testet",
    "category": FinancialProxy.Category.SOCIAL,
}


# --- Proxies -------------------------------------------------------------------------------------


def test_staff_create_and_edit_proxies_with_an_audit_trail(people):
    proxy = services.proxy_create(actor=people["officer"], **PROXY)
    assert proxy.currency == "SEK" and not proxy.is_illustrative
    services.proxy_update(actor=people["admin"], proxy=proxy, value=Decimal("1250000.00"), price_year=2023)
    proxy.refresh_from_db()
    assert (proxy.value, proxy.price_year) == (Decimal("1250000.00"), 2023)
    entries = list(history_for(proxy))
    assert [e.action for e in entries] == [AuditEntry.Action.UPDATE, AuditEntry.Action.CREATE]
    assert entries[0].changes == {"price_year": [2022, 2023], "value": ["1200000.00", "1250000.00"]}
    assert entries[0].actor == people["admin"]


@pytest.mark.parametrize("role", ["rep", "reviewer", "plain"])
def test_others_may_not_touch_the_library(people, role):
    with pytest.raises(PermissionDenied):
        services.proxy_create(actor=people[role], **PROXY)
    proxy = services.proxy_create(actor=None, **PROXY)
    with pytest.raises(PermissionDenied):
        services.proxy_update(actor=people[role], proxy=proxy, value=Decimal("1"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"source": ""}, "source"),
        ({"price_year": 1979}, "__all__"),
        ({"currency": "sek"}, "__all__"),
        ({"value": Decimal("1e13")}, "value"),
    ],
)
def test_a_proxy_needs_a_source_a_price_year_and_a_currency_code(people, change, field):
    with pytest.raises(ValidationError) as info:
        services.proxy_create(actor=people["admin"], **{**PROXY, **change})
    assert field in info.value.message_dict


def test_the_database_refuses_a_proxy_without_source(reference_data):
    with pytest.raises(IntegrityError), transaction.atomic():
        FinancialProxy.objects.create(**{**PROXY, "source": ""})


def test_starter_set_loads_once_and_marks_its_examples(reference_data):
    created, existing = services.proxies_load_starter_set()
    assert created >= 5 and existing == 0
    assert services.proxies_load_starter_set() == (0, created)
    sourced = FinancialProxy.objects.filter(is_illustrative=False)
    assert set(sourced.values_list("name", flat=True)) == {"Prisbasbelopp"}
    assert set(sourced.values_list("price_year", "value")) == {
        (2020, Decimal("47300.00")),
        (2023, Decimal("52500.00")),
        (2024, Decimal("57300.00")),
        (2025, Decimal("58800.00")),
    }
    for proxy in FinancialProxy.objects.filter(is_illustrative=True):
        assert proxy.source.startswith("Illustrativt exempel")


# --- Analyses ------------------------------------------------------------------------------------


def test_create_stores_the_validated_map_and_logs(people, example_map):
    analysis = services.analysis_create(
        actor=people["rep"], title="Vår analys", owner_organisation=people["own_org"], impact_map=example_map
    )
    assert analysis.status == Status.DRAFT and analysis.author == people["rep"]
    assert analysis.impact_map["name"] == example_map["name"]
    assert analysis.impact_map["outcomes"][0]["dropOff"] == 30
    assert analysis.results is None and analysis.published_at is None
    assert history_for(analysis).get().action == AuditEntry.Action.CREATE


def test_an_invalid_map_is_refused_with_swedish_paths(people, example_map):
    example_map["outcomes"][0]["quantity"] = "sex"
    with pytest.raises(ValidationError) as info:
        services.analysis_create(
            actor=people["officer"], title="X", owner_municipality=people["orebro"], impact_map=example_map
        )
    assert info.value.message_dict["impact_map"] == ["outcomes[0].quantity: Måste vara ett tal."]
    assert not SocialValueAnalysis.objects.exists()


@pytest.mark.parametrize(
    ("actor", "owner", "allowed"),
    [
        ("rep", "own_org", True),
        ("rep", "other_org", False),
        ("officer", "own_org", True),  # an officer of the organisation's home municipality
        ("officer_kumla", "own_org", False),
        ("officer", "orebro", True),
        ("officer_kumla", "orebro", False),
        ("admin", "orebro", True),
        ("reviewer", "orebro", False),
        ("plain", "own_org", False),
    ],
)
def test_create_needs_permission_on_the_owner(people, example_map, actor, owner, allowed):
    key = "owner_municipality" if owner == "orebro" else "owner_organisation"
    call = lambda: services.analysis_create(  # noqa: E731
        actor=people[actor], title="X", impact_map=example_map, **{key: people[owner]}
    )
    if allowed:
        assert call().pk
    else:
        with pytest.raises(PermissionDenied):
            call()


def test_exactly_one_owner_in_the_service_and_the_database(people, example_map):
    with pytest.raises(ValidationError):
        services.analysis_create(
            actor=None,
            title="X",
            owner_municipality=people["orebro"],
            owner_organisation=people["own_org"],
            impact_map=example_map,
        )
    with pytest.raises(ValidationError):
        services.analysis_create(actor=None, title="X", impact_map=example_map)
    with pytest.raises(IntegrityError), transaction.atomic():
        SocialValueAnalysis.objects.create(title="X")


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [("admin", True), ("officer", False), ("rep", False), ("reviewer", False), ("plain", False)],
)
def test_the_region_itself_owns_analyses_of_its_administrators(people, example_map, actor, allowed):
    call = lambda: services.analysis_create(  # noqa: E731
        actor=people[actor], title="Regionens kulturstöd", impact_map=example_map, owner_region=True
    )
    if not allowed:
        with pytest.raises(PermissionDenied):
            call()
        return
    analysis = call()
    assert analysis.owner == "Region Örebro län" and analysis.owner_kind == "region"
    # Reviewed by a second region administrator, like every other analysis.
    from civsam.accounts.models import Role, User
    from civsam.accounts.services import role_assign

    second = User.objects.create_user(username="admin2", password="secret-pass-123")
    role_assign(user=second, role=Role.REGION_ADMIN)
    services.analysis_transition(actor=people["admin"], analysis=analysis, to_status=Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.analysis_transition(actor=people["officer"], analysis=analysis, to_status=Status.PUBLISHED)
    published = services.analysis_transition(actor=second, analysis=analysis, to_status=Status.PUBLISHED)
    assert published.status == Status.PUBLISHED


def test_the_region_and_another_owner_at_once_is_refused(people, example_map):
    with pytest.raises(ValidationError):
        services.analysis_create(
            actor=None, title="X", owner_region=True, owner_municipality=people["orebro"], impact_map=example_map
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SocialValueAnalysis.objects.create(title="X", owner_region=True, owner_municipality=people["orebro"])
    assert SocialValueAnalysis.objects.create(title="Y", owner_region=True).pk


def test_update_changes_a_draft_and_logs_the_difference(make_analysis, people, example_map):
    from civsam.plan.models import PriorityArea

    analysis = make_analysis()
    area = PriorityArea.objects.order_by("pk").first()
    example_map["discountRate"] = 4.0
    services.analysis_update(
        actor=people["officer2"], analysis=analysis, title="Ny titel", priority_areas=[area], impact_map=example_map
    )
    analysis.refresh_from_db()
    assert analysis.title == "Ny titel" and analysis.impact_map["discountRate"] == 4.0
    assert list(analysis.priority_areas.all()) == [area]
    changes = history_for(analysis).first().changes
    assert changes["title"] == ["Läxhjälp i Örebro", "Ny titel"]
    assert changes["priority_areas"] == [[], [str(area.pk)]]
    assert "impact_map" in changes


def test_moving_to_an_owner_without_permission_is_refused(make_analysis, people):
    analysis = make_analysis(actor=people["officer"])
    with pytest.raises(PermissionDenied):
        services.analysis_update(
            actor=people["officer"],
            analysis=analysis,
            owner_municipality=None,
            owner_organisation=people["other_org"],
        )


@pytest.mark.parametrize("status", ["in_review", "published"])
def test_only_drafts_change(make_analysis, people, status):
    analysis = make_analysis(status=status)
    with pytest.raises(ValidationError):
        services.analysis_update(actor=people["officer"], analysis=analysis, title="Ändrad")


# --- Transitions ---------------------------------------------------------------------------------

ALL = [Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED]
ALLOWED = {(Status.DRAFT, Status.IN_REVIEW), (Status.IN_REVIEW, Status.PUBLISHED), (Status.IN_REVIEW, Status.DRAFT)}


def test_the_transitions_table_is_exactly_the_workflow():
    workflow = SocialValueAnalysis.WORKFLOW
    assert {(t.source, t.target) for t in workflow} == ALLOWED
    assert workflow.actions(Status.IN_REVIEW) == {"approve": Status.PUBLISHED, "return": Status.DRAFT}


@pytest.mark.parametrize(("start", "target"), [(a, b) for a in ALL for b in ALL])
def test_every_pair_of_statuses(make_analysis, people, start, target):
    analysis = make_analysis(status=start)
    # The author submits; a second officer reviews.
    actor = people["officer"] if (start, target) == (Status.DRAFT, Status.IN_REVIEW) else people["officer2"]
    if (start, target) in ALLOWED:
        result = services.analysis_transition(actor=actor, analysis=analysis, to_status=target, comment="Se över")
        assert result.status == target
        entry = history_for(analysis).first()
        assert entry.changes == {"status": [start, target]} and entry.actor == actor
    else:
        with pytest.raises(ValidationError) as info:
            services.analysis_transition(actor=actor, analysis=analysis, to_status=target, comment="Se över")
        assert "Statusen kan inte ändras från" in info.value.messages[0]
        analysis.refresh_from_db()
        assert analysis.status == start


def test_the_author_cannot_review_their_own_analysis(make_analysis, people):
    analysis = make_analysis(status="in_review", actor=people["officer"])
    for to_status in (Status.PUBLISHED, Status.DRAFT):
        with pytest.raises(PermissionDenied) as info:
            services.analysis_transition(actor=people["officer"], analysis=analysis, to_status=to_status, comment="Bra")
        assert str(info.value) == "Du kan inte granska en analys som du själv har skrivit eller skickat in."
    analysis.refresh_from_db()
    assert analysis.status == Status.IN_REVIEW


def test_whoever_submitted_cannot_review_either(make_analysis, people):
    analysis = make_analysis(actor=people["officer"])
    services.analysis_transition(actor=people["officer2"], analysis=analysis, to_status=Status.IN_REVIEW)
    for person in ("officer", "officer2"):
        with pytest.raises(PermissionDenied):
            services.analysis_transition(actor=people[person], analysis=analysis, to_status=Status.PUBLISHED)
    published = services.analysis_transition(actor=people["admin"], analysis=analysis, to_status=Status.PUBLISHED)
    assert (published.author, published.submitted_by, published.reviewer) == (
        people["officer"],
        people["officer2"],
        people["admin"],
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SocialValueAnalysis.objects.filter(pk=analysis.pk).update(reviewer=people["officer2"])


def test_the_database_refuses_a_reviewer_who_is_the_author(make_analysis, people):
    analysis = make_analysis(status="in_review")
    with pytest.raises(IntegrityError), transaction.atomic():
        SocialValueAnalysis.objects.filter(pk=analysis.pk).update(reviewer=people["officer"])


@pytest.mark.parametrize("reviewer", ["officer_kumla", "rep", "plain"])
def test_a_second_person_needs_permission_on_the_owner(make_analysis, people, reviewer):
    analysis = make_analysis(status="in_review")
    with pytest.raises(PermissionDenied):
        services.analysis_transition(actor=people[reviewer], analysis=analysis, to_status=Status.PUBLISHED)


@pytest.mark.parametrize("owner", ["municipality", "organisation"])
def test_a_reviewer_approves_whoever_owns_the_analysis(make_analysis, people, owner):
    if owner == "municipality":
        analysis = make_analysis(status="in_review")
    else:
        analysis = make_analysis(actor=people["rep"], owner_organisation=people["own_org"], status="in_review")
    published = services.analysis_transition(actor=people["reviewer"], analysis=analysis, to_status=Status.PUBLISHED)
    assert published.status == Status.PUBLISHED and published.reviewer == people["reviewer"]
    assert history_for(analysis).first().actor == people["reviewer"]


def test_a_reviewer_returns_an_analysis_with_a_comment(make_analysis, people):
    analysis = make_analysis(status="in_review")
    returned = services.analysis_transition(
        actor=people["reviewer"], analysis=analysis, to_status=Status.DRAFT, comment="Källa saknas."
    )
    assert returned.status == Status.DRAFT and returned.review_comment == "Källa saknas."


def test_a_reviewer_neither_submits_nor_edits(make_analysis, people):
    analysis = make_analysis()
    with pytest.raises(PermissionDenied):
        services.analysis_transition(actor=people["reviewer"], analysis=analysis, to_status=Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.analysis_update(actor=people["reviewer"], analysis=analysis, title="Ändrad av bedömaren")
    with pytest.raises(PermissionDenied):
        services.analysis_create(
            actor=people["reviewer"], title="Ny", owner_municipality=people["orebro"], impact_map=None
        )


def test_returning_needs_a_comment_and_keeps_it_for_the_author(make_analysis, people):
    analysis = make_analysis(status="in_review")
    with pytest.raises(ValidationError):
        services.analysis_transition(actor=people["officer2"], analysis=analysis, to_status=Status.DRAFT, comment=" ")
    returned = services.analysis_transition(
        actor=people["officer2"], analysis=analysis, to_status=Status.DRAFT, comment="Ange källa för dödvikten."
    )
    assert returned.status == Status.DRAFT and returned.review_comment == "Ange källa för dödvikten."
    assert returned.reviewer == people["officer2"]
    assert history_for(analysis).first().note == "return: Ange källa för dödvikten."


def test_submitting_needs_a_map(people):
    analysis = services.analysis_create(actor=people["officer"], title="Tom", owner_municipality=people["orebro"])
    with pytest.raises(ValidationError) as info:
        services.analysis_transition(actor=people["officer"], analysis=analysis, to_status=Status.IN_REVIEW)
    assert "saknar effektkarta" in info.value.messages[0]


def test_publishing_freezes_the_figures(make_analysis, people):
    analysis = make_analysis(status="published", reviewer=people["admin"])
    assert analysis.status == Status.PUBLISHED and analysis.published_at is not None
    assert analysis.reviewer == people["admin"]
    frozen = analysis.results
    assert frozen["totalInputs"] == 660000.0 and frozen["monteCarlo"]["seed"] == 2026
    # A later change under the snapshot (as if the engine computed differently) does not reach the report.
    from civsam.impact import selectors

    SocialValueAnalysis.objects.filter(pk=analysis.pk).update(impact_map={**analysis.impact_map, "discountRate": 10.0})
    analysis.refresh_from_db()
    assert selectors.analysis_results(analysis) == frozen


def test_the_database_refuses_a_published_analysis_without_snapshot(make_analysis):
    analysis = make_analysis(status="in_review")
    with pytest.raises(IntegrityError), transaction.atomic():
        SocialValueAnalysis.objects.filter(pk=analysis.pk).update(status=Status.PUBLISHED)


@pytest.mark.parametrize(
    ("value", "derivation", "field"),
    [
        (Decimal("26023"), "276 timmar × 98 kr per timme", "value"),  # the published slip: 27 048
        (Decimal("27048"), "276 timmar × 98 kr", None),
        (Decimal("27048.40"), "276 h * 98 kr", None),  # rounding, not a different figure
        (Decimal("27048"), "ungefär tvåhundra timmar", "derivation"),
        (Decimal("1 000".replace(" ", "")), "", None),
    ],
)
def test_a_library_proxy_agrees_with_its_derivation(people, value, derivation, field):
    fields = {**PROXY, "value": value, "derivation": derivation, "evidence_grade": "medium"}
    if field is None:
        proxy = services.proxy_create(actor=people["admin"], **fields)
        assert proxy.derivation == derivation and proxy.evidence_grade == "medium"
    else:
        with pytest.raises(ValidationError) as info:
            services.proxy_create(actor=people["admin"], **fields)
        assert set(info.value.message_dict) == {field}
