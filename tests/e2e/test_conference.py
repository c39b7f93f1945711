"""The regional conference in the browser: programme, quotas, budget, registration, check-in, results."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def conference_event(e2e_data):
    from django.utils import timezone

    from civsam.core.models import Municipality
    from civsam.meetings import services

    start = (timezone.localtime() + timedelta(days=40)).replace(hour=9, minute=0, second=0, microsecond=0)
    return services.event_create(
        actor=None,
        details=services.EventDetails(
            title="Regional konferens om samverkan",
            municipality=Municipality.objects.get(code="1880"),
            place="Örebro slott",
            starts_at=start,
            ends_at=start + timedelta(days=1, hours=3),
            capacity=300,
        ),
    )


def test_officer_builds_a_conference_and_a_participant_registers(site, login, conference_event):
    event = conference_event
    page = site.page
    login("officer")
    site.goto(f"/evenemang/{event.pk}/hantera/")
    site.follow(lambda: page.get_by_role("link", name="Konferens och program").click())
    page.get_by_label("Anslagen budget (kr)").fill("100000")
    page.get_by_label("Diarienummer för budgetbeslutet").fill("24RS4154")
    site.follow(lambda: page.get_by_role("button", name="Skapa konferens").click())
    start = event.starts_at.astimezone()
    section = page.locator("section", has=page.get_by_role("heading", name="Ny programpunkt"))
    section.get_by_label("Rubrik").fill("Välkommen och inledning")
    section.get_by_label("Lokal").fill("Stora salen")
    section.get_by_label("Börjar").fill(start.strftime("%Y-%m-%dT%H:%M"))
    section.get_by_label("Slutar").fill((start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    site.follow(lambda: section.get_by_role("button", name="Lägg till programpunkt").click())
    expect(page.get_by_role("status")).to_contain_text("Programpunkten är tillagd")
    quota = page.locator("section", has=page.get_by_role("heading", name="Kvoter per målgrupp"))
    quota.get_by_label("Målgrupp").select_option("elected")
    quota.get_by_label("Antal platser").fill("100")
    site.follow(lambda: quota.get_by_role("button", name="Spara kvot").click())
    site.follow(lambda: page.get_by_role("link", name="Budget", exact=True).click())
    line = page.locator("section", has=page.get_by_role("heading", name="Ny budgetpost"))
    line.get_by_label("Budgetpost").fill("Lokal och förtäring")
    line.get_by_label("Planerat belopp (kr)").fill("60000")
    site.follow(lambda: line.get_by_role("button", name="Lägg till budgetpost").click())
    commit = page.locator("section", has=page.get_by_role("heading", name="Nytt åtagande"))
    commit.get_by_label("Budgetpost").select_option(label="Lokal och förtäring")
    commit.get_by_label("Beskrivning").fill("Lokalbokning")
    commit.get_by_label("Åtagande (kr)").fill("120000")
    site.follow(lambda: commit.get_by_role("button", name="Spara åtagande").click(), status=400)
    expect(page.locator(".error-summary")).to_contain_text("ryms inte")
    commit = page.locator("section", has=page.get_by_role("heading", name="Nytt åtagande"))
    commit.get_by_label("Åtagande (kr)").fill("95000")
    site.follow(lambda: commit.get_by_role("button", name="Spara åtagande").click())
    expect(page.locator(".notice")).to_contain_text("minst nio tiondelar")

    # A participant is registered on the public page by the signed-in officer (decided at once: the
    # account answers for the address; registering without signing in waits for the address to be
    # confirmed, test_meetings_and_social_value.py) and is checked in.
    site.goto(f"/evenemang/{event.pk}/program/")
    expect(page.get_by_role("cell", name="Välkommen och inledning")).to_be_visible()
    site.goto(event.get_absolute_url())
    page.get_by_label("Namn").fill("Eva Förtroendevald")
    page.get_by_label("E-post").fill("eva@example.se")
    page.get_by_label("Organisation").fill("Kumla kommun")
    page.get_by_label("Kommun").select_option(label="Kumla")
    page.get_by_label("Jag deltar som").select_option("elected")
    site.follow(lambda: page.get_by_role("button", name="Anmäl mig").click(), status=201)
    expect(page.get_by_role("status")).to_contain_text("Bekräftad")
    from civsam.meetings.models import Registration

    code = Registration.objects.get(event=event).code
    site.goto(f"/evenemang/{event.pk}/hantera/")
    page.get_by_label("Anmälningskod").fill(code)
    site.follow(lambda: page.get_by_role("button", name="Checka in").click())
    site.follow(lambda: page.get_by_role("link", name="Resultat").click())
    expect(page.get_by_role("row", name="Kumla 1 1")).to_be_visible()
    expect(page.get_by_role("row", name="Förtroendevald 1 1")).to_be_visible()
    site.follow(lambda: page.get_by_role("link", name="Efter mötet").click())
    expect(page.get_by_role("listitem").filter(has_text="Kumla kommun")).to_be_visible()


def test_questions_and_invitations_page(site, login, conference_event):
    page = site.page
    login("officer")
    site.goto(f"/evenemang/{conference_event.pk}/hantera/forbered/")
    question = page.locator("section", has=page.get_by_role("heading", name="Egna frågor i anmälan"))
    question.get_by_label("Fråga").fill("Önskar du specialkost?")
    site.follow(lambda: question.get_by_role("button", name="Lägg till fråga").click())
    site.goto(conference_event.get_absolute_url())
    expect(page.get_by_label("Önskar du specialkost?")).to_be_visible()


def test_knowledge_survey_answered_in_the_browser_and_shown_per_group(site, login, conference_event, e2e_data):
    from civsam.meetings import services
    from civsam.meetings.models import Survey

    services.conference_create(actor=None, event=conference_event)
    people = [
        services.registration_create(
            event_id=conference_event.pk,
            name=f"Tjänsteperson {n}",
            email=f"t{n}@example.se",
            target_group="officer",
            user=e2e_data.users["officer"],  # signed in: decided at once, without confirming the address
        )
        for n in range(5)
    ]
    survey = services.survey_create(actor=None, event=conference_event, kind=Survey.Kind.KNOWLEDGE)
    questions = list(survey.questions.all())
    for person in people[1:]:
        services.survey_respond(
            survey=survey,
            cancel_token=person.cancel_token,
            phase="before",
            answers={str(q.pk): 2 for q in questions},
        )
    page = site.page
    site.goto(f"/evenemang/enkat/{survey.pk}/before/{people[0].cancel_token}/")
    for question in questions:
        page.get_by_role("group", name=question.text).get_by_label("3").check()
    site.follow(lambda: page.get_by_role("button", name="Skicka svaren").click())
    expect(page.get_by_role("status")).to_contain_text("Tack för dina svar")
    login("officer")
    site.goto(f"/evenemang/{conference_event.pk}/hantera/resultat/")
    expect(page.get_by_role("row", name="Tjänsteperson 5 2,2 0 – –")).to_be_visible()


def test_member_adds_a_representative_on_the_network_page(site, login, e2e_data):
    from civsam.meetings import services
    from civsam.meetings.models import Network

    network = services.network_create(
        actor=None, name="Brukarrådet", slug="brukarradet", kind=Network.Kind.USER_COUNCIL
    )
    membership = services.membership_request(actor=None, network=network, organisation=e2e_data.own_org)
    services.membership_decide(actor=None, membership=membership, approve=True)
    page = site.page
    login("rep")
    site.goto("/natverk/brukarradet/")
    form = page.locator("form", has=page.get_by_role("button", name="Utse representanten"))
    form.get_by_label("Namn").fill("Fia Företrädare")
    form.get_by_label("Uppdrag").select_option("chair")
    form.get_by_label("Från").fill("2026-01-01")
    site.follow(lambda: form.get_by_role("button", name="Utse representanten").click())
    expect(page.get_by_role("cell", name="Fia Företrädare (Ordförande)")).to_be_visible()
