"""Object-level authorisation between two organisations, for every operation of the API (issue #11).

The table below has one row per operation in the OpenAPI document; an operation without a row fails
`test_every_operation_has_a_row`, so a new endpoint is placed on purpose. A row is either

- `Public`: the operation reads nothing that is any organisation's alone (with the reason), or
- probes: requests on organisation A's objects, or binding an object to A (the lead of an initiative,
  the organiser of an event, the owner of an analysis, the parent of an initiative). B's
  representative gets 403 or 404 for each; A's representative gets the answer the row names, so that
  the refusal is about who asks, not about a request that fails for everyone.
- `Listing`: a list in which A's non-public object appears for A and not for B.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from .conftest import World
from .support import operations, session_client

REFUSED = {403, 404}


@dataclass(frozen=True)
class Public:
    reason: str


@dataclass(frozen=True)
class Probe:
    method: str
    url: Callable[[World], str]
    body: Callable[[World], dict[str, Any]] | None = None
    owner: int | None = 200  # what A's representative gets; None: the request is refused to everyone
    refused: frozenset[int] = frozenset(REFUSED)


@dataclass(frozen=True)
class Listing:
    url: str
    key: str  # the item property that names the object
    value: Callable[[World], Any]


@dataclass(frozen=True)
class Row:
    checks: list[Probe | Listing] = field(default_factory=list)



def _market_offer_a(world: World, *, published: bool = True):
    """An offer of A's (unpublished: only A's people see it), made once per world."""
    key = "_market_offer_a" if published else "_market_hidden_offer_a"
    if not hasattr(world, key):
        from civsam.core.models import Municipality
        from civsam.market import services as market_services

        offer = market_services.offer_create(
            actor=None,
            organisation=world.org_a,
            data=market_services.OfferData(
                title="A:s erbjudande",
                kind="service",
                category="food",
                description="Lunch.",
                municipalities=[Municipality.objects.get(code="1880")],
                is_published=published,
            ),
        )
        setattr(world, key, offer)
    return getattr(world, key)


def _public_body_a(world: World):
    """A public organisation (a municipal company) that A's representative acts for, as a buyer."""
    if not hasattr(world, "_public_body_a"):
        from civsam.accounts.models import Role
        from civsam.accounts.services import role_assign
        from civsam.core.models import LegalForm, Municipality
        from civsam.registry import orgnr as orgnr_mod
        from civsam.registry.models import Organisation
        from civsam.registry.services import organisation_create

        body = organisation_create(
            actor=None,
            name="A:s kommunbolag",
            orgnr=orgnr_mod.complete("556777111"),
            legal_form=LegalForm.objects.get(code="49"),
            municipality=Municipality.objects.get(code="1882"),
            sector=Organisation.Sector.PUBLIC,
        )
        role_assign(user=world.users["rep_a"], role=Role.ORGANISATION_REP, organisation=body)
        world._public_body_a = body
    return world._public_body_a


def _initiative_body(world: World, **changes: Any) -> dict[str, Any]:
    body = {
        "title": "Ny insats",
        "priorityAreaIds": [world.initiative_a.priority_areas.first().pk],
        "startDate": "2024-01-01",
        "status": "ongoing",
        "leadOrganisationId": world.org_b.pk,
    }
    return {**body, **changes}


def _event_body(world: World, **changes: Any) -> dict[str, Any]:
    starts = world.event_a.starts_at
    ends = starts + datetime.timedelta(hours=2)
    return {"title": "Nytt möte", "startsAt": starts.isoformat(), "endsAt": ends.isoformat(), **changes}


def _analysis_body(world: World, owner: str) -> dict[str, Any]:
    return {"title": "Ny analys", "ownerOrganisation": owner, "impactMap": world.impact_map}


