"""The Region's own call in the browser: an association's representative finds the call, applies
(a draft first, the rules explained, an attachment), sends in; the Region's officer starts the
review and decides; the association reads the decision letter. Axe and reflow on every page."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def innovation_call(e2e_data):
    from django.utils import timezone

    from civsam.funding import services
    from civsam.funding.models import FundingCall, Programme

    today = timezone.localdate()
    services.funding_sources_load_reference()
    programme = Programme.objects.get(reference_key="utvecklingsmedel-social-innovation")
    services.programme_budget_set(actor=None, programme=programme, year=today.year, amount=Decimal("500000"))
    call = services.funding_call_create(
        actor=None,
        data=services.FundingCallData(
            source=programme.source,
            title="Utvecklingsmedel för social innovation",
            opens_on=today - datetime.timedelta(days=3),
            deadline=today + datetime.timedelta(days=30),
            programme=programme,
            budget=Decimal("200000"),
            budget_year=today.year,
        ),
    )
    return services.funding_call_change_status(actor=None, call=call, status=FundingCall.Status.PUBLISHED)


def test_an_association_applies_and_the_region_decides(site, login, innovation_call, tmp_path):
    page = site.page
    # The shared test machine can be slow to answer the first requests; give navigations more time.
    page.set_default_navigation_timeout(60_000)
    call = innovation_call
    today = datetime.date.today()

    # The representative finds the call, reads who may apply, and starts a draft.
    login("rep")
    site.goto("/finansiering/utlysningar/")
    site.follow(lambda: page.get_by_role("link", name=call.title).first.click())
    expect(page.get_by_role("heading", name="Vem kan söka")).to_be_visible()
    site.follow(lambda: page.get_by_role("link", name="Ansök", exact=True).click())
    site.follow(lambda: page.get_by_role("button", name="Börja skriva ansökan").click())
    page.get_by_label("Sökt belopp (kronor)").fill("30000")
    page.get_by_label(re.compile("^Idén och behovet")).fill("Ett språkcafé på biblioteket")
    site.follow(lambda: page.get_by_role("button", name="Spara utkast").click())
    expect(page.get_by_role("heading", name="Innan ansökan kan skickas in")).to_be_visible()

    # An attachment, checked by its content.
    budget = tmp_path / "budget.pdf"
    budget.write_bytes(PDF)
    page.get_by_label("Bifoga en fil").set_input_files(str(budget))
    site.follow(lambda: page.get_by_role("button", name="Bifoga", exact=True).click())
    expect(page.get_by_role("link", name="budget.pdf")).to_be_visible()

    # The rest of the answers, and sending in.
    page.get_by_label(re.compile("^Vad som är nytt")).fill("Unga leder träffarna själva")
    page.get_by_label(re.compile("^Målgrupp")).fill("Nyanlända unga")
    page.get_by_label(re.compile(r"^Medfinansiering i pengar")).fill("10000")
    page.get_by_label(re.compile("^Timmar ideellt arbete")).fill("70")
    page.get_by_label(re.compile("^Projektet börjar")).fill((today + datetime.timedelta(days=60)).isoformat())
    page.get_by_label(re.compile("^Projektet slutar")).fill((today + datetime.timedelta(days=200)).isoformat())
    site.follow(lambda: page.get_by_role("button", name="Spara och skicka in").click())
    expect(page.get_by_role("status")).to_contain_text("diarienummer")
    application_url = page.url

    # The Region's officer starts the review and decides.
    page.context.clear_cookies()
    login("admin", application_url.split(site.base_url, 1)[1])
    site.follow(lambda: page.get_by_role("button", name="Påbörja bedömningen").click())
    site.follow(lambda: page.get_by_role("link", name="Fatta beslut").click())
    page.get_by_label("Beviljas", exact=True).check()
    page.get_by_label("Beviljat belopp (kronor)").fill("30000")
    page.get_by_label("Motivering").fill("Projektet stärker insatsområde 2 och har god medfinansiering.")
    page.get_by_label("Nämnd eller delegat").fill("Kulturnämnden")
    site.follow(lambda: page.get_by_role("button", name="Fatta beslut").click())
    expect(page.get_by_role("heading", name="Beslut", exact=True)).to_be_visible()

    # The association reads its decision letter.
    page.context.clear_cookies()
    login("rep", application_url.split(site.base_url, 1)[1])
    site.follow(lambda: page.get_by_role("link", name="Beslutsbrevet", exact=True).click())
    expect(page.get_by_text("30\u00a0000", exact=False).first).to_be_visible()
    expect(page.get_by_text(re.compile("överklaga", re.I)).first).to_be_visible()
