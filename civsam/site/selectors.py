"""What "Min sida" shows: the signed-in user's own things across the apps, read in a few queries.

The dashboard is the one page that gathers from every app, so the reads are collected here rather
than spread as single-use selectors over the apps; every query is narrowed by the user's own
scope (accounts.permissions) and reads only, as a selector does (docs/adr/0089-*)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from civsam.accounts.permissions import represented_organisation_ids
from civsam.impact.models import SocialValueAnalysis
from civsam.impact.selectors import analyses_mine
from civsam.meetings.models import NetworkMembership, Registration
from civsam.plan.models import Initiative
from civsam.registry.models import Organisation, RepresentationInvitation, RepresentationRequest
from civsam.registry.selectors import invitations_for, representation_requests_of, representation_requests_waiting

# How many rows each list shows; the rest is one link away (the list pages filter by organisation).
LIMIT = 20
REQUESTS_SHOWN_DAYS = 30


@dataclass
class MyPage:
    organisations: list[Organisation]
    initiatives: list[Initiative]
    registrations: list[Registration]
    past_registrations: int
    analyses: list[SocialValueAnalysis]
    memberships: list[NetworkMembership]
    todo: list[tuple[str, object]] = field(default_factory=list)
    # The user's own requests to represent an organisation (pending, or decided in the last
    # REQUESTS_SHOWN_DAYS days) and those waiting for their decision (ADR 0090).
    representation_requests: list[RepresentationRequest] = field(default_factory=list)
    requests_to_decide: list[RepresentationRequest] = field(default_factory=list)
    # Invitations to the user's verified addresses still open for an answer (ADR 0099).
    invitations: list[RepresentationInvitation] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.organisations or self.initiatives or self.registrations or self.analyses or self.memberships)


def my_organisations(user) -> QuerySet[Organisation]:
    """The organisations the user represents (not every one an officer may act for)."""
    return Organisation.objects.filter(pk__in=represented_organisation_ids(user)).order_by("name_key", "pk")


def my_initiatives(org_ids) -> QuerySet[Initiative]:
    """Initiatives the user's organisations lead or take part in."""
    return (
        Initiative.objects.filter(Q(lead_organisation_id__in=org_ids) | Q(partner_organisations__in=org_ids))
        .distinct()
        .select_related("status", "lead_organisation")
        .order_by("title", "pk")
    )


def my_registrations(user) -> QuerySet[Registration]:
    """The user's own registrations for events not yet over, soonest first."""
    return (
        Registration.objects.filter(user=user, event__ends_at__gte=timezone.now())
        .exclude(status__in=Registration.ENDED)
        .select_related("event")
        .order_by("event__starts_at", "pk")
    )


def my_memberships(org_ids) -> QuerySet[NetworkMembership]:
    return (
        NetworkMembership.objects.filter(
            organisation_id__in=org_ids,
            status__in=NetworkMembership.OPEN,
        )
        .select_related("network", "organisation")
        .order_by("network__name", "organisation__name")
    )


def my_page(user) -> MyPage:
    org_ids = represented_organisation_ids(user)
    registrations = list(my_registrations(user)[:LIMIT])
    past = Registration.objects.filter(user=user, event__ends_at__lt=timezone.now()).count()
    memberships = list(my_memberships(org_ids)[:LIMIT]) if org_ids else []
    analyses = list(analyses_mine(user=user)[:LIMIT])
    since = timezone.now() - datetime.timedelta(days=REQUESTS_SHOWN_DAYS)
    page = MyPage(
        organisations=list(my_organisations(user)) if org_ids else [],
        initiatives=list(my_initiatives(org_ids)[:LIMIT]) if org_ids else [],
        registrations=registrations,
        past_registrations=past,
        analyses=analyses,
        memberships=memberships,
        representation_requests=list(representation_requests_of(user, since=since)[:LIMIT]),
        requests_to_decide=list(representation_requests_waiting(user)[:LIMIT]),
        invitations=invitations_for(user)[:LIMIT],
    )
    # What needs doing: each entry a kind (for the template's wording) and the object.
    Status = Registration.Status
    for registration in registrations:
        if registration.status == Status.OFFERED:
            page.todo.append(("accept-offer", registration))
        elif registration.status in Registration.AWAITING_ADDRESS:
            page.todo.append(("confirm-address", registration))
    for membership in memberships:
        if membership.status == NetworkMembership.Status.INVITED:
            page.todo.append(("answer-invitation", membership))
    for analysis in analyses:
        if analysis.status == SocialValueAnalysis.Status.DRAFT and analysis.author_id == user.pk:
            page.todo.append(("finish-analysis", analysis))
    for initiative in page.initiatives:
        initiative.is_partner = initiative.lead_organisation_id not in org_ids
        if initiative.lead_organisation_id in org_ids and not initiative.is_verified:
            page.todo.append(("unverified-initiative", initiative))
    return page
