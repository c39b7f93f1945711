"""A new person signs up, verifies the address from the e-mail, logs in, and, once given a staff
role, sets up the second factor and logs in with a code; axe on every page (ADR 0080)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.second_factor import totp_code

pytestmark = pytest.mark.e2e

PASSWORD = "mitt-eget-lösenord-2026"


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(obligatoriskt\))?$"))


def test_sign_up_verify_log_in_and_set_up_the_second_factor(site, e2e_data):
    from civsam.accounts.models import Role, User
    from civsam.accounts.services import role_assign
    from civsam.core.models import Municipality

    page = site.page
    site.goto("/konto/logga-in/")
    site.follow(lambda: page.get_by_role("link", name="Skapa ett konto").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Skapa ett konto")
    site.follow(lambda: page.get_by_role("button", name="Skapa konto").click())
    expect(page.get_by_role("alert")).to_contain_text("Förnamn")  # the error summary
    field(page, "Förnamn").fill("Maja")
    field(page, "Efternamn").fill("Lind")
    field(page, "E-postadress").fill("maja.lind@example.se")
    field(page, "Lösenord").fill(PASSWORD)
    field(page, "Lösenordet igen").fill(PASSWORD)
    site.follow(lambda: page.get_by_role("button", name="Skapa konto").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekräfta din e-postadress")

    # The mail, and the page its link opens: a button confirms, the link alone does not.
    [message] = mail.outbox
    assert message.to == ["maja.lind@example.se"] and "Bekräfta din e-postadress" in message.subject
    link = re.search(r"https?://[^/\s]+(/konto/e-post/bekrafta/\S+/)", message.body).group(1)
    site.goto(link)
    expect(page.get_by_role("main")).to_contain_text("Bekräfta att maja.lind@example.se är din e-postadress.")
    site.follow(lambda: page.get_by_role("button", name="Bekräfta").click())
    expect(page.get_by_role("status")).to_contain_text("Adressen maja.lind@example.se är bekräftad.")

    # The Region makes her a municipal officer; a staff role needs a second factor.
    maja = User.objects.get(email="maja.lind@example.se")
    orebro = Municipality.objects.get(code="1880")
    role_assign(actor=e2e_data.users["admin"], user=maja, role=Role.MUNICIPAL_OFFICER, municipality=orebro)

    site.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn eller e-postadress").fill("maja.lind@example.se")
    page.get_by_label("Lösenord").fill(PASSWORD)
    site.follow(lambda: page.get_by_role("button", name="Logga in").last.click())
    # Sent to set up the app, after giving the password once more.
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekräfta att det är du")
    expect(page.get_by_role("status")).to_contain_text("Din roll kräver inloggning med två faktorer.")
    page.get_by_label("Lösenord").fill(PASSWORD)
    site.follow(lambda: page.get_by_role("button", name="Bekräfta").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktivera autentiseringsapp")
    expect(page.get_by_role("img", name=re.compile("QR-kod"))).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    field(page, "Kod från appen").fill("000000")
    site.follow(lambda: page.get_by_role("button", name="Aktivera").click())
    expect(page.get_by_role("alert")).to_contain_text("Fel kod.")
    field(page, "Kod från appen").fill(totp_code(secret))
    site.follow(lambda: page.get_by_role("button", name="Aktivera").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Reservkoder")
    assert page.locator(".recovery-codes li").count() == 10
    site.follow(lambda: page.get_by_role("link", name="Fortsätt till Min sida").click())
    expect(page.get_by_role("main")).to_contain_text("Kommunhandläggare – Örebro")

    # Next time the password alone is not enough.
    site.follow(lambda: page.get_by_role("button", name=re.compile("Logga ut")).click())
    site.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn eller e-postadress").fill("maja.lind@example.se")
    page.get_by_label("Lösenord").fill(PASSWORD)
    site.follow(lambda: page.get_by_role("button", name="Logga in").last.click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Kod från autentiseringsappen")
    field(page, "Kod").fill(totp_code(secret, step=1))
    site.follow(lambda: page.get_by_role("button", name="Logga in").last.click())
    assert page.url == site.url("/min-sida/")

    # Her account page, her sessions and the page that deletes the account pass axe too.
    site.goto("/konto/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt konto")
    site.follow(lambda: page.get_by_role("link", name="Mina sessioner").click())
    expect(page.get_by_role("table")).to_contain_text("den här webbläsaren")
    site.goto("/konto/tvafaktor/")
    site.goto("/konto/ta-bort/")
    expect(page.get_by_role("main")).to_contain_text("borttagen användare")
