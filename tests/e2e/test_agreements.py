"""A municipal officer registers an IOP with an association as party, records the legal assessment,
signs, and the public finds the agreement's page, in Swedish and in English (issue #17). axe and the
320 px check on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def field(scope, label: str):
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \(obligatoriskt\))?$"))


def test_an_officer_registers_assesses_and_signs_an_iop(site, e2e_data, login):
    from civsam.agreements.models import Agreement
    from civsam.core.models import LegalForm, Municipality
    from civsam.registry.orgnr import complete
    from civsam.registry.services import organisation_create

    organisation_create(
        actor=None,
        name="Örebro kommun",
        orgnr=complete("212000196"),
        legal_form=LegalForm.objects.get(code="82"),
        municipality=Municipality.objects.get(code="1880"),
        sector="public",
    )
    page = site.page
    login("officer")
    site.goto("/overenskommelser/")
    site.follow(lambda: page.get_by_role("link", name="Registrera en överenskommelse").click())
    field(page, "Namn").fill("Mötesplats Vivalla")
    field(page, "Slag av överenskommelse").select_option(label="Idéburet offentligt partnerskap (IOP)")
    field(page, "Ansvarig part").select_option(label="Örebro kommun")
    field(page, "Kommun").select_option(label="Örebro")
    field(page, "Gemensam samhällsutmaning").fill("Ofrivillig ensamhet bland äldre i stadsdelen.")
    field(page, "Gäller från").fill("2026-01-01")
    site.follow(lambda: page.get_by_role("button", name="Spara utkastet").click())
    expect(page.get_by_role("status").first).to_contain_text("Överenskommelsen är sparad som utkast")
    agreement = Agreement.objects.get(title="Mötesplats Vivalla")

    # The association joins at once: the officer acts for associations in Örebro.
    field(page, "Organisation").select_option(label="Vivalla Idrottsförening")
    field(page, "Roll").select_option(label="Idéburen part")
    site.follow(lambda: page.get_by_role("button", name="Lägg till parten").click())
    expect(page.get_by_role("status").first).to_contain_text("Vivalla Idrottsförening är part")

    # Signing is refused until the legal assessment is complete.
    site.follow(lambda: page.get_by_role("button", name="Underteckna").click())
    expect(page.get_by_text("rättsliga bedömningen är klar").first).to_be_visible()
    site.follow(lambda: page.get_by_role("link", name="Rättslig bedömning").click())
    page.get_by_label(re.compile("Ett partnerskap:")).check()
    page.get_by_label(re.compile("Inget statsstöd:")).check()
    page.get_by_label(re.compile("^Insatsen är av allmänt intresse")).check()
    field(page, "Promemoria").fill("Kommunen köper ingen tjänst; verksamheten är öppen och inte ekonomisk.")
    site.follow(lambda: page.get_by_role("button", name="Spara bedömningen").click())
    expect(page.get_by_role("status").first).to_contain_text("Bedömningen är klar")
    site.follow(lambda: page.get_by_role("button", name="Underteckna").click())
    expect(page.get_by_role("status").first).to_contain_text("undertecknad och gäller")
    agreement.refresh_from_db()
    assert agreement.status == "active"
    site.follow(lambda: page.get_by_role("button", name=re.compile("Logga ut")).click())

    # The public finds it in the list and on its page, and in English.
    site.goto("/overenskommelser/")
    site.follow(lambda: page.get_by_role("link", name="Mötesplats Vivalla").click())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mötesplats Vivalla")
    expect(page.get_by_text("Vivalla Idrottsförening").first).to_be_visible()
    site.goto("/overenskommelser/oversikt/")
    site.follow(lambda: page.get_by_role("button", name="English", exact=True).click())
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("agreements in the county")
