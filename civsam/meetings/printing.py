"""The printable attendance list and name badges as tagged PDFs, made outside the views so that
a background worker or the API can make them too."""

from __future__ import annotations

from django.template.loader import render_to_string

from civsam.core.pdf import html_to_pdf

from . import selectors
from .models import Conference, Event


def attendance_context(event: Event) -> dict:
    """Everyone with a seat in name order, with a column to sign."""
    return {"event": event, "attendees": selectors.attendees(event), "sign": True}


def badges_context(event: Event) -> dict:
    return {
        "event": event,
        "attendees": selectors.attendees(event),
        "conference": Conference.objects.filter(event=event).first(),
    }


def attendance_pdf(event: Event, *, base_url: str) -> bytes:
    return html_to_pdf(render_to_string("meetings/print/attendance.html", attendance_context(event)), base_url=base_url)


def badges_pdf(event: Event, *, base_url: str) -> bytes:
    return html_to_pdf(render_to_string("meetings/print/badges.html", badges_context(event)), base_url=base_url)


def conference_status_pdf(request, conference: Conference) -> bytes:
    """The conference's status report for the committee, from the same template as its page."""
    context = {**selectors.conference_status(conference), "pdf": True}
    html = render_to_string("meetings/conference_status.html", context, request=request)
    return html_to_pdf(html, base_url=request.build_absolute_uri("/"))
