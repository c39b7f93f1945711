"""A small world for the API tests: two organisations, A and B, each with a representative, a region
administrator, and A's objects of every kind the API reads or writes (some public, some not)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

EXAMPLE_MAP = Path(__file__).resolve().parents[2] / "docs" / "examples" / "impact-map-example.json"


@dataclass
class World:
    users: dict[str, Any]  # anonymous (None), rep_a, rep_b, admin
    org_a: Any
    org_b: Any
    hidden_org_a: Any  # A's second organisation, not in the public directory
    initiative_a: Any
    event_a: Any  # published, organised by A
    draft_event_a: Any  # not published, organised by A
    analysis_a: Any  # a draft owned by A
    decision_a: Any  # a grant decision for A (the register is public)
    call: Any  # an open call of the Region's own, taking applications in Civsam
    application_a: Any  # A's draft application to it
    impact_map: dict[str, Any]
    network_a: Any = None  # a forum coordinated by A
    network_b: Any = None  # a forum coordinated by B, which has invited A
    membership_a: Any = None  # A's active membership of a council run by staff, with representative_a
    representative_a: Any = None
    request_a: Any = None  # A's hidden organisation's pending request to join the council
    invitation_a: Any = None  # B's forum's invitation to A, not answered


@pytest.fixture
def world(reference_data, make_org) -> World:
    from civsam.accounts.models import Role, User
    from civsam.accounts.services import role_assign
    from civsam.funding.models import Funder
    from civsam.funding.services import GrantDecisionData, funding_sources_load_reference, grant_decision_create
    from civsam.impact import services as impact_services
    from civsam.meetings import services as meeting_services
    from civsam.plan.models import InitiativeStatus, PriorityArea
    from civsam.plan.services import initiative_create

    org_a = make_org(name="Föreningen A", municipality="1880")
    org_b = make_org(name="Föreningen B", municipality="1881")
    hidden_org_a = make_org(name="A:s dolda förening", municipality="1880", is_public=False)

    def user(name: str) -> User:
        return User.objects.create_user(username=name, password="secret-pass-123")

    rep_a, rep_b, admin = user("rep_a"), user("rep_b"), user("region")
    role_assign(user=rep_a, role=Role.ORGANISATION_REP, organisation=org_a)
    role_assign(user=rep_a, role=Role.ORGANISATION_REP, organisation=hidden_org_a)
    role_assign(user=rep_b, role=Role.ORGANISATION_REP, organisation=org_b)
    role_assign(user=admin, role=Role.REGION_ADMIN)

    area = PriorityArea.objects.filter(focus_area__plan__slug="2022-2025").order_by("pk").first()
    initiative_a = initiative_create(
        actor=None,
        title="A:s läxhjälp",
        start_date=datetime.date(2023, 1, 1),
        status=InitiativeStatus.objects.get(code="ongoing"),
        priority_areas=[area],
        lead_organisation=org_a,
    )

    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)

    def event(title: str, *, public: bool):
        details = meeting_services.EventDetails(
            title=title,
            starts_at=now + datetime.timedelta(days=30),
            ends_at=now + datetime.timedelta(days=30, hours=2),
            organiser=org_a,
            capacity=100,
            is_public=public,
        )
        return meeting_services.event_create(actor=rep_a, details=details)

    impact_map = json.loads(EXAMPLE_MAP.read_text(encoding="utf-8"))
    analysis_a = impact_services.analysis_create(
        actor=rep_a, title="A:s analys", owner_organisation=org_a, impact_map=impact_map
    )

    funding_sources_load_reference()
    decision_a = grant_decision_create(
        actor=None,
        data=GrantDecisionData(
            funder=Funder.objects.get(municipality__code="1880"),
            recipient=org_a,
            case_number="KS 2025/1",
            amount_granted=10_000,
            year_from=2025,
            year_to=2025,
            decision_date=datetime.date(2024, 12, 1),
        ),
    )
    call, application_a = _application(org_a)
    network_a = meeting_services.network_create(
        actor=rep_a, name="A:s forum", kind="dialogue_forum", organisation=org_a
    )
    network_b = meeting_services.network_create(
        actor=rep_b, name="B:s forum", kind="dialogue_forum", organisation=org_b
    )
    council = meeting_services.network_create(actor=None, name="Rådet", slug="radet", kind="user_council")
    membership_a = meeting_services.membership_invite(actor=None, network=council, organisation=org_a)
    representative_a = meeting_services.representative_add(
        actor=None, membership=membership_a, name="Alva A", position="member", starts_on=datetime.date(2020, 1, 1)
    )
    request_a = meeting_services.membership_request(actor=None, network=council, organisation=hidden_org_a)
    invitation_a = meeting_services.membership_invite(actor=rep_b, network=network_b, organisation=org_a)
    return World(
        users={"anonymous": None, "rep_a": rep_a, "rep_b": rep_b, "admin": admin},
        org_a=org_a,
        org_b=org_b,
        hidden_org_a=hidden_org_a,
        initiative_a=initiative_a,
        event_a=event("A:s öppna möte", public=True),
        draft_event_a=event("A:s utkast", public=False),
        analysis_a=analysis_a,
        decision_a=decision_a,
        call=call,
        application_a=application_a,
        impact_map=impact_map,
        network_a=network_a,
        network_b=network_b,
        membership_a=membership_a,
        representative_a=representative_a,
        request_a=request_a,
        invitation_a=invitation_a,
    )


def _application(organisation) -> tuple[Any, Any]:
    """An open call of the Region's innovation programme, and a complete draft from `organisation`."""
    from decimal import Decimal

    from civsam.funding import services
    from civsam.funding.models import FundingCall, Programme

    today = datetime.date.today()
    programme = Programme.objects.get(reference_key="utvecklingsmedel-social-innovation")
    services.programme_budget_set(actor=None, programme=programme, year=today.year, amount=Decimal("1000000"))
    call = services.funding_call_create(
        actor=None,
        data=services.FundingCallData(
            source=programme.source,
            title=f"{programme.name} {today.year}",
            opens_on=today - datetime.timedelta(days=5),
            deadline=today + datetime.timedelta(days=30),
            programme=programme,
            budget=Decimal("200000"),
            budget_year=today.year,
        ),
    )
    call = services.funding_call_change_status(actor=None, call=call, status=FundingCall.Status.PUBLISHED)
    application = services.application_create(
        actor=None,
        call=call,
        organisation=organisation,
        data=services.ApplicationData(
            title="A:s språkcafé",
            amount_applied=Decimal("30000"),
            years=1,
            answers=application_answers(today),
            contact_email="styrelsen@example.se",
        ),
    )
    return call, application


def application_answers(today: datetime.date) -> dict[str, Any]:
    """Complete answers to the innovation programme's form."""
    return {
        "idea": "Ett språkcafé på biblioteket",
        "novelty": "Unga leder träffarna",
        "target_group": "Nyanlända unga",
        "co_financing_money": "10000.00",
        "voluntary_hours": 70,
        "start_date": (today + datetime.timedelta(days=60)).isoformat(),
        "end_date": (today + datetime.timedelta(days=240)).isoformat(),
    }
