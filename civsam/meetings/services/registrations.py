"""Writes for registrations. Seat decisions are made under a lock on the event row, so capacity
and target-group quotas hold under any number of parallel registrations. Every change of a
registration's status goes through registration_status_change and Registration.WORKFLOW."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import notifications, permissions, questions, seating
from ..models import Conference, Event, EventQuestion, Invitation, Registration, TargetGroupQuota

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud at check-in


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _queue(event: Event):
    return event.registrations.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "id")


def _quotas(event: Event) -> dict[str, int]:
    return dict(TargetGroupQuota.objects.filter(conference__event_id=event.pk).values_list("target_group", "quota"))


def _group_taken(event: Event) -> dict[str, int]:
    rows = (
        event.registrations.filter(status__in=Registration.SEAT_HOLDING)
        .values("target_group")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["target_group"]: row["n"] for row in rows}


def _seat_counts(event: Event) -> tuple[int, int]:
    """(seats held, people waitlisted) in one query."""
    counts = event.registrations.aggregate(
        taken=Count("id", filter=Q(status__in=Registration.SEAT_HOLDING)),
        waiting=Count("id", filter=Q(status=Registration.Status.WAITLISTED)),
    )
    return counts["taken"], counts["waiting"]


def _offers_due(event: Event, quotas: dict[str, int], counts: tuple[int, int] | None = None) -> list[int]:
    """Ids of queued registrations that should be offered a seat now."""
    seats_taken, waiting = _seat_counts(event) if counts is None else counts
    if not waiting or (event.capacity is not None and seats_taken >= event.capacity):
        return []  # nobody waiting or no free seat: no need to read the queue
    queue = list(_queue(event).values_list("id", "target_group"))
    if not queue:
        return []
    return seating.pick_offers(
        capacity=event.capacity,
        seats_taken=seats_taken,
        queue=queue,
        group_taken=_group_taken(event) if quotas else {},
        quotas=quotas,
    )


def _seat_status(event: Event, *, target_group: str, requires_approval: bool, with_quotas: bool = True) -> str:
    """The new registration's status by the pure rule (seating.initial_status), from the counts under the lock."""
    quotas = _quotas(event) if with_quotas else {}
    counts = _seat_counts(event)
    return seating.initial_status(
        capacity=event.capacity,
        seats_taken=counts[0],
        requires_approval=requires_approval,
        queue_waiting=bool(_offers_due(event, quotas, counts)),
        group_is_full=bool(quotas) and seating.group_full(target_group, group_taken=_group_taken(event), quotas=quotas),
    )


def _event_questions(event: Event) -> list[questions.QuestionSpec]:
    return [
        questions.QuestionSpec(q.pk, q.label, q.kind, q.required, tuple(q.choices))
        for q in EventQuestion.objects.filter(event=event)
    ]


def _check_open(event: Event, now: datetime) -> None:
    if not event.is_public:
        raise ValidationError(_("Evenemanget är inte öppet för anmälan."))
    if event.registration_opens and now < event.registration_opens:
        raise ValidationError(_("Anmälan har inte öppnat än."))
    closes = event.registration_closes or event.starts_at
    if now > closes:
        raise ValidationError(_("Anmälan är stängd."))


def _invitation_for(event: Event, token: str | None) -> Invitation | None:
    if not token:
        if event.invitation_only:
            raise ValidationError(_("Evenemanget är bara öppet för inbjudna. Använd länken i din inbjudan."))
        return None
    invitation = Invitation.objects.filter(event=event, token=token).first()
    if invitation is None:
        raise ValidationError(_("Inbjudan gäller inte det här evenemanget."))
    if Registration.objects.filter(invitation=invitation).exclude(status=Registration.Status.CANCELLED).exists():
        raise ValidationError(_("Inbjudan har redan använts för en anmälan."))
    return invitation


