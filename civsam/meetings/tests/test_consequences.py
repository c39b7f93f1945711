"""Assessed consequences on events (ADR 0123): the form, the page and the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civsam.meetings.models import Event

pytestmark = pytest.mark.django_db


def test_the_organiser_assesses_an_event_and_the_page_shows_it(client, users, make_event):
    event = make_event(created_by=users["admin"])
    client.force_login(users["admin"])
    form = client.get(reverse("meetings:event-edit", args=[event.pk])).content.decode()
    assert "Konsekvenser för barn" in form
    data = {
        "title": event.title,
        "mode": "in_person",
        "starts_at": event.starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": event.ends_at.strftime("%Y-%m-%dT%H:%M"),
        "offer_window_hours": "48",
        "is_public": "on",
        "children_assessment": "positive",
        "children_note": "Barnpassning under mötet.",
    }
    response = client.post(reverse("meetings:event-edit", args=[event.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert (event.children_assessment, event.environment_assessment) == ("positive", "not_assessed")
    client.logout()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Barnpassning under mötet." in page and "Positiv" in page


def test_the_event_api_carries_the_assessments(client, users, make_event):
    event = make_event(gender_assessment="neutral", gender_note="Jämn fördelning bland talarna.")
    body = client.get(f"/api/v1/events/{event.pk}").json()
    assert body["consequences"]["gender"] == {"assessment": "neutral", "note": "Jämn fördelning bland talarna."}
    client.force_login(users["admin"])
    response = client.patch(
        f"/api/v1/events/{event.pk}",
        {"consequences": {"environment": {"assessment": "negative", "note": "Långa resor."}}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    event = Event.objects.get(pk=event.pk)
    assert (event.environment_assessment, event.gender_assessment) == ("negative", "not_assessed")
