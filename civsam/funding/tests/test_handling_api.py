"""The staff's steps in the API (ADR 0104): reviewers assigned, declarations, scores and the
recommendation, the scores side by side, the decision under the call's budget, and payments — each
through the service the browser uses, refused to everyone else."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client

from civsam.core.tests.api_support import assert_problem, items
from civsam.funding import services
from civsam.funding.models import Application, GrantDecision, ReviewAssignment

from .conftest import INNOVATION_ANSWERS, TODAY

pytestmark = pytest.mark.django_db
URL = "/api/v1/applications"


def _client(users, role: str) -> Client:
    client = Client()
    client.force_login(users[role])
    return client


def _send(client, method: str, url: str, body=None):
    return client.generic(method, url, json.dumps(body or {}), content_type="application/json")


def _decision(**changes):
    return {
        "outcome": "approved",
        "amountGranted": 30000,
        "reasons": "Ansökan uppfyller villkoren.",
        "decisionMaker": "committee",
        "decisionMakerName": "Kulturnämnden",
        "decisionDate": TODAY.isoformat(),
        "yearFrom": TODAY.year,
        "yearTo": TODAY.year,
        **changes,
    }


def test_review_decision_and_payment_end_to_end(make_application, programmes):
    application = make_application(submit=True)
    url = f"{URL}/{application.pk}"
    admin, reviewer = _client(programmes, "admin"), _client(programmes, "reviewer")

    # The officer assigns a reviewer; a user without the role is refused by name.
    assert_problem(
        _send(admin, "POST", url + "/reviewers", {"reviewerId": programmes["plain"].pk}), 400, parameter="reviewerId"
    )
    response = _send(admin, "POST", url + "/reviewers", {"reviewerId": programmes["reviewer"].pk})
    assert response.status_code == 201, response.content
    assignment = response.json()
    assert assignment["status"] == "assigned" and assignment["answers"] is None
    assert response["Location"].endswith(f"/api/v1/review-assignments/{assignment['id']}")
    assert Application.objects.get(pk=application.pk).status == Application.Status.IN_REVIEW
    a_url = f"/api/v1/review-assignments/{assignment['id']}"

    # The reviewer sees the assignment, but no answers before declaring.
    listed = items(reviewer.get("/api/v1/review-assignments"))
    assert [a["id"] for a in listed] == [assignment["id"]] and listed[0]["answers"] is None
    criteria = assignment["criteria"]
    scores = [{"criterionId": c["id"], "score": 4, "comment": "Bra"} for c in criteria]
    assert_problem(_send(reviewer, "PUT", a_url + "/scores", {"scores": scores}), 400)
    # The officer cannot declare for the reviewer (nor reach the reviewer's assignment).
    assert_problem(_send(admin, "POST", a_url + "/declaration", {"conflict": False}), 404)
    response = _send(reviewer, "POST", a_url + "/declaration", {"conflict": False})
    assert response.status_code == 200 and response.json()["status"] == "cleared"
    assert response.json()["answers"]["idea"]

    too_high = [{"criterionId": criteria[0]["id"], "score": 6}]
    assert_problem(_send(reviewer, "PUT", a_url + "/scores", {"scores": too_high}), 400)
    response = _send(reviewer, "PUT", a_url + "/scores", {"scores": scores, "comment": "Rekommenderas bifall."})
    assert response.status_code == 200, response.content
    assert {s["score"] for s in response.json()["scores"]} == {4}
    assert response.json()["comment"] == "Rekommenderas bifall."
    response = _send(reviewer, "POST", a_url + "/submit")
    assert response.status_code == 200 and response.json()["status"] == "submitted"

    # All scores side by side, for the officer only.
    table = admin.get(url + "/scores")
    assert table.status_code == 200
    column = table.json()["reviewers"][0]
    assert Decimal(str(column["weightedPercent"])) == Decimal("80.0")
    assert column["comment"] == "Rekommenderas bifall."
    assert_problem(_client(programmes, "rep").get(url + "/scores"), 403)

    # The decision: checked, the reviewer may not take it, the officer does.
    assert_problem(_send(admin, "POST", url + "/decision", _decision(outcome="maybe")), 400, parameter="outcome")
    assert_problem(_send(admin, "POST", url + "/decision", _decision(outcome="rejected")), 400)
    assert_problem(_send(reviewer, "POST", url + "/decision", _decision()), 403)
    response = _send(admin, "POST", url + "/decision", _decision())
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "approved"
    assert response.json()["decision"]["decisionMakerName"] == "Kulturnämnden"
    assert GrantDecision.objects.filter(case_number=application.case_number).exists()
    assert_problem(_send(admin, "POST", url + "/decision", _decision()), 400)  # decided once

    # Payment: the instalment due, no file without a checked account, then paid.
    due = items(admin.get("/api/v1/instalments-due"))
    assert [i["applicationId"] for i in due] == [application.pk]
    body = {"instalmentIds": [due[0]["id"]]}
    assert_problem(_send(admin, "POST", "/api/v1/payment-batches", body), 400)
    # Another funder's officer: the Region's instalment is not theirs to pay.
    assert_problem(_send(_client(programmes, "officer"), "POST", "/api/v1/payment-batches", body), 400)
    assert_problem(_send(_client(programmes, "rep"), "POST", "/api/v1/payment-batches", body), 403)
    services.payment_account_set(actor=None, organisation=programmes["own_org"], kind="bankgiro", number="5050-1055")
    response = _send(admin, "POST", "/api/v1/payment-batches", body)
    assert response.status_code == 201, response.content
    batch = response.json()
    assert batch["status"] == "exported" and Decimal(str(batch["amount"])) == Decimal("30000")
    assert admin.get(batch["fileUrl"]).status_code == 200
    confirm = f"/api/v1/payment-batches/{batch['id']}/confirmation"
    assert _send(_client(programmes, "officer"), "POST", confirm, {"paidOn": TODAY.isoformat()}).status_code in (
        403,
        404,
    )
    response = _send(admin, "POST", confirm, {"paidOn": TODAY.isoformat()})
    assert response.status_code == 200 and response.json()["paidOn"] == TODAY.isoformat()
    assert Application.objects.get(pk=application.pk).status == Application.Status.PAID
    assert GrantDecision.objects.get(case_number=application.case_number).amount_paid == Decimal("30000")
    assert_problem(_send(admin, "POST", confirm, {"paidOn": TODAY.isoformat()}), 400)  # paid once


def test_a_disqualified_reviewer_sees_no_answers_and_scores_nothing(in_review, programmes):
    application = in_review()
    assignment = ReviewAssignment.objects.get(application=application)
    reviewer = _client(programmes, "reviewer")
    a_url = f"/api/v1/review-assignments/{assignment.pk}"
    response = _send(reviewer, "POST", a_url + "/declaration", {"conflict": True, "note": "Styrelseledamot"})
    assert response.status_code == 200 and response.json()["status"] == "recused"
    assert response.json()["answers"] is None
    criterion = application.call.criteria.first()
    body = {"scores": [{"criterionId": criterion.pk, "score": 3}]}
    assert_problem(_send(reviewer, "PUT", a_url + "/scores", body), 400)
    table = _client(programmes, "admin").get(f"{URL}/{application.pk}/scores").json()
    assert table["reviewers"] == [] and len(table["recused"]) == 1


@pytest.mark.parametrize("role", ["plain", "rep", "officer_kumla", "officer"])
def test_others_reach_no_assignment_and_take_no_step(in_review, programmes, role):
    application = in_review()
    assignment = ReviewAssignment.objects.get(application=application)
    client = _client(programmes, role)
    assert client.get(f"/api/v1/review-assignments/{assignment.pk}").status_code in (403, 404)
    assert items(client.get("/api/v1/review-assignments")) == []
    assert _send(client, "POST", f"/api/v1/review-assignments/{assignment.pk}/submit").status_code in (403, 404)
    url = f"{URL}/{application.pk}"
    assert _send(client, "POST", url + "/decision", _decision()).status_code in (403, 404)
    response = _send(client, "POST", url + "/reviewers", {"reviewerId": programmes["reviewer"].pk})
    assert response.status_code in (403, 404)
    assert Application.objects.get(pk=application.pk).status == Application.Status.IN_REVIEW
    due = client.get("/api/v1/instalments-due")
    if role.startswith("officer"):  # they pay their own municipality's grants, none of the Region's
        assert items(due) == []
    else:
        assert_problem(due, 403)


def test_the_call_budget_holds_in_the_api(make_application, programmes):
    """200,000 kronor in the call: the fourth 50,000-kronor grant is refused and nothing is written."""
    admin = _client(programmes, "admin")
    decided = []
    for n in range(5):
        answers = {**INNOVATION_ANSWERS, "co_financing_money": "50000.00"}
        application = make_application(submit=True, amount="50000", answers=answers, title=f"Ansökan {n}")
        _send(admin, "POST", f"{URL}/{application.pk}/reviewers", {"reviewerId": programmes["reviewer"].pk})
        response = _send(admin, "POST", f"{URL}/{application.pk}/decision", _decision(amountGranted=50000))
        decided.append(response.status_code)
    assert decided == [201, 201, 201, 201, 400]
    assert GrantDecision.objects.filter(amount_granted=Decimal("50000")).count() == 4


def test_unknown_properties_are_refused(in_review, programmes):
    application = in_review()
    response = _send(
        _client(programmes, "admin"),
        "POST",
        f"{URL}/{application.pk}/decision",
        _decision(extra=datetime.date.today().isoformat()),
    )
    assert_problem(response, 400)
