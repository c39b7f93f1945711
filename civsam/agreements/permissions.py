"""Who may do what with agreements: pairs of can_<verb>(user, obj) and <things>_visible_to(user), on
the permission seam (civsam.accounts.permissions).

An agreement is run by those who act for its responsible party (its owner) or for a party that has
accepted, and by region administrators. Naming the owner or the municipality binds the agreement
to that body, so it needs acting for it. Naming a party binds the agreement to that party too: the
party is a party at once when the user acts for it; otherwise it is invited and becomes a party
when someone who acts for it accepts (ADR 0131). The legal assessment and signing are recorded by
staff (region administrators and municipal officers) who may run the agreement; the public sees
signed agreements that are public.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from civsam.accounts.permissions import (
    acts_for_municipality,
    acts_for_organisation,
    acts_for_region,
    acts_for_some_organisation,
    is_authenticated,
    is_staff,
    municipalities_actable_by,
    narrow,
    organisations_actable_q,
)
from civsam.core.models import Municipality
from civsam.registry.models import Organisation

from .models import Agreement, Party


def _run_by_q(user) -> Q | None:
    """Agreements whose owner, or one of whose accepted parties, the user acts for (None: all)."""
    owner = organisations_actable_q(user, via="owner")
    if owner is None:
        return None
    accepted = narrow(
        Party.objects.filter(status=Party.Status.ACCEPTED), organisations_actable_q(user, via="organisation")
    )
    return owner | Q(Exists(accepted.filter(agreement=OuterRef("pk"))))


def public_agreements() -> QuerySet[Agreement]:
    return Agreement.objects.filter(is_public=True, status__in=Agreement.SIGNED)


def agreements_visible_to(user) -> QuerySet[Agreement]:
    """Signed public agreements, and every agreement the user runs or is invited to."""
    if acts_for_region(user):
        return Agreement.objects.all()
    condition = Q(is_public=True, status__in=Agreement.SIGNED)
    if is_authenticated(user):
        owner = organisations_actable_q(user, via="owner") or Q()
        # Any party the user acts for, accepted or invited: the invited party reads what it is asked to join.
        parties = narrow(Party.objects.all(), organisations_actable_q(user, via="organisation"))
        condition |= owner | Q(Exists(parties.filter(agreement=OuterRef("pk"))))
    return Agreement.objects.filter(condition)


def agreements_run_by(user) -> QuerySet[Agreement]:
    return narrow(Agreement.objects.all(), _run_by_q(user))


def can_create_some_agreement(user) -> bool:
    return acts_for_some_organisation(user)


def can_name_agreement_owner(user, organisation: Organisation | None) -> bool:
    """Make the organisation an agreement's responsible party, or take it away: act for it."""
    return organisation is not None and acts_for_organisation(user, organisation)


def can_name_agreement_municipality(user, municipality: Municipality | None) -> bool:
    """Say an agreement concerns the municipality, or not any more: act for it (none: anyone)."""
    return municipality is None or acts_for_municipality(user, municipality)


def municipalities_for(user) -> QuerySet[Municipality]:
    return municipalities_actable_by(user)


def agreement_owners_for(user) -> QuerySet[Organisation]:
    return narrow(Organisation.objects.all(), organisations_actable_q(user)).order_by("name_key")


def can_view_agreement(user, agreement: Agreement) -> bool:
    return agreements_visible_to(user).filter(pk=agreement.pk).exists()


def can_manage_agreement(user, agreement: Agreement) -> bool:
    """Change the agreement and its parts: act for its owner or an accepted party."""
    if acts_for_region(user) or acts_for_organisation(user, agreement.owner):
        return True
    if not is_authenticated(user):
        return False
    return any(
        acts_for_organisation(user, p.organisation)
        for p in agreement.parties.filter(status=Party.Status.ACCEPTED).select_related("organisation")
    )


def party_joins_at_once(user, organisation: Organisation) -> bool:
    """Naming this party: does it join at once (the user acts for it) or is it invited?"""
    return acts_for_organisation(user, organisation)


def can_answer_party_invitation(user, party: Party) -> bool:
    return party.status == Party.Status.INVITED and acts_for_organisation(user, party.organisation)


def can_record_for_party(user, party: Party) -> bool:
    """State a party's contribution or name its group members: act for that party, or run the
    agreement as its owner (the owner keeps the agreement's record of what each party brings)."""
    return acts_for_organisation(user, party.organisation) or acts_for_organisation(user, party.agreement.owner)


def can_assess_agreement(user, agreement: Agreement) -> bool:
    """Record the legal assessment and sign: staff who run the agreement."""
    return is_staff(user) and can_manage_agreement(user, agreement)


def can_take_step(user, agreement: Agreement, action: str) -> bool:
    """May the user take this workflow step? Signing is staff's; the rest is the agreement's people's."""
    if action == "sign":
        return can_assess_agreement(user, agreement)
    return can_manage_agreement(user, agreement)


def can_report_on_agreement(user, agreement: Agreement) -> bool:
    """Write the yearly follow-up (once signed, which the service checks): the agreement's people."""
    return can_manage_agreement(user, agreement)
