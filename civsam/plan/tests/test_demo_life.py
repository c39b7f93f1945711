"""The demo as a newcomer sees it (issue #15): after `make run`'s loads, the 2022–2025 plan has a
published 2024 report whose PDF the worker renders, contact people, an adopted document and a draft
evaluation; the 2026–2030 draft is out on consultation with responses; the API answers for both."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from civsam.plan.models import Consultation, PeriodEvaluation, Plan, PlanContact, PlanDocument

from .test_reports import _pdf_streams


@pytest.mark.slow
def test_the_demo_shows_the_plans_life(client, reference_data, run_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", count=60, seed=3, password="demo-pass-123!", stdout=io.StringIO())
        call_command("load_demo_meetings", stdout=io.StringIO())
        out = io.StringIO()
        call_command("load_demo_followup", initiatives=20, stdout=out)
    assert "utvärdering" in out.getvalue()
    plan = Plan.objects.get(slug="2022-2025")

    # GET /api/v1/plans/{id}: the status and the decisions.
    data = client.get(f"/api/v1/plans/{plan.pk}").json()
    assert data["status"] == "adopted" and data["decisions"]
    assert {d["statusAfter"] for d in data["decisions"]} >= {"adopted"}
    draft = client.get("/api/v1/plans/2026-2030").json()
    assert draft["status"] == "consultation" and draft["decisions"][-1]["caseNumber"]
    consultation = Consultation.objects.get(plan__slug="2026-2030")
    assert consultation.responses.count() >= 3

    # The 2024 report's PDF: queued at publication, rendered by the worker, served by the API.
    run_tasks()
    pdf = client.get(f"/api/v1/plans/{plan.pk}/reports/2024?format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF-") and b"/Lang (sv)" in _pdf_streams(body)

    # The plan's page: contact people and the adopted document; the draft evaluation for the coordinator.
    assert PlanContact.objects.filter(plan=plan).count() == 2
    assert PlanDocument.objects.get(plan=plan).file
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Karin Exempel" in page and reverse("plan:plan-document-download", args=[plan.slug]) in page
    evaluation = PeriodEvaluation.objects.get(plan=plan)
    assert evaluation.status == PeriodEvaluation.Status.DRAFT and evaluation.texts.filter(section="summary").exists()
    # The influence indicators have values for the plan's years.
    assert plan.indicators.filter(computation="network-seats-civil-society", values__year=2024).exists()

    # Loading again adds nothing.
    call_command("load_demo_followup", stdout=io.StringIO())
    assert PlanContact.objects.filter(plan=plan).count() == 2
