"""Demo data and the scheduled commands."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from civsam.funding.demo import demo_funding_load
from civsam.funding.models import Application, FundingCall, GrantDecision, GrantFigure
from civsam.registry.models import Organisation


@pytest.mark.django_db
def test_demo_is_idempotent_and_public(funding, make_org):
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
    assert statuses == ["draft", "in_review", "partly_approved", "rejected", "submitted"]
    assert Application.objects.exclude(case_number="").count() == 4
    assert GrantDecision.objects.filter(is_demo=True).count() == decisions + 1
    assert GrantFigure.objects.filter(dimension="total").exists()
    # Case numbers in the funders' forms: the Region's "24RS1001", a municipality's "KS 2024/1".
    region_case = GrantDecision.objects.filter(funder__kind="region").values_list("case_number", flat=True).first()
    assert region_case[2:4] == "RS"
    assert demo_funding_load() == (0, 0)
    assert Application.objects.count() == 5


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
