"""Demo data and the scheduled commands."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from civsam.funding.demo import demo_funding_load
from civsam.funding.models import (
    Application,
    FollowUpReport,
    FundingCall,
    GrantDecision,
    GrantFigure,
    ReviewAssignment,
    ReviewScore,
)
from civsam.registry.models import Organisation


@pytest.mark.django_db
def test_demo_is_idempotent_and_public(funding, make_org):
    from django.contrib.auth import get_user_model

    from civsam.accounts.models import Role
    from civsam.accounts.services import role_assign

    role_assign(user=get_user_model().objects.create(username="bedomare"), role=Role.REVIEWER)
    for index in range(5):
        make_org(name=f"Demoföreningen {index}", municipality=["1880", "1881", "1814"][index % 3])
    Organisation.objects.update(is_demo=True)  # as the registry's demo loader marks its rows
    calls, decisions = demo_funding_load()
    assert calls == 4 and decisions > 300
    assert FundingCall.objects.filter(status="published").count() == 4
    # The two shipped programmes run their calls with a budget; five applications in different states,
    # the one granted in part also in the register.
    assert set(
        FundingCall.objects.filter(programme__isnull=False).values_list("programme__reference_key", flat=True)
    ) == {
        "utvecklingsmedel-social-innovation",
        "regionens-foreningsstod",
    }
    assert FundingCall.objects.filter(programme__isnull=False, budget__gt=0).count() == 2
    statuses = sorted(Application.objects.filter(is_demo=True).values_list("status", flat=True))
    assert statuses == [
        "draft",
        "follow_up_received",
        "in_review",
        "in_review",
        "partly_approved",
        "rejected",
        "submitted",
    ]
    assert Application.objects.exclude(case_number="").count() == 6
    assert GrantDecision.objects.filter(is_demo=True).count() == decisions + 2
    # The demo reviewer: one assignment declared and half scored, one waiting for the declaration.
    assert sorted(ReviewAssignment.objects.filter(reviewer__username="bedomare").values_list("status", flat=True)) == [
        "assigned",
        "cleared",
    ]
    assert ReviewScore.objects.filter(assignment__reviewer__username="bedomare").exists()
    # A grant paid to a checked bankgiro, its follow-up report received, and the register says paid.
    paid = Application.objects.get(status="follow_up_received")
    assert paid.instalments.filter(status="paid").count() == 1
    assert FollowUpReport.objects.filter(requirement__application=paid).count() == 1
    assert GrantDecision.objects.get(case_number=paid.case_number).amount_paid == paid.decision.amount_granted
    assert GrantFigure.objects.filter(dimension="total").exists()
    # Case numbers in the funders' forms: the Region's "24RS1001", a municipality's "KS 2024/1".
    region_case = GrantDecision.objects.filter(funder__kind="region").values_list("case_number", flat=True).first()
    assert region_case[2:4] == "RS"
    assert demo_funding_load() == (0, 0)
    assert Application.objects.count() == 7


@pytest.mark.django_db
def test_compute_command(funding, make_decision, capsys):
    make_decision()
    call_command("compute_grant_figures")
    assert "rader" in capsys.readouterr().out
    assert GrantFigure.objects.filter(dimension="municipality", key="1880").exists()


@pytest.mark.django_db
def test_reminder_command(funding, capsys):
    call_command("send_followup_reminders")
    assert capsys.readouterr().out.strip() == "Påminnelser om återrapporter: 0 före, 0 efter."


@pytest.mark.django_db
def test_demo_co_financing_on_demo_initiatives(funding):
    import datetime
    from decimal import Decimal

    from civsam.funding.demo import demo_co_financing_load
    from civsam.funding.models import InitiativeFundingLine
    from civsam.plan.models import Initiative, InitiativeStatus

    status = InitiativeStatus.objects.get(code="ongoing")
    for n in range(3):
        Initiative.objects.create(
            title=f"Demoinsats {n}",
            status=status,
            start_date=datetime.date(2024, 1, 1),
            budget=Decimal("300000"),
            lead_name="Demo",
            is_demo=True,
        )
    Initiative.objects.create(
        title="Riktig insats", status=status, start_date=datetime.date(2024, 1, 1), budget=1, lead_name="X"
    )
    made = demo_co_financing_load()
    assert made > 0 and InitiativeFundingLine.objects.count() == made
    assert not InitiativeFundingLine.objects.filter(initiative__is_demo=False).exists()
    assert InitiativeFundingLine.objects.filter(kind="in_kind").exists()
    assert all(line.amount >= 0 and 2000 <= line.year <= 2100 for line in InitiativeFundingLine.objects.all())
    assert demo_co_financing_load() == 0  # idempotent
