"""Calendar subscription for real (issue #14): a webcal:// link that opens the user's calendar
program, the feed's address to copy, and short instructions for Outlook, Google and Apple.

    {% load subscribe %}{% calendar_subscription "meetings:calendar-network" network.slug %}

Addresses are built on CIVSAM_BASE_URL, the site's configured public address, as the feeds'
own links and UIDs are: a subscription must not point at whatever host the page was served from."""

from __future__ import annotations

import itertools
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()

_ids = itertools.count(1)


def feed_urls(path: str) -> tuple[str, str]:
    """The feed at `path` as an https (or, on a demo without HTTPS, http) address and as webcal://."""
    base = urlsplit(settings.CIVSAM_BASE_URL)
    prefix = base.path.rstrip("/")
    address = f"{base.scheme}://{base.netloc}{prefix}{path}"
    return address, f"webcal://{base.netloc}{prefix}{path}"


@register.inclusion_tag("site/_calendar_subscription.html")
def calendar_subscription(url_name: str, *args: Any) -> dict[str, Any]:
    address, webcal = feed_urls(reverse(url_name, args=args))
    return {"address": address, "webcal": webcal, "field_id": f"calendar-address-{next(_ids)}"}
