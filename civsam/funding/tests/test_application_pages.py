"""The Region's own calls through the browser's pages: an association applies (draft, rules
explained, attachment, sending in), the officer asks for completion, assigns a reviewer, who
declares and scores; the officer decides; the letter as HTML and PDF; the organisation's bankgiro,
the payment file, the follow-up report. And who may open each page."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from civsam.funding.models import Application, Instalment, ReportRequirement, ReviewAssignment

from .conftest import INNOVATION_ANSWERS, PDF, TODAY

pytestmark = pytest.mark.django_db


def _client(users, role: str) -> Client:
    client = Client()
    if users.get(role) is not None:
        client.force_login(users[role])
    return client


def _answers(extra: dict | None = None) -> dict:
    data = {"answer_" + key: value for key, value in {**INNOVATION_ANSWERS, **(extra or {})}.items()}
    return {"title": "Språkcafé", "amount_applied": "30000", "years": "1", "contact_email": "kansli@example.se", **data}


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_an_association_applies_and_the_officer_decides(programmes, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call = programmes["innovation_call"]
    # The Region's call is handled by the Region's staff; Örebro's officer acts for the association.
    rep, officer, reviewer = (_client(programmes, r) for r in ("rep", "admin", "reviewer"))

    # The call is public, with the programme's rules explained.
    page = Client().get(reverse("funding:call-detail", args=[call.pk])).content.decode()
    assert "330" in page and "20\u00a0000" in page
    assert reverse("funding:application-create", args=[call.pk]) in rep.get(call.get_absolute_url()).content.decode()

    # A draft, saved with what is missing told, then an attachment checked by its content.
    response = rep.post(
        reverse("funding:application-create", args=[call.pk]), {"organisation": programmes["own_org"].pk}
    )
    application = Application.objects.get()
    assert response.status_code == 302 and application.status == Application.Status.DRAFT
    edit = reverse("funding:application-edit", args=[application.pk])
    response = rep.post(
        edit, {**_answers({"voluntary_hours": "10", "co_financing_money": "0"}), "submit": "1"}, follow=True
    )
    assert "Medfinansieringen" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT and application.case_number == ""
    fake = SimpleUploadedFile("budget.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = rep.post(reverse("funding:attachment-add", args=[application.pk]), {"file": fake}, follow=True)
    assert application.attachments.count() == 0
    assert "inte ett dokument i det format som namnet anger" in response.content.decode()
    good = SimpleUploadedFile("budget.pdf", PDF, content_type="application/pdf")
    rep.post(reverse("funding:attachment-add", args=[application.pk]), {"file": good})
    (attachment,) = application.attachments.all()
    assert attachment.file.name.endswith(".pdf") and "budget" not in attachment.file.name

    # Sending in: a case number and a receipt.
    with django_capture_on_commit_callbacks(execute=True):
        response = rep.post(edit, {**_answers(), "submit": "1"})
    application.refresh_from_db()
    assert response.status_code == 302, _messages(response)
    assert application.status == Application.Status.SUBMITTED and application.case_number
    assert any(application.case_number in m.subject for m in mail.outbox)
    file_url = reverse("funding:attachment-file", args=[application.pk, attachment.pk])
    assert rep.get(file_url).status_code == 200 and officer.get(file_url).status_code == 200
    assert _client(programmes, "officer").get(file_url).status_code == 200  # acts for the association
    assert _client(programmes, "plain").get(file_url).status_code in (403, 404)
    assert _client(programmes, "officer_kumla").get(file_url).status_code in (403, 404)

    # The officer asks for completion; the association completes and sends in again.
    detail = reverse("funding:application-detail", args=[application.pk])
    assert officer.get(detail).status_code == 200
    assert officer.get(reverse("funding:call-queue", args=[call.pk])).status_code == 200
    officer.post(reverse("funding:application-completion", args=[application.pk]), {"note": "Bifoga budgeten."})
    application.refresh_from_db()
    assert application.status == Application.Status.COMPLETION_REQUESTED
    assert "Bifoga budgeten." in rep.get(detail).content.decode()
    rep.post(edit, {**_answers(), "submit": "1"})
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED

    # A reviewer is assigned, declares no conflict of interest and scores; scores side by side.
    officer.post(reverse("funding:review-assign", args=[application.pk]), {"reviewer": programmes["reviewer"].pk})
    assignment = ReviewAssignment.objects.get()
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    assert reviewer.get(reverse("funding:review-list")).status_code == 200
    review = reverse("funding:review-detail", args=[assignment.pk])
    reviewer.post(review, {"step": "declare", "conflict": "0"})
    criteria = list(call.criteria.all())
    scores = {f"score_{c.pk}": str(min(3, c.max_score)) for c in criteria}
    response = reviewer.post(review, {"step": "submit", "comment": "Bra idé.", **scores})
    assert response.status_code == 302, _messages(response)
    assert "Bra idé." in officer.get(detail).content.decode()
    assert rep.get(review).status_code in (403, 404)

    # The decision within the call's budget, and the letter.
    decide = reverse("funding:application-decide", args=[application.pk])
    assert rep.get(decide).status_code in (403, 404)
    form = {
        "outcome": "partly_approved",
        "amount_granted": "25000",
        "year_from": str(TODAY.year),
        "year_to": str(TODAY.year),
        "reasons": "Projektet stärker insatsområde 2; budgeten för material är för hög.",
        "conditions": "",
        "decision_maker": "delegation",
        "decision_maker_name": "Enhetschef för folkhälsa",
        "decision_date": TODAY.isoformat(),
    }
    too_much = officer.post(decide, {**form, "outcome": "approved", "amount_granted": "300000"})
    assert too_much.status_code == 200
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(decide, form)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.PARTLY_APPROVED
    letter = rep.get(reverse("funding:decision-letter", args=[application.pk])).content.decode()
    assert "25\u00a0000" in letter and "Enhetschef för folkhälsa" in letter and "verklag" in letter
    assert _client(programmes, "plain").get(reverse("funding:decision-letter", args=[application.pk])).status_code in (
        403,
        404,
    )
    assert rep.get(reverse("funding:decision-letter-pdf", args=[application.pk])).status_code in (200, 202)

    # Paid to the organisation's bankgiro, with a payment file for the finance system.
    account_url = reverse("funding:payment-account", args=[programmes["own_org"].orgnr])
    response = rep.post(account_url, {"kind": "bankgiro", "number": "5050-1056"})
    assert response.status_code == 200 and "5050-1056" not in str(programmes["own_org"].__dict__)
    rep.post(account_url, {"kind": "bankgiro", "number": "5050-1055"})
    assert _client(programmes, "officer_kumla").get(account_url).status_code in (403, 404)
    payments = reverse("funding:payments")
    assert rep.get(payments).status_code == 403
    instalment = Instalment.objects.get(application=application)
    response = officer.post(payments, {"funder": programmes["region"].pk, "instalment": [instalment.pk]})
    assert response.status_code == 302, _messages(officer.get(payments))
    batch_url = response["Location"]
    text = officer.get(batch_url + "fil.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=text.splitlines()[0][len("Betalningstyp")]))
    assert rows[1][:3] == ["BG", "50501055", "25000.00"]
    officer.post(batch_url, {"paid_on": TODAY.isoformat()})
    application.refresh_from_db()
    assert application.status in (Application.Status.PAID, Application.Status.FOLLOW_UP_DUE)

    # The association reports on the grant.
    requirement = ReportRequirement.objects.filter(application=application).first()
    assert requirement is not None
    report_url = reverse("funding:followup-report", args=[application.pk, requirement.pk])
    assert _client(programmes, "officer_kumla").get(report_url).status_code in (403, 404)
    response = rep.post(report_url, {"text": "Tolv träffar med 150 deltagare.", "amount_used": "25000"})
    assert response.status_code == 302, _messages(response)
    application.refresh_from_db()
    assert application.status == Application.Status.FOLLOW_UP_RECEIVED
    assert "Tolv träffar" in officer.get(detail).content.decode()


@pytest.mark.parametrize(
    "role, create, queue, payments",
    [
        ("anonymous", 302, 302, 302),
        ("plain", 403, 403, 403),
        ("rep", 200, 403, 403),
        ("reviewer", 403, 403, 403),
        ("officer_kumla", 200, 403, 200),  # keeps Kumla's own grants' payments
        ("officer", 200, 403, 200),
        ("admin", 200, 200, 200),
    ],
)
def test_who_may_open_the_pages(programmes, role, create, queue, payments):
    call = programmes["innovation_call"]
    client = _client(programmes, role)
    assert client.get(reverse("funding:application-create", args=[call.pk])).status_code == create
    assert client.get(reverse("funding:call-queue", args=[call.pk])).status_code == queue
    assert client.get(reverse("funding:payments")).status_code == payments
