"""The plan's life in the browser (issue #15): the region administrator records the adoption of a
plan with its case number, and a consultation answers back – a private person responds on a chapter,
the coordinator records a disposition and withholds a part, and a visitor reads the public response."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(obligatoriskt\))?$"))


def test_the_administrator_adopts_the_draft_with_its_decision(site, login, e2e_data):
    login("admin", next_path="/handlingsplaner/2026-2030/")
    page = site.page
    site.follow(lambda: page.get_by_role("link", name="För in ett beslut om planen").click())
    page.get_by_label("Anta planen").check()
    field(page, "Beslutande organ").fill("Kulturnämnden")
    field(page, "Beslutsdatum").fill("2025-11-20")
    field(page, "Diarienummer").fill("24-4154")
    site.follow(lambda: page.get_by_role("button", name="För in beslutet").click())
    expect(page.get_by_role("alert").first).to_contain_text("24RS4154")  # the error summary shows the form
    field(page, "Diarienummer").fill("24RS4154")
    site.follow(lambda: page.get_by_role("button", name="För in beslutet").click())
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026–2030")
    decisions = page.get_by_role("region", name="Beslut om planen")
    expect(decisions).to_contain_text("Kulturnämnden")
    expect(decisions).to_contain_text("Diarienummer 24RS4154")


def test_a_consultation_answers_back(site, login, e2e_data):
    from django.utils import timezone

    from civsam.plan.models import ConsultationResponse, Plan
    from civsam.plan.services import DecisionIn, SecrecyIn, consultation_open, consultation_response_assess_secrecy

    consultation = consultation_open(
        actor=None,
        plan=Plan.objects.get(slug="2026-2030"),
        title="Remiss av handlingsplanen 2026–2030",
        deadline=timezone.localdate() + datetime.timedelta(days=20),
        decision=DecisionIn(body="Kulturnämnden", decided_on=timezone.localdate(), case_number="24RS4321"),
    )
    login("officer", next_path=consultation.get_absolute_url())
    page = site.page
    field(page, "Remissinstans").select_option(label="Jag själv, som privatperson")
    field(page, "Roller").fill("Rollen som röstbärare behöver mer plats.")
    field(page, "Finansiering av arbete utifrån planen").fill("Uppgift om en enskild som inte ska visas.")
    site.follow(lambda: page.get_by_role("button", name="Skicka remissvar").click())
    expect(page.get_by_role("status")).to_contain_text("Remissvaret är inskickat")

    response = ConsultationResponse.objects.get(consultation=consultation)
    secret = response.sections.get(chapter="financing")
    consultation_response_assess_secrecy(
        actor=None, response=response, assessment=SecrecyIn(sections={secret.pk: "OSL 26 kap. 1 §"})
    )
    site.page.context.clear_cookies()
    login("admin", next_path=consultation.get_absolute_url())
    site.follow(lambda: page.get_by_role("button", name="Stäng remissen").click())
    site.follow(lambda: page.get_by_role("link", name=re.compile("privatperson")).click())
    page.get_by_label("Inte tillgodosett").check()
    field(page, "Motivering").fill("Rollerna beskrivs redan i kapitlet om roller.")
    site.follow(lambda: page.get_by_role("button", name="Spara ställningstagandet").click())
    expect(page.get_by_role("status")).to_contain_text("Ställningstagandet är sparat")

    site.page.context.clear_cookies()
    site.goto(consultation.get_absolute_url())
    public = page.get_by_role("region", name="Remissvaren")
    expect(public).to_contain_text("Rollen som röstbärare behöver mer plats.")
    expect(public).to_contain_text("Privatperson")
    expect(public).not_to_contain_text("Uppgift om en enskild")
    expect(public).not_to_contain_text("Olle")


PLAIN_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_the_administrator_attaches_the_plan_and_names_its_contacts(site, login, e2e_data, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    login("admin", next_path="/handlingsplaner/2022-2025/")
    page = site.page
    site.follow(lambda: page.get_by_role("link", name="Ändra dokument och kontaktpersoner").click())
    bad = tmp_path / "plan.pdf"
    bad.write_bytes(b"<html>inte en pdf</html>")
    field(page, "Den antagna planen som PDF").set_input_files(str(bad))
    site.follow(lambda: page.get_by_role("button", name="Ladda upp").click())
    expect(page.get_by_role("alert").first).to_contain_text("inte en hel PDF")
    good = tmp_path / "handlingsplan.pdf"
    good.write_bytes(PLAIN_PDF)
    field(page, "Den antagna planen som PDF").set_input_files(str(good))
    site.follow(lambda: page.get_by_role("button", name="Ladda upp").click())
    expect(page.get_by_role("status")).to_contain_text("Den antagna planen är uppladdad")
    field(page, "Namn").fill("Karin Exempel")
    field(page, "Roll").fill("Utvecklingsledare")
    field(page, "E-post").fill("karin.exempel@example.se")
    site.follow(lambda: page.get_by_role("button", name="Lägg till").click())
    expect(page.get_by_role("status")).to_contain_text("Kontaktpersonen är tillagd")

    site.page.context.clear_cookies()
    site.goto("/handlingsplaner/2022-2025/")
    region = page.get_by_role("region", name="Den antagna planen och kontaktpersoner")
    expect(region).to_contain_text("Karin Exempel, Utvecklingsledare")
    expect(region.get_by_role("link", name="Ladda ner den antagna planen")).to_be_visible()


def test_the_coordinator_evaluates_the_period_and_publishes(site, login, e2e_data):
    login("admin", next_path="/handlingsplaner/2022-2025/utvardering/")
    page = site.page
    site.follow(lambda: page.get_by_role("button", name="Påbörja utvärderingen").click())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Utvärdering av planperioden")
    site.follow(lambda: page.get_by_role("link", name="Skriv texten: Sammanfattning").click())
    field(page, "Text").fill("Perioden i korthet:\n\n- **nätverken** växte\n- finansieringen är svagast")
    field(page, "Text på engelska").fill("The period in brief: the **networks** grew.")
    site.follow(lambda: page.get_by_role("button", name="Förhandsgranska").click())
    expect(page.get_by_role("region", name="Förhandsgranskning")).to_contain_text("nätverken växte")
    site.follow(lambda: page.get_by_role("button", name="Spara som ny version").click())
    expect(page.get_by_role("status")).to_contain_text("version 1")
    site.follow(lambda: page.get_by_role("link", name="Publicera utvärderingen").click())
    site.follow(lambda: page.get_by_role("button", name="Publicera").click())
    expect(page.get_by_role("alert").first).to_contain_text("Bekräfta")
    page.get_by_label(re.compile("Jag förstår")).check()
    site.follow(lambda: page.get_by_role("button", name="Publicera").click())
    expect(page.get_by_role("status")).to_contain_text("Utvärderingen är publicerad")

    site.page.context.clear_cookies()
    site.goto("/handlingsplaner/2022-2025/utvardering/")
    expect(page.get_by_role("region", name="Sammanfattning")).to_contain_text("nätverken växte")
    expect(page.get_by_role("link", name="Utvärderingen som PDF")).to_be_visible()
    site.follow(lambda: page.get_by_role("link", name="In English").click())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evaluation of the plan period")
    expect(page.get_by_role("region", name="Summary")).to_contain_text("networks grew")
