"""The funding app's loaders: each fetches what a page or an API operation acts on, answering 404
when it does not exist and 403 when the user may not (civsam.core.loading)."""

from __future__ import annotations

from django.db.models import QuerySet

from civsam.core.loading import get_permitted
from civsam.registry.models import Organisation

from . import permissions, selectors
from .models import (
    Application,
    ApplicationAttachment,
    CallCriterion,
    CallField,
    FollowUpReport,
    FundingCall,
    FundingSource,
    PaymentBatch,
    Programme,
    Recovery,
    ReportRequirement,
    ReviewAssignment,
)

# --- Sources, calls, funders --------------------------------------------------------------------


def visible_source(user, slug: str) -> FundingSource:
    return get_permitted(
        user, selectors.with_rules(FundingSource.objects.all()), permissions.can_view_funding_source, slug=slug
    )


def editable_source(user, slug: str) -> FundingSource:
    return get_permitted(
        user, FundingSource.objects.select_related("funder"), permissions.can_edit_funding_source, slug=slug
    )


def _calls() -> QuerySet[FundingCall]:
    return FundingCall.objects.select_related("source__funder", "programme")


def visible_call(user, pk: int) -> FundingCall:
    return get_permitted(user, _calls(), permissions.can_view_funding_call, pk=pk)


def editable_call(user, pk: int) -> FundingCall:
    return get_permitted(user, _calls(), permissions.can_edit_funding_call, pk=pk)


def handled_call(user, pk: int) -> FundingCall:
    """A call whose applications the user handles (its queue)."""
    return get_permitted(user, _calls(), permissions.can_handle_applications, pk=pk)


def subscribing_organisation(user, orgnr: str) -> Organisation:
    return get_permitted(user, Organisation, permissions.can_manage_call_subscriptions, orgnr=orgnr)


def applying_organisation(user, pk: int) -> Organisation:
    """The organisation an application is made for: one the user acts for (a binding field)."""
    return get_permitted(
        user, Organisation.objects.select_related("legal_form", "municipality"), permissions.can_apply_for, pk=pk
    )


def paid_organisation(user, orgnr: str) -> Organisation:
    """An organisation whose bankgiro or plusgiro the user sets."""
    return get_permitted(user, Organisation, permissions.can_edit_payment_account, orgnr=orgnr)


# --- Programmes ---------------------------------------------------------------------------------


def visible_programme(user, slug: str) -> Programme:
    return get_permitted(
        user,
        Programme.objects.select_related("source__funder").prefetch_related("budgets"),
        permissions.can_view_programme,
        slug=slug,
    )


def editable_programme(user, slug: str) -> Programme:
    return get_permitted(
        user, Programme.objects.select_related("source__funder"), permissions.can_edit_programme, slug=slug
    )


def editable_call_field(user, call_pk: int, pk: int) -> CallField:
    return get_permitted(
        user,
        CallField.objects.select_related("call__source__funder", "call__programme"),
        lambda u, f: permissions.can_edit_funding_call(u, f.call),
        pk=pk,
        call_id=call_pk,
    )


def editable_criterion(user, call_pk: int, pk: int) -> CallCriterion:
    return get_permitted(
        user,
        CallCriterion.objects.select_related("call__source__funder"),
        lambda u, c: permissions.can_edit_funding_call(u, c.call),
        pk=pk,
        call_id=call_pk,
    )


# --- Applications -------------------------------------------------------------------------------


def _applications() -> QuerySet[Application]:
    return Application.objects.select_related(*selectors.APPLICATION_RELATIONS)


def visible_application(user, pk: int) -> Application:
    return get_permitted(user, _applications(), permissions.can_view_application, pk=pk)


def editable_application(user, pk: int) -> Application:
    return get_permitted(user, _applications(), permissions.can_edit_application, pk=pk)


def own_application(user, pk: int) -> Application:
    """An application the user acts for the applicant of (withdraw, report, payment account)."""
    return get_permitted(user, _applications(), permissions.acts_for_applicant, pk=pk)


def handled_application(user, pk: int) -> Application:
    """An application sent in to a funder the user keeps (completion, review, decision, follow-up)."""
    return get_permitted(
        user, _applications(), lambda u, a: bool(a.case_number) and permissions.can_handle_application(u, a), pk=pk
    )


def visible_attachment(user, application_pk: int, pk: int) -> ApplicationAttachment:
    return get_permitted(
        user,
        ApplicationAttachment.objects.select_related("application__call__source__funder", "application__organisation"),
        lambda u, a: permissions.can_view_application(u, a.application),
        pk=pk,
        application_id=application_pk,
    )


def own_assignment(user, pk: int) -> ReviewAssignment:
    """A reviewer's own assignment."""
    return get_permitted(
        user,
        ReviewAssignment.objects.select_related(
            "application__call__source__funder", "application__call__programme", "application__organisation"
        ),
        permissions.can_act_on_review,
        pk=pk,
    )


def handled_assignment(user, application_pk: int, pk: int) -> ReviewAssignment:
    return get_permitted(
        user,
        ReviewAssignment.objects.select_related("application__call__source__funder", "reviewer"),
        lambda u, a: permissions.can_handle_application(u, a.application),
        pk=pk,
        application_id=application_pk,
    )


def own_requirement(user, application_pk: int, pk: int) -> ReportRequirement:
    return get_permitted(
        user,
        ReportRequirement.objects.select_related("application__organisation", "application__call__source__funder"),
        lambda u, r: permissions.can_report_on_application(u, r.application),
        pk=pk,
        application_id=application_pk,
    )


def handled_report(user, application_pk: int, pk: int) -> FollowUpReport:
    return get_permitted(
        user,
        FollowUpReport.objects.select_related("requirement__application__call__source__funder"),
        lambda u, r: permissions.can_handle_application(u, r.requirement.application),
        pk=pk,
        requirement__application_id=application_pk,
    )


def handled_recovery(user, application_pk: int, pk: int) -> Recovery:
    return get_permitted(
        user,
        Recovery.objects.select_related("application__call__source__funder"),
        lambda u, r: permissions.can_handle_application(u, r.application),
        pk=pk,
        application_id=application_pk,
    )


def handled_batch(user, pk: int) -> PaymentBatch:
    return get_permitted(
        user, PaymentBatch.objects.select_related("funder"), permissions.can_handle_payment_batch, pk=pk
    )
