"""Who may do what in the plan follow-up: pairs of can_<verb>(user, obj) and <things>_visible_to(user).

Initiatives, indicators and published reports are public (the follow-up is a public task). The
region coordinator (region administrator) may do everything and is the only one who verifies
initiatives, keeps the indicators and writes and publishes the annual report. A municipal officer
registers and edits initiatives led by a municipality in their scope or by an organisation based
there; a representative those led by their own organisations.
"""

from __future__ import annotations

from django.db.models import QuerySet

from civsam.accounts.scopes import scope_for

from .models import FollowUpReport, Indicator, Initiative


def _may_lead(scope, *, organisation=None, municipality=None) -> bool:
    if scope.region_admin:
        return True
    if organisation is None and municipality is None:
        return False  # other actors (the Region, the university, a network) are entered by the coordinator
    # Every lead given must be in scope: naming a foreign municipality beside one's own organisation
    # would otherwise pass.
    org_ok = organisation is None or (
        organisation.pk in scope.organisation_ids or organisation.municipality_id in scope.municipality_ids
    )
    municipality_ok = municipality is None or municipality.pk in scope.municipality_ids
    return org_ok and municipality_ok


def can_create_initiative(user, *, lead_organisation=None, lead_municipality=None) -> bool:
    """Without a lead: may the user register initiatives at all (for the create page)."""
    scope = scope_for(user)
    if lead_organisation is None and lead_municipality is None:
        return scope.region_admin or scope.is_officer or bool(scope.organisation_ids)
    return _may_lead(scope, organisation=lead_organisation, municipality=lead_municipality)


def can_change_initiative(user, initiative: Initiative) -> bool:
    return _may_lead(
        scope_for(user), organisation=initiative.lead_organisation, municipality=initiative.lead_municipality
    )


def can_verify_initiative(user, initiative: Initiative) -> bool:
    return scope_for(user).region_admin


def can_delete_initiative(user, initiative: Initiative) -> bool:
    return scope_for(user).region_admin


def can_view_initiative_history(user, initiative: Initiative) -> bool:
    """The timeline shows what changed and when, never who: it is public."""
    return True


def can_import(user) -> bool:
    return scope_for(user).region_admin


def can_manage_indicators(user, indicator: Indicator | None = None) -> bool:
    return scope_for(user).region_admin


def can_edit_report(user, report: FollowUpReport | None = None) -> bool:
    return scope_for(user).region_admin


def can_view_report(user, report: FollowUpReport) -> bool:
    return report.status == FollowUpReport.Status.PUBLISHED or scope_for(user).region_admin


def initiatives_visible_to(user) -> QuerySet[Initiative]:
    return Initiative.objects.all()


def indicators_visible_to(user) -> QuerySet[Indicator]:
    return Indicator.objects.all()


def reports_visible_to(user) -> QuerySet[FollowUpReport]:
    if scope_for(user).region_admin:
        return FollowUpReport.objects.all()
    return FollowUpReport.objects.filter(status=FollowUpReport.Status.PUBLISHED)


# --- Consultation (remiss) ------------------------------------------------------------------------


def can_open_consultation(user, plan=None) -> bool:
    return scope_for(user).region_admin


def can_view_consultation_responses(user, consultation=None) -> bool:
    """All responses, per section: the coordinator's compilation."""
    return scope_for(user).region_admin


def can_respond(user, *, organisation=None, municipality=None) -> bool:
    """Representatives answer for their organisations, officers for their municipality (a public
    body); the coordinator may enter a response on anyone's behalf. Without a respondent: may the
    user respond at all."""
    scope = scope_for(user)
    if scope.region_admin:
        return True
    if organisation is not None:
        return organisation.pk in scope.organisation_ids
    if municipality is not None:
        return municipality.pk in scope.municipality_ids
    return bool(scope.organisation_ids or scope.municipality_ids)


def can_view_response(user, response) -> bool:
    return scope_for(user).region_admin or (
        can_respond(user, organisation=response.organisation, municipality=response.municipality)
        and bool(response.organisation_id or response.municipality_id)
    )
