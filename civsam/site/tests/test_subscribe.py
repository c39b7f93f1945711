"""Calendar subscription (core/templatetags/subscribe.py): webcal:// and a copyable address on the
site's configured public address, whatever host served the page."""

from __future__ import annotations

import pytest
from django.template import Context, Template


@pytest.mark.parametrize(
    ("base", "address", "webcal"),
    [
        ("https://civsam.example.se", "https://civsam.example.se/evenemang/kalender.ics",
         "webcal://civsam.example.se/evenemang/kalender.ics"),
        ("https://example.se/civsam/", "https://example.se/civsam/evenemang/kalender.ics",
         "webcal://example.se/civsam/evenemang/kalender.ics"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/evenemang/kalender.ics",
         "webcal://127.0.0.1:8000/evenemang/kalender.ics"),
    ],
)  # fmt: skip
def test_subscription_uses_the_public_address(settings, base, address, webcal):
    settings.CIVSAM_BASE_URL = base
    html = Template('{% load subscribe %}{% calendar_subscription "meetings:calendar-all" %}').render(Context({}))
    assert f'href="{webcal}"' in html
    assert f'value="{address}" readonly' in html
    # The address field is labelled, and the instructions name the three common programs.
    field_id = html.split('<label for="')[1].split('"')[0]
    assert f'id="{field_id}"' in html
    for program in ("Outlook", "Google", "Apple"):
        assert program in html


def test_the_network_page_offers_its_own_feed(client, settings, reference_data):
    from civsam.meetings.models import Network

    settings.CIVSAM_BASE_URL = "https://civsam.example.se"
    Network.objects.create(name="Föreningsrådet", slug="foreningsradet", kind="association_council")
    html = client.get("/natverk/foreningsradet/").content.decode()
    assert 'href="webcal://civsam.example.se/natverk/foreningsradet/kalender.ics"' in html
    html = client.get("/evenemang/").content.decode()
    assert 'href="webcal://civsam.example.se/evenemang/kalender.ics"' in html
