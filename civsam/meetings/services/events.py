"""Writes for events: creating and changing one, with the plan's initiatives it belongs to."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from civsam.core.models import AuditEntry, Consequence, Municipality
from civsam.core.services import audit_log
from civsam.plan.models import Initiative, PriorityArea
from civsam.registry.models import Organisation

from .. import permissions
from ..models import Event, Network


@dataclasses.dataclass(frozen=True, kw_only=True)
class EventDetails:
    """An event's own fields, as the form and the API give them (defaults as the model's)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    agenda: str = ""
    network: Network | None = None
    organiser: Organisation | None = None
    mode: str = Event.Mode.IN_PERSON
    place: str = ""
    municipality: Municipality | None = None
    online_url: str = ""
    capacity: int | None = None
    registration_opens: datetime | None = None
    registration_closes: datetime | None = None
    requires_approval: bool = False
    invitation_only: bool = False
    offer_window_hours: int = 48
    is_public: bool = True
    # The assessed consequences for the environment, children and gender equality (ADR 0123).
    environment_assessment: str = Consequence.NOT_ASSESSED
    environment_note: str = ""
    children_assessment: str = Consequence.NOT_ASSESSED
    children_note: str = ""
    gender_assessment: str = Consequence.NOT_ASSESSED
    gender_note: str = ""

    @classmethod
    def of(cls, event: Event) -> EventDetails:
        return cls(**{f.name: getattr(event, f.name) for f in dataclasses.fields(cls)})

    def apply_to(self, event: Event) -> dict[str, list[str]]:
        """Set the fields on `event`; returns what changed, as [before, after] texts."""
        changes = {}
        for field in dataclasses.fields(self):
            before, after = getattr(event, field.name), getattr(self, field.name)
            if before != after:
                changes[field.name] = [str(before), str(after)]
                setattr(event, field.name, after)
        return changes


# The event's own fields that bind it to a body, with the rule for naming (or removing) that body
# and what a refusal says. Priority areas are named, not bound: they belong to no body.
BINDINGS = (
    (
        "organiser",
        permissions.can_name_event_organiser,
        _lazy("Du får inte knyta evenemang till eller från ”%(body)s”: du företräder inte organisationen."),
    ),
    (
        "municipality",
        permissions.can_name_event_municipality,
        _lazy("Du får inte knyta evenemang till eller från %(body)s: du handlägger inte för kommunen."),
    ),
    (
        "network",
        permissions.can_place_event_in_network,
        _lazy("Du får inte lägga evenemang i eller ta dem ur ”%(body)s”: bara nätverkets samordnare får det."),
    ),
)


def _check_bindings(actor, before: EventDetails | None, after: EventDetails) -> None:
    """Every body the event is bound to or taken away from must be one the actor may bind it to;
    bindings left as they were need nothing."""
    for field, allowed, refusal in BINDINGS:
        old, new = (getattr(before, field) if before is not None else None), getattr(after, field)
        if old == new:
            continue
        for body in (old, new):
            if body is not None and not allowed(actor, body):
                raise PermissionDenied(str(refusal) % {"body": body})


def _initiative_label(initiative: Initiative) -> str:
    return f"{initiative.title} (#{initiative.pk})"


def _initiatives_to_keep(actor, event: Event | None, wanted: Iterable[Initiative]) -> list[Initiative]:
    """The initiatives the event will belong to. Linking or unlinking one needs the right to change
    it; links the actor may not change stay as they are, so that editing other things never drops them."""
    with_leads = Initiative.objects.select_related("lead_organisation", "lead_municipality")
    wanted = with_leads.in_bulk([i.pk for i in wanted])
    existing = with_leads.in_bulk(event.initiatives.values_list("pk", flat=True)) if event is not None else {}
    if actor is None:
        return list(wanted.values())
    refused = [i for pk, i in wanted.items() if pk not in existing and not permissions.can_link_initiative(actor, i)]
    if refused:
        raise ValidationError(
            {
                "initiatives": _("Du får inte koppla mötet till %(titles)s: du får inte ändra de insatserna.")
                % {"titles": ", ".join(f"”{i.title}”" for i in refused)}
            }
        )
    kept = [i for pk, i in existing.items() if pk not in wanted and not permissions.can_link_initiative(actor, i)]
    return [*wanted.values(), *kept]


def _set_initiatives(actor, event: Event, wanted: Iterable[Initiative], changes: dict) -> None:
    """Link the event to the initiatives and record the change of links in `changes`."""
    before = sorted(_initiative_label(i) for i in event.initiatives.all())
    linked = _initiatives_to_keep(actor, event, wanted)
    event.initiatives.set(linked)
    after = sorted(_initiative_label(i) for i in linked)
    if before != after:
        changes["initiatives"] = [before, after]


@transaction.atomic
def event_create(
    *,
    actor,
    details: EventDetails,
    priority_areas: Iterable[PriorityArea] = (),
    initiatives: Iterable[Initiative] = (),
) -> Event:
    if actor is not None and not permissions.can_create_event(actor, organiser=details.organiser):
        raise PermissionDenied(_("Du får inte skapa evenemang för den arrangören."))
    if actor is not None:
        _check_bindings(actor, None, details)
    event = Event(created_by=actor if getattr(actor, "is_authenticated", False) else None)
    details.apply_to(event)
    event.full_clean()
    event.save()
    event.priority_areas.set(list(priority_areas))
    changes: dict = {}
    _set_initiatives(actor, event, initiatives, changes)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=event, changes=changes)
    return event


@transaction.atomic
def event_update(
    *,
    actor,
    event: Event,
    details: EventDetails | None = None,
    priority_areas: Iterable[PriorityArea] | None = None,
    initiatives: Iterable[Initiative] | None = None,
) -> Event:
    """Change the event's fields, priority areas and initiatives; None leaves that part as it is."""
    if actor is not None and not permissions.can_manage_event(actor, event):
        raise PermissionDenied(_("Du får inte ändra det här evenemanget."))
    if actor is not None and details is not None:
        _check_bindings(actor, EventDetails.of(event), details)
    changes = details.apply_to(event) if details is not None else {}
    event.full_clean()
    event.save()
    if priority_areas is not None:
        event.priority_areas.set(list(priority_areas))
    if initiatives is not None:
        _set_initiatives(actor, event, initiatives, changes)
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=event, changes=changes)
    return event
