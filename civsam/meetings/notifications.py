"""E-mails to registrants, sent after the registration's transaction has committed."""

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


def _links(registration) -> tuple[str, str]:
    base = _base_url().rstrip("/")
    cancel = base + reverse("meetings:registration-cancel", args=[registration.cancel_token])
    accept = base + reverse("meetings:registration-accept", args=[registration.cancel_token])
    return cancel, accept


def send_registration_receipt(registration) -> None:
    event = registration.event
    cancel, _accept = _links(registration)
    start = timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")
    body = "\n".join(
        [
            _("Hej %(name)s!") % {"name": registration.name},
            "",
            _("Din anmälan till %(event)s (%(start)s) har status: %(status)s.")
            % {"event": event.title, "start": start, "status": registration.get_status_display()},
            _("Anmälningskod för incheckning: %(code)s") % {"code": registration.code},
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
            _("Hej %(name)s!") % {"name": registration.name},
            "",
            _("En plats har blivit ledig på %(event)s.") % {"event": registration.event.title},
            _("Bekräfta senast %(deadline)s: %(url)s") % {"deadline": deadline, "url": accept},
            _("Vill du inte ha platsen: %(url)s") % {"url": cancel},
        ]
    )
    _send(registration, _("Ledig plats: %(event)s") % {"event": registration.event.title}, body, with_calendar=True)


def send_reminder(registration) -> None:
    event = registration.event
    cancel, _accept = _links(registration)
    start = timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")
    body = "\n".join(
        [
            _("Hej %(name)s!") % {"name": registration.name},
            "",
            _("Påminnelse: %(event)s börjar %(start)s.") % {"event": event.title, "start": start},
            _("Anmälningskod för incheckning: %(code)s") % {"code": registration.code},
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
                _("Hej %(name)s!") % {"name": registration.name},
                "",
                _("Vi vill gärna veta vad du tycker. Svara här: %(url)s")
                % {"url": survey_url(survey, phase, registration)},
            ]
        )
        _send(registration, subject, body, with_calendar=False)
