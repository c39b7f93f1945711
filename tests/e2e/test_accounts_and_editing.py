"""Logged-in journeys: login, an officer registering and editing an organisation, a representative's limits."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.second_factor import unused_totp_code

pytestmark = pytest.mark.e2e


def field(page, label: str):
    """A form control by its label; required fields say so in the label."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(obligatoriskt\))?$"))


def field_error(page, label: str):
    """The error shown next to a field: inside the field's group and announced with the input."""
    control = field(page, label)
    expect(control).to_have_attribute("aria-invalid", "true")
    error_id = control.get_attribute("id") + "_error"
    expect(control).to_have_attribute("aria-describedby", re.compile(rf"\b{error_id}\b"))
    error = page.locator(f"div.field:has(#{control.get_attribute('id')}) > #{error_id}")
    expect(error).to_be_visible()
    return error


def test_login_with_wrong_password_then_right(site, e2e_data):
    site.goto("/")
    page = site.page
    site.follow(lambda: page.get_by_role("link", name="Logga in").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")

    page.get_by_label("Användarnamn").fill("handlaggare")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    site.follow(lambda: page.get_by_role("button", name="Logga in").click())
    error = page.get_by_role("alert")
    expect(error).to_be_visible()
    expect(error).to_contain_text(re.compile("användarnamn|lösenord", re.IGNORECASE))
    # The username is kept, the password is not.
    expect(page.get_by_label("Användarnamn")).to_have_value("handlaggare")
    expect(page.get_by_label("Lösenord")).to_have_value("")

    page.get_by_label("Lösenord").fill(e2e_data.password)
    site.follow(lambda: page.get_by_role("button", name="Logga in").click())
    # An officer has a second factor: the code from the authenticator app comes next (ADR 0080).
    expect(page.get_by_role("heading", level=1)).to_have_text("Kod från autentiseringsappen")
    page.get_by_label(re.compile(r"^Kod")).fill(unused_totp_code(e2e_data.totp_secrets["officer"]))
    site.follow(lambda: page.get_by_role("button", name="Logga in").click())
    # Back to where the visitor came from, now logged in.
    assert page.url == site.url("/")
    expect(page.get_by_role("button", name=re.compile("Logga ut"))).to_be_visible()
    site.follow(lambda: page.get_by_role("link", name="Min sida").click())
    expect(page.get_by_role("main")).to_contain_text("Kommunhandläggare – Örebro")

    site.follow(lambda: page.get_by_role("button", name=re.compile("Logga ut")).click())
    expect(page.get_by_role("link", name="Logga in")).to_be_visible()


def test_login_required_pages_redirect_to_login(site):
    site.goto("/min-sida/")
    assert "/konto/logga-in/" in site.page.url and "next=" in site.page.url
    expect(site.page.get_by_role("heading", level=1)).to_have_text("Logga in")


def test_officer_registers_edits_and_documents_an_organisation(site, login):
    login("officer", next_path="/organisationer/")
    page = site.page
    site.follow(lambda: page.get_by_role("link", name="Registrera organisation").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera organisation")

    field(page, "Namn").fill("Brickebackens Läxhjälpsförening")
    field(page, "Organisationsnummer").fill("802000-1235")
    field(page, "Juridisk form").select_option(label="Ideell förening")
    field(page, "Hemkommun").select_option(label="Örebro")
    field(page, "Kort beskrivning").fill("Läxhjälp för skolbarn i Brickebacken.")
    site.follow(lambda: page.get_by_role("button", name="Spara").click())

    # Invalid orgnr: a summary at the top and a Swedish message next to the field; input is kept.
    expect(page.get_by_role("alert")).to_contain_text("Formuläret innehåller fel")
    orgnr_error = field_error(page, "Organisationsnummer")
    expect(orgnr_error).to_contain_text("fel kontrollsiffra")
    expect(field(page, "Namn")).to_have_value("Brickebackens Läxhjälpsförening")
    summary_link = page.get_by_role("alert").get_by_role("link", name=re.compile("Organisationsnummer"))
    expect(summary_link).to_have_attribute("href", "#id_orgnr")

    field(page, "Organisationsnummer").fill("802000-1239")
    site.follow(lambda: page.get_by_role("button", name="Spara").click())
    expect(page.get_by_role("status")).to_contain_text("Organisationen är registrerad.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Brickebackens Läxhjälpsförening")
    assert page.url.endswith("/organisationer/8020001239/")

    # Edit it.
    site.follow(lambda: page.get_by_role("link", name="Ändra", exact=True).click())
    member_count = field(page, "Antal medlemmar")
    member_count.fill("-5")
    site.follow(lambda: page.get_by_role("button", name="Spara").click())
    field_error(page, "Antal medlemmar")
    member_count = field(page, "Antal medlemmar")
    member_count.fill("42")
    field(page, "Grundad år").fill("1998")
    site.follow(lambda: page.get_by_role("button", name="Spara").click())
    expect(page.get_by_role("status")).to_contain_text("Ändringarna är sparade.")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("42")
    expect(facts).to_contain_text("1998")

    # History shows the creation and the change.
    site.follow(lambda: page.get_by_role("link", name="Ändringshistorik").click())
    history = page.get_by_role("table", name="Ändringshistorik")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history).to_contain_text("42")
    expect(history).to_contain_text("Olle Handläggare")

    # Contact persons: an empty list, a rejected e-mail address, then a new contact.
    site.follow(lambda: page.get_by_role("link", name="Brickebackens Läxhjälpsförening").click())
    site.follow(lambda: page.get_by_role("link", name="Kontaktpersoner").click())
    expect(page.get_by_text("Inga kontaktpersoner registrerade.")).to_be_visible()
    field(page, "Namn").fill("Lisa Lärare")
    field(page, "Uppdrag").fill("Ordförande")
    field(page, "E-post").fill("inte-en-adress")
    site.follow(lambda: page.get_by_role("button", name="Lägg till").click(), status=400)
    expect(page.get_by_role("alert")).to_contain_text("Rätta felen nedan.")
    field(page, "E-post").fill("lisa@example.se")
    field(page, "Telefon").fill("019-12 34 56")
    site.follow(lambda: page.get_by_role("button", name="Lägg till").click())
    expect(page.get_by_role("status")).to_contain_text("Kontaktpersonen är tillagd.")
    contacts = page.get_by_role("table", name="Kontaktpersoner")
    expect(contacts).to_contain_text("Lisa Lärare")
    expect(contacts.get_by_role("link", name="lisa@example.se")).to_have_attribute("href", "mailto:lisa@example.se")


def test_representative_edits_own_organisation_but_not_another(site, login, e2e_data):
    login("rep")
    page = site.page
    site.follow(lambda: page.get_by_role("link", name="Min sida").click())
    site.follow(lambda: page.get_by_role("link", name="visa organisationen").click())
    expect(page.get_by_role("heading", level=1)).to_have_text(e2e_data.own_org.name)

    site.follow(lambda: page.get_by_role("link", name="Ändra", exact=True).click())
    # Verified flags are for staff; a representative does not get those fields.
    expect(page.get_by_label("Socialt företag")).to_have_count(0)
    field(page, "Webbplats").fill("https://vivalla-if.example.se")
    site.follow(lambda: page.get_by_role("button", name="Spara").click())
    expect(page.get_by_role("status")).to_contain_text("Ändringarna är sparade.")
    expect(page.get_by_role("link", name="https://vivalla-if.example.se")).to_be_visible()

    # Another organisation: visible in the directory, but its edit page is forbidden.
    site.goto(f"/organisationer/{e2e_data.other_org.orgnr}/")
    expect(page.get_by_role("link", name="Ändra", exact=True)).to_have_count(0)
    for path in ("andra/", "kontaktpersoner/", "historik/"):
        site.goto(f"/organisationer/{e2e_data.other_org.orgnr}/{path}", status=403)
        expect(page.get_by_role("heading", level=1)).to_have_text("Behörighet saknas")
        expect(page.locator("html")).to_have_attribute("lang", "sv")


def test_officer_imports_a_csv_file_with_preview(site, login, tmp_path, settings, e2e_data):
    from civsam.registry.models import Organisation

    # Uploads wait between the steps under MEDIA_ROOT; keep them out of the working tree.
    settings.MEDIA_ROOT = tmp_path / "media"
    login("officer")
    page = site.page
    site.follow(lambda: page.get_by_role("link", name="Min sida").click())
    site.follow(lambda: page.get_by_role("link", name="Importera organisationer från fil").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Importera organisationer")
    upload = field(page, "Fil (CSV eller Excel)")
    expect(upload).to_have_attribute("type", "file")

    # Swedish Excel style: semicolons, a municipality name instead of a code, one bad orgnr.
    csv_file = tmp_path / "föreningar.csv"
    csv_file.write_text(
        "Organisationsnummer;Namn;Juridisk form;Kommun\r\n"
        "802000-3334;Garphyttans Skidklubb;61;Örebro\r\n"
        "802000-3342;Lillåns Byalag;61;Örebro\r\n"
        "802000-3343;Felnumrets förening;61;Örebro\r\n",
        encoding="utf-8",
    )
    upload.set_input_files(str(csv_file))
    site.follow(lambda: page.get_by_role("button", name="Förhandsgranska").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Förhandsgranska import")
    summary = page.locator("dl.facts")
    expect(summary).to_contain_text(re.compile(r"Nya organisationer\s*2"))
    expect(summary).to_contain_text(re.compile(r"Rader med fel\s*1"))
    errors = page.get_by_role("table", name="Fel per rad")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr td").first).to_have_text("4")
    expect(errors).to_contain_text("kontrollsiffra")
    changes = page.get_by_role("table", name="Nya och ändrade organisationer")
    expect(changes).to_contain_text("Garphyttans Skidklubb")
    expect(changes).to_contain_text("Lillåns Byalag")
    # A preview writes nothing.
    assert not Organisation.objects.filter(orgnr__in=["8020003334", "8020003342"]).exists()

    page.get_by_label("Importera endast giltiga rader").check()
    site.follow(lambda: page.get_by_role("button", name="Importera 2 organisationer").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Importen är klar")
    expect(page.locator("dl.facts")).to_contain_text(re.compile(r"Nya organisationer\s*2"))
    assert set(Organisation.objects.filter(orgnr__startswith="80200033").values_list("name", flat=True)) == {
        "Garphyttans Skidklubb",
        "Lillåns Byalag",
    }

    site.follow(lambda: page.get_by_role("link", name="Till organisationsregistret").click())
    search = page.get_by_role("searchbox", name="Sökord")
    search.fill("skidklubb")
    site.htmx(lambda: search.press("Enter"))
    expect(page.locator("#results")).to_contain_text("Garphyttans Skidklubb")
