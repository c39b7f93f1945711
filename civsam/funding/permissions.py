"""Who may do what with funding sources, calls, subscriptions and the grant register.

Built on the one permission seam (civsam.accounts.permissions):
- a funder is kept by region administrators and, for a municipality's own funder, by that
  municipality's officers; its sources, calls, decisions and imports follow the funder;
- the register, the sources and the published calls are public (offentlighetsprincipen);
- an organisation's call subscriptions are managed by those who act for it;
- an application is the applicant organisation's: those who act for it write and send it, read
  its decision and report on it; the officers who keep the call's funder handle it (completion,
  review, decision, payment, follow-up); a reviewer the officer assigned reads it and scores it
  unless they declared themselves disqualified;
- an organisation's bankgiro or plusgiro is set by those who act for it and read by them and by
  the staff who pay grants.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from civsam.accounts import permissions as seam

from .models import (
    Application,
    CallSubscription,
    Funder,
    FundingCall,
    FundingSource,
    GrantDecision,
    PaymentBatch,
    Programme,
    ReviewAssignment,
)


def _funders_q(user, *, via: str = "") -> Q | None:
    """Funders the user keeps (at `via`, the path to a Funder); None means every funder."""
    municipal = seam.municipalities_actable_q(user, via=f"{via}__municipality" if via else "municipality")
    return municipal  # None for region administrators; the officers' municipalities otherwise


def can_manage_funder(user, funder: Funder) -> bool:
    if seam.acts_for_region(user):
        return True
    return funder.municipality_id is not None and seam.acts_for_municipality(user, funder.municipality_id)


def funders_manageable_by(user) -> QuerySet[Funder]:
    if not seam.acts_for_some_municipality(user):
        return Funder.objects.none()
    return seam.narrow(Funder.objects.all(), _funders_q(user))


def can_create_funder(user) -> bool:
    """New funders (a foundation, a state agency) are added for the whole county: the Region."""
    return seam.acts_for_region(user)


def can_edit_funder(user, funder: Funder) -> bool:
    return seam.acts_for_region(user)


# --- Funding sources ----------------------------------------------------------------------------


def can_create_funding_source(user) -> bool:
    return seam.acts_for_some_municipality(user)


def can_edit_funding_source(user, source: FundingSource) -> bool:
    return can_manage_funder(user, source.funder)


def funding_sources_visible_to(user) -> QuerySet[FundingSource]:
    """Active sources for everyone; inactive ones also for whoever keeps them."""
    qs = FundingSource.objects.all()
    if seam.acts_for_region(user):
        return qs
    condition = Q(is_active=True)
    if seam.acts_for_some_municipality(user):
        condition |= _funders_q(user, via="funder")
    return qs.filter(condition)


def can_view_funding_source(user, source: FundingSource) -> bool:
    return source.is_active or can_edit_funding_source(user, source)


# --- Calls --------------------------------------------------------------------------------------


def can_edit_funding_call(user, call: FundingCall) -> bool:
    return can_manage_funder(user, call.source.funder)


def funding_calls_visible_to(user) -> QuerySet[FundingCall]:
    """Published and closed calls of active sources for everyone; drafts and cancelled calls for
    whoever keeps the source."""
    qs = FundingCall.objects.all()
    if seam.acts_for_region(user):
        return qs
    condition = Q(status__in=[FundingCall.Status.PUBLISHED, FundingCall.Status.CLOSED], source__is_active=True)
    if seam.acts_for_some_municipality(user):
        condition |= _funders_q(user, via="source__funder")
    return qs.filter(condition)


def can_view_funding_call(user, call: FundingCall) -> bool:
    if call.status in (FundingCall.Status.PUBLISHED, FundingCall.Status.CLOSED) and call.source.is_active:
        return True
    return can_edit_funding_call(user, call)


# --- Subscriptions ------------------------------------------------------------------------------


def can_manage_call_subscriptions(user, organisation) -> bool:
    """Those who act for an organisation decide which addresses hear about its calls."""
    return seam.acts_for_organisation(user, organisation)


def call_subscriptions_visible_to(user) -> QuerySet[CallSubscription]:
    return seam.narrow(CallSubscription.objects.all(), seam.organisations_actable_q(user, via="organisation"))


# --- The grant register -------------------------------------------------------------------------


def grant_decisions_visible_to(user) -> QuerySet[GrantDecision]:
    """The register is public: every decision, to everyone (offentlighetsprincipen)."""
    return GrantDecision.objects.all()


def can_import_grant_decisions(user, funder: Funder) -> bool:
    return can_manage_funder(user, funder)


def can_import_some_grant_decisions(user) -> bool:
    """For showing the import page: the user keeps at least one funder."""
    return seam.acts_for_some_municipality(user)


def can_edit_grant_decision(user, decision: GrantDecision) -> bool:
    return can_manage_funder(user, decision.funder)


def can_compute_grant_figures(user) -> bool:
    """Recomputing the county's figures is the Region's (a job does it every night too)."""
    return seam.acts_for_region(user)


# --- Programmes ---------------------------------------------------------------------------------


def can_edit_programme(user, programme: Programme) -> bool:
    return can_manage_funder(user, programme.source.funder)


def can_view_programme(user, programme: Programme) -> bool:
    return programme.source.is_active or can_edit_programme(user, programme)


def programmes_visible_to(user) -> QuerySet[Programme]:
    """Programmes of active sources for everyone (their rules are public); all for the Region."""
    qs = Programme.objects.all()
    if seam.acts_for_region(user):
        return qs
    condition = Q(source__is_active=True)
    if seam.acts_for_some_municipality(user):
        condition |= _funders_q(user, via="source__funder")
    return qs.filter(condition)


# --- Applications -------------------------------------------------------------------------------


def can_apply_for(user, organisation) -> bool:
    """The applicant organisation binds the application to a body: only one the user acts for."""
    return seam.acts_for_organisation(user, organisation)


def can_apply_for_some_organisation(user) -> bool:
    return seam.acts_for_some_organisation(user)


def acts_for_applicant(user, application: Application) -> bool:
    return seam.acts_for_organisation(user, application.organisation)


def can_handle_application(user, application: Application) -> bool:
    """The officers who keep the call's funder: completion, review, decision, payment, follow-up."""
    return can_manage_funder(user, application.call.source.funder)


