"""Writes for events and registrations. Seat decisions are made under a lock on the event row."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from civsam.accounts.scopes import scope_for
from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from . import notifications, permissions, seating
from .models import Event, Network, NetworkMembership, NetworkRepresentative, Registration

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud at check-in


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


@transaction.atomic
def event_create(*, actor=None, priority_areas=(), **fields) -> Event:
    if actor is not None and not permissions.can_create_event(actor, organiser=fields.get("organiser")):
        raise PermissionDenied("Du får inte skapa evenemang för den arrangören.")
    event = Event(**fields)
    event.created_by = actor if getattr(actor, "is_authenticated", False) else None
    event.full_clean()
    event.save()
    if priority_areas:
        event.priority_areas.set(priority_areas)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=event)
    return event


def _queue(event: Event):
    return event.registrations.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "id")


def _seats_taken(event: Event) -> int:
    return event.registrations.filter(status__in=Registration.SEAT_HOLDING).count()


def registration_create(
    *,
    event_id: int,
    name: str,
    email: str,
    organisation=None,
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
                event = Event.objects.select_for_update().get(pk=event_id)
                _check_open(event, now)
                status = seating.initial_status(
                    capacity=event.capacity,
                    seats_taken=_seats_taken(event),
                    requires_approval=event.requires_approval,
                    queue_waiting=_queue(event).exists(),
                )
                registration = Registration(
                    event=event,
                    name=name,
                    email=email,
                    organisation=organisation,
                    user=user if getattr(user, "is_authenticated", False) else None,
                    status=status,
                    services=sorted(set(services or [])),
                    code=_new_code(),
                    cancel_token=secrets.token_urlsafe(32),
                )
                registration.full_clean(exclude=["code", "cancel_token", "event"])
                registration.save()
                audit_log(actor=user, action=AuditEntry.Action.CREATE, obj=registration, note=f"event {event.pk}")
                transaction.on_commit(lambda r=registration: notifications.send_registration_receipt(r))
                return registration
        except IntegrityError:
            # A registration code collided (1 in 32^8); try again with a new one.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _check_open(event: Event, now: datetime) -> None:
    if not event.is_public:
        raise ValidationError("Evenemanget är inte öppet för anmälan.")
    if event.registration_opens and now < event.registration_opens:
        raise ValidationError("Anmälan har inte öppnat än.")
    closes = event.registration_closes or event.starts_at
    if now > closes:
        raise ValidationError("Anmälan är stängd.")


def _promote(event: Event, now: datetime) -> list[Registration]:
    """Offer freed seats to the head of the waitlist, each with a deadline to accept."""
    count = seating.seats_to_offer(
        capacity=event.capacity, seats_taken=_seats_taken(event), queue_length=_queue(event).count()
    )
    promoted = list(_queue(event)[:count])
    deadline = now + timedelta(hours=event.offer_window_hours)
    for registration in promoted:
        registration.status = Registration.Status.OFFERED
        registration.offer_expires_at = deadline
        registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
        audit_log(
            actor=None, action=AuditEntry.Action.UPDATE, obj=registration, changes={"status": ["waitlisted", "offered"]}
        )
        transaction.on_commit(lambda r=registration: notifications.send_offer(r))
    return promoted


@transaction.atomic
def registration_cancel(*, cancel_token: str, now: datetime | None = None) -> Registration:
    """Self-service cancellation by the secret token from the confirmation e-mail."""
    now = now or timezone.now()
    registration = Registration.objects.select_related("event").filter(cancel_token=cancel_token).first()
    if registration is None:
        raise Registration.DoesNotExist("Ingen anmälan hittades för länken.")
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration.refresh_from_db()
    if registration.status == Registration.Status.CANCELLED:
        return registration
    before = registration.status
    registration.status = Registration.Status.CANCELLED
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
    audit_log(actor=None, action=AuditEntry.Action.UPDATE, obj=registration, changes={"status": [before, "cancelled"]})
    _promote(event, now)
    return registration


@transaction.atomic
def registration_accept_offer(*, cancel_token: str, now: datetime | None = None) -> Registration:
    now = now or timezone.now()
    registration = Registration.objects.filter(cancel_token=cancel_token).first()
    if registration is None:
        raise Registration.DoesNotExist("Ingen anmälan hittades för länken.")
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration.refresh_from_db()
    if registration.status != Registration.Status.OFFERED:
        raise ValidationError("Det finns inget erbjudande att svara på.")
    if registration.offer_expires_at < now:
        _expire(registration)
        _promote(event, now)
        raise ValidationError("Tiden för att svara har gått ut.")
    registration.status = Registration.Status.CONFIRMED
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
    audit_log(
        actor=None, action=AuditEntry.Action.UPDATE, obj=registration, changes={"status": ["offered", "confirmed"]}
    )
    return registration


def _expire(registration: Registration) -> None:
    registration.status = Registration.Status.EXPIRED
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
    audit_log(actor=None, action=AuditEntry.Action.UPDATE, obj=registration, changes={"status": ["offered", "expired"]})


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
                _expire(registration)
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
        raise PermissionDenied("Du får inte hantera anmälningar till det här evenemanget.")
    registration.refresh_from_db()
    if registration.status != Registration.Status.AWAITING_APPROVAL:
        raise ValidationError("Anmälan väntar inte på godkännande.")
    if approve:
        free = event.capacity is None or _seats_taken(event) < event.capacity
        new = Registration.Status.CONFIRMED if free and not _queue(event).exists() else Registration.Status.WAITLISTED
    else:
        new = Registration.Status.DECLINED
    registration.status = new
    registration.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=registration, changes={"status": ["awaiting_approval", new]}
    )
    return registration


@transaction.atomic
def registration_check_in(*, actor, event: Event, code: str, now: datetime | None = None) -> Registration:
    if actor is not None and not permissions.can_manage_event(actor, event):
        raise PermissionDenied("Du får inte checka in deltagare på det här evenemanget.")
    registration = event.registrations.filter(code=code.strip().upper()).first()
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        raise ValidationError("Ingen bekräftad anmälan med den koden.")
    if registration.checked_in_at is None:
        registration.checked_in_at = now or timezone.now()
        registration.save(update_fields=["checked_in_at", "updated_at"])
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=registration, changes={"checked_in": [False, True]})
    return registration


# Networks ---------------------------------------------------------------------------------------


@transaction.atomic
def network_create(*, actor=None, **fields) -> Network:
    if actor is not None and not scope_for(actor).is_staff_like:
        raise PermissionDenied("Du får inte skapa nätverk.")
    network = Network(**fields)
    network.full_clean()
    network.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=network)
    return network


@transaction.atomic
def membership_request(*, actor, network: Network, organisation) -> NetworkMembership:
    if actor is not None and not permissions.can_request_membership(actor, network, organisation):
        raise PermissionDenied("Du får inte ansöka om medlemskap för den organisationen.")
    if NetworkMembership.objects.filter(
        network=network, organisation=organisation, status__in=["requested", "active"]
    ).exists():
        raise ValidationError("Organisationen är redan medlem eller har redan ansökt.")
    membership = NetworkMembership.objects.create(network=network, organisation=organisation)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=membership)
    return membership


@transaction.atomic
def membership_decide(*, actor, membership: NetworkMembership, approve: bool, today=None) -> NetworkMembership:
    if actor is not None and not permissions.can_manage_network(actor, membership.network):
        raise PermissionDenied("Bara nätverkets samordnare kan besluta om medlemskap.")
    if membership.status != NetworkMembership.Status.REQUESTED:
        raise ValidationError("Ansökan är redan avgjord.")
    before = membership.status
    if approve:
        membership.status = NetworkMembership.Status.ACTIVE
        membership.joined_on = today or timezone.localdate()
    else:
        membership.status = NetworkMembership.Status.DECLINED
    membership.save(update_fields=["status", "joined_on", "updated_at"])
    audit_log(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=membership, changes={"status": [before, membership.status]}
    )
    return membership


@transaction.atomic
def membership_end(*, actor, membership: NetworkMembership, today=None) -> NetworkMembership:
    if actor is not None and not (
        permissions.can_manage_network(actor, membership.network)
        or membership.organisation_id in scope_for(actor).organisation_ids
    ):
        raise PermissionDenied("Du får inte avsluta medlemskapet.")
    membership.status = NetworkMembership.Status.ENDED
    membership.ended_on = today or timezone.localdate()
    membership.save(update_fields=["status", "ended_on", "updated_at"])
    membership.representatives.filter(ends_on__isnull=True).update(ends_on=membership.ended_on)
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=membership, changes={"status": ["active", "ended"]})
    return membership


@transaction.atomic
def representative_add(
    *, actor, membership: NetworkMembership, name: str, position: str, starts_on, ends_on=None
) -> NetworkRepresentative:
    if actor is not None and not (
        permissions.can_manage_network(actor, membership.network)
        or membership.organisation_id in scope_for(actor).organisation_ids
    ):
        raise PermissionDenied("Du får inte ändra representanter för medlemskapet.")
    if membership.status != NetworkMembership.Status.ACTIVE:
        raise ValidationError("Representanter kan bara läggas till för aktiva medlemmar.")
    representative = NetworkRepresentative(
        membership=membership, name=name, position=position, starts_on=starts_on, ends_on=ends_on
    )
    representative.full_clean()
    representative.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=representative, note=f"network {membership.network_id}")
    return representative
