"""Creating a registration: the checks, the initial status and taking a seat on the hot path
(ADR 0079); the largest part of the registrations services, kept apart from the later steps."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from ... import notifications, questions
from ...models import Conference, Event, EventQuestion, EventSeats, Invitation, Registration
from . import hot_path
from .seats import _seat_status, _take_seat, ensure_seats, lock_seats

Status = Registration.Status
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud at check-in
# How long a seat is held for an address that is not yet confirmed.
HOLD = timedelta(minutes=30)


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


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
    if Registration.objects.filter(invitation=invitation).exclude(status=Status.CANCELLED).exists():
        raise ValidationError(_("Inbjudan har redan använts för en anmälan."))
    return invitation


_EVENT_SQL = (
    "SELECT e.*,"
    " EXISTS (SELECT 1 FROM meetings_eventseats s WHERE s.event_id = e.id) AS has_seats,"
    " EXISTS (SELECT 1 FROM meetings_conference c WHERE c.event_id = e.id) AS has_conference,"
    " EXISTS (SELECT 1 FROM meetings_eventquestion q WHERE q.event_id = e.id) AS has_questions,"
    " EXISTS (SELECT 1 FROM meetings_targetgroupquota t JOIN meetings_conference c"
    " ON c.id = t.conference_id WHERE c.event_id = e.id) AS has_quotas,"
    # Has the address an active registration for the event (one per address without signing in)?
    " EXISTS (SELECT 1 FROM meetings_registration r WHERE r.event_id = e.id AND LOWER(r.email) = %s"
    " AND r.status NOT IN (%s, %s, %s)) AS address_taken"
    " FROM meetings_event e WHERE e.id = %s"
)


def _event_to_register_for(event_id: int, *, email: str, public_only: bool = False) -> Event:
    """The event, whether it has a counter row, a conference, questions or quotas, and whether
    `email` is already registered to it, in one query: a registration for an event without them
    reads nothing more before it writes. With `public_only` an unpublished event is not found (what
    events_visible_to gives those not signed in)."""
    sql = _EVENT_SQL + (" AND e.is_public" if public_only else "")
    params = [email.strip().lower(), *(s.value for s in Registration.ENDED), event_id]
    event = next(iter(Event.objects.raw(sql, params)), None)
    if event is None:
        raise Event.DoesNotExist
    for flag in ("has_seats", "has_conference", "has_questions", "has_quotas", "address_taken"):
        setattr(event, flag, bool(getattr(event, flag)))  # SQLite answers 0 or 1
    return event


def _check_conference_fields(event: Event, *, target_group: str, registration_type_id: int | None):
    """Returns (registration type or None, whether the event has target-group quotas), for an event
    read by _event_to_register_for."""
    if not event.has_conference:
        return None, False
    conference = Conference.objects.get(event_id=event.pk)
    registration_type = None
    if conference.registration_types.exists():
        if registration_type_id is None:
            raise ValidationError(_("Välj en anmälningstyp."))
        registration_type = conference.registration_types.filter(pk=registration_type_id).first()
        if registration_type is None:
            raise ValidationError(_("Anmälningstypen finns inte för den här konferensen."))
    if event.has_quotas and not target_group:
        raise ValidationError(_("Ange vilken målgrupp du tillhör."))
    return registration_type, event.has_quotas


def _address_taken(event: Event, email: str) -> bool:
    """Has the address an active registration for the event (one per address without signing in)?
    For a registration moved here (moving.py); a new one reads it with the event."""
    active = Registration.objects.filter(event_id=event.pk, email__iexact=email.strip())
    return active.exclude(status__in=[s.value for s in Registration.ENDED]).exists()


def _already_registered() -> ValidationError:
    return ValidationError(
        _("Den e-postadressen är redan anmäld till evenemanget. Se e-postmeddelandet om anmälan."),
        code="already_registered",
    )


# Creating a registration ---------------------------------------------------------------------------


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
    public_only: bool = False,
) -> Registration:
    """Register one person and return the registration with its status.

    Signed in (`user`), or with an invitation sent to `email`: confirmed, waitlisted or awaiting
    approval at once, and a receipt is mailed. Otherwise the address is not known to be the
    registrant's: held (a seat kept until `confirm_by`) or unconfirmed (no seat free, or the organiser
    approves), and only the request to confirm the address is mailed; registration_confirm decides
    the rest. One registration per address and event for those not signed in.

    With `public_only` an unpublished event raises Event.DoesNotExist, as for someone who cannot
    see it (the API's callers who are not signed in: the visibility check costs no query of its own)."""
    now = now or timezone.now()
    signed_in = bool(getattr(user, "is_authenticated", False))
    for attempt in range(3):
        try:
            return _create(
                event_id=event_id,
                name=name,
                email=email,
                organisation=organisation,
                organisation_name=organisation_name,
                municipality=municipality,
                target_group=target_group,
                registration_type_id=registration_type_id,
                answers=answers,
                invitation_token=invitation_token,
                user=user if signed_in else None,
                services=services,
                now=now,
                public_only=public_only,
            )
        except IntegrityError:
            if (
                Registration.objects.filter(event_id=event_id, status__in=Registration.AWAITING_ADDRESS)
                .alias(address=Lower("email"))
                .filter(address=email.strip().lower())
                .exists()
            ):
                raise _already_registered() from None
            # A registration code collided (1 in 32^8); try again with a new one.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _create(
    *,
    event_id,
    name,
    email,
    invitation_token,
    user,
    target_group,
    registration_type_id,
    answers,
    now,
    services,
    public_only,
    **fields,
) -> Registration:
    """registration_create's work. The initial status is decided here (the workflow's steps start
    from it). Everything that only reads comes first, outside the transaction (which makes no read
    here more consistent: nothing is locked before the writes); the writes are one transaction, or
    on PostgreSQL's hot path one statement (ADR 0094); the counter row is touched last."""
    event = _event_to_register_for(event_id, email=email, public_only=public_only)
    _check_open(event, now)
    invitation = _invitation_for(event, invitation_token)
    registration_type, has_quotas = _check_conference_fields(
        event, target_group=target_group, registration_type_id=registration_type_id
    )
    cleaned, errors = questions.clean_answers(_event_questions(event) if event.has_questions else [], answers or {})
    if errors:
        raise ValidationError(errors)
    address_confirmed = user is not None or (
        invitation is not None and invitation.email.strip().lower() == email.strip().lower()
    )
    if not address_confirmed and event.address_taken:
        raise _already_registered()
    if not event.has_seats:
        ensure_seats(event.pk)
    # An invitation is the organiser's approval given in advance.
    requires_approval = event.requires_approval and invitation is None
    registration = Registration(
        event=event,
        name=name,
        email=email,
        target_group=target_group,
        registration_type=registration_type,
        invitation=invitation,
        answers=cleaned,
        user=user,
        services=sorted(set(services or [])),
        code=_new_code(),
        cancel_token=secrets.token_urlsafe(32),
        **fields,
    )
    if not address_confirmed:
        registration.confirm_token = secrets.token_urlsafe(32)
        registration.confirm_by = now + HOLD
    # The database enforces the constraints; validating them here would cost queries.
    registration.full_clean(
        exclude=[
            *("code", "cancel_token", "confirm_token", "event", "invitation", "registration_type"),
            *("municipality", "organisation", "user", "status"),
        ],
        validate_unique=False,
        validate_constraints=False,
    )
    note = f"event {event.pk}"
    if hot_path.applies(
        event=event, address_confirmed=address_confirmed, has_quotas=has_quotas, requires_approval=requires_approval
    ):
        registration.status = hot_path.insert_held_or_unconfirmed(registration, note=note)
        _notify(registration, address_confirmed)
        return registration
    with transaction.atomic():
        return _write(
            event,
            registration,
            user=user,
            target_group=target_group,
            address_confirmed=address_confirmed,
            has_quotas=has_quotas,
            requires_approval=requires_approval,
            note=note,
        )


