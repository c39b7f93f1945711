"""Who may do what in the plan follow-up: pairs of can_<verb>_<object>(user, obj) and
<things>_visible_to(user), built on the permission seam (civsam.accounts.permissions).

Initiatives, indicators and published reports are public (the follow-up is a public task). The
region coordinator (region administrator) may do everything and is the only one who verifies
initiatives, keeps the indicators, writes and publishes the annual report and runs consultations.
Leading an initiative binds it to a body, so naming a lead needs the right to act for it: a
municipal officer registers and edits initiatives led by a municipality they work for or by an
organisation based there; a representative those led by their own organisations. Placing an
initiative under a parent binds it to the parent's lead as well: a sub-initiative's progress
replaces its parent's in the roll-up, so linking under a parent, or taking an initiative out from
under one, needs the right to change the parent.

Named, not bound: partner organisations, the municipalities an initiative reaches and the priority
areas it serves describe the initiative. They give the named body no right, and the plan's areas
are meant to be served by every actor's initiatives (the coordinator's verification is the check),
so anyone who may change the initiative may name them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from civsam.accounts.permissions import (
    acts_for_all,
    acts_for_municipality,
    acts_for_region,
    acts_for_some_organisation,
    municipalities_actable_by,
    municipalities_actable_q,
    narrow,
    organisations_actable_q,
    represented_organisation_ids,
    represents_organisation,
)
from civsam.core.models import Municipality
from civsam.registry.models import Organisation

from .models import Consultation, ConsultationResponse, FollowUpReport, Initiative, Plan, ResponseAttachment

# --- Initiatives ----------------------------------------------------------------------------------


def _may_name_leads(user, organisation, municipality) -> bool:
    if organisation is None and municipality is None:
        # Other actors (the Region, the university, a network) are entered by the coordinator.
        return acts_for_region(user)
    # Every lead given must be one the user acts for: naming a foreign municipality beside one's own
    # organisation would otherwise pass.
    return acts_for_all(user, (("organisation", organisation), ("municipality", municipality)))


def can_create_initiative(user, *, lead_organisation=None, lead_municipality=None) -> bool:
    """With leads: may the user register an initiative led by them. Without: may the user register
    initiatives at all (for the create page), i.e. act for some organisation or municipality."""
    if lead_organisation is None and lead_municipality is None:
        return acts_for_some_organisation(user)
    return _may_name_leads(user, lead_organisation, lead_municipality)


def can_change_initiative(user, initiative: Initiative) -> bool:
    return _may_name_leads(user, initiative.lead_organisation, initiative.lead_municipality)


def initiatives_changeable_by(user) -> QuerySet[Initiative]:
    """The initiatives can_change_initiative allows, as one query: every lead given is one the user
    acts for, and one is given (those of other actors are the coordinator's)."""
    qs = Initiative.objects.all()
    if acts_for_region(user):
        return qs
    by_organisation = Q(lead_organisation__isnull=True) | organisations_actable_q(user, via="lead_organisation")
    by_municipality = Q(lead_municipality__isnull=True) | municipalities_actable_q(user, via="lead_municipality")
    some_lead = Q(lead_organisation__isnull=False) | Q(lead_municipality__isnull=False)
    return qs.filter(some_lead, by_organisation, by_municipality)


def can_link_sub_initiative(user, parent: Initiative) -> bool:
    """Place an initiative under `parent`, or take one out from under it: the link moves the
    parent's figures, so it needs the right to change the parent."""
    return can_change_initiative(user, parent)


def can_name_other_lead(user) -> bool:
    """May the user name a lead outside the register (the lead_name field)."""
    return acts_for_region(user)


def lead_organisations_for(user) -> QuerySet[Organisation]:
    """The organisations the user may name as an initiative's lead."""
    return narrow(Organisation.objects.all(), organisations_actable_q(user)).order_by("name_key")


def lead_municipalities_for(user) -> QuerySet[Municipality]:
    """The municipalities the user may name as an initiative's lead."""
    return municipalities_actable_by(user).order_by("name_key")


def can_verify_initiative(user, initiative: Initiative) -> bool:
    """Verifying says the coordinator has checked what is shown. A change by someone who may verify
    keeps the verification; anyone else's change clears it."""
    return acts_for_region(user)


def can_delete_initiative(user, initiative: Initiative) -> bool:
    return acts_for_region(user)


def can_import_initiatives(user) -> bool:
    return acts_for_region(user)


def initiatives_visible_to(user) -> QuerySet[Initiative]:
    return Initiative.objects.all()


# --- Indicators and the annual report -------------------------------------------------------------


def can_manage_indicators(user, indicator=None) -> bool:
    return acts_for_region(user)


def can_edit_report(user, report: FollowUpReport | None = None) -> bool:
    return acts_for_region(user)


def can_view_report(user, report: FollowUpReport) -> bool:
    return report.status == FollowUpReport.Status.PUBLISHED or acts_for_region(user)


def reports_visible_to(user) -> QuerySet[FollowUpReport]:
    if acts_for_region(user):
        return FollowUpReport.objects.all()
    return FollowUpReport.objects.filter(status=FollowUpReport.Status.PUBLISHED)


# --- The plan's life ------------------------------------------------------------------------------


def can_decide_plan(user, plan=None) -> bool:
    """Record a decision that moves a plan on (on consultation, adopted, superseded)."""
    return acts_for_region(user)


def can_write_plan_texts(user, plan=None) -> bool:
    """Write the texts about the plan and its areas (each save a new version)."""
    return acts_for_region(user)


def can_manage_plan_document(user, plan=None) -> bool:
    """Attach the adopted plan document (or its link) and keep the plan's contact people."""
    return acts_for_region(user)


# --- The evaluation of a plan period --------------------------------------------------------------


def can_edit_evaluation(user, evaluation=None) -> bool:
    """Start, write and publish the evaluation of a plan period."""
    return acts_for_region(user)


def can_view_evaluation(user, evaluation) -> bool:
    return evaluation.status == evaluation.Status.PUBLISHED or acts_for_region(user)
def can_tag_plan_areas(user, plan=None) -> bool:
    """Say which strategies and Agenda 2030 goals the plan's areas serve (ADR 0122)."""
    return acts_for_region(user)


def plans_taggable_by(user) -> QuerySet[Plan]:
    """The plans whose areas the user may tag (the pair of can_tag_plan_areas)."""
    return Plan.objects.all() if acts_for_region(user) else Plan.objects.none()


# --- Consultation (remiss) ------------------------------------------------------------------------


def can_open_consultation(user, plan=None) -> bool:
    return acts_for_region(user)


def can_manage_consultation(user, consultation: Consultation) -> bool:
    """Close or reopen it."""
    return acts_for_region(user)


def can_view_consultation_responses(user, consultation: Consultation | None = None) -> bool:
    """All responses, per section: the coordinator's compilation."""
    return acts_for_region(user)


def can_respond_to_consultation(user, *, organisation=None, municipality=None) -> bool:
    """Anyone signed in may respond: for an organisation they represent, for a municipality they
    work for (a public body), or as a private person (no respondent named). A response speaks in the
    organisation's name, so a municipal officer, who keeps the register of the municipality's
    associations, does not answer for them. The coordinator may enter a response on any body's behalf."""
    if not getattr(user, "is_authenticated", False):
        return False
    if acts_for_region(user):
        return True
    # Every respondent named must be one the user answers for (ADR 0093).
    return (organisation is None or represents_organisation(user, organisation)) and (
        municipality is None or acts_for_municipality(user, municipality)
    )


def can_respond_for_other_body(user) -> bool:
    """May the user enter a response for a body outside the register (respondent_name)."""
    return acts_for_region(user)


def consultation_organisations_for(user) -> QuerySet[Organisation]:
    """The organisations the user answers a consultation for: those they represent."""
    return Organisation.objects.filter(pk__in=represented_organisation_ids(user)).order_by("name_key")


def consultation_municipalities_for(user) -> QuerySet[Municipality]:
    return municipalities_actable_by(user).order_by("name_key")


def can_view_consultation_response(user, response: ConsultationResponse) -> bool:
    """The whole response, withheld parts included: the coordinator, and those who answered."""
    if acts_for_region(user):
        return True
    if response.private_person:
        return getattr(user, "is_authenticated", False) and response.submitted_by_id == user.pk
    return bool(response.organisation_id or response.municipality_id) and can_respond_to_consultation(
        user, organisation=response.organisation, municipality=response.municipality
    )


def is_response_public(response: ConsultationResponse) -> bool:
    """After the consultation closes a response is an official document open to all, unless the
    secrecy assessment withheld it."""
    return response.consultation.status == Consultation.Status.CLOSED and not response.confidential_reason


def can_download_response_attachment(user, attachment: ResponseAttachment) -> bool:
    response = attachment.response
    public = is_response_public(response) and not attachment.confidential_reason
    return public or can_view_consultation_response(user, response)
