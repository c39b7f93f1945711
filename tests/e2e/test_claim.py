"""A person who has never been in Civsam signs up, asks to represent an association, the municipal
officer approves, and the person then edits the organisation, registers an initiative for it and
answers a consultation in its name; axe on every page (ADR 0090, issue #12's "done means")."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "mitt-eget-lösenord-2026"


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(obligatoriskt\))?$"))


def log_out(site):
    site.follow(lambda: site.page.get_by_role("button", name=re.compile("Logga ut")).click())


def test_sign_up_claim_an_association_get_approved_and_act_for_it(site, e2e_data, login):
    from django.utils import timezone

    from civsam.core.models import LegalForm, Municipality
    from civsam.plan.models import Plan
    from civsam.plan.services import DecisionIn, consultation_open
    from civsam.registry.orgnr import complete
    from civsam.registry.services import organisation_create

    officer = e2e_data.users["officer"]
    type(officer).objects.filter(pk=officer.pk).update(email="olle.handlaggare@orebro.example.se")
    consultation = consultation_open(
        actor=None,
        plan=Plan.objects.get(slug="2026-2030"),
        title="Remiss av handlingsplanen 2026–2030",
        deadline=timezone.localdate() + datetime.timedelta(days=20),
        decision=DecisionIn(body="Kulturnämnden", decided_on=timezone.localdate(), case_number="24RS4321"),
    )

    # An association nobody represents yet: the officers of its municipality decide.
    club = organisation_create(
        actor=None,
        name="Örebro Schackklubb",
        orgnr=complete("802000333"),
        legal_form=LegalForm.objects.get(code="61"),
        municipality=Municipality.objects.get(code="1880"),
    )
    page = site.page

    # Sign up and verify the address.
    site.goto("/konto/logga-in/")
    site.follow(lambda: page.get_by_role("link", name="Skapa ett konto").click())
    field(page, "Förnamn").fill("Sara")
    field(page, "Efternamn").fill("Berg")
    field(page, "E-postadress").fill("sara.berg@example.se")
    field(page, "Lösenord").fill(PASSWORD)
    field(page, "Lösenordet igen").fill(PASSWORD)
    site.follow(lambda: page.get_by_role("button", name="Skapa konto").click())
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/konto/e-post/bekrafta/\S+/)", message.body).group(1)
    site.goto(link)
    site.follow(lambda: page.get_by_role("button", name="Bekräfta").click())

    site.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn eller e-postadress").fill("sara.berg@example.se")
    page.get_by_label("Lösenord").fill(PASSWORD)
    site.follow(lambda: page.get_by_role("button", name="Logga in").last.click())
    site.goto("/min-sida/")
    expect(page.get_by_role("main")).to_contain_text("Du har ännu ingen roll.")

    # Ask to represent the club.
    site.goto(club.get_absolute_url())
    expect(page.get_by_role("link", name="Ändra")).to_have_count(0)
    site.follow(lambda: page.get_by_role("link", name="Företräd den här organisationen").click())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Företräd organisationen")
    site.follow(lambda: page.get_by_role("button", name="Skicka begäran").click(), status=400)
    expect(page.get_by_role("alert")).to_contain_text("Ditt uppdrag i organisationen")
    page.get_by_label("Styrelseledamot").check()
    field(page, "Meddelande till den som beslutar").fill("Vald till kassör på årsmötet i mars.")
    site.follow(lambda: page.get_by_role("button", name="Skicka begäran").click())
    expect(page.get_by_role("main")).to_contain_text("Väntar på beslut")
    site.goto("/min-sida/")
    expect(page.get_by_role("main")).to_contain_text("Mina begäranden om att företräda")
    # Pending, she still cannot edit the club.
    site.goto(f"/organisationer/{club.orgnr}/andra/", status=403)
    site.goto("/min-sida/")
    log_out(site)

    # The municipal officer of Örebro is told by e-mail, and approves.
    [told] = [m for m in mail.outbox if "Ny begäran om att företräda Örebro Schackklubb" in m.subject]
    assert told.to == ["olle.handlaggare@orebro.example.se"] and "Styrelseledamot" in told.body
    login("officer")
    site.goto("/min-sida/")
    expect(page.get_by_role("main")).to_contain_text("Begäranden som väntar på ditt beslut")
    site.follow(lambda: page.get_by_role("link", name="Alla begäranden som väntar").click())
    site.follow(lambda: page.get_by_role("link", name="Örebro Schackklubb").click())
    expect(page.get_by_role("main")).to_contain_text("Vald till kassör på årsmötet i mars.")
    page.get_by_label("Godkänn").check()
    site.follow(lambda: page.get_by_role("button", name="Spara beslutet").click())
    expect(page.get_by_role("main")).to_contain_text("Godkänd")
    approved = mail.outbox[-1]
    assert approved.to == ["sara.berg@example.se"] and "Örebro Schackklubb" in approved.subject
    log_out(site)

    # Now she represents the club and edits it.
    site.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn eller e-postadress").fill("sara.berg@example.se")
    page.get_by_label("Lösenord").fill(PASSWORD)
    site.follow(lambda: page.get_by_role("button", name="Logga in").last.click())
    site.goto("/min-sida/")
    expect(page.get_by_role("main")).to_contain_text("Organisationsföreträdare – Örebro Schackklubb")
    site.goto(club.get_absolute_url())
    site.follow(lambda: page.get_by_role("link", name="Ändra").click())
    field(page, "Kort beskrivning").fill("Schack för alla åldrar i Örebro.")
    site.follow(lambda: page.get_by_role("button", name="Spara").click())
    expect(page.get_by_role("main")).to_contain_text("Schack för alla åldrar i Örebro.")

    # She registers an initiative for the club ...
    site.goto("/min-sida/")
    expect(page.get_by_role("main")).to_contain_text("Styrelseledamot")
    site.follow(lambda: page.get_by_role("link", name="Registrera en insats").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera en insats")
    field(page, "Vad heter insatsen?").fill("Schackskola för nyanlända")
    field(page, "Vilken organisation ansvarar?").select_option(label="Örebro Schackklubb")
    field(page, "Beskriv insatsen kort").fill("Schack två kvällar i veckan för nyanlända barn och vuxna.")
    page.get_by_role("radio").first.check()
    site.follow(lambda: page.get_by_role("button", name="Registrera insatsen").click())
    expect(page.get_by_role("status")).to_contain_text("Insatsen är registrerad.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Schackskola för nyanlända")

    # ... and answers the consultation in its name.
    site.goto(consultation.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Remiss av handlingsplanen 2026–2030")
    field(page, "Remissinstans").select_option(label="Örebro Schackklubb")
    page.get_by_label(re.compile(r"^2\.1 ")).fill("Fler mötesplatser för unga behövs.")
    site.follow(lambda: page.get_by_role("button", name="Skicka remissvar").click())
    expect(page.get_by_role("status")).to_contain_text("Remissvaret är inskickat")
