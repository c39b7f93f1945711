"""Sending an application in (case number and receipt) and the steps after: withdrawal, the request
for completion and the start of the review."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ... import grants, permissions, rules
from ...models import Application, CaseSeries, Funder, GrantDecision
from .common import _check, locked, notify, status_set
from .drafts import call_open_for_applications, problems

# --- Sending in ---------------------------------------------------------------------------------


def _next_case_number(funder: Funder, year: int) -> str:
    """The funder's next case number of the year, under a lock on its series row. A new series
    starts after the highest serial of the year already in the register or among applications, so
    an imported or earlier number is never given twice."""
    series = CaseSeries.objects.select_for_update().filter(funder=funder, year=year).first()
    if series is None:
        highest = 0
        taken = list(GrantDecision.objects.filter(funder=funder).values_list("case_number", flat=True))
        taken += list(
            Application.objects.filter(call__source__funder=funder)
            .exclude(case_number="")
            .values_list("case_number", flat=True)
        )
        for number in taken:
            serial = grants.serial_of(number, year=year, code=funder.case_code, funder_key=funder.slug)
            highest = max(highest, serial or 0)
        try:
            with transaction.atomic():
                CaseSeries.objects.create(funder=funder, year=year, last=highest)
        except IntegrityError:
            pass  # another request made the series first; its row lock decides below
        series = CaseSeries.objects.select_for_update().get(funder=funder, year=year)
    series.last += 1
    series.save(update_fields=["last"])
    return grants.case_number(year=year, code=funder.case_code, serial=series.last, funder_key=funder.slug)


def _receipt(application: Application) -> None:
    with translation.override("sv"):
        notify(
            application,
            subject=_("Kvitto: ansökan %(case)s har kommit in") % {"case": application.case_number},
            lines=[
                _("Vi har tagit emot ansökan från %(organisation)s.") % {"organisation": application.organisation.name},
                "",
                _("Diarienummer: %(case)s") % {"case": application.case_number},
                _("Utlysning: %(call)s") % {"call": application.call.title},
                _("Rubrik: %(title)s") % {"title": application.title},
                _("Sökt belopp: %(amount)s kronor")
                % {"amount": rules.kronor(application.amount_applied or Decimal(0))},
                _("Inskickad: %(at)s")
                % {"at": timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M")},
                "",
                _("Ange diarienumret när du kontaktar oss om ansökan."),
            ],
        )


@transaction.atomic
def application_submit(*, actor, application: Application, today: datetime.date | None = None) -> Application:
    """Send the application in: every required answer given, the rules met, the call open (a
    completion may come after the deadline). The first time it gets a case number in the funder's
    form; the applicant gets a receipt by e-mail."""
    today = today or timezone.localdate()
    application = locked(application)
    if actor is not None:
        _check(permissions.acts_for_applicant(actor, application))
    completing = application.status == Application.Status.COMPLETION_REQUESTED
    if not application.is_editable:
        raise ValidationError(_("Ansökan är redan inskickad."))
    if not completing and not call_open_for_applications(application.call, today=today) and not application.is_demo:
        raise ValidationError(_("Utlysningen tar inte emot ansökningar nu."))
    found = problems(application)
    if found:
        raise ValidationError(found)
    if not application.case_number:
        application.case_number = _next_case_number(application.call.source.funder, today.year)
    application.submitted_at = timezone.now()
    application.save(update_fields=["case_number", "submitted_at", "updated_at"])
    status_set(application, Application.Status.SUBMITTED, actor=actor, note=application.case_number)
    _receipt(application)
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application) -> Application:
    application = locked(application)
    if actor is not None:
        _check(permissions.can_withdraw_application(actor, application))
    status_set(application, Application.Status.WITHDRAWN, actor=actor)
    return application


@transaction.atomic
def application_request_completion(*, actor, application: Application, note: str) -> Application:
    """The officer asks the applicant to complete the application; it opens for changes again."""
    application = locked(application)
    if actor is not None:
        _check(permissions.can_handle_application(actor, application))
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Skriv vad som ska kompletteras.")})
    status_set(application, Application.Status.COMPLETION_REQUESTED, actor=actor, note=note)
    application.completion_note = note
    application.save(update_fields=["completion_note", "updated_at"])
    with translation.override("sv"):
        notify(
            application,
            subject=_("Komplettera ansökan %(case)s") % {"case": application.case_number},
            lines=[
                _("Handläggaren ber er komplettera ansökan:"),
                "",
                note,
                "",
                _("Öppna ansökan, gör ändringarna och skicka in den igen."),
            ],
        )
    return application


@transaction.atomic
def application_start_review(*, actor, application: Application) -> Application:
    application = locked(application)
    if actor is not None:
        _check(permissions.can_handle_application(actor, application))
    status_set(application, Application.Status.IN_REVIEW, actor=actor)
    return application
