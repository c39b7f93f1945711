"""iCalendar (RFC 5545) documents for events."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as ICalEvent

from .models import Event

PRODID = "-//Civsam//Civsam evenemang//SV"


def _location(event: Event) -> str:
    parts = [event.place, event.municipality.name if event.municipality_id else ""]
    if event.online_url:
        parts.append(event.online_url)
    return ", ".join(p for p in parts if p)


def calendar_for(events: Iterable[Event], *, base_url: str, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    host = base_url.split("://", 1)[-1].split("/", 1)[0] or "civsam"
    for event in events:
        entry = ICalEvent()
        entry.add("uid", f"event-{event.pk}@{host}")
        entry.add("dtstamp", event.updated_at)
        entry.add("dtstart", event.starts_at)
        entry.add("dtend", event.ends_at)
        entry.add("summary", event.title)
        url = base_url.rstrip("/") + event.get_absolute_url()
        entry.add("url", url)
        entry.add("description", (event.description + "\n\n" if event.description else "") + url)
        location = _location(event)
        if location:
            entry.add("location", location)
        calendar.add_component(entry)
    return calendar.to_ical()
