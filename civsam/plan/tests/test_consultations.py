"""Consultation (remiss) of a draft plan: respond section by section, compile, export."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from civsam.core.models import Municipality
from civsam.plan import services
from civsam.plan.models import ConsultationResponse, FocusArea, Plan, PriorityArea


@pytest.fixture
def draft(reference_data):
    return Plan.objects.get(slug="2026-2030")


@pytest.fixture
def consultation(draft, users):
    return services.consultation_open(
        actor=users["admin"],
        plan=draft,
        title="Remiss 2026–2030",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        decision=services.DecisionIn(body="Kulturnämnden", decided_on=timezone.localdate(), case_number="24RS4321"),
    )


def _pa(code):
    fa, pa = code.split(".")
    return PriorityArea.objects.get(focus_area__plan__slug="2026-2030", focus_area__number=fa, number=pa)


def test_opening_marks_the_draft_as_on_consultation(consultation, draft):
    draft.refresh_from_db()
    assert draft.status == Plan.Status.CONSULTATION


def test_respond_per_section_and_replace(consultation, users):
    rep, org = users["rep"], users["own_org"]
    services.consultation_respond(
        actor=rep,
        consultation=consultation,
        organisation=org,
        sections=[services.SectionIn("Bra mål", priority_area=_pa("2.1"))],
    )
    again = services.consultation_respond(
        actor=rep,
        consultation=consultation,
        organisation=org,
        sections=[
            services.SectionIn("Ändrad synpunkt", priority_area=_pa("2.1")),
            services.SectionIn("", priority_area=_pa("1.1")),
        ],
    )
    assert ConsultationResponse.objects.count() == 1
    assert list(again.sections.values_list("text", flat=True)) == ["Ändrad synpunkt"]


def test_respondents_are_checked(consultation, users):
    with pytest.raises(PermissionDenied):
        services.consultation_respond(
            actor=users["rep"],
            consultation=consultation,
            organisation=users["other_org"],
            sections=[services.SectionIn("x", priority_area=_pa("1.1"))],
        )
    with pytest.raises(PermissionDenied):
        services.consultation_respond(
            actor=users["officer"],
            consultation=consultation,
            municipality=Municipality.objects.get(code="1881"),
            sections=[services.SectionIn("x", priority_area=_pa("1.1"))],
        )
    response = services.consultation_respond(
        actor=users["officer"],
        consultation=consultation,
        municipality=Municipality.objects.get(code="1880"),
        sections=[services.SectionIn("Från Örebro", priority_area=_pa("1.1"))],
    )
    assert response.respondent == "Örebro kommun"


def test_no_answers_after_the_deadline_or_for_another_plan(consultation, users):
    other_plan_area = PriorityArea.objects.get(focus_area__plan__slug="2022-2025", focus_area__number=1, number=1)
    with pytest.raises(ValidationError):
        services.consultation_respond(
            actor=users["rep"],
            consultation=consultation,
            organisation=users["own_org"],
            sections=[services.SectionIn("x", priority_area=other_plan_area)],
        )
    type(consultation).objects.filter(pk=consultation.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        services.consultation_respond(
            actor=users["rep"],
            consultation=consultation,
            organisation=users["own_org"],
            sections=[services.SectionIn("x", priority_area=_pa("1.1"))],
        )
    assert not ConsultationResponse.objects.exists()


@pytest.mark.slow
def test_response_page_with_attachment_and_the_compilation(client, consultation, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(users["rep"])
    fa = FocusArea.objects.get(plan__slug="2026-2030", number=3)
    data = {
        "respondent": f"org-{users['own_org'].pk}",
        f"fa-{fa.pk}": "Mötesplatserna behövs.",
        f"pa-{_pa('2.1').pk}": "Tydligare bidragsregler.",
        "attachments": SimpleUploadedFile("svar.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    }
    response = client.post(consultation.get_absolute_url(), data)
    assert response.status_code == 302, response.context["form"].errors
    bad = client.post(consultation.get_absolute_url(), {**data, "attachments": SimpleUploadedFile("virus.exe", b"MZ")})
    assert bad.status_code == 200 and "virus.exe" in bad.content.decode()
    summary_url = reverse("plan:consultation-summary", args=[consultation.pk])
    assert client.get(summary_url).status_code == 404  # until the coordinator publishes it
    client.force_login(users["admin"])
    html = client.get(summary_url).content.decode()
    assert "Mötesplatserna behövs." in html and "Tydligare bidragsregler." in html and "svar.pdf" in html
    assert html.index("Tydligare bidragsregler.") < html.index("Mötesplatserna behövs.")  # in the plan's order
    xlsx = client.get(reverse("plan:consultation-summary-export", args=[consultation.pk, "xlsx"]))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("section", "title", "respondent", "text", "disposition", "reason", "change")
    assert {(r[0], r[2]) for r in rows[1:]} == {("2.1", "Egna föreningen"), ("3", "Egna föreningen")}
    pdf = client.get(reverse("plan:consultation-summary-export", args=[consultation.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    attachment = ConsultationResponse.objects.get().attachments.get()
    download = client.get(reverse("plan:consultation-attachment", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
