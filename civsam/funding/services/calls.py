"""Writes to calls and call subscriptions, and the e-mails that tell subscribers a call opened."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, model_diff

from .. import permissions, schedule, selectors
from ..models import CallSubscription, FundingCall, FundingSource, Programme
from .programmes import call_budget_check, call_form_from_programme


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@dataclass(frozen=True)
class FundingCallData:
    source: FundingSource
    title: str
    schedule: str = FundingCall.Schedule.DATED
    description: str = ""
    opens_on: datetime.date | None = None
    deadline: datetime.date | None = None
    yearly_opens: str = ""
    yearly_deadline: str = ""
    url: str = ""
    # A call of a programme takes applications in Civsam, within its budget from the year's.
    programme: Programme | None = None
    budget: Decimal | None = None
    budget_year: int | None = None


FIELDS = (
    "title",
    "schedule",
    "description",
    "opens_on",
    "deadline",
    "yearly_opens",
    "yearly_deadline",
    "url",
    "budget",
    "budget_year",
)


def _call_state(call: FundingCall) -> dict:
    return {
        "source": call.source_id,
        "status": call.status,
        "programme": call.programme_id,
        **{name: getattr(call, name) for name in FIELDS},
    }


def _apply(call: FundingCall, data: FundingCallData) -> None:
    if data.programme is not None and data.programme.source_id != data.source.pk:
        raise ValidationError({"programme": _("Programmet hör till en annan finansieringskälla.")})
    if call.pk and call.programme_id != (data.programme.pk if data.programme else None) and call.applications.exists():
        raise ValidationError({"programme": _("Utlysningen har ansökningar; programmet kan inte bytas.")})
    call_budget_check(call, programme=data.programme, budget=data.budget, year=data.budget_year)
    call.source = data.source
    call.programme = data.programme
    for name in FIELDS:
        setattr(call, name, getattr(data, name))
    errors = {}
    if call.schedule == FundingCall.Schedule.YEARLY:
        for name in ("yearly_opens", "yearly_deadline"):
            if not schedule.valid_month_day(getattr(call, name)):
                errors[name] = _("Ange månad och dag som MM-DD, till exempel 03-15.")
    elif call.schedule == FundingCall.Schedule.DATED and call.deadline is None:
        errors["deadline"] = _("En utlysning med datum behöver en sista ansökningsdag.")
    if call.opens_on and call.deadline and call.opens_on > call.deadline:
        errors["opens_on"] = _("Utlysningen kan inte öppna efter sista ansökningsdagen.")
    if errors:
        raise ValidationError(errors)
    call.full_clean(exclude=["notified_for", "created_by"])
    call.save()
    call_form_from_programme(call)


@transaction.atomic
def funding_call_create(*, actor=None, data: FundingCallData) -> FundingCall:
    if actor is not None:
        _check(permissions.can_edit_funding_source(actor, data.source))
    call = FundingCall(created_by=actor if getattr(actor, "is_authenticated", False) else None)
    _apply(call, data)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=call, changes=model_diff({}, _call_state(call)))
    return call


@transaction.atomic
def funding_call_update(*, actor=None, call: FundingCall, data: FundingCallData) -> FundingCall:
    if actor is not None:
        _check(
            permissions.can_edit_funding_call(actor, call) and permissions.can_edit_funding_source(actor, data.source)
        )
    call = FundingCall.objects.select_for_update().select_related("source__funder").get(pk=call.pk)
    before = _call_state(call)
    _apply(call, data)
    changes = model_diff(before, _call_state(call))
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=call, changes=changes)
    if call.status == FundingCall.Status.PUBLISHED:
        _notify_if_opened(call, today=timezone.localdate())
    return call


@transaction.atomic
def funding_call_change_status(*, actor=None, call: FundingCall, status: str) -> FundingCall:
    """The one place a call's status changes, along FundingCall.WORKFLOW. Publishing a call that
    is open today tells its subscribers at once (after commit); one that opens later is told by
    `send_call_notices` on the day."""
    call = FundingCall.objects.select_for_update().select_related("source__funder").get(pk=call.pk)
    if actor is not None:
        _check(permissions.can_edit_funding_call(actor, call))
    before = call.status
    action = FundingCall.WORKFLOW.action(before, status)
    call.status = status
    call.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=call, changes={"status": [before, status]}, note=action)
    if status == FundingCall.Status.PUBLISHED:
        _notify_if_opened(call, today=timezone.localdate())
    return call


# --- Telling subscribers ------------------------------------------------------------------------


def _window(call: FundingCall, today: datetime.date) -> schedule.Window:
    return schedule.window(
        call.schedule,
        today=today,
        opens_on=call.opens_on,
        deadline=call.deadline,
        yearly_opens=call.yearly_opens,
        yearly_deadline=call.yearly_deadline,
    )


def _notify_if_opened(call: FundingCall, *, today: datetime.date) -> int:
    """Queue the e-mails for a call open today whose current window has not been announced.
    Inside the caller's transaction; the mails go on commit. Returns the number of recipients."""
    window = _window(call, today)
    if not schedule.is_open(call.status, window, today):
        return 0
    marker = window.opens or today
    if call.notified_for is not None and (window.opens is None or call.notified_for >= window.opens):
        return 0  # this window (or a continuous call) has been announced already
    call.notified_for = marker
    call.save(update_fields=["notified_for"])
    subscriptions = selectors.subscriptions_eligible_for(call)
    messages = [_notice(call, window, subscription) for subscription in subscriptions]
    if messages:
        transaction.on_commit(lambda: get_connection().send_messages(messages))
    return len(messages)


