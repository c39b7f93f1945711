"""E-mails to registrants, sent after the registration's transaction has committed.

A registration's name and other text come from a form anyone may fill in, so no mail puts them in
its subject or first: each starts with Civsam's own words, and the name comes further down, after a
label. The request to confirm an address carries none of the registrant's text at all."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .calendar import calendar_for


def _base_url() -> str:
    return getattr(settings, "CIVSAM_BASE_URL", "http://127.0.0.1:8000")


def _send(registration, subject: str, body: str, *, with_calendar: bool) -> None:
    message = EmailMessage(subject=subject, body=body, to=[registration.email])
    if with_calendar:
        ics = calendar_for([registration.event], base_url=_base_url(), name=registration.event.title)
        message.attach("evenemang.ics", ics, "text/calendar")
    message.send(fail_silently=True)


def _start(registration) -> str:
    return timezone.localtime(registration.event.starts_at).strftime("%Y-%m-%d %H:%M")


def _registered_as(registration) -> str:
    return _("Namn i anmälan: %(name)s") % {"name": registration.name}


def _links(registration) -> tuple[str, str]:
    base = _base_url().rstrip("/")
    cancel = base + reverse("meetings:registration-cancel", args=[registration.cancel_token])
    accept = base + reverse("meetings:registration-accept", args=[registration.cancel_token])
    return cancel, accept


def send_address_confirmation(registration) -> None:
    """The request to confirm the address, the only mail a registration made without signing in gets
    before it is confirmed."""
    event = registration.event
    base = _base_url().rstrip("/")
    confirm = base + reverse("meetings:registration-confirm", args=[registration.confirm_token])
    cancel, _accept = _links(registration)
    deadline = timezone.localtime(registration.confirm_by).strftime("%Y-%m-%d %H:%M")
    held = registration.status == registration.Status.HELD
    body = "\n".join(
        [
            _("Civsam har tagit emot en anmälan med den här e-postadressen till %(event)s (%(start)s).")
            % {"event": event.title, "start": _start(registration)},
            "",
            _(
                "En plats är reserverad till %(deadline)s. Bekräfta anmälan före dess, "
                "annars går platsen till någon annan:"
            )
            % {"deadline": deadline}
            if held
            else _("Bekräfta anmälan senast %(deadline)s:") % {"deadline": deadline},
            confirm,
            "",
            _(
                "Har du inte anmält dig? Då behöver du inte göra något: anmälan upphör när tiden har gått ut, "
                "och du får inga fler meddelanden om den. Du kan också ta bort den direkt: %(url)s"
            )
            % {"url": cancel},
        ]
    )
    _send(registration, _("Bekräfta anmälan: %(event)s") % {"event": event.title}, body, with_calendar=False)


def send_registration_receipt(registration) -> None:
    event = registration.event
    cancel, _accept = _links(registration)
    body = "\n".join(
        [
            _("Din anmälan till %(event)s (%(start)s) har status: %(status)s.")
            % {"event": event.title, "start": _start(registration), "status": registration.get_status_display()},
            _("Anmälningskod för incheckning: %(code)s") % {"code": registration.code},
            _registered_as(registration),
            "",
            _("Avboka: %(url)s") % {"url": cancel},
        ]
    )
    _send(registration, _("Anmälan: %(event)s") % {"event": event.title}, body, with_calendar=True)


def send_offer(registration) -> None:
    cancel, accept = _links(registration)
    deadline = timezone.localtime(registration.offer_expires_at).strftime("%Y-%m-%d %H:%M")
    body = "\n".join(
        [
            _("En plats har blivit ledig på %(event)s (%(start)s).")
            % {"event": registration.event.title, "start": _start(registration)},
            _("Bekräfta senast %(deadline)s: %(url)s") % {"deadline": deadline, "url": accept},
            _("Vill du inte ha platsen: %(url)s") % {"url": cancel},
            "",
            _registered_as(registration),
        ]
    )
    _send(registration, _("Ledig plats: %(event)s") % {"event": registration.event.title}, body, with_calendar=True)


def send_reminder(registration) -> None:
    event = registration.event
    cancel, _accept = _links(registration)
    body = "\n".join(
        [
            _("Påminnelse: %(event)s börjar %(start)s.") % {"event": event.title, "start": _start(registration)},
            _("Anmälningskod för incheckning: %(code)s") % {"code": registration.code},
            _registered_as(registration),
            "",
            _("Kan du inte komma? Avboka så att platsen går till någon annan: %(url)s") % {"url": cancel},
        ]
    )
    _send(registration, _("Påminnelse: %(event)s") % {"event": event.title}, body, with_calendar=True)


def send_invitation(invitation) -> None:
    event = invitation.event
    url = _base_url().rstrip("/") + event.get_absolute_url() + "?inbjudan=" + invitation.token
    start = timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")
    body = "\n".join(
        [
            _("Hej %(name)s!") % {"name": invitation.name},
            "",
            _("Du är inbjuden till %(event)s (%(start)s).") % {"event": event.title, "start": start},
            _("Anmäl dig här: %(url)s") % {"url": url},
        ]
    )
    message = EmailMessage(subject=_("Inbjudan: %(event)s") % {"event": event.title}, body=body, to=[invitation.email])
    message.attach("evenemang.ics", calendar_for([event], base_url=_base_url(), name=event.title), "text/calendar")
    message.send(fail_silently=True)


def survey_url(survey, phase: str, registration) -> str:
    return _base_url().rstrip("/") + reverse(
        "meetings:survey-respond", args=[survey.pk, phase, registration.cancel_token]
    )


def send_survey(survey, phase: str, registrations) -> None:
    subject = _("Enkät: %(title)s") % {"title": survey.title}
    for registration in registrations:
        body = "\n".join(
            [
                _("Vi vill gärna veta vad du tycker om %(event)s. Svara här: %(url)s")
                % {"event": registration.event.title, "url": survey_url(survey, phase, registration)},
                "",
                _registered_as(registration),
            ]
        )
        _send(registration, subject, body, with_calendar=False)


def send_organiser_message(registrations, *, subject: str, body: str) -> None:
    """The organiser's message (services.registrants_message), one mail per registrant: Civsam's
    words first, naming the event, then the organiser's text between rules, then the registrant's
    own links."""
    for registration in registrations:
        event = registration.event
        cancel, _accept = _links(registration)
        text = "\n".join(
            [
                _("Arrangören av %(event)s (%(start)s) skickar det här meddelandet till dem som är anmälda via Civsam.")
                % {"event": event.title, "start": _start(registration)},
                "",
                "――――――――――",
                body,
                "――――――――――",
                "",
                _registered_as(registration),
                _("Vill du avboka? %(url)s") % {"url": cancel},
            ]
        )
        _send(
            registration,
            _("Meddelande om %(event)s: %(subject)s") % {"event": event.title, "subject": subject},
            text,
            with_calendar=False,
        )


def send_registration_moved(registration, *, from_event) -> None:
    """The organiser moved the registration: to another event (from_event is the old one), or to
    the end of the waitlist of the same event (from_event None). New links; a code only with a seat."""
    event = registration.event
    cancel, _accept = _links(registration)
    if from_event is None:
        first = _("Arrangören av %(event)s (%(start)s) har flyttat din anmälan till väntelistan.") % {
            "event": event.title,
            "start": _start(registration),
        }
    else:
        first = _("Arrangören har flyttat din anmälan från %(old)s till %(event)s (%(start)s).") % {
            "old": from_event.title,
            "event": event.title,
            "start": _start(registration),
        }
    lines = [first, _("Status: %(status)s.") % {"status": registration.get_status_display()}]
    if registration.status == registration.Status.CONFIRMED:
        lines.append(_("Anmälningskod för incheckning: %(code)s") % {"code": registration.code})
    lines += [_registered_as(registration), "", _("Avboka: %(url)s") % {"url": cancel}]
    _send(
        registration,
        _("Ändrad anmälan: %(event)s") % {"event": event.title},
        "\n".join(lines),
        with_calendar=registration.status == registration.Status.CONFIRMED,
    )
