"""A call's budget is never over-committed: many officers deciding at once, each a real request in
its own thread and database connection. The call's row lock decides (ADR 0069)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connections
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from civsam.funding.models import Application, ApplicationDecision, GrantDecision

from .conftest import TODAY

# Row locks decide these races; SQLite serialises writers anyway, so only PostgreSQL can fail them.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow, pytest.mark.postgres]


def _decide(user, application_id: int) -> int:
    try:
        client = Client()
        client.force_login(user)
        response = client.post(
            reverse("funding:application-decide", args=[application_id]),
            {
                "outcome": "approved",
                "amount_granted": "20000",
                "year_from": str(TODAY.year),
                "year_to": str(TODAY.year),
                "reasons": "Uppfyller villkoren.",
                "conditions": "",
                "decision_maker": "delegation",
                "decision_maker_name": "Enhetschef",
                "decision_date": TODAY.isoformat(),
            },
        )
        return response.status_code
    finally:
        connections.close_all()


def test_parallel_decisions_commit_exactly_the_budget(in_review, programmes, settings):
    """Budget 200,000 kronor; 16 applications of 20,000 decided at once: exactly ten are granted."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call = programmes["innovation_call"]
    assert call.budget == Decimal("200000")
    applications = [in_review(amount="20000", title=f"Ansökan {n}") for n in range(16)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda a: _decide(programmes["admin"], a.pk), applications))
    assert sorted(statuses) == [200] * 6 + [302] * 10  # the six too many get the form back with the reason
    committed = ApplicationDecision.objects.filter(application__call=call).aggregate(s=Sum("amount_granted"))["s"]
    assert committed == Decimal("200000")
    assert Application.objects.filter(status=Application.Status.APPROVED).count() == 10
    assert Application.objects.filter(status=Application.Status.IN_REVIEW).count() == 6
    assert GrantDecision.objects.filter(funder=programmes["region"]).count() == 10