def _write(
    event: Event,
    registration: Registration,
    *,
    user,
    target_group: str,
    address_confirmed: bool,
    has_quotas: bool,
    requires_approval: bool,
    note: str,
) -> Registration:
    """The writes of _create through the ORM, in its transaction: every registration but the hot
    path's, and every registration on SQLite."""
    if has_quotas:
        status = _decide_under_lock(event, target_group=target_group, requires_approval=requires_approval)
        registration.status = _pending(status) if not address_confirmed else status
        registration.save()
        _count_new(event.pk, registration.status)
        _created(registration, user, address_confirmed, note)
        return registration
    if requires_approval:
        registration.status = Status.AWAITING_APPROVAL if address_confirmed else Status.UNCONFIRMED
        registration.save()
        _created(registration, user, address_confirmed, note)
        return registration
    # Written first as if a seat were free; the seat is then taken (or not) as the last statement,
    # so that the counter row's lock lasts only from that UPDATE to the commit.
    registration.status = Status.CONFIRMED if address_confirmed else Status.HELD
    registration.save()
    _created(registration, user, address_confirmed, note)
    if not _take_seat(event):
        registration.status = Status.WAITLISTED if address_confirmed else Status.UNCONFIRMED
        registration.save(update_fields=["status"])
        _count_new(event.pk, registration.status)
    return registration


def _pending(status: str) -> str:
    """What a decision becomes while the address is unconfirmed: a seat is held; anything else waits."""
    return Status.HELD if status == Status.CONFIRMED else Status.UNCONFIRMED


def _decide_under_lock(event: Event, *, target_group: str, requires_approval: bool) -> str:
    seats = lock_seats(event.pk)
    return _seat_status(event, seats, target_group=target_group, requires_approval=requires_approval)


def _count_new(event_id: int, status: str) -> None:
    """Count a new registration's status on the counter row (the fast path counted its seat itself)."""
    taken, waiting = int(status in Registration.SEAT_HOLDING), int(status == Status.WAITLISTED)
    if taken or waiting:
        EventSeats.objects.filter(pk=event_id).update(taken=F("taken") + taken, waiting=F("waiting") + waiting)


def _created(registration: Registration, user, address_confirmed: bool, note: str) -> None:
    audit_log(actor=user, action=AuditEntry.Action.CREATE, obj=registration, note=note)
    _notify(registration, address_confirmed)


def _notify(registration: Registration, address_confirmed: bool) -> None:
    """The mail after the commit (at once when there is no transaction: the hot path's statement
    has committed)."""
    if address_confirmed:
        transaction.on_commit(lambda r=registration: notifications.send_registration_receipt(r))
    else:
        transaction.on_commit(lambda r=registration: notifications.send_address_confirmation(r))