def _agreement_a(world: World, *, signed: bool = False):
    """A's draft agreement (owner A), or A's signed one with A's second organisation as party: the
    draft is seen only by A's people; the signed one is public but run only by them."""
    from civsam.agreements import services
    from civsam.agreements.models import Agreement

    title = "A:s undertecknade överenskommelse" if signed else "A:s utkast"
    found = Agreement.objects.filter(title=title).first()
    if found is not None:
        return found
    agreement = services.agreement_create(
        actor=None,
        title=title,
        kind="local",
        owner=world.org_a,
        challenge="Mötesplatser",
        starts_on=datetime.date(2026, 1, 1),
    )
    if signed:
        services.party_add(actor=None, agreement=agreement, organisation=world.hidden_org_a, role="ideburen")
        services.agreement_transition(actor=None, agreement=agreement, action="sign", on=datetime.date(2026, 1, 1))
    return agreement


def _request_a(world: World):
    """A pending request by a third person to represent A: A decides it, B may not see it."""
    from civsam.accounts.models import User
    from civsam.registry.models import RepresentationRequest

    asker, _ = User.objects.get_or_create(username="asker_a")
    found = RepresentationRequest.objects.filter(user=asker, organisation=world.org_a, status="pending").first()
    return found or RepresentationRequest.objects.create(user=asker, organisation=world.org_a, mandate="employee")


def _invitation_a(world: World):
    """A pending invitation from A's representative: A may revoke it, B may not see it."""
    from civsam.registry.models import RepresentationInvitation
    from civsam.registry.services import representative_invite

    found = RepresentationInvitation.objects.filter(organisation=world.org_a, status="pending").first()
    return found or representative_invite(
        actor=world.users["rep_a"], organisation=world.org_a, email="ny-a@example.se", mandate="employee"
    )


def _co_representative_a(world: World):
    """A second representative of A (so that removing one leaves A represented): A may remove them."""
    from django.contrib.auth import get_user_model

    from civsam.accounts.models import Role, RoleAssignment

    user, _made = get_user_model().objects.get_or_create(username="medforetradare_a")
    return RoleAssignment.objects.get_or_create(user=user, role=Role.ORGANISATION_REP, organisation=world.org_a)[0]


def _reviewer(world: World):
    """A user with the reviewer role (made once)."""
    from django.contrib.auth import get_user_model

    from civsam.accounts.models import Role, RoleAssignment

    user, made = get_user_model().objects.get_or_create(username="bedomare-probe")
    if made:
        RoleAssignment.objects.create(user=user, role=Role.REVIEWER)
    return user


def _assignment(world: World):
    """A reviewer's assignment on A's application."""
    from civsam.funding.models import ReviewAssignment

    assignment, _made = ReviewAssignment.objects.get_or_create(
        application=world.application_a, reviewer=_reviewer(world)
    )
    return assignment


def _batch(world: World):
    """A payment file of the application's funder, not yet confirmed."""
    from civsam.funding.models import PaymentBatch

    return PaymentBatch.objects.get_or_create(funder=world.call.source.funder)[0]


def _requirement(world: World):
    """A report A's application owes (the grant is not paid, so a report is refused for its state)."""
    from civsam.funding.models import ReportRequirement

    return ReportRequirement.objects.get_or_create(
        application=world.application_a, title="Återrapport 2026", defaults={"due_date": datetime.date(2027, 3, 1)}
    )[0]


def _followup_report(world: World):
    from civsam.funding.models import FollowUpReport

    return FollowUpReport.objects.get_or_create(
        requirement=_requirement(world), defaults={"text": "Gjort", "amount_used": 10}
    )[0]


def _recovery(world: World):
    from civsam.funding.models import Recovery

    return Recovery.objects.get_or_create(
        application=world.application_a,
        defaults={
            "amount": 10,
            "reason": "unused",
            "explanation": "Inte använt",
            "due_date": datetime.date(2027, 3, 1),
            "decided_on": datetime.date(2026, 12, 1),
        },
    )[0]


