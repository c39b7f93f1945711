"""A consultation that answers back (issue #15): responses on every chapter of the draft, from
anyone signed in (for an organisation they represent or as a private person), the coordinator's
disposition of each, the secrecy assessment, and the public responses and compiled report after
closing – on the pages and in the API, never showing what was withheld."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from civsam.plan import services
from civsam.plan.models import Consultation, ConsultationResponse, Plan, PriorityArea, ResponseSection

CH = ResponseSection.Chapter
D = ConsultationResponse.Disposition
SECRET = "Hemlig uppgift om en enskild person"


@pytest.fixture
def consultation(reference_data, users):
    return services.consultation_open(
        actor=users["admin"],
        plan=Plan.objects.get(slug="2026-2030"),
        title="Remiss 2026–2030",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        decision=services.DecisionIn(body="Kulturnämnden", decided_on=timezone.localdate(), case_number="24RS4321"),
    )


def _pa(code: str) -> PriorityArea:
    fa, pa = code.split(".")
    return PriorityArea.objects.get(focus_area__plan__slug="2026-2030", focus_area__number=fa, number=pa)


def _close(consultation, users):
    return services.consultation_set_status(actor=users["admin"], consultation=consultation, status="closed")


@pytest.fixture
def answered(consultation, users, settings, tmp_path):
    """An organisation's response with a secret section and a secret attachment, and a private person's."""
    settings.MEDIA_ROOT = tmp_path
    org = services.consultation_respond(
        actor=users["rep"],
        consultation=consultation,
        organisation=users["own_org"],
        general_comment="Bra att principerna står först.",
        sections=[
            services.SectionIn("Definitionerna är tydliga.", chapter=CH.DEFINITIONS),
            services.SectionIn("Finansieringen behöver bli långsiktig.", chapter=CH.FINANCING),
            services.SectionIn(SECRET, priority_area=_pa("2.1")),
        ],
        attachments=[
            SimpleUploadedFile("offentlig.pdf", b"%PDF-1.4 a", content_type="application/pdf"),
            SimpleUploadedFile("hemlig.pdf", b"%PDF-1.4 b", content_type="application/pdf"),
        ],
    )
    person = services.consultation_respond(
        actor=users["plain"],
        consultation=consultation,
        private_person=True,
        sections=[services.SectionIn("Fler mötesplatser på landsbygden.", chapter=CH.ROLES)],
    )
    return org, person


def test_responses_may_address_every_chapter(consultation, users):
    response = services.consultation_respond(
        actor=users["rep"],
        consultation=consultation,
        organisation=users["own_org"],
        sections=[services.SectionIn(f"Om {value}", chapter=value) for value in CH.values],
    )
    assert sorted(response.sections.values_list("chapter", flat=True)) == sorted(CH.values)
    with pytest.raises(ValidationError):
        services.consultation_respond(
            actor=users["rep"],
            consultation=consultation,
            organisation=users["own_org"],
            sections=[services.SectionIn("x", chapter="appendix")],
        )


def test_anyone_signed_in_responds_as_a_private_person_once(consultation, users):
    first = services.consultation_respond(
        actor=users["plain"],
        consultation=consultation,
        private_person=True,
        sections=[services.SectionIn("Första", chapter=CH.PRINCIPLES)],
    )
    again = services.consultation_respond(
        actor=users["plain"],
        consultation=consultation,
        private_person=True,
        sections=[services.SectionIn("Andra", chapter=CH.PRINCIPLES)],
    )
    assert first.pk == again.pk and list(again.sections.values_list("text", flat=True)) == ["Andra"]
    assert again.public_respondent == "Privatperson" and "plain" in again.respondent
    with pytest.raises(PermissionDenied):
        services.consultation_respond(
            actor=None,
            consultation=consultation,
            private_person=True,
            sections=[services.SectionIn("x", chapter="roles")],
        )
    with pytest.raises(PermissionDenied):  # a plain user names no organisation they do not represent
        services.consultation_respond(
            actor=users["plain"],
            consultation=consultation,
            organisation=users["own_org"],
            sections=[services.SectionIn("x", chapter=CH.ROLES)],
        )


def test_a_private_person_responds_in_the_browser(consultation, users):
    client = Client()
    client.force_login(users["plain"])
    page = client.get(consultation.get_absolute_url())
    assert "Jag själv, som privatperson" in page.content.decode()
    posted = client.post(
        consultation.get_absolute_url(), {"respondent": "private", f"ch-{CH.ACTORS}": "Glöm inte trossamfunden."}
    )
    assert posted.status_code == 302
    response = ConsultationResponse.objects.get()
    assert response.private_person and response.submitted_by == users["plain"]
    assert response.sections.get().chapter == CH.ACTORS


@pytest.mark.parametrize(
    ("disposition", "reason", "change", "field"),
    [
        ("", "Skäl", "", "disposition"),
        (D.NOT_TAKEN_IN, "  ", "", "disposition_reason"),
        (D.TAKEN_IN, "Skäl", "", "disposition_change"),
        (D.PARTLY, "Skäl", " ", "disposition_change"),
    ],
)
def test_a_disposition_needs_its_reason_and_change(answered, users, disposition, reason, change, field):
    org, _person = answered
    with pytest.raises(ValidationError) as caught:
        services.consultation_response_dispose(
            actor=users["admin"], response=org, disposition=disposition, reason=reason, change=change
        )
    assert field in caught.value.error_dict
    org.refresh_from_db()
    assert org.disposition == ""


@pytest.mark.parametrize("role", ["rep", "officer", "plain"])
def test_only_the_coordinator_disposes_and_assesses_secrecy(answered, users, role):
    org, _person = answered
    with pytest.raises(PermissionDenied):
        services.consultation_response_dispose(actor=users[role], response=org, disposition=D.NOT_TAKEN_IN, reason="x")
    with pytest.raises(PermissionDenied):
        services.consultation_response_assess_secrecy(
            actor=users[role], response=org, assessment=services.SecrecyIn(whole="x")
        )


def _assess_and_dispose(answered, users):
    org, person = answered
    secret_section = org.sections.get(priority_area__isnull=False)
    secret_attachment = org.attachments.get(name="hemlig.pdf")
    services.consultation_response_assess_secrecy(
        actor=users["admin"],
        response=org,
        assessment=services.SecrecyIn(
            sections={secret_section.pk: "OSL 26 kap. 1 §: uppgift om enskilds personliga förhållanden"},
            attachments={secret_attachment.pk: "OSL 31 kap. 16 §: affärsförhållanden"},
        ),
    )
    services.consultation_response_dispose(
        actor=users["admin"],
        response=org,
        disposition=D.PARTLY,
        reason="Finansieringen lyfts i kapitlet om finansiering.",
        change="Ett stycke om långsiktiga villkor har lagts till.",
    )
    services.consultation_response_dispose(
        actor=users["admin"], response=person, disposition=D.NOT_TAKEN_IN, reason="Landsbygden ryms i insatsområde 3."
    )
    return org, person


def test_nothing_is_public_while_open_and_withheld_parts_never(consultation, answered, users):
    client = Client()
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert "Definitionerna är tydliga." not in html  # open: responses are not yet public
    assert client.get(f"/api/v1/consultations/{consultation.pk}/responses").json()["items"] == []
    _assess_and_dispose(answered, users)
    _close(consultation, users)
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert "Definitionerna är tydliga." in html and "Fler mötesplatser på landsbygden." in html
    assert "Privatperson" in html and "plain" not in html
    assert SECRET not in html and "hemlig.pdf" not in html and "offentlig.pdf" in html
    body = client.get(f"/api/v1/consultations/{consultation.pk}/responses").json()
    assert SECRET not in str(body) and "hemlig.pdf" not in str(body) and "OSL" not in str(body)
    texts = {s["text"] for item in body["items"] for s in item["sections"]}
    assert texts == {
        "Definitionerna är tydliga.",
        "Finansieringen behöver bli långsiktig.",
        "Fler mötesplatser på landsbygden.",
    }
    assert {item["respondent"] for item in body["items"]} == {"Egna föreningen", "Privatperson"}
    assert all(item["disposition"] == "" for item in body["items"])  # the report is not yet published
    org = answered[0]
    secret = org.attachments.get(name="hemlig.pdf")
    public = org.attachments.get(name="offentlig.pdf")
    assert client.get(reverse("plan:consultation-attachment", args=[secret.pk])).status_code in (403, 404)
    assert client.get(reverse("plan:consultation-attachment", args=[public.pk])).status_code == 200


def test_a_response_withheld_whole_is_not_shown_at_all(consultation, answered, users):
    org, _person = answered
    services.consultation_response_assess_secrecy(
        actor=users["admin"], response=org, assessment=services.SecrecyIn(whole="OSL 21 kap. 1 §")
    )
    _close(consultation, users)
    client = Client()
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert "Egna föreningen" not in html and "Definitionerna är tydliga." not in html
    body = client.get(f"/api/v1/consultations/{consultation.pk}/responses").json()
    assert [item["respondent"] for item in body["items"]] == ["Privatperson"]


def test_the_compiled_report_is_published_with_the_dispositions(consultation, answered, users):
    admin = Client()
    admin.force_login(users["admin"])
    summary = reverse("plan:consultation-summary", args=[consultation.pk])
    with pytest.raises(ValidationError, match="Stäng remissen"):
        services.consultation_report_publish(actor=users["admin"], consultation=consultation)
    _close(consultation, users)
    with pytest.raises(ValidationError, match="saknar ställningstagande"):
        services.consultation_report_publish(actor=users["admin"], consultation=consultation)
    assert Client().get(summary).status_code == 404
    # A second private person: in public both are "Privatperson", each row keeps its own disposition.
    services.consultation_set_status(actor=users["admin"], consultation=consultation, status="open")
    other = services.consultation_respond(
        actor=users["officer"],
        consultation=consultation,
        private_person=True,
        sections=[services.SectionIn("Tänk på de äldre.", chapter=CH.ROLES)],
    )
    _close(consultation, users)
    services.consultation_response_dispose(
        actor=users["admin"], response=other, disposition=D.TAKEN_IN, reason="Rimligt.", change="Äldre nämns."
    )
    _assess_and_dispose(answered, users)
    published = admin.post(reverse("plan:consultation-publish", args=[consultation.pk]))
    assert published.status_code == 302
    assert Consultation.objects.get(pk=consultation.pk).report_published_at is not None
    public = Client()
    html = public.get(summary).content.decode()
    assert "Delvis tillgodosett" in html and "Ett stycke om långsiktiga villkor har lagts till." in html
    assert "Inte tillgodosett" in html and SECRET not in html and "hemlig.pdf" not in html
    assert "plain" not in html  # a private person is not named in public
    assert SECRET in admin.get(summary).content.decode()  # the coordinator reads everything
    xlsx = public.get(reverse("plan:consultation-summary-export", args=[consultation.pk, "xlsx"]))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert SECRET not in str(rows)
    by_text = {r[3]: (r[2], r[4]) for r in rows[1:]}
    assert by_text["Finansieringen behöver bli långsiktig."] == ("Egna föreningen", "Delvis tillgodosett")
    assert by_text["Fler mötesplatser på landsbygden."] == ("Privatperson", "Inte tillgodosett")
    assert by_text["Tänk på de äldre."] == ("Privatperson", "Tillgodosett")
    body = public.get(f"/api/v1/consultations/{consultation.pk}/responses").json()
    assert {item["disposition"] for item in body["items"]} == {"partly", "not_taken_in", "taken_in"}
    detail = public.get(f"/api/v1/consultations/{consultation.pk}").json()
    assert detail["reportPublished"] is True and detail["responsesPublic"] is True


@pytest.mark.slow
def test_the_public_report_as_pdf(consultation, answered, users):
    _assess_and_dispose(answered, users)
    _close(consultation, users)
    services.consultation_report_publish(actor=users["admin"], consultation=consultation)
    pdf = Client().get(reverse("plan:consultation-summary-export", args=[consultation.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def test_the_coordinator_records_disposition_and_secrecy_in_the_browser(consultation, answered, users):
    org, _person = answered
    client = Client()
    client.force_login(users["admin"])
    url = reverse("plan:consultation-response", args=[org.pk])
    assert SECRET in client.get(url).content.decode()
    bad = client.post(url, {"form": "disposition", "disposition": D.TAKEN_IN, "disposition_reason": "Bra"})
    assert bad.status_code == 200 and "Beskriv ändringen" in bad.content.decode()
    ok = client.post(
        url,
        {"form": "disposition", "disposition": D.TAKEN_IN, "disposition_reason": "Bra", "disposition_change": "Nytt"},
    )
    assert ok.status_code == 302
    section = org.sections.get(priority_area__isnull=False)
    client.post(url, {"form": "secrecy", "whole": "", "general_comment": "", f"section-{section.pk}": "OSL"})
    section.refresh_from_db()
    org.refresh_from_db()
    assert (org.disposition, section.confidential_reason) == (D.TAKEN_IN, "OSL")
    other = Client()
    other.force_login(users["rep"])
    assert other.get(url).status_code == 403


def test_the_api_lists_consultations(consultation):
    body = Client().get("/api/v1/consultations").json()
    assert [(c["id"], c["plan"], c["status"], c["responsesPublic"]) for c in body["items"]] == [
        (consultation.pk, "2026-2030", "open", False)
    ]
    assert Client().get("/api/v1/consultations/999999").status_code == 404
