"""The plan's life (issue #15): decisions that move a plan draft → on consultation → adopted →
superseded, case numbers in the Region's form, the plan in force on a date, the pages and the API."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from civsam.core.models import AuditEntry
from civsam.plan import case_numbers
from civsam.plan.in_force import PlanLife, plan_in_force
from civsam.plan.models import Plan, PlanDecision
from civsam.plan.services import DecisionIn, plan_status_change

S = Plan.Status
D = datetime.date

# --- Case numbers (pure) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decided_on", "ok"),
    [
        ("24RS4154", D(2024, 6, 11), True),
        ("24 rs 4154", D(2024, 6, 11), True),  # read as the Region writes it
        ("21RS1", D(2021, 12, 7), True),
        ("24RS4154", D(2025, 3, 1), True),  # a case opened in 2024, decided in 2025
        ("25RS4154", D(2024, 12, 31), False),  # opened after the decision
        ("24RS04154", D(2024, 6, 11), False),  # no leading zero in the serial number
        ("2024RS4154", D(2024, 6, 11), False),
        ("24KS4154", D(2024, 6, 11), False),
        ("24RS", D(2024, 6, 11), False),
        ("RS4154", D(2024, 6, 11), False),
        ("24RS1234567", D(2024, 6, 11), False),
        ("", D(2024, 6, 11), False),
        ("24RS4154", None, True),
    ],
)
def test_case_number_form(value, decided_on, ok):
    assert (case_numbers.problem(value, decided_on=decided_on) is None) is ok


@given(year=st.integers(0, 99), serial=st.integers(1, 999_999), spaces=st.sampled_from(["", " ", "  "]))
def test_every_number_in_the_form_is_accepted_however_spaced(year, serial, spaces):
    value = f"{year:02d}{spaces}rs{spaces}{serial}"
    assert case_numbers.normalise(value) == f"{year:02d}RS{serial}"
    assert case_numbers.problem(value, decided_on=D(2099, 12, 31)) is None


# --- The plan in force (pure) ----------------------------------------------------------------------

OLD = PlanLife("2022", 2022, "adopted", adopted_on=D(2021, 12, 7))
NEW_DRAFT = PlanLife("2026", 2026, "consultation")
NEW_ADOPTED = PlanLife("2026", 2026, "adopted", adopted_on=D(2025, 11, 20))
OLD_SUPERSEDED = PlanLife("2022", 2022, "superseded", adopted_on=D(2021, 12, 7), superseded_on=D(2026, 2, 1))
LEGACY = PlanLife("2018", 2018, "adopted")  # no decision recorded


@pytest.mark.parametrize(
    ("plans", "on", "expected"),
    [
        ([OLD, NEW_DRAFT], D(2023, 5, 1), "2022"),
        ([OLD, NEW_DRAFT], D(2021, 12, 20), None),  # adopted, but its period has not begun
        ([OLD, NEW_DRAFT], D(2021, 11, 1), None),  # not yet adopted
        ([OLD, NEW_DRAFT], D(2026, 12, 6), "2022"),  # past its last year, still followed until replaced
        ([OLD, NEW_ADOPTED], D(2025, 12, 1), "2022"),  # the new one is adopted but begins in 2026
        ([OLD, NEW_ADOPTED], D(2026, 1, 2), "2026"),  # both in force: the one begun last
        ([OLD_SUPERSEDED, NEW_ADOPTED], D(2026, 1, 15), "2026"),
        ([OLD_SUPERSEDED, NEW_DRAFT], D(2026, 1, 15), "2022"),  # superseded later, on 2026-02-01
        ([OLD_SUPERSEDED, NEW_DRAFT], D(2026, 3, 1), None),
        ([LEGACY, OLD], D(2020, 1, 1), "2018"),
        ([LEGACY, OLD], D(2022, 1, 1), "2022"),
        ([PlanLife("x", 2018, "superseded")], D(2020, 1, 1), None),
        ([], D(2024, 1, 1), None),
    ],
)
def test_plan_in_force(plans, on, expected):
    found = plan_in_force(plans, on)
    assert (found.key if found else None) == expected


# --- The one service ---------------------------------------------------------------------------------


def _decision(**changes) -> DecisionIn:
    fields = {"body": "Kulturnämnden", "decided_on": timezone.localdate(), "case_number": "24RS4154"}
    return DecisionIn(**{**fields, **changes})


@pytest.fixture
def draft(reference_data):
    return Plan.objects.get(slug="2026-2030")


def test_a_draft_goes_through_its_life_with_a_decision_at_each_step(draft, users):
    today = timezone.localdate()
    steps = [
        (S.CONSULTATION, "Kulturnämnden", today - datetime.timedelta(days=60), "24RS4154"),
        (S.ADOPTED, "Regionfullmäktige", today - datetime.timedelta(days=10), "24rs 4154"),
        (S.SUPERSEDED, "Kulturnämnden", today, "26RS120"),
    ]
    for to, body, on, number in steps:
        plan_status_change(
            actor=users["admin"], plan=draft, to=to, decision=_decision(body=body, decided_on=on, case_number=number)
        )
        draft.refresh_from_db()
        assert draft.status == to
    rows = list(draft.decisions.values_list("action", "status_before", "status_after", "body", "case_number"))
    assert rows == [
        ("consult", S.DRAFT, S.CONSULTATION, "Kulturnämnden", "24RS4154"),
        ("adopt", S.CONSULTATION, S.ADOPTED, "Regionfullmäktige", "24RS4154"),
        ("supersede", S.ADOPTED, S.SUPERSEDED, "Kulturnämnden", "26RS120"),
    ]
    changes = list(
        AuditEntry.objects.filter(object_id=str(draft.pk), changes__has_key="status")
        .order_by("id")
        .values_list("changes", flat=True)
    )
    assert changes[-3:] == [
        {"status": ["draft", "consultation"]},
        {"status": ["consultation", "adopted"]},
        {"status": ["adopted", "superseded"]},
    ]


@pytest.mark.parametrize(
    ("to", "decision", "field"),
    [
        (S.SUPERSEDED, {}, "__all__"),  # a draft cannot be superseded
        (S.ADOPTED, {"case_number": "Dnr 4154"}, "case_number"),
        (S.ADOPTED, {"case_number": ""}, "case_number"),
        (S.ADOPTED, {"body": "  "}, "body"),
        (S.ADOPTED, {"decided_on": D(2099, 1, 1)}, "decided_on"),
        (S.ADOPTED, {"decided_on": D(2023, 5, 1), "case_number": "24RS4154"}, "case_number"),
    ],
)
def test_a_wrong_step_or_decision_changes_nothing(draft, users, to, decision, field):
    with pytest.raises(ValidationError) as caught:
        plan_status_change(actor=users["admin"], plan=draft, to=to, decision=_decision(**decision))
    errors = caught.value.error_dict if hasattr(caught.value, "error_dict") else {"__all__": caught.value.error_list}
    assert field in errors
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and not draft.decisions.exists()


def test_a_later_step_cannot_be_decided_before_the_last(draft):
    plan_status_change(actor=None, plan=draft, to=S.CONSULTATION, decision=_decision())
    with pytest.raises(ValidationError, match="förra beslut"):
        plan_status_change(
            actor=None,
            plan=draft,
            to=S.ADOPTED,
            decision=_decision(decided_on=timezone.localdate() - datetime.timedelta(days=1)),
        )


@pytest.mark.parametrize("role", ["officer", "rep", "reviewer", "plain"])
def test_only_the_region_administrator_records_decisions(draft, users, role):
    with pytest.raises(PermissionDenied):
        plan_status_change(actor=users[role], plan=draft, to=S.ADOPTED, decision=_decision())
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


# Only plan_status_change sets a plan's status; the reference load creates a new plan with the status
# its file gives it (Plan.objects.create), never by assignment.
PLAN_STATUS_SETTERS = {"services/plans.py": {"plan_status_change"}}


def test_only_the_one_service_assigns_a_plans_status():
    root = Path(__file__).resolve().parent.parent
    found: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        relative = str(path.relative_to(root))
        if relative.startswith(("tests/", "migrations/")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                for target in node.targets if isinstance(node, ast.Assign) else []:
                    if isinstance(target, ast.Attribute) and target.attr == "status" and "plan" in ast.unparse(target):
                        found.setdefault(relative, set()).add(function.name)
                if (
                    isinstance(node, ast.Call)
                    and ast.unparse(node.func).endswith(".update")
                    and any(k.arg == "status" for k in node.keywords)
                    and "Plan" in ast.unparse(node.func)
                ):
                    found.setdefault(relative, set()).add(function.name)
    assert found == PLAN_STATUS_SETTERS


# --- Pages -------------------------------------------------------------------------------------------


def test_the_administrator_adopts_a_plan_in_the_browser(draft, users):
    client = Client()
    client.force_login(users["admin"])
    url = reverse("plan:plan-decide", args=[draft.slug])
    page = client.get(url)
    assert page.status_code == 200 and "Anta planen" in page.content.decode()
    bad = client.post(
        url, {"action": "adopt", "body": "Kulturnämnden", "decided_on": "2025-11-20", "case_number": "24-4154"}
    )
    assert bad.status_code == 200 and "till exempel 24RS4154" in bad.content.decode()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    done = client.post(
        url,
        {"action": "adopt", "body": "Kulturnämnden", "decided_on": "2025-11-20", "case_number": "24rs4154"},
        follow=True,
    )
    html = done.content.decode()
    assert done.redirect_chain[-1][0] == draft.get_absolute_url()
    assert "Kulturnämnden" in html and "24RS4154" in html and "20 november 2025" in html
    draft.refresh_from_db()
    assert draft.status == S.ADOPTED


@pytest.mark.parametrize("role", ["officer", "rep", "plain"])
def test_the_decision_page_is_the_administrators(draft, users, role):
    client = Client()
    client.force_login(users[role])
    assert client.get(reverse("plan:plan-decide", args=[draft.slug])).status_code == 403
    assert "För in ett beslut" not in client.get(draft.get_absolute_url()).content.decode()


def test_the_plan_page_shows_its_decisions_publicly(reference_data):
    html = Client().get(reverse("plan:plan-detail", args=["2022-2025"])).content.decode()
    assert "Regionfullmäktige" in html and "7 december 2021" in html and "Gäller i dag" in html


def test_a_superseded_plan_stays_readable_with_its_follow_up(reference_data):
    old = Plan.objects.get(slug="2022-2025")
    plan_status_change(actor=None, plan=old, to=S.SUPERSEDED, decision=_decision())
    client = Client()
    html = client.get(old.get_absolute_url()).content.decode()
    assert "Planen är ersatt" in html
    assert client.get(reverse("plan:followup", args=[old.slug])).status_code == 200
    assert client.get(reverse("plan:report-index", args=[old.slug])).status_code == 200


def test_genomforande_follows_the_plan_in_force(reference_data, monkeypatch):
    client = Client()
    url = reverse("plan:followup-current")
    assert client.get(url)["Location"] == reverse("plan:followup", args=["2022-2025"])
    new = Plan.objects.get(slug="2026-2030")
    plan_status_change(actor=None, plan=new, to=S.ADOPTED, decision=_decision(decided_on=D(2025, 11, 20)))
    # Adopted, the newest plan; today (the test's clock) decides whether its period has begun.
    expected = "2026-2030" if timezone.localdate().year >= 2026 else "2022-2025"
    assert client.get(url)["Location"] == reverse("plan:followup", args=[expected])
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2025, 12, 15))
    assert client.get(url)["Location"] == reverse("plan:followup", args=["2022-2025"])
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2026, 1, 2))
    assert client.get(url)["Location"] == reverse("plan:followup", args=["2026-2030"])


# --- API -----------------------------------------------------------------------------------------------


def test_the_api_carries_status_and_decisions(reference_data):
    body = Client().get("/api/v1/plans/2022-2025").json()
    assert body["status"] == "adopted" and body["inForce"] is True
    assert body["decisions"] == [
        {
            "action": "adopt",
            "statusBefore": "draft",
            "statusAfter": "adopted",
            "body": "Regionfullmäktige",
            "decidedOn": "2021-12-07",
            "caseNumber": "",
            "note": PlanDecision.objects.get(plan__slug="2022-2025").note,
        }
    ]


def test_the_administrator_records_a_decision_through_the_api(draft, users):
    client = Client()
    client.force_login(users["admin"])
    url = "/api/v1/plans/2026-2030/decisions"
    bad = client.post(
        url,
        {"status": "adopted", "body": "Kulturnämnden", "decidedOn": "2025-11-20", "caseNumber": "4154"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert [p["name"] for p in bad.json()["invalidParameters"]] == ["caseNumber"]
    response = client.post(
        url,
        {"status": "adopted", "body": "Kulturnämnden", "decidedOn": "2025-11-20", "caseNumber": "24RS4154"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "adopted"
    assert [(d["action"], d["caseNumber"]) for d in body["decisions"]] == [("adopt", "24RS4154")]
    again = client.post(
        url,
        {"status": "consultation", "body": "Kulturnämnden", "decidedOn": "2025-11-21", "caseNumber": "24RS4154"},
        content_type="application/json",
    )
    assert again.status_code == 400  # adopted → on consultation is no step of the workflow


def test_anonymous_callers_get_401(reference_data):
    response = Client().post(
        "/api/v1/plans/2026-2030/decisions",
        {"status": "adopted", "body": "Kulturnämnden", "decidedOn": "2025-11-20", "caseNumber": "24RS4154"},
        content_type="application/json",
    )
    assert response.status_code == 401
