"""The follow-up of a grant in the API (ADR 0141): the recipient reports, the officer reviews,
claims back and closes — through the services the browser uses, refused to everyone else."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from civsam.core.models import AuditEntry
from civsam.core.tests.api_support import assert_problem
from civsam.funding.models import Application, FollowUpReport, GrantDecision, Recovery, ReportRequirement

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _client(users, role: str) -> Client:
    client = Client()
    client.force_login(users[role])
    return client


def _send(client, method: str, url: str, body=None):
    return client.generic(method, url, json.dumps(body or {}), content_type="application/json")


def _report_url(requirement_id: int) -> str:
    return f"/api/v1/report-requirements/{requirement_id}/reports"


def test_report_review_recovery_and_close(paid, programmes, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    application = paid()
    rep, admin = _client(programmes, "rep"), _client(programmes, "admin")
    url = f"/api/v1/applications/{application.pk}"

    # Both sides read the follow-up: one report owed, nothing claimed.
    for client in (rep, admin):
        body = client.get(url + "/follow-up")
        assert body.status_code == 200, body.content
        assert [r["status"] for r in body.json()["requirements"]] == ["open"]
        assert body.json()["recoveries"] == []
    requirement_id = body.json()["requirements"][0]["id"]

    # The recipient reports, checked first.
    assert_problem(
        _send(rep, "POST", _report_url(requirement_id), {"text": "Träffar", "amountUsed": -5}),
        400,
        parameter="amountUsed",
    )
    response = _send(rep, "POST", _report_url(requirement_id), {"text": "Tolv träffar.", "amountUsed": 18000})
    assert response.status_code == 201, response.content
    report = response.json()
    assert report["verdict"] == "pending" and Decimal(str(report["amountUsed"])) == Decimal("18000")
    assert Application.objects.get(pk=application.pk).status == Application.Status.FOLLOW_UP_RECEIVED

    # The recipient may not review their own report; returning one needs a comment.
    review = f"/api/v1/follow-up-reports/{report['id']}/review"
    assert_problem(_send(rep, "POST", review, {"approve": True}), 403)
    assert_problem(_send(admin, "POST", review, {"approve": False}), 400, parameter="comment")
    response = _send(admin, "POST", review, {"approve": True})
    assert response.status_code == 200 and response.json()["verdict"] == "approved"
    assert_problem(_send(admin, "POST", review, {"approve": True}), 400)  # reviewed once
    assert ReportRequirement.objects.get(pk=requirement_id).status == ReportRequirement.Status.APPROVED

    # 12,000 of the 30,000 paid was not used: claimed back, never more than was paid.
    claim = {"amount": 12000, "reason": "unused", "explanation": "Inte använt.", "dueDate": "2027-01-31"}
    assert_problem(_send(rep, "POST", url + "/recoveries", claim), 403)
    assert_problem(_send(admin, "POST", url + "/recoveries", {**claim, "reason": "lost"}), 400, parameter="reason")
    assert_problem(_send(admin, "POST", url + "/recoveries", {**claim, "amount": 30001}), 400, parameter="amount")
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(admin, "POST", url + "/recoveries", claim)
    assert response.status_code == 201, response.content
    recovery = response.json()
    assert recovery["status"] == "claimed" and "12\u00a0000 kronor" in mail.outbox[-1].body

    # Not closed while the claim is open; settled once; then closed.
    assert_problem(_send(admin, "POST", url + "/close"), 400)
    settle = f"/api/v1/recoveries/{recovery['id']}/settlement"
    assert_problem(_send(rep, "POST", settle, {"repaid": True, "on": TODAY.isoformat()}), 403)
    response = _send(admin, "POST", settle, {"repaid": True, "on": TODAY.isoformat()})
    assert response.status_code == 200 and response.json()["status"] == "repaid"
    assert_problem(_send(admin, "POST", settle, {"repaid": False, "on": TODAY.isoformat()}), 400)
    assert GrantDecision.objects.get(case_number=application.case_number).amount_paid == Decimal("18000")
    response = _send(admin, "POST", url + "/close")
    assert response.status_code == 200 and response.json()["status"] == "closed"

    # Every step is in the audit log.
    logged = AuditEntry.objects.filter(content_type__app_label="funding")
    models = set(logged.values_list("content_type__model", flat=True))
    assert {"followupreport", "recovery", "reportrequirement"} <= models


@pytest.mark.parametrize("role", ["plain", "officer_kumla", "reviewer"])
def test_others_see_no_follow_up_and_take_no_step(paid, programmes, role):
    application = paid()
    requirement = application.report_requirements.get()
    client = _client(programmes, role)
    url = f"/api/v1/applications/{application.pk}"
    assert client.get(url + "/follow-up").status_code == 404
    body = {"text": "Kapat", "amountUsed": 1}
    assert _send(client, "POST", _report_url(requirement.pk), body).status_code in (403, 404)
    claim = {"amount": 1, "reason": "unused", "explanation": "x", "dueDate": "2027-01-31"}
    assert _send(client, "POST", url + "/recoveries", claim).status_code in (403, 404)
    assert _send(client, "POST", url + "/close").status_code in (403, 404)
    assert not FollowUpReport.objects.exists() and not Recovery.objects.exists()
    assert Application.objects.get(pk=application.pk).status == application.status


def test_no_report_before_the_grant_is_paid(granted, programmes):
    application = granted()
    requirement = application.report_requirements.first()
    body = {"text": "Tidigt", "amountUsed": 0}
    response = _send(_client(programmes, "rep"), "POST", _report_url(requirement.pk), body)
    assert_problem(response, 400)
    assert not FollowUpReport.objects.exists()


def test_anonymous_and_missing_objects(paid, programmes):
    application = paid()
    assert_problem(Client().get(f"/api/v1/applications/{application.pk}/follow-up"), 401)
    admin = _client(programmes, "admin")
    assert_problem(_send(admin, "POST", "/api/v1/follow-up-reports/999999/review", {"approve": True}), 404)
    settle = {"repaid": True, "on": (TODAY + datetime.timedelta(days=1)).isoformat()}
    assert_problem(_send(admin, "POST", "/api/v1/recoveries/999999/settlement", settle), 404)
    assert_problem(_send(admin, "POST", _report_url(999999), {"text": "x", "amountUsed": 1}), 404)