def _absolute(path: str) -> str:
    return settings.CIVSAM_BASE_URL.rstrip("/") + path


def _notice(call: FundingCall, window: schedule.Window, subscription: CallSubscription) -> EmailMessage:
    with translation.override("sv"):
        subject = _("Ny utlysning: %(title)s") % {"title": call.title}
        lines = [
            _("En utlysning som %(organisation)s kan söka har öppnat.")
            % {"organisation": subscription.organisation.name},
            "",
            f"{call.title} ({call.source.name}, {call.source.funder.name})",
        ]
        if window.deadline:
            lines.append(_("Sista ansökningsdag: %(date)s") % {"date": window.deadline.isoformat()})
        lines += [
            _("Läs mer: %(url)s") % {"url": _absolute(call.get_absolute_url())},
            "",
            _("Du får det här brevet eftersom adressen bevakar utlysningar för organisationen i Civsam.")
            + " "
            + _("Avsluta bevakningen: %(url)s")
            % {"url": _absolute(reverse("funding:unsubscribe", args=[subscription.token]))},
        ]
    return EmailMessage(subject=subject, body="\n".join(lines), to=[subscription.email])


def call_notices_send(*, today: datetime.date | None = None) -> int:
    """Announce every published call that is open today and whose window was not announced yet
    (the scheduler runs this daily: calls that open on a later day than they were published).
    Returns the number of e-mails queued."""
    today = today or timezone.localdate()
    sent = 0
    for call_id in FundingCall.objects.filter(status=FundingCall.Status.PUBLISHED).values_list("pk", flat=True):
        with transaction.atomic():
            call = FundingCall.objects.select_for_update().select_related("source__funder").get(pk=call_id)
            sent += _notify_if_opened(call, today=today)
    return sent


# --- Subscriptions ------------------------------------------------------------------------------


@transaction.atomic
def call_subscription_create(*, actor, organisation, email: str) -> CallSubscription:
    """Subscribe an address to the calls an organisation may apply for (idempotent per address)."""
    _check(permissions.can_manage_call_subscriptions(actor, organisation))
    email = email.strip()
    existing = CallSubscription.objects.filter(organisation=organisation, email__iexact=email).first()
    if existing is not None:
        return existing
    subscription = CallSubscription(
        organisation=organisation,
        email=email,
        token=secrets.token_urlsafe(32),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    subscription.full_clean(exclude=["token"])
    try:
        with transaction.atomic():
            subscription.save()
    except IntegrityError:  # a parallel request subscribed the same address first
        return CallSubscription.objects.get(organisation=organisation, email=email)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=subscription, changes={"email": [None, email]})
    return subscription


@transaction.atomic
def call_subscription_delete(*, actor=None, subscription: CallSubscription) -> None:
    """By someone who acts for the organisation, or (actor None) by the link in the e-mail."""
    if actor is not None:
        _check(permissions.can_manage_call_subscriptions(actor, subscription.organisation))
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=subscription,
        changes={"email": [subscription.email, None]},
    )
    subscription.delete()