def can_handle_applications(user, call: FundingCall) -> bool:
    """For the queue of a call."""
    return call.takes_applications and can_manage_funder(user, call.source.funder)


def _active_reviewer_q(user, *, via: str = "") -> Q:
    prefix = f"{via}__" if via else ""
    return Q(
        **{
            f"{prefix}reviews__reviewer_id": getattr(user, "pk", None),
            f"{prefix}reviews__status__in": [
                ReviewAssignment.Status.ASSIGNED,
                ReviewAssignment.Status.CLEARED,
                ReviewAssignment.Status.SUBMITTED,
            ],
        }
    )


def review_assignment_of(user, application: Application) -> ReviewAssignment | None:
    if not seam.is_reviewer(user):
        return None
    return ReviewAssignment.objects.filter(application=application, reviewer_id=user.pk).first()


def can_view_application(user, application: Application) -> bool:
    """A draft is the applicant's own until it is sent in (it has a case number from then on)."""
    if acts_for_applicant(user, application):
        return True
    if application.case_number and can_handle_application(user, application):
        return True
    assignment = review_assignment_of(user, application)
    return assignment is not None and assignment.status != ReviewAssignment.Status.RECUSED


def applications_visible_to(user) -> QuerySet[Application]:
    """The applicant's applications, those of the funders the officer keeps, and those a reviewer
    is assigned to and not disqualified from."""
    qs = Application.objects.all()
    sent = ~Q(case_number="")
    if seam.acts_for_region(user):
        return qs
    condition = seam.organisations_actable_q(user, via="organisation") or seam.NOTHING
    if seam.acts_for_some_municipality(user):
        condition |= _funders_q(user, via="call__source__funder") & sent
    if seam.is_reviewer(user):
        ids = Application.objects.filter(_active_reviewer_q(user)).values("pk")
        condition |= Q(pk__in=ids)
    return qs.filter(condition)


def can_edit_application(user, application: Application) -> bool:
    """Write the answers and attachments, and send it in: a draft, or one asked to be completed."""
    return application.is_editable and acts_for_applicant(user, application)


def can_withdraw_application(user, application: Application) -> bool:
    return acts_for_applicant(user, application)


def can_review_application(user, application: Application) -> bool:
    """An assigned reviewer, while the application is in review (after declaring no conflict)."""
    assignment = review_assignment_of(user, application)
    return (
        assignment is not None
        and application.status == Application.Status.IN_REVIEW
        and assignment.status != ReviewAssignment.Status.RECUSED
    )


def can_act_on_review(user, assignment: ReviewAssignment) -> bool:
    """The reviewer's own assignment: declare, score, send."""
    return seam.is_reviewer(user) and assignment.reviewer_id == getattr(user, "pk", None)


def can_view_scores(user, application: Application) -> bool:
    """Every reviewer's scores side by side: for the officers who decide."""
    return can_handle_application(user, application)


def review_assignments_visible_to(user) -> QuerySet[ReviewAssignment]:
    if not seam.is_reviewer(user):
        return ReviewAssignment.objects.none()
    return ReviewAssignment.objects.filter(reviewer_id=user.pk)


def can_report_on_application(user, application: Application) -> bool:
    """The recipient's follow-up reports."""
    return acts_for_applicant(user, application)


# --- Payments -----------------------------------------------------------------------------------


def can_edit_payment_account(user, organisation) -> bool:
    return seam.acts_for_organisation(user, organisation)


def can_view_payment_account(user, organisation) -> bool:
    return seam.acts_for_organisation(user, organisation) or seam.is_staff(user)


def can_pay_grants(user) -> bool:
    """The payments page: for those who keep some funder."""
    return seam.acts_for_some_municipality(user)


def can_handle_payment_batch(user, batch: PaymentBatch) -> bool:
    return can_manage_funder(user, batch.funder)


def can_view_recipient_contacts(user) -> bool:
    """The addresses of grant recipients, for inviting them to the plan's dialogue meetings: staff."""
    return seam.is_staff(user)


# --- Co-financing of the plan's initiatives (ADR 0092) -----------------------------------------------


def can_set_initiative_funding(user, initiative) -> bool:
    """Whoever may change an initiative may set its funding lines: the initiative's leads bind it."""
    from civsam.plan.permissions import can_change_initiative

    return can_change_initiative(user, initiative)