def _check_conference_fields(event: Event, *, target_group: str, registration_type_id: int | None):
    """Returns (registration type or None, whether the event is a conference)."""
    conference = Conference.objects.filter(event_id=event.pk).first()
    if conference is None:
        return None, False
    registration_type = None
    if conference.registration_types.exists():
        if registration_type_id is None:
            raise ValidationError(_("Välj en anmälningstyp."))
        registration_type = conference.registration_types.filter(pk=registration_type_id).first()
        if registration_type is None:
            raise ValidationError(_("Anmälningstypen finns inte för den här konferensen."))
    if conference.quotas.exists() and not target_group:
        raise ValidationError(_("Ange vilken målgrupp du tillhör."))
    return registration_type, True


def registration_create(
    *,
    event_id: int,
    name: str,
    email: str,
    organisation=None,
    organisation_name: str = "",
    municipality=None,
    target_group: str = "",
    registration_type_id: int | None = None,
    answers: dict | None = None,
    invitation_token: str | None = None,
    user=None,
    services: list[str] | None = None,
    now: datetime | None = None,
) -> Registration:
    """Register one person. Returns the registration with its status (confirmed, waitlisted or
    awaiting approval). Safe under concurrency: the event row is locked while seats are counted."""
    now = now or timezone.now()
    for attempt in range(3):
        try:
            with transaction.atomic():
                # Checks that read only the event's settings come first, before the lock, so that
                # the lock is held for as short a time as possible.
                event = Event.objects.get(pk=event_id)
                _check_open(event, now)
                invitation = _invitation_for(event, invitation_token)
                registration_type, is_conference = _check_conference_fields(
                    event, target_group=target_group, registration_type_id=registration_type_id
                )
                cleaned, errors = questions.clean_answers(_event_questions(event), answers or {})
                if errors:
                    raise ValidationError(errors)
                event = Event.objects.select_for_update().get(pk=event_id)
                _check_open(event, now)  # the settings may have changed meanwhile
                # An invitation is the organiser's approval given in advance.
                status = _seat_status(
                    event,
                    target_group=target_group,
                    requires_approval=event.requires_approval and invitation is None,
                    with_quotas=is_conference,
                )
                registration = Registration(
                    event=event,
                    name=name,
                    email=email,
                    organisation=organisation,
                    organisation_name=organisation_name,
                    municipality=municipality,
                    target_group=target_group,
                    registration_type=registration_type,
                    invitation=invitation,
                    answers=cleaned,
                    user=user if getattr(user, "is_authenticated", False) else None,
                    status=status,
                    services=sorted(set(services or [])),
                    code=_new_code(),
                    cancel_token=secrets.token_urlsafe(32),
                )
                # The database enforces the constraints; validating them here would cost queries under the lock.
                registration.full_clean(
                    exclude=[
                        "code",
                        "cancel_token",
                        "event",
                        "invitation",
                        "registration_type",
                        "municipality",
                        "organisation",
                        "user",
                    ],
                    validate_unique=False,
                    validate_constraints=False,
                )
                registration.save()
                audit_log(actor=user, action=AuditEntry.Action.CREATE, obj=registration, note=f"event {event.pk}")
                transaction.on_commit(lambda r=registration: notifications.send_registration_receipt(r))
                return registration
        except IntegrityError:
            # A registration code collided (1 in 32^8); try again with a new one.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def registration_status_change(
    *, actor, registration: Registration, to: str, offer_expires_at: datetime | None = None
) -> Registration:
    """The one place a registration's status changes, along Registration.WORKFLOW (a
    ValidationError for a step the workflow lacks). An offer carries its deadline; every other
    status has none. Callers hold the event's row lock, so that seats are counted consistently."""
    before = registration.status
    Registration.WORKFLOW.action(before, to)
    if (to == Registration.Status.OFFERED) != (offer_expires_at is not None):
        raise ValueError("an offer, and only an offer, has a deadline")
    registration.status = to
    registration.offer_expires_at = offer_expires_at
    registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=registration, changes={"status": [before, to]})
    return registration


def _promote(event: Event, now: datetime) -> list[Registration]:
    """Offer freed seats to the head of the waitlist (quotas permitting), each with a deadline."""
    ids = _offers_due(event, _quotas(event))
    if not ids:
        return []
    by_id = Registration.objects.select_related("event").in_bulk(ids)
    promoted = [by_id[pk] for pk in ids]
    deadline = now + timedelta(hours=event.offer_window_hours)
    for registration in promoted:
        registration_status_change(
            actor=None, registration=registration, to=Registration.Status.OFFERED, offer_expires_at=deadline
        )
        transaction.on_commit(lambda r=registration: notifications.send_offer(r))
    return promoted


