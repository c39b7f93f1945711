"""The organiser's pages for the conference, budget, questions, follow-up, results and the PDFs."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from civsam.meetings import services
from civsam.meetings.models import BudgetCommitment, Conference, EventOutput, Registration, Survey
from civsam.meetings.tests import support


@pytest.fixture
def event(make_event, users):
    start = (timezone.localtime() + timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
    return make_event(
        title="Regional konferens",
        capacity=300,
        municipality=users["own_org"].municipality,
        starts_at=start,
        ends_at=start + timedelta(days=1, hours=3),
    )


def _rows(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_officer_builds_the_conference_in_the_browser(client, users, event):
    client.force_login(users["officer"])
    base = f"/evenemang/{event.pk}/hantera/konferens/"
    assert "Gör evenemanget till en konferens" in client.get(base).content.decode()
    response = client.post(base, {"budget_amount": "100000", "budget_decision_reference": "24RS4154"})
    assert response.status_code == 302
    conference = Conference.objects.get(event=event)
    start = timezone.localtime(event.starts_at)
    response = client.post(
        base,
        {
            "action": "session",
            "session-title": "Inledning",
            "session-kind": "plenary",
            "session-room": "Stora salen",
            "session-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "session-ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    session = conference.sessions.get()
    client.post(
        base,
        {
            "action": "speaker",
            "speaker-name": "Karin Ek",
            "speaker-affiliation": "Regionen",
            "speaker-is_internal": "on",
            "speaker-sessions": [session.pk],
        },
    )
    client.post(base, {"action": "regtype", "regtype-name": "Dag 1", "regtype-sessions": [session.pk]})
    client.post(base, {"action": "quota", "quota-target_group": "elected", "quota-quota": "100"})
    client.post(base, {"action": "partner", "partner-name": "Bildningsförbundet", "partner-role": "co_organiser"})
    client.post(
        base,
        {
            "action": "planning",
            "planning-name": "Ali Berg",
            "planning-sector": "civil_society",
            "planning-role": "member",
        },
    )
    bad = client.post(base, {"action": "quota", "quota-target_group": "officer", "quota-quota": "201"})
    assert bad.status_code == 400 and "fler än konferensens 300" in bad.content.decode()
    programme = client.get(f"/evenemang/{event.pk}/program/").content.decode()
    for text in ("Inledning", "Stora salen", "Karin Ek", "Dag 1", "Bildningsförbundet", "Ali Berg"):
        assert text in programme
    client.logout()
    assert client.get(f"/evenemang/{event.pk}/program/").status_code == 200  # public
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Jag deltar som" in page and "Anmälningstyp" in page
    response = client.post(
        event.get_absolute_url(),
        {
            "name": "Eva",
            "email": "eva@example.se",
            "target_group": "elected",
            "registration_type": conference.registration_types.get().pk,
        },
    )
    assert response.status_code == 201
    assert Registration.objects.get(event=event).target_group == "elected"


def test_budget_page_warns_and_refuses_over_commitment(client, users, event):
    conference = services.conference_create(actor=None, event=event, budget_amount=Decimal("100000"))
    line = services.budget_line_add(actor=None, conference=conference, title="Lokal", planned=Decimal("95000"))
    client.force_login(users["officer"])
    url = f"/evenemang/{event.pk}/hantera/budget/"
    ok = client.post(
        url,
        {
            "action": "commitment",
            "commitment-line": line.pk,
            "commitment-description": "Lokal",
            "commitment-amount": "92000",
        },
    )
    assert ok.status_code == 302
    page = client.get(url).content.decode()
    assert "minst nio tiondelar" in page
    assert "8\xa0000,00" in page or "8 000,00" in page or "8000,00" in page
    refused = client.post(
        url,
        {
            "action": "commitment",
            "commitment-line": line.pk,
            "commitment-description": "Middag",
            "commitment-amount": "8000.50",
        },
    )
    assert refused.status_code == 400
    assert "ryms inte" in refused.content.decode()
    commitment = BudgetCommitment.objects.get()
    client.post(url, {"action": "outcome", "commitment": commitment.pk, f"outcome-{commitment.pk}-outcome": "90000"})
    commitment.refresh_from_db()
    assert commitment.outcome == Decimal("90000")
    rows = _rows(client.get(f"/evenemang/{event.pk}/hantera/budget.csv"))
    assert [(r["beskrivning"], r["utfall_kr"]) for r in rows] == [("Lokal", "90000.00")]
    client.force_login(users["officer_kumla"])
    assert client.get(url).status_code == 403


@pytest.mark.django_db(transaction=True)  # mails are sent on commit
def test_questions_invitations_followup_and_results_pages(client, users, event, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(users["officer"])
    prepare = f"/evenemang/{event.pk}/hantera/forbered/"
    client.post(
        prepare,
        {
            "action": "question",
            "question-label": "Fotografering ok?",
            "question-kind": "yes_no",
            "question-required": "on",
        },
    )
    client.post(prepare, {"action": "invitation", "invitation-name": "Ina", "invitation-email": "ina@example.se"})
    invitation_link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    question = event.questions.get()
    client.logout()
    parts = urlsplit(invitation_link)
    page = client.get(f"{parts.path}?{parts.query}")
    assert "Välkommen, Ina" in page.content.decode()
    token = invitation_link.rsplit("=", 1)[-1]
    missing = client.post(f"{event.get_absolute_url()}?inbjudan={token}", {"name": "Ina", "email": "ina@example.se"})
    assert missing.status_code == 400
    done = client.post(
        f"{event.get_absolute_url()}?inbjudan={token}",
        {"name": "Ina", "email": "ina@example.se", f"question_{question.pk}": "ja"},
    )
    assert done.status_code == 201
    registration = Registration.objects.get(event=event)
    assert registration.invitation is not None and registration.answers == {str(question.pk): "ja"}
    client.force_login(users["officer"])
    client.post(f"/evenemang/{event.pk}/hantera/", {"code": registration.code})
    followup = f"/evenemang/{event.pk}/hantera/efter/"
    client.post(followup, {"action": "minutes", "minutes-minutes": "Bra möte."})
    client.post(followup, {"action": "output", "output-kind": "proposal", "output-title": "Förslag om IOP"})
    assert EventOutput.objects.filter(event=event).count() == 1
    client.post(f"/evenemang/{event.pk}/hantera/enkat/", {"kind": "evaluation", "do": "create"})
    mail.outbox.clear()
    client.post(f"/evenemang/{event.pk}/hantera/enkat/", {"kind": "evaluation", "do": "send", "phase": "after"})
    assert len(mail.outbox) == 1
    survey = Survey.objects.get(event=event)
    link = re.search(r"/evenemang/enkat/\S+", mail.outbox[0].body).group(0)
    client.logout()
    questions = list(survey.questions.all())
    response = client.post(link, {f"q{questions[0].pk}": "5", f"q{questions[1].pk}": "Nya kontakter"})
    assert "Tack för dina svar" in response.content.decode()
    assert "redan svarat" in client.get(link).content.decode()
    public = client.get(event.get_absolute_url()).content.decode()
    assert "Bra möte." in public and "Förslag om IOP" in public
    client.force_login(users["officer"])
    results = client.get(f"/evenemang/{event.pk}/hantera/resultat/").content.decode()
    assert "Nya kontakter" in results and "För få svar" in results
    rows = _rows(client.get(f"/evenemang/{event.pk}/hantera/narvaro.csv"))
    assert {"indelning": "kommun", "grupp": "Ej angiven", "anmalda": "1", "narvarande": "1"} in rows


def _pdf_text(pdf: bytes) -> bytes:
    import zlib

    out = b""
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        try:
            out += zlib.decompress(match.group(1))
        except zlib.error:
            out += match.group(1)
    return out


@pytest.mark.slow
def test_attendance_list_and_badges_are_tagged_pdfs(client, users, event):
    for n in range(3):
        support.register(
            event.pk,
            n,
            name=f"Deltagare {n}",
            email=f"d{n}@example.se",
            organisation_name="Kumla IF",
            target_group="officer",
        )
    client.force_login(users["officer"])
    for url in (f"/evenemang/{event.pk}/hantera/narvarolista.pdf", f"/evenemang/{event.pk}/hantera/namnbrickor.pdf"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        text = _pdf_text(response.content)
        assert b"StructTreeRoot" in text or b"StructTreeRoot" in response.content
        assert b"/Lang (sv)" in text or b"/Lang (sv)" in response.content
    client.force_login(users["reviewer"])
    assert client.get(f"/evenemang/{event.pk}/hantera/namnbrickor.pdf").status_code == 403


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_programme_and_manage_pages_make_a_constant_number_of_queries(client, users, event):
    conference = services.conference_create(actor=None, event=event)
    start = event.starts_at

    def grow(first, last):
        for i in range(first, last):
            session = services.session_add(
                actor=None,
                conference=conference,
                title=f"Pass {i}",
                room=f"Sal {i % 3}",
                starts_at=start + timedelta(hours=i % 5),
                ends_at=start + timedelta(hours=i % 5 + 1),
            )
            services.speaker_add(actor=None, conference=conference, name=f"Talare {i}", sessions=[session])
            kind = services.registration_type_add(
                actor=None, conference=conference, name=f"Typ {i}", sessions=[session]
            )
            support.register(event.pk, i, name=f"D {i}", email=f"d{i}@example.se", registration_type_id=kind.pk)

    client.force_login(users["officer"])
    urls = [
        f"/evenemang/{event.pk}/program/",
        f"/evenemang/{event.pk}/hantera/",
        f"/evenemang/{event.pk}/hantera/konferens/",
    ]
    grow(0, 2)
    # The first request after signing in writes the staff session's last activity (accounts'
    # StaffSessionMiddleware), once per few minutes and not per page: it is not counted.
    client.get(urls[0])
    small = [_queries(client, url) for url in urls]
    grow(2, 10)
    assert [_queries(client, url) for url in urls] == small


@pytest.mark.parametrize(("names", "says_empty"), [([], True), (["Deltagare 1"], False)])
def test_badges_say_so_when_nobody_is_confirmed(event, names, says_empty):
    # An empty sheet of badges printed as a blank page reads as a fault; it explains itself instead.
    from django.template.loader import render_to_string

    from civsam.meetings import printing

    for n, name in enumerate(names):
        support.register(event.pk, n, name=name, email=f"b{n}@example.se")
    html = render_to_string("meetings/print/badges.html", printing.badges_context(event))
    assert ("Inga bekräftade deltagare ännu" in html) is says_empty
    for name in names:
        assert name in html
