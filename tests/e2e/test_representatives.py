"""A representative invites a co-representative by e-mail; the invitee, new to Civsam, signs up
with that address, accepts and acts for the organisation; the first representative then leaves.
Axe and the 320 px check on every page (ADR 0099)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "kims-eget-lösenord-2026"


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(obligatoriskt\))?$"))


def log_out(site):
    site.follow(lambda: site.page.get_by_role("button", name=re.compile("Logga ut")).click())


def test_invite_a_co_representative_who_signs_up_and_accepts(site, e2e_data, login):
    org = e2e_data.own_org
    page = site.page

    # Fia, the club's representative, invites Kim.
    login("rep", next_path=org.get_absolute_url())
    site.follow(lambda: page.get_by_role("link", name="Företrädare och inbjudningar").click())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Företrädare för")
    expect(page.get_by_role("main")).to_contain_text("Fia Företrädare")
    site.follow(lambda: page.get_by_role("button", name="Skicka inbjudan").click(), status=400)
    expect(page.get_by_role("alert").first).to_be_visible()
    invite = page.get_by_role("region", name="Bjud in en medföreträdare")
    invite.get_by_label(re.compile("^E-postadress")).fill("kim.ny@example.se")
    invite.get_by_label(re.compile("^Personens uppdrag")).select_option(label="Firmatecknare")
    site.follow(lambda: invite.get_by_role("button", name="Skicka inbjudan").click())
    expect(page.get_by_role("status")).to_contain_text("Inbjudan är skickad")
    expect(page.get_by_role("region", name="Inbjudningar som väntar på svar")).to_contain_text("kim.ny@example.se")
    [invitation] = mail.outbox
    assert invitation.to == ["kim.ny@example.se"] and "Vivalla Idrottsförening" in invitation.subject
    link = re.search(r"https?://[^/\s]+(/organisationer/inbjudan/\S+/)", invitation.body).group(1)
    log_out(site)

    # Kim opens the link, has no account, signs up with the invited address and verifies it.
    site.goto(link)
    assert "/konto/logga-in/" in page.url
    site.follow(lambda: page.get_by_role("link", name="Skapa ett konto").click())
    field(page, "Förnamn").fill("Kim")
    field(page, "Efternamn").fill("Nyberg")
    field(page, "E-postadress").fill("kim.ny@example.se")
    field(page, "Lösenord").fill(PASSWORD)
    field(page, "Lösenordet igen").fill(PASSWORD)
    site.follow(lambda: page.get_by_role("button", name="Skapa konto").click())
    confirm = mail.outbox[-1]
    verify = re.search(r"https?://[^/\s]+(/konto/e-post/bekrafta/\S+/)", confirm.body).group(1)
    site.goto(verify)
    site.follow(lambda: page.get_by_role("button", name="Bekräfta").click())
    site.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn eller e-postadress").fill("kim.ny@example.se")
    page.get_by_label("Lösenord").fill(PASSWORD)
    site.follow(lambda: page.get_by_role("button", name="Logga in").last.click())

    # Min sida shows the invitation; until Kim accepts, Kim cannot edit the club.
    site.goto("/min-sida/")
    invitations = page.get_by_role("region", name="Inbjudningar till dig")
    expect(invitations).to_contain_text("Vivalla Idrottsförening")
    site.goto(f"/organisationer/{org.orgnr}/andra/", status=403)
    site.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inbjudan att företräda")
    site.follow(lambda: page.get_by_role("button", name="Tacka ja").click())
    expect(page.get_by_role("status")).to_contain_text("Du företräder nu Vivalla Idrottsförening.")
    site.goto("/min-sida/")
    expect(page.get_by_role("main")).to_contain_text(
        "Organisationsföreträdare – Vivalla Idrottsförening – Firmatecknare"
    )
    site.goto(f"/organisationer/{org.orgnr}/andra/")
    log_out(site)

    # Fia leaves; Kim stays as the club's one representative.
    login("rep", next_path=f"/organisationer/{org.orgnr}/foretradare/")
    expect(page.get_by_role("main")).to_contain_text("Kim Nyberg")
    site.follow(lambda: page.get_by_role("button", name="Sluta företräda organisationen").click())
    expect(page.get_by_role("status")).to_contain_text("Du företräder inte längre Vivalla Idrottsförening.")
    site.goto(f"/organisationer/{org.orgnr}/foretradare/", status=403)