def _decision_body() -> dict[str, Any]:
    return {
        "outcome": "approved",
        "amountGranted": 1000,
        "reasons": "Skäl",
        "decisionMaker": "committee",
        "decisionMakerName": "Kulturnämnden",
        "decisionDate": "2026-01-15",
        "yearFrom": 2026,
        "yearTo": 2026,
    }


TABLE: dict[str, Public | Row] = {
    "getApiInfo": Public("about the API itself"),
    "listMunicipalities": Public("reference data"),
    "getMunicipality": Public("reference data"),
    "listPlans": Public("the plan is public"),
    "getPlan": Public("the plan is public"),
    "listConsultations": Public("consultations of the plan are public"),
    "getConsultation": Public("consultations of the plan are public"),
    "listConsultationResponses": Public(
        "responses are official documents once closed; withheld parts never shown (plan's own tests)"
    ),
    "createPlanDecision": Row(
        [
            Probe(
                "POST",
                lambda w: "/api/v1/plans/2026-2030/decisions",
                lambda w: {
                    "status": "adopted",
                    "body": "Kulturnämnden",
                    "decidedOn": "2025-01-15",
                    "caseNumber": "24RS4154",
                },
                owner=None,  # the Region's decision: no organisation's representative may record it
            )
        ]
    ),
    "getPlanProgress": Public("the plan's figures are public"),
    "getPlanEvaluation": Public(
        "the evaluation is the Region's: a draft is hidden from all but staff (plan's own tests)"
    ),
    "getPlanReport": Public("the report is the Region's: drafts are hidden from all but staff (plan's own tests)"),
    "listIndicators": Public("the plan's indicators are public"),
    "listInitiatives": Public("initiatives are public (initiatives_visible_to)"),
    "listFrameTags": Public("the strategies and goals the plan names are reference data"),
    "getInitiative": Public("initiatives are public (initiatives_visible_to)"),
    "listNetworks": Public("networks are not an organisation's; hidden ones are the meetings app's to test"),
    "listFundingSources": Public("the funders' reference list"),
    "getFundingSource": Public("the funders' reference list"),
    "listFundingCalls": Public("published calls; drafts are a funder's, not an organisation's"),
    "listGrantDecisions": Public("the grant register is public (offentlighetsprincipen)"),
    "getGrantDecision": Public("the grant register is public (offentlighetsprincipen)"),
    "listGrantStatistics": Public("aggregates of the public register"),
    "listSectorStatistics": Public("yearly counts over the register; person-based cells under five hidden"),
    "getSectorStatistic": Public("yearly counts over the register; person-based cells under five hidden"),
    "createSocialValueCalculation": Public("a calculation over the request body alone; nothing is stored"),
    "createSocioEconomicAccount": Public("a calculation over the request body alone; nothing is stored"),
    "getInitiativeFundingLines": Public("an initiative's funding is public, as the initiative is"),
    "getPlanCoFinancing": Public("the plan's figures are public"),
    "listOrganisations": Row([Listing("/api/v1/organisations", "organisationNumber", lambda w: w.hidden_org_a.orgnr)]),
    "getOrganisation": Row([Probe("GET", lambda w: f"/api/v1/organisations/{w.hidden_org_a.orgnr}")]),
    "createInitiative": Row(
        [
            Probe(
                "POST",
                lambda w: "/api/v1/initiatives",
                lambda w: _initiative_body(w, leadOrganisationId=w.org_a.pk),
                owner=201,
            ),
            # Under A's initiative: the child's figures would replace the parent's.
            Probe(
                "POST",
                lambda w: "/api/v1/initiatives",
                lambda w: _initiative_body(w, parentId=w.initiative_a.pk),
                owner=None,
            ),
        ]
    ),
    "updateInitiative": Row(
        [
            Probe("PATCH", lambda w: f"/api/v1/initiatives/{w.initiative_a.pk}", lambda w: {"title": "B:s titel"}),
            Probe(
                "PATCH",
                lambda w: f"/api/v1/initiatives/{w.initiative_a.pk}",
                lambda w: {"leadOrganisationId": w.org_b.pk},
                owner=None,
            ),
        ]
    ),
    "replaceInitiative": Row(
        [
            Probe(
                "PUT",
                lambda w: f"/api/v1/initiatives/{w.initiative_a.pk}",
                lambda w: _initiative_body(w, leadOrganisationId=w.org_a.pk),
            )
        ]
    ),
    # Setting A's funding lines needs the right to change A's initiative.
    "replaceInitiativeFundingLines": Row(
        [Probe("PUT", lambda w: f"/api/v1/initiatives/{w.initiative_a.pk}/funding-lines", lambda w: {"lines": []})]
    ),
    "listEvents": Row([Listing("/api/v1/events", "id", lambda w: w.draft_event_a.pk)]),
    "getEvent": Row([Probe("GET", lambda w: f"/api/v1/events/{w.draft_event_a.pk}")]),
    "createEvent": Row(
        [Probe("POST", lambda w: "/api/v1/events", lambda w: _event_body(w, organiser=w.org_a.orgnr), owner=201)]
    ),
    "updateEvent": Row(
        [
            Probe("PATCH", lambda w: f"/api/v1/events/{w.event_a.pk}", lambda w: {"title": "B:s titel"}),
            Probe("PATCH", lambda w: f"/api/v1/events/{w.draft_event_a.pk}", lambda w: {"isPublic": True}),
            # Moving A's event to B as organiser is no way in either.
            Probe("PATCH", lambda w: f"/api/v1/events/{w.event_a.pk}", lambda w: {"organiser": w.org_b.orgnr}, None),
        ]
    ),
    "getProgramme": Row([Probe("GET", lambda w: f"/api/v1/events/{w.draft_event_a.pk}/programme", owner=None)]),
    "createRegistration": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/events/{w.draft_event_a.pk}/registrations",
                lambda w: {"name": "Bea", "email": "bea@example.org"},
                owner=None,
            )
        ]
    ),
    # A registration is reached only by the registrant's own token, never by an id.
    "cancelRegistration": Row([Probe("DELETE", lambda w: "/api/v1/registrations/not-bs-token", owner=None)]),
    "confirmRegistration": Row(
        [
            Probe(
                "POST",
                lambda w: "/api/v1/registration-confirmations",
                lambda w: {"token": "not-bs-token"},
                owner=None,
                refused=frozenset({400, 403, 404}),
            )
        ]
    ),
    # Networks (ADR 0101): the coordinating organisation binds a network to A; A's memberships,
    # invitations and representatives are A's to answer and change.
    "createNetwork": Row(
        [
            Probe(
                "POST",
                lambda w: "/api/v1/networks",
                lambda w: {"name": "Nytt forum", "kind": "dialogue_forum", "organisation": w.org_a.orgnr},
                owner=201,
            )
        ]
    ),
    "updateNetwork": Row(
        [
            Probe("PATCH", lambda w: f"/api/v1/networks/{w.network_a.slug}", lambda w: {"purpose": "B:s syfte"}),
            # B's own forum handed to A: B does not act for A (and A does not run B's forum).
            Probe(
                "PATCH",
                lambda w: f"/api/v1/networks/{w.network_b.slug}",
                lambda w: {"organisation": w.org_a.orgnr},
                owner=None,
            ),
        ]
    ),
    "closeNetwork": Row([Probe("POST", lambda w: f"/api/v1/networks/{w.network_a.slug}/close", lambda w: {})]),
    "listNetworkMemberships": Row([Listing("/api/v1/networks/radet/memberships", "id", lambda w: w.request_a.pk)]),
    "createNetworkMembership": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/networks/{w.network_a.slug}/memberships",
                lambda w: {"organisation": w.org_a.orgnr},
                owner=201,
            )
        ]
    ),
    # B invited A: the answer is A's, not the inviter's.
    "decideNetworkMembership": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/network-memberships/{w.invitation_a.pk}/decision",
                lambda w: {"approve": True},
            )
        ]
    ),
    "endNetworkMembership": Row([Probe("POST", lambda w: f"/api/v1/network-memberships/{w.membership_a.pk}/end")]),
    "createNetworkRepresentative": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/network-memberships/{w.membership_a.pk}/representatives",
                lambda w: {"name": "Bo B", "position": "member", "startsOn": "2026-01-01"},
                owner=201,
            )
        ]
    ),
    "endNetworkRepresentative": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/network-representatives/{w.representative_a.pk}/end",
                lambda w: {"endsOn": "2026-01-01"},
            )
        ]
    ),
    "listAgreements": Row([Listing("/api/v1/agreements", "id", lambda w: _agreement_a(w).pk)]),
    "getAgreement": Row([Probe("GET", lambda w: f"/api/v1/agreements/{_agreement_a(w).pk}")]),
    "createAgreement": Row(
        [
            Probe(
                "POST",
                lambda w: "/api/v1/agreements",
                lambda w: {
                    "title": "Ny IOP",
                    "kind": "iop",
                    "owner": w.org_a.orgnr,
                    "challenge": "Ensamhet",
                    "startsOn": "2026-01-01",
                },
                owner=201,
            )
        ]
    ),
    "updateAgreement": Row(
        [Probe("PATCH", lambda w: f"/api/v1/agreements/{_agreement_a(w).pk}", lambda w: {"title": "B:s titel"})]
    ),
    "addAgreementParty": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/agreements/{_agreement_a(w).pk}/parties",
                lambda w: {"organisation": w.org_b.orgnr, "role": "other"},
                owner=201,
            )
        ]
    ),
    "addAgreementContribution": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/agreements/{_agreement_a(w).pk}/contributions",
                lambda w: {"organisation": w.org_a.orgnr, "year": 2026, "kind": "money", "quantity": "1000"},
                owner=201,
            )
        ]
    ),
    "saveAgreementReport": Row(
        [
            Probe(
                "PUT",
                lambda w: f"/api/v1/agreements/{_agreement_a(w, signed=True).pk}/reports/2026",
                lambda w: {"activities": "B skriver"},
            )
        ]
    ),
    "listApplications": Row([Listing("/api/v1/applications", "id", lambda w: w.application_a.pk)]),
    "getApplication": Row([Probe("GET", lambda w: f"/api/v1/applications/{w.application_a.pk}")]),
    "createApplication": Row(
        [
            Probe(
                "POST",
                lambda w: "/api/v1/applications",
                lambda w: {"callId": w.call.pk, "organisation": w.org_a.orgnr, "title": "Ny ansökan"},
                owner=201,
            )
        ]
    ),
    "updateApplication": Row(
        [Probe("PATCH", lambda w: f"/api/v1/applications/{w.application_a.pk}", lambda w: {"title": "B:s titel"})]
    ),
    "submitApplication": Row([Probe("POST", lambda w: f"/api/v1/applications/{w.application_a.pk}/submit")]),
    # The staff's steps (ADR 0104): A's representative may take none of them either (owner=None).
    "startApplicationReview": Row(
        [Probe("POST", lambda w: f"/api/v1/applications/{w.application_a.pk}/start-review", owner=None)]
    ),
    "assignApplicationReviewer": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/applications/{w.application_a.pk}/reviewers",
                lambda w: {"reviewerId": _reviewer(w).pk},
                owner=None,
            )
        ]
    ),
    "getApplicationScores": Row(
        [Probe("GET", lambda w: f"/api/v1/applications/{w.application_a.pk}/scores", owner=None)]
    ),
    "decideApplication": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/applications/{w.application_a.pk}/decision",
                lambda w: _decision_body(),
                owner=None,
            )
        ]
    ),
    # A reviewer's assignment is the reviewer's alone.
    "listReviewAssignments": Public("only the signed-in reviewer's own assignments (funding tests hold it)"),
    "getReviewAssignment": Row([Probe("GET", lambda w: f"/api/v1/review-assignments/{_assignment(w).pk}", owner=None)]),
    "declareReviewConflict": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/review-assignments/{_assignment(w).pk}/declaration",
                lambda w: {"conflict": False},
                owner=None,
            )
        ]
    ),
    "saveReviewScores": Row(
        [
            Probe(
                "PUT",
                lambda w: f"/api/v1/review-assignments/{_assignment(w).pk}/scores",
                lambda w: {"scores": []},
                owner=None,
            )
        ]
    ),
    "submitReview": Row(
        [Probe("POST", lambda w: f"/api/v1/review-assignments/{_assignment(w).pk}/submit", owner=None)]
    ),
    "listDueInstalments": Row([Probe("GET", lambda w: "/api/v1/instalments-due", owner=None)]),
    "createPaymentBatch": Row(
        [Probe("POST", lambda w: "/api/v1/payment-batches", lambda w: {"instalmentIds": [1]}, owner=None)]
    ),
    "confirmPaymentBatch": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/payment-batches/{_batch(w).pk}/confirmation",
                lambda w: {"paidOn": "2026-01-15"},
                owner=None,
            )
        ]
    ),
    # The follow-up (ADR 0141): A's representative reads and reports; the officer's steps are no
    # organisation representative's.
    "getApplicationFollowUp": Row([Probe("GET", lambda w: f"/api/v1/applications/{w.application_a.pk}/follow-up")]),
    "submitFollowUpReport": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/report-requirements/{_requirement(w).pk}/reports",
                lambda w: {"text": "B:s rapport", "amountUsed": 1},
                owner=400,  # A's grant is not paid yet: refused for its state, not for who asks
            )
        ]
    ),
    "reviewFollowUpReport": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/follow-up-reports/{_followup_report(w).pk}/review",
                lambda w: {"approve": True},
                owner=None,
            )
        ]
    ),
    "claimGrantRecovery": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/applications/{w.application_a.pk}/recoveries",
                lambda w: {"amount": 1, "reason": "unused", "explanation": "x", "dueDate": "2027-01-31"},
                owner=None,
            )
        ]
    ),
    "settleGrantRecovery": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/recoveries/{_recovery(w).pk}/settlement",
                lambda w: {"repaid": True, "on": "2026-12-01"},
                owner=None,
            )
        ]
    ),
    "closeApplication": Row(
        [Probe("POST", lambda w: f"/api/v1/applications/{w.application_a.pk}/close", owner=None)]
    ),
    "listSocialValueAnalyses": Row([Listing("/api/v1/social-value/analyses", "id", lambda w: w.analysis_a.pk)]),
    "getSocialValueAnalysis": Row([Probe("GET", lambda w: f"/api/v1/social-value/analyses/{w.analysis_a.pk}")]),
    "listRepresentationRequests": Row([Listing("/api/v1/representation-requests", "id", lambda w: _request_a(w).pk)]),
    "getRepresentationRequest": Row([Probe("GET", lambda w: f"/api/v1/representation-requests/{_request_a(w).pk}")]),
    "createRepresentationRequest": Public(
        "asking is open to every signed-in person: the request gives no right until one who acts for the "
        "organisation approves it (ADR 0090)"
    ),
    "decideRepresentationRequest": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/representation-requests/{_request_a(w).pk}/decision",
                lambda w: {"status": "approved"},
            )
        ]
    ),
    "listRepresentationInvitations": Row(
        [Listing("/api/v1/representation-invitations", "id", lambda w: _invitation_a(w).pk)]
    ),
    "createRepresentationInvitation": Row(
        [
            Probe(
                "POST",
                lambda w: "/api/v1/representation-invitations",
                lambda w: {"organisation": w.org_a.orgnr, "email": "bjuden@example.se", "mandate": "employee"},
                owner=201,
            )
        ]
    ),
    "changeRepresentationInvitationStatus": Row(
        [
            Probe(
                "POST",
                lambda w: f"/api/v1/representation-invitations/{_invitation_a(w).pk}/status",
                lambda w: {"status": "revoked"},
            )
        ]
    ),
    "listOrganisationRepresentatives": Row(
        [Probe("GET", lambda w: f"/api/v1/organisations/{w.org_a.orgnr}/representatives")]
    ),
    "removeOrganisationRepresentative": Row(
        [
            Probe(
                "DELETE",
                lambda w: f"/api/v1/organisations/{w.org_a.orgnr}/representatives/{_co_representative_a(w).pk}",
            )
        ]
    ),
    "listOffers": Row([Listing("/api/v1/offers", "id", lambda w: _market_offer_a(w, published=False).pk)]),
    "getOffer": Row([Probe("GET", lambda w: f"/api/v1/offers/{_market_offer_a(w, published=False).pk}")]),
    "createOffer": Row(
        [
            Probe(
                "POST",
                lambda w: "/api/v1/offers",
                lambda w: {
                    "organisation": w.org_a.orgnr,
                    "title": "Nytt erbjudande",
                    "kind": "service",
                    "category": "food",
                    "description": "Lunch.",
                    "municipalities": ["1880"],
                },
                owner=201,
            )
        ]
    ),
    "updateOffer": Row(
        [Probe("PATCH", lambda w: f"/api/v1/offers/{_market_offer_a(w).pk}", lambda w: {"title": "B:s rubrik"})]
    ),
    "listProcurements": Public("procurement records are public (offentlighetsprincipen)"),
    "getProcurement": Public("procurement records are public (offentlighetsprincipen)"),
    "createProcurement": Row(
        [
            Probe(
                "POST",
                lambda w: "/api/v1/procurements",
                lambda w: {"buyer": _public_body_a(w).orgnr, "title": "Upphandling", "procedure": "direct"},
                owner=201,
            )
        ]
    ),
    "listSpendShares": Public("aggregates of the buyers' spend per year and layer; no invoice rows"),
    "createSocialValueAnalysis": Row(
        [
            Probe(
                "POST",
                lambda w: "/api/v1/social-value/analyses",
                lambda w: _analysis_body(w, w.org_a.orgnr),
                owner=201,
            )
        ]
    ),
}


