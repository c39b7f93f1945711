"""The plan follow-up in the browser: the public genomförande page and an initiative, a representative
registering and updating an initiative, the coordinator verifying it and publishing the annual report."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(obligatoriskt\))?$"))


@pytest.fixture
def followup_data(e2e_data):
    from civsam.plan.models import InitiativeStatus, PriorityArea
    from civsam.plan.services import MilestoneIn, initiative_create

    def area(fa, pa):
        return PriorityArea.objects.get(focus_area__plan__slug="2022-2025", focus_area__number=fa, number=pa)

    ongoing = InitiativeStatus.objects.get(code="ongoing")
    first = initiative_create(
        actor=None,
        title="Mötesplats för föreningar i Kumla",
        lead_organisation=e2e_data.other_org,
        status=ongoing,
        progress=40,
        start_date=datetime.date(2024, 1, 15),
        priority_areas=[area(3, 1)],
        milestones=[MilestoneIn("Första träffen", datetime.date(2024, 3, 1), datetime.date(2024, 3, 1))],
    )
    initiative_create(
        actor=None,
        title="Kurs i upphandling för föreningar",
        lead_name="Region Örebro län",
        status=ongoing,
        progress=80,
        start_date=datetime.date(2023, 9, 1),
        priority_areas=[area(2, 3)],
    )
    return first


def test_public_followup_tree_filter_and_initiative_page(site, followup_data):
    page = site.page
    site.goto("/")
    site.follow(
        lambda: page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Genomförande").click()
    )
    assert page.url.endswith("/handlingsplaner/2022-2025/genomforande/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Genomförande")
    expect(page.get_by_role("progressbar", name="Andel genomförd: målet")).to_have_attribute("value", "60")

    field(page, "Insatsområde").select_option(value="3")
    site.follow(lambda: page.get_by_role("button", name="Filtrera").click())
    assert "focus_area=3" in page.url
    expect(page.locator(".followup-tree > li")).to_have_count(1)
    page.locator(".followup-areas details > summary").first.click()  # opens the list of initiatives
    site.follow(lambda: page.get_by_role("link", name="Mötesplats för föreningar i Kumla").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Mötesplats för föreningar i Kumla")
    expect(page.get_by_role("region", name="Delmål")).to_contain_text("Första träffen")
    expect(page.get_by_role("region", name="Tidslinje över ändringar")).to_contain_text("skapad")


def test_representative_registers_and_updates_an_initiative(site, login, e2e_data):
    login("rep", next_path="/handlingsplaner/insatser/ny/")
    page = site.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera insats")
    page.locator("#id_title").fill("Läxhjälp i Vivalla")  # "Titel" is also a link field further down
    field(page, "Ansvarig organisation").select_option(label=e2e_data.own_org.name)
    page.get_by_label(re.compile(r"2022–2025 · 1\.1 ")).check()
    field(page, "Startdatum").fill("2024-02-01")
    field(page, "Status").select_option(label="Pågående")
    milestone = page.get_by_role("group", name="Delmål 1")
    milestone.get_by_role("textbox", name=re.compile("^Delmål")).fill("Terminsstart")
    milestone.get_by_label(re.compile("^Datum")).fill("2024-08-20")
    site.follow(lambda: page.get_by_role("button", name="Spara").click())
    expect(page.get_by_role("status")).to_contain_text("Insatsen är registrerad.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Läxhjälp i Vivalla")
    expect(page.locator(".progress-line").first).to_contain_text("50 %")

    site.follow(lambda: page.get_by_role("link", name="Ändra", exact=True).click())
    field(page, "Andel genomförd (%)").fill("75")
    site.follow(lambda: page.get_by_role("button", name="Spara").click())
    expect(page.get_by_role("status")).to_contain_text("Ändringarna är sparade.")
    expect(page.get_by_role("region", name="Tidslinje över ändringar")).to_contain_text("50 → 75")
    expect(page.get_by_role("button", name="Markera som verifierad")).to_have_count(0)


def test_coordinator_verifies_and_publishes_the_annual_report(site, login, followup_data, settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path / "media"  # the rendered PDFs
    login("admin", next_path=f"/handlingsplaner/insatser/{followup_data.pk}/")
    page = site.page
    site.follow(lambda: page.get_by_role("button", name="Markera som verifierad").click())
    expect(page.get_by_role("status")).to_contain_text("Insatsen är verifierad.")

    site.goto("/handlingsplaner/2022-2025/uppfoljning/")
    field(page, "År").fill("2024")
    site.follow(lambda: page.get_by_role("button", name="Skapa utkast").click())
    page.get_by_role("textbox", name=re.compile(r"^Samordnarens text \(")).fill("Året präglades av nya mötesplatser.")
    site.follow(lambda: page.get_by_role("button", name="Spara som ny version").click())
    expect(page.get_by_role("status")).to_contain_text("version 1")

    # The draft's PDF is made in the background (ADR 0049): the button queues it, the status page
    # polls its live region, and once the worker has run it links to the file.
    site.goto("/handlingsplaner/2022-2025/uppfoljning/2024/")
    expect(page.get_by_role("link", name="Rapporten som PDF")).to_have_count(0)
    site.follow(lambda: page.get_by_role("button", name="Skapa PDF").click())
    expect(page.get_by_role("status")).to_contain_text("PDF:en skapas")
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)
    expect(page.get_by_role("status")).to_contain_text("PDF:en är klar", timeout=20_000)
    site.check()
    pdf = page.request.get(site.url(page.get_by_role("link", name="Ladda ner PDF:en").get_attribute("href")))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"

    site.goto("/handlingsplaner/2022-2025/uppfoljning/2024/redigera/")
    site.follow(lambda: page.get_by_role("button", name="Publicera och lås siffrorna").click())
    expect(page.get_by_role("status")).to_contain_text("Rapporten är publicerad.")
    site.follow(lambda: page.get_by_role("link", name="Visa rapporten").click())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uppföljning 2024")
    expect(page.get_by_text("Året präglades av nya mötesplatser.")).to_be_visible()
    expect(page.get_by_role("img", name="Andel genomförd per insatsområde")).to_be_visible()
    expect(page.get_by_role("link", name="Rapporten som PDF")).to_be_visible()  # published: a plain link
    site.follow(lambda: page.get_by_role("link", name="In English").click())
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Follow-up 2024")


@pytest.fixture
def consultation(e2e_data):
    from django.utils import timezone

    from civsam.plan.models import Plan
    from civsam.plan.services import DecisionIn, consultation_open

    return consultation_open(
        actor=None,
        plan=Plan.objects.get(slug="2026-2030"),
        title="Remiss av handlingsplanen 2026–2030",
        deadline=timezone.localdate() + datetime.timedelta(days=20),
        decision=DecisionIn(body="Kulturnämnden", decided_on=timezone.localdate(), case_number="24RS4321"),
    )


def test_representative_answers_a_consultation_section_by_section(site, login, consultation, e2e_data):
    login("rep", next_path=consultation.get_absolute_url())
    page = site.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Remiss av handlingsplanen 2026–2030")
    field(page, "Remissinstans").select_option(label=e2e_data.own_org.name)
    page.get_by_label(re.compile(r"^2\.1 ")).fill("Bidragen behöver bli fleråriga.")
    site.follow(lambda: page.get_by_role("button", name="Skicka remissvar").click())
    expect(page.get_by_role("status")).to_contain_text("Remissvaret är inskickat")


def test_coordinator_reads_the_compilation_per_section(site, login, consultation, e2e_data):
    from civsam.plan.models import PriorityArea
    from civsam.plan.services import SectionIn, consultation_respond

    area = PriorityArea.objects.get(focus_area__plan__slug="2026-2030", focus_area__number=2, number=1)
    consultation_respond(
        actor=None,
        consultation=consultation,
        organisation=e2e_data.own_org,
        sections=[SectionIn("Bidragen behöver bli fleråriga.", priority_area=area)],
    )
    login("admin", next_path=consultation.get_absolute_url())
    page = site.page
    site.follow(lambda: page.get_by_role("link", name="Remissammanställning").click())
    section = page.get_by_role("region", name=re.compile(r"^2\.1 "))
    expect(section).to_contain_text("Bidragen behöver bli fleråriga.")
    expect(section).to_contain_text(e2e_data.own_org.name)


def test_large_tree_loads_an_areas_initiatives_when_opened(site, followup_data, monkeypatch):
    from civsam.plan.views import followup as followup_views

    monkeypatch.setattr(followup_views, "LAZY_LIST_THRESHOLD", 0)
    page = site.page
    site.goto("/handlingsplaner/2022-2025/genomforande/?focus_area=3")
    summary = page.locator(".followup-areas details > summary").first
    site.htmx(lambda: summary.click())
    expect(page.get_by_role("link", name="Mötesplats för föreningar i Kumla")).to_be_visible()


def test_coordinator_links_a_meeting_and_both_pages_show_it(site, login, followup_data):
    from django.utils import timezone

    from civsam.meetings.models import Event

    start = timezone.now() + datetime.timedelta(days=10)
    event = Event.objects.create(
        title="Dialogmöte om mötesplatser", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    # The event owns the link to the initiative (ADR 0055): it is made on the event's edit page.
    login("admin", next_path=f"/evenemang/{event.pk}/hantera/redigera/")
    page = site.page
    field(page, "Insatser").select_option(value=str(followup_data.pk))
    site.follow(lambda: page.get_by_role("button", name="Spara").click())
    expect(page.get_by_role("status")).to_contain_text("Evenemanget är sparat.")
    site.goto(event.get_absolute_url())
    initiatives = page.get_by_role("region", name="Insatser som mötet hör till")
    site.follow(lambda: initiatives.get_by_role("link", name="Mötesplats för föreningar i Kumla").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Mötesplats för föreningar i Kumla")
    meetings = page.get_by_role("region", name="Möten", exact=True)
    site.follow(lambda: meetings.get_by_role("link", name="Dialogmöte om mötesplatser").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Dialogmöte om mötesplatser")


def test_coordinator_defines_an_indicator_sets_a_target_and_a_value_and_sees_the_status(site, login, e2e_data):
    from civsam.plan.models import PriorityArea

    area = PriorityArea.objects.get(focus_area__plan__slug="2022-2025", focus_area__number=2, number=2)
    login("admin", next_path="/handlingsplaner/2022-2025/indikatorer/")
    page = site.page
    site.follow(lambda: page.get_by_role("link", name="Ny indikator").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny indikator")
    site.follow(lambda: page.get_by_role("button", name="Skapa indikatorn").click())  # empty: errors first
    expect(page.get_by_role("alert")).to_contain_text("Formuläret innehåller fel")
    expect(field(page, "Namn")).to_have_attribute("aria-invalid", "true")
    field(page, "Kod").fill("ideella-timmar")
    field(page, "Namn").fill("Ideella timmar i föreningslivet")
    field(page, "Hör till").select_option(label=f"2.2 {area.title_sv}")
    field(page, "Enhet").fill("timmar")
    field(page, "Basår").fill("2021")
    field(page, "Basvärde").fill("1000")
    site.follow(lambda: page.get_by_role("button", name="Skapa indikatorn").click())
    expect(page.get_by_role("status")).to_contain_text("Indikatorn är skapad.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ideella timmar i föreningslivet")

    targets = page.get_by_role("region", name="Sätt målvärde")
    targets.get_by_label(re.compile(r"^År")).fill("2024")
    targets.get_by_label(re.compile(r"^Målvärde")).fill("2000")
    site.follow(lambda: targets.get_by_role("button", name="Spara mål").click())
    expect(page.get_by_role("status")).to_contain_text("Målvärdet för 2024 är sparat.")
    values = page.get_by_role("region", name="För in utfall")
    values.get_by_label(re.compile(r"^År")).fill("2024")
    values.get_by_label(re.compile(r"^Utfall")).fill("1700")
    values.get_by_label(re.compile(r"^Källa")).fill("Föreningarnas enkät")
    site.follow(lambda: values.get_by_role("button", name="Spara utfall").click())
    expect(page.get_by_role("status")).to_contain_text("Utfallet för 2024 är sparat.")

    status = page.get_by_role("region", name="Status")
    expect(status).to_contain_text("Risk för att inte nå målet")  # 700 of 1 000 = 70 %
    expect(status).to_contain_text("70 procent av sträckan")
    expect(status.get_by_role("note")).to_contain_text("Så bedöms statusen")

    # A value entered by mistake is removed from its row; then the whole indicator, after a question.
    site.follow(lambda: page.get_by_role("button", name="Ta bort utfallet för 2024").click())
    expect(page.get_by_role("status")).to_contain_text("Utfallet för 2024 är borttaget.")
    site.follow(lambda: page.get_by_role("link", name="Ta bort indikatorn").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Ta bort indikatorn ”Ideella timmar i föreningslivet”?")
    site.follow(lambda: page.get_by_role("button", name="Ta bort indikatorn").click())
    expect(page.get_by_role("status")).to_contain_text("är borttagen")
