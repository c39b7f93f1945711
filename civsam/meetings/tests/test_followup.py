"""Questions and invitations before, reminders, and after the meeting: minutes, outputs, surveys, results."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from civsam.meetings import services
from civsam.meetings.models import Registration, Survey, SurveyResponse
from civsam.meetings.tests import support

pytestmark = pytest.mark.django_db(transaction=True)


def register(event, n, **kwargs):
    return support.register(event.pk, n, **kwargs)


def test_custom_questions_are_checked_and_stored(make_event):
    event = make_event(capacity=5)
    diet = services.question_add(actor=None, event=event, label="Specialkost?", kind="text")
    track = services.question_add(
        actor=None, event=event, label="Spår", kind="choice", choices=["Strategi", "Praktik"], required=True
    )
    with pytest.raises(ValidationError, match="Svara på frågan ”Spår”"):
        register(event, 1, answers={str(diet.pk): "vegetarisk"})
    registration = register(event, 1, answers={str(diet.pk): "vegetarisk", str(track.pk): "Praktik"})
    assert registration.answers == {str(diet.pk): "vegetarisk", str(track.pk): "Praktik"}
    with pytest.raises(ValidationError, match="minst två alternativ"):
        services.question_add(actor=None, event=event, label="Ett", kind="choice", choices=["A"])


def test_invitation_only_event_takes_invited_people_and_skips_approval(make_event):
    event = make_event(capacity=5, invitation_only=True, requires_approval=True)
    invitation = services.invitation_create(actor=None, event=event, name="Ina Inbjuden", email="Ina@Example.se")
    assert mail.outbox[-1].to == ["ina@example.se"]
    assert invitation.token in mail.outbox[-1].body
    with pytest.raises(ValidationError, match="bara öppet för inbjudna"):
        register(event, 1)
    registration = register(event, 2, invitation_token=invitation.token)
    assert registration.status == "confirmed"  # the invitation is the approval
    with pytest.raises(ValidationError, match="redan använts"):
        register(event, 3, invitation_token=invitation.token)
    # Once cancelled, the same invitation may be used again (the person changed their mind).
    services.registration_cancel(cancel_token=registration.cancel_token)
    assert register(event, 4, invitation_token=invitation.token).status == "confirmed"
    assert invitation.registrations.count() == 2
    with pytest.raises(ValidationError):
        services.invitation_create(actor=None, event=event, name="Igen", email="ina@example.se")


def test_reminders_are_sent_once_with_a_calendar_entry(make_event):
    soon = make_event(capacity=5, starts_at=timezone.now() + timedelta(hours=20))
    later = make_event(capacity=5)  # in 14 days
    confirmed = register(soon, 1)
    cancelled = register(soon, 2)
    services.registration_cancel(cancel_token=cancelled.cancel_token)
    register(later, 3)
    mail.outbox.clear()
    call_command("send_event_reminders")
    assert [m.to for m in mail.outbox] == [[confirmed.email]]
    message = mail.outbox[0]
    assert "Påminnelse" in message.subject
    calendar = Calendar.from_ical(message.attachments[0][1])
    assert [str(c["summary"]) for c in calendar.walk("VEVENT")] == [soon.title]
    call_command("send_event_reminders")
    assert len(mail.outbox) == 1
    confirmed.refresh_from_db()
    assert confirmed.reminded_at is not None


def test_accepting_an_expired_offer_keeps_the_expiry_and_moves_the_queue(make_event):
    event = make_event(capacity=1, offer_window_hours=1)
    first, second, third = (register(event, n) for n in range(3))
    services.registration_cancel(cancel_token=first.cancel_token)
    with pytest.raises(ValidationError, match="gått ut"):
        services.registration_accept_offer(cancel_token=second.cancel_token, now=timezone.now() + timedelta(hours=2))
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("expired", "offered")


def test_knowledge_survey_before_and_after_per_target_group(make_conference):
    conference = make_conference(capacity=50)
    event = conference.event
    officers = [register(event, n, target_group="officer") for n in range(6)]
    elected = [register(event, 10 + n, target_group="elected") for n in range(3)]
    survey = services.survey_create(actor=None, event=event, kind=Survey.Kind.KNOWLEDGE)
    mail.outbox.clear()
    assert services.survey_send(actor=None, survey=survey, phase="before") == 9
    assert len(mail.outbox) == 9
    link = re.search(r"https?://\S+/enkat/\S+", mail.outbox[0].body).group(0)
    assert "/before/" in link
    with pytest.raises(ValidationError, match="ingen att skicka"):
        services.survey_send(actor=None, survey=survey, phase="after")  # nobody has checked in yet
    ids = [str(q.pk) for q in survey.questions.all()]
    for r in officers + elected:
        services.survey_respond(
            survey=survey, cancel_token=r.cancel_token, phase="before", answers=dict.fromkeys(ids, 2)
        )
        services.registration_check_in(actor=None, event=event, code=r.code)
        services.survey_respond(
            survey=survey, cancel_token=r.cancel_token, phase="after", answers=dict.fromkeys(ids, 4)
        )
    with pytest.raises(ValidationError, match="redan svarat"):
        services.survey_respond(
            survey=survey, cancel_token=officers[0].cancel_token, phase="after", answers={ids[0]: 5}
        )
    with pytest.raises(ValidationError, match="1 till 5"):
        services.survey_respond(
            survey=survey, cancel_token=elected[0].cancel_token, phase="before", answers={ids[0]: 7}
        )
    from civsam.meetings import selectors

    rows = {r.group: r for r in selectors.knowledge_change(event)}
    assert (rows["officer"].n_before, rows["officer"].change) == (6, 2.0)
    assert rows["elected"].change is None  # three respondents: suppressed
    assert rows["all"].n_after == 9
    assert SurveyResponse.objects.filter(survey=survey).count() == 18


def test_evaluation_goes_to_attendees_only(make_event):
    event = make_event(capacity=5)
    attended, absent = register(event, 1), register(event, 2)
    services.registration_check_in(actor=None, event=event, code=attended.code)
    survey = services.survey_create(actor=None, event=event, kind=Survey.Kind.EVALUATION)
    with pytest.raises(ValidationError):
        services.survey_send(actor=None, survey=survey, phase="before")
    mail.outbox.clear()
    assert services.survey_send(actor=None, survey=survey, phase="after") == 1
    assert mail.outbox[0].to == [attended.email]
    assert absent.email not in [m.to[0] for m in mail.outbox]


def test_minutes_outputs_and_attendance(make_event, reference_data):
    from civsam.core.models import Municipality
    from civsam.meetings import selectors

    kumla = Municipality.objects.get(code="1881")
    event = make_event(capacity=5)
    a = register(event, 1, municipality=kumla, organisation_name="Kumla IF", target_group="civil_society")
    register(event, 2, municipality=kumla, target_group="officer")
    services.registration_check_in(actor=None, event=event, code=a.code)
    services.minutes_save(actor=None, event=event, minutes="  Vi beslutade att ses igen.  ")
    services.output_add(actor=None, event=event, title="Gemensam avsiktsförklaring", kind="decision")
    event.refresh_from_db()
    assert event.minutes == "Vi beslutade att ses igen."
    by_municipality = selectors.attendance_by(event, "municipality")
    assert [(r.label, r.registered, r.attended) for r in by_municipality] == [("Kumla", 2, 1)]
    by_group = {r.key: (r.registered, r.attended) for r in selectors.attendance_by(event, "target_group")}
    assert by_group == {"civil_society": (1, 1), "officer": (1, 0)}
    assert selectors.attending_organisations(event) == ["Kumla IF"]
    assert Registration.objects.filter(event=event).count() == 2


def test_expire_offers_command_passes_the_seat_on(make_event):
    event = make_event(capacity=1, offer_window_hours=1)
    first, second, third = (register(event, n) for n in range(3))
    services.registration_cancel(cancel_token=first.cancel_token)
    Registration.objects.filter(pk=second.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    call_command("expire_offers")
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("expired", "offered")
    assert any(third.email in m.to for m in mail.outbox if "Ledig plats" in m.subject)