def test_every_operation_has_a_row():
    documented = {op.operation_id for op in operations()}
    assert sorted(documented - set(TABLE)) == [], "operations without a row in TABLE"
    assert sorted(set(TABLE) - documented) == [], "rows for operations the document no longer has"


def test_every_write_operation_is_probed():
    for op in operations():
        if op.method != "GET":
            row = TABLE[op.operation_id]
            assert isinstance(row, Public) or any(isinstance(c, Probe) for c in row.checks), op


def _send(client, csrf, probe: Probe, world: World):
    body = json.dumps(probe.body(world)) if probe.body else ""
    return client.generic(probe.method, probe.url(world), body, content_type="application/json", **csrf)


def _listed(client, listing: Listing, world: World) -> bool:
    response = client.get(listing.url, {"limit": 100})
    assert response.status_code == 200, response.content
    return listing.value(world) in {item[listing.key] for item in response.json()["items"]}


CHECKED = sorted(name for name, row in TABLE.items() if isinstance(row, Row))


@pytest.mark.parametrize("operation_id", CHECKED)
def test_b_cannot_reach_or_bind_as_objects(world, operation_id):
    b_client, b_csrf = session_client(world.users["rep_b"])
    a_client, a_csrf = session_client(world.users["rep_a"])
    for check in TABLE[operation_id].checks:
        if isinstance(check, Listing):
            assert not _listed(b_client, check, world), (operation_id, "B sees A's object in the list")
            assert _listed(a_client, check, world), (operation_id, "A does not see its own object")
            continue
        response = _send(b_client, b_csrf, check, world)
        assert response.status_code in check.refused, (operation_id, check.method, response.status_code)
        assert response["Content-Type"] == "application/problem+json"
        if check.owner is not None:
            response = _send(a_client, a_csrf, check, world)
            assert response.status_code == check.owner, (operation_id, response.status_code, response.content)
