"""API: initiatives (list, filters, create), indicators, the progress tree, the report."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client

from civsam.plan import services
from civsam.plan.models import FollowUpReport, Initiative


def test_list_filters_and_pages(client, users, make_initiative, area):
    a = make_initiative(areas=("1.1",), title="A", lead_organisation=users["own_org"], lead_name="")
    make_initiative(areas=("2.1",), title="B", status_code="completed")
    make_initiative(areas=(area("1.1", "2026-2030"),), title="C")
    body = client.get("/api/v1/initiatives", {"plan": "2022-2025", "limit": 1}).json()
    assert body["pagination"]["totalCount"] == 2 and len(body["items"]) == 1
    assert body["links"]["next"]
    item = body["items"][0]
    assert item["title"] == "A" and item["leadOrganisationId"] == users["own_org"].pk
    assert item["priorityAreas"][0]["code"] == "1.1" and item["webUrl"].endswith(a.get_absolute_url())
    assert [i["title"] for i in client.get("/api/v1/initiatives?status=completed").json()["items"]] == ["B"]
    assert [i["title"] for i in client.get("/api/v1/initiatives?plan=2022-2025&focus-area=2").json()["items"]] == ["B"]
    assert [
        i["title"] for i in client.get(f"/api/v1/initiatives?organisation={users['own_org'].pk}").json()["items"]
    ] == ["A"]
    assert [i["title"] for i in client.get("/api/v1/initiatives?municipality=1880").json()["items"]] == ["A"]
    assert client.get("/api/v1/initiatives?year=2023").json()["pagination"]["totalCount"] == 3


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("colour=red", "colour"),
        ("plan=1999-2000", "plan"),
        ("focus-area=1", "focus-area"),
        ("year=abc", "year"),
        ("focus_area=1&plan=2022-2025", "focus_area"),
    ],
)
def test_list_refuses_bad_parameters_as_problems(client, reference_data, query, name):
    response = client.get(f"/api/v1/initiatives?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert name in [p["name"] for p in response.json()["invalidParameters"]]


def _payload(**overrides):
    from civsam.plan.models import PriorityArea

    area = PriorityArea.objects.get(focus_area__plan__slug="2022-2025", focus_area__number=2, number=2)
    data = {
        "title": "Stöd till sociala företag",
        "priorityAreaIds": [area.pk],
        "startDate": "2024-02-01",
        "status": "ongoing",
        "municipalityCodes": ["1880"],
        "principles": ["dialogue"],
        "milestones": [{"title": "Första träffen", "dueDate": "2024-03-01"}],
    }
    data.update(overrides)
    return data


def test_create_needs_login_csrf_and_permission(users):
    anonymous = Client(enforce_csrf_checks=True)
    assert (
        anonymous.post("/api/v1/initiatives", _payload(leadName="X"), content_type="application/json").status_code
        == 401
    )
    rep = Client(enforce_csrf_checks=True)
    rep.force_login(users["rep"])
    no_token = rep.post(
        "/api/v1/initiatives", _payload(leadOrganisationId=users["own_org"].pk), content_type="application/json"
    )
    assert no_token.status_code == 403
    rep.get("/")  # the CSRF cookie
    token = rep.cookies["csrftoken"].value
    other = rep.post(
        "/api/v1/initiatives",
        _payload(leadOrganisationId=users["other_org"].pk),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert other.status_code == 403
    created = rep.post(
        "/api/v1/initiatives",
        _payload(leadOrganisationId=users["own_org"].pk),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["progress"] == 50 and body["statusKind"] == "ongoing"
    assert body["milestones"] == [{"title": "Första träffen", "dueDate": "2024-03-01", "completedOn": None}]
    assert created["Location"] == body["url"]
    assert Initiative.objects.get(pk=body["id"]).created_by == users["rep"]


def test_create_reports_each_bad_field(client, users):
    client.force_login(users["admin"])
    response = client.post(
        "/api/v1/initiatives",
        _payload(status="klar", priorityAreaIds=[999999], municipalityCodes=["0000"], leadName="R"),
        content_type="application/json",
    )
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalidParameters"]}
    assert names == {"status", "priorityAreaIds", "municipalityCodes"}
    assert Initiative.objects.count() == 0
    bad_range = client.post(
        "/api/v1/initiatives", _payload(progress=120, leadName="R"), content_type="application/json"
    )
    assert bad_range.status_code == 400 and bad_range.json()["invalidParameters"][0]["name"] == "progress"


def test_indicators_with_values_and_status(client, plan):
    indicator = services.indicator_create(
        actor=None,
        plan=plan,
        code="x",
        name_sv="X",
        unit="st",
        baseline_year=2021,
        baseline_value=Decimal(0),
        targets=[(2023, Decimal(10))],
    )
    services.indicator_value_set(actor=None, indicator=indicator, year=2023, value=Decimal(9), source="Källa")
    body = client.get("/api/v1/indicators?plan=2022-2025").json()
    item = body["items"][0]
    assert item["code"] == "x" and item["direction"] == "higher"
    assert item["values"] == [
        {"year": 2023, "target": "10.0000", "actual": "9.0000", "source": "Källa", "comment": "", "status": "on_track"}
    ]
    assert "90 procent" in item["statusRule"]


def test_progress_tree(client, plan, make_initiative):
    make_initiative(areas=("1.1",), progress=20)
    parent = make_initiative(areas=("1.1",), progress=0)
    make_initiative(areas=("1.1",), progress=80, parent=parent)
    body = client.get("/api/v1/plans/2022-2025/progress").json()
    area = body["focusAreas"][0]["priorityAreas"][0]
    assert area["progress"] == pytest.approx(50)
    assert [i["progress"] for i in area["initiatives"]] == [pytest.approx(20), pytest.approx(80)] or [
        i["progress"] for i in area["initiatives"]
    ] == [pytest.approx(80), pytest.approx(20)]
    assert body["progress"] == pytest.approx(50) and body["methods"]["goal"] == "mean"
    assert client.get("/api/v1/plans/2022-2025/progress?year=2019").json()["progress"] is None
    assert client.get("/api/v1/plans/nope/progress").status_code == 404


@pytest.mark.slow
def test_report_by_content_negotiation(
    client, users, plan, make_initiative, run_tasks, django_capture_on_commit_callbacks
):
    make_initiative(areas=("1.1",), progress=40, start_date=datetime.date(2024, 1, 1))
    report = services.report_get_or_create(actor=None, plan=plan, year=2024)
    url = "/api/v1/plans/2022-2025/reports/2024"
    assert client.get(url).status_code == 404  # a draft is not public
    with django_capture_on_commit_callbacks(execute=True):
        services.report_publish(actor=None, report=report)
    html = client.get(url, HTTP_ACCEPT="text/html")
    assert (
        html.status_code == 200
        and html["Content-Type"].startswith("text/html")
        and b"Uppf\xc3\xb6ljning 2024" in html.content
    )
    data = client.get(url, HTTP_ACCEPT="application/json")
    assert data.json()["progress"] == "40.0" and data.json()["year"] == 2024
    assert client.get(url + "?format=json").json() == data.json()
    assert client.get(url, HTTP_ACCEPT="image/png").status_code == 406
    assert client.get(url + "?format=pdf").status_code == 202  # rendered in the background, test_report_pdfs.py
    run_tasks()
    pdf = client.get(url + "?format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert FollowUpReport.objects.get().snapshot == json.loads(client.get(url + "?format=json").content)