@transaction.atomic
def registration_cancel(*, cancel_token: str, now: datetime | None = None) -> Registration:
    """Self-service cancellation by the secret token from the confirmation e-mail."""
    now = now or timezone.now()
    registration = Registration.objects.select_related("event").filter(cancel_token=cancel_token).first()
    if registration is None:
        raise Registration.DoesNotExist(_("Ingen anmälan hittades för länken."))
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration.refresh_from_db()
    if registration.status == Registration.Status.CANCELLED:
        return registration
    registration_status_change(actor=None, registration=registration, to=Registration.Status.CANCELLED)
    _promote(event, now)
    return registration


def registration_accept_offer(*, cancel_token: str, now: datetime | None = None) -> Registration:
    now = now or timezone.now()
    registration = Registration.objects.filter(cancel_token=cancel_token).first()
    if registration is None:
        raise Registration.DoesNotExist(_("Ingen anmälan hittades för länken."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration.refresh_from_db()
        if registration.status != Registration.Status.OFFERED:
            raise ValidationError(_("Det finns inget erbjudande att svara på."))
        expired = registration.offer_expires_at < now
        if expired:
            # The expiry is kept (the seat goes to the next in line); the refusal comes after commit.
            registration_status_change(actor=None, registration=registration, to=Registration.Status.EXPIRED)
            _promote(event, now)
        else:
            registration_status_change(actor=None, registration=registration, to=Registration.Status.CONFIRMED)
            transaction.on_commit(lambda r=registration: notifications.send_registration_receipt(r))
    if expired:
        raise ValidationError(_("Tiden för att svara har gått ut."))
    return registration


def offers_expire(*, now: datetime | None = None) -> int:
    """Scheduled job: end offers past their deadline and pass the seats on. Returns offers ended."""
    now = now or timezone.now()
    ended = 0
    event_ids = set(
        Registration.objects.filter(status=Registration.Status.OFFERED, offer_expires_at__lt=now).values_list(
            "event_id", flat=True
        )
    )
    for event_id in sorted(event_ids):
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_id)
            for registration in event.registrations.filter(
                status=Registration.Status.OFFERED, offer_expires_at__lt=now
            ):
                registration_status_change(actor=None, registration=registration, to=Registration.Status.EXPIRED)
                ended += 1
            _promote(event, now)
    return ended


@transaction.atomic
def registration_decide(
    *, actor, registration: Registration, approve: bool, now: datetime | None = None
) -> Registration:
    """Approve or decline a registration that awaits approval."""
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    if actor is not None and not permissions.can_manage_event(actor, event):
        raise PermissionDenied(_("Du får inte hantera anmälningar till det här evenemanget."))
    registration.refresh_from_db()
    if registration.status != Registration.Status.AWAITING_APPROVAL:
        raise ValidationError(_("Anmälan väntar inte på godkännande."))
    if approve:
        new = _seat_status(event, target_group=registration.target_group, requires_approval=False)
    else:
        new = Registration.Status.DECLINED
    registration_status_change(actor=actor, registration=registration, to=new)
    if approve:
        transaction.on_commit(lambda r=registration: notifications.send_registration_receipt(r))
    return registration


@transaction.atomic
def registration_check_in(*, actor, event: Event, code: str, now: datetime | None = None) -> Registration:
    if actor is not None and not permissions.can_manage_event(actor, event):
        raise PermissionDenied(_("Du får inte checka in deltagare på det här evenemanget."))
    registration = event.registrations.filter(code=code.strip().upper()).first()
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("Ingen bekräftad anmälan med den koden."))
    if registration.checked_in_at is None:
        registration.checked_in_at = now or timezone.now()
        registration.save(update_fields=["checked_in_at", "updated_at"])
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=registration, changes={"checked_in": [False, True]})
    return registration
