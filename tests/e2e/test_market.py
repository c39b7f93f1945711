"""The market (issue #17): a representative publishes an offer, an anonymous buyer searches for it and
writes to the organisation, a buyer's officer uploads a spend file and reads the share page, in
Swedish and in English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def cpv(e2e_data):
    from civsam.market.services import cpv_codes_load_reference

    cpv_codes_load_reference()


def test_publish_an_offer_and_find_it_as_an_anonymous_buyer(site, login, cpv, e2e_data):
    from civsam.registry.models import Organisation

    # Messages go to the organisation's own address (never shown to the sender).
    Organisation.objects.filter(pk=e2e_data.own_org.pk).update(email="info@vivalla.example")
    page = site.page
    login("rep", "/marknad/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Den sociala ekonomins erbjudanden")
    site.follow(lambda: page.get_by_role("link", name="Publicera ett erbjudande").click())
    page.get_by_label("Organisation").select_option(label=e2e_data.own_org.name)
    page.get_by_label("Rubrik").fill("Cykelverkstad med arbetsträning")
    page.get_by_label("Kategori").select_option(label="Återbruk, reparation och second hand")
    page.get_by_label("Beskrivning").fill("Vi lagar och säljer begagnade cyklar, och tar emot praktikanter.")
    page.get_by_label("Örebro").check()
    page.get_by_label("CPV-koder").select_option(label="50000000-5 Reparation och underhåll")
    page.get_by_label("Vi tar emot arbetsintegrerande uppdrag").check()
    site.follow(lambda: page.get_by_role("button", name="Spara").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Cykelverkstad med arbetsträning")
    expect(page.get_by_role("button", name="Bekräfta att uppgifterna stämmer")).to_be_visible()
    site.follow(lambda: page.get_by_role("button", name=re.compile("Logga ut")).click())

    # An anonymous buyer searches with another form of the word and filters.
    site.goto("/marknad/")
    page.get_by_label("Sök", exact=True).fill("cyklarna")
    page.get_by_label("Tar emot arbetsintegrerande uppdrag").check()
    site.follow(lambda: page.get_by_role("button", name="Sök", exact=True).click())
    site.follow(lambda: page.get_by_role("link", name="Cykelverkstad med arbetsträning").click())
    expect(page.get_by_text("Ja, tar emot sådana uppdrag")).to_be_visible()
    page.get_by_label("Ditt namn").fill("Ina Inköpare")
    page.get_by_label("Din e-postadress").fill("ina@example.se")
    page.get_by_label("Meddelande").fill("Kan ni serva 40 tjänstecyklar i maj?")
    site.follow(lambda: page.get_by_role("button", name="Skicka meddelandet").click())
    expect(page.get_by_text(re.compile("Ditt meddelande är skickat"))).to_be_visible()

    site.follow(lambda: page.get_by_role("button", name="English").click())
    expect(page.get_by_role("heading", level=2, name="Verification")).to_be_visible()
    site.follow(lambda: page.get_by_role("link", name="Back to all offers").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Offers of the social economy")


def test_upload_a_spend_file_and_read_the_share(site, login, cpv, e2e_data, tmp_path):
    page = site.page
    spend = tmp_path / "inkop.csv"
    spend.write_text(
        "köpare;leverantör orgnr;belopp;datum\n"
        f"Örebro kommun;{e2e_data.own_org.orgnr};1 000,00;2025-03-01\n"
        "Örebro kommun;5560001231;3 000,00;2025-04-01\n",
        encoding="utf-8",
    )
    login("officer", "/marknad/andel-av-inkop/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Den sociala ekonomins andel av inköpen")
    site.follow(lambda: page.get_by_role("link", name="Ladda upp en inköpsfil").click())
    page.get_by_label("Köpare").select_option(label="Örebro kommun")
    page.get_by_label(re.compile("^Inköpsfil")).set_input_files(str(spend))
    site.follow(lambda: page.get_by_role("button", name="Läs in filen").click())
    expect(page.get_by_text(re.compile("Filen är inläst: 2 fakturarader"))).to_be_visible()
    table = page.get_by_role("table", name=re.compile("2025: alla inköp 4 000 kr"))
    expect(table.get_by_role("row", name=re.compile("Ideella juridiska former"))).to_contain_text("25,0")

    site.follow(lambda: page.get_by_role("link", name=re.compile("^Så räknar vi, och vad")).click())
    expect(page.get_by_role("heading", level=2, name="Avtal efter reserverad upphandling")).to_be_visible()
    site.follow(lambda: page.get_by_role("button", name="English").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("How we count the social economy's share of spend")
    site.follow(lambda: page.get_by_role("link", name="To the shares per buyer").click())
    expect(page.get_by_role("row", name=re.compile("Non-profit legal forms"))).to_contain_text("25.0")
