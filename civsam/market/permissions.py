"""Who may do what in the market, with procurement records and with spend files.

Built on the one permission seam (civsam.accounts.permissions):
- an offer is its organisation's: those who act for the organisation (its representatives, the
  officers of its home municipality, region administrators) publish it and keep it current;
  published offers of listed organisations are public, and anyone may write to the organisation
  through the platform;
- a procurement record and a spend file are a public buyer's: those who act for the buyer (for a
  municipality its officers; for the Region or a municipal company in the register, those who act
  for that organisation) enter them. Procurement records and the share of spend are public;
- naming a buyer binds the record to it, so the writer must act for that buyer.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from civsam.accounts import permissions as seam
from civsam.core.models import Municipality
from civsam.registry.models import Organisation

from .models import Buyer, Offer, Procurement

# --- Offers -------------------------------------------------------------------------------------


def can_publish_offer_for(user, organisation: Organisation | None) -> bool:
    return organisation is not None and seam.acts_for_organisation(user, organisation)


def can_edit_offer(user, offer: Offer) -> bool:
    return seam.acts_for_organisation(user, offer.organisation)


def organisations_offering_for(user) -> QuerySet[Organisation]:
    """The organisations the user may publish offers for (not public bodies)."""
    if not seam.acts_for_some_organisation(user):
        return Organisation.objects.none()
    qs = Organisation.objects.exclude(sector=Organisation.Sector.PUBLIC).filter(listing=Organisation.Listing.LISTED)
    return seam.narrow(qs, seam.organisations_actable_q(user))


def offers_visible_to(user) -> QuerySet[Offer]:
    """Published offers of listed organisations for everyone; unpublished ones for those who keep them."""
    qs = Offer.objects.all()
    if seam.acts_for_region(user):
        return qs
    condition = Q(is_published=True, organisation__listing=Organisation.Listing.LISTED)
    if seam.acts_for_some_organisation(user):
        own = seam.organisations_actable_q(user, via="organisation")
        if own is not None:
            condition |= own
    return qs.filter(condition)


def can_view_offer(user, offer: Offer) -> bool:
    if offer.is_published and offer.organisation.listing == Organisation.Listing.LISTED:
        return True
    return can_edit_offer(user, offer)


def can_contact_offer(user, offer: Offer) -> bool:
    """Anyone who can see a published offer may write to the organisation behind it."""
    return offer.is_published and can_view_offer(user, offer)


# --- Buyers -------------------------------------------------------------------------------------


def acts_for_buyer(user, buyer: Buyer | None) -> bool:
    if buyer is None:
        return False
    if buyer.municipality_id is not None:
        return seam.acts_for_municipality(user, buyer.municipality_id)
    return buyer.organisation.sector == Organisation.Sector.PUBLIC and seam.acts_for_organisation(
        user, buyer.organisation
    )


def buyer_municipalities_for(user) -> QuerySet[Municipality]:
    return (
        seam.municipalities_actable_by(user) if seam.acts_for_some_municipality(user) else Municipality.objects.none()
    )


def buyer_organisations_for(user) -> QuerySet[Organisation]:
    """Public organisations (the Region, municipal companies) the user may act for as a buyer."""
    if not seam.acts_for_some_organisation(user):
        return Organisation.objects.none()
    qs = Organisation.objects.filter(sector=Organisation.Sector.PUBLIC)
    return seam.narrow(qs, seam.organisations_actable_q(user))


def acts_for_some_buyer(user) -> bool:
    return seam.acts_for_some_municipality(user) or buyer_organisations_for(user).exists()


# --- Procurement --------------------------------------------------------------------------------


def can_record_procurement_for(user, buyer: Buyer | None) -> bool:
    return acts_for_buyer(user, buyer)


def can_edit_procurement(user, procurement: Procurement) -> bool:
    return acts_for_buyer(user, procurement.buyer)


def procurements_visible_to(user) -> QuerySet[Procurement]:
    """Procurement records are public (offentlighetsprincipen)."""
    return Procurement.objects.all()


# --- Spend --------------------------------------------------------------------------------------


def can_upload_spend_for(user, buyer: Buyer | None) -> bool:
    return acts_for_buyer(user, buyer)
