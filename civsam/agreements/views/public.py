"""The public side: the list with filters, the county overview, one agreement's page, downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.exports import FORMATS, Column, tabular_response
from civsam.core.privacy import personal_data
from civsam.core.storage import serve_file

from .. import loaders, permissions, selectors
from ..forms import FilterForm
from ..models import Agreement, AgreementDocument, LegalAssessment
from ..services import assessment_gaps, gap_messages


def _filters(request) -> tuple[FilterForm, selectors.Filters]:
    form = FilterForm(request.GET or None, areas=loaders.priority_areas())
    if not form.is_bound or not form.is_valid():
        return form, selectors.Filters()
    data = form.cleaned_data
    return form, selectors.Filters(
        kind=data.get("kind") or "",
        municipality=data["municipality"].pk if data.get("municipality") else None,
        priority_area=data["priority_area"].pk if data.get("priority_area") else None,
        sector=data.get("sector") or "",
        year=data.get("year"),
    )


@login_not_required
def agreement_list(request):
    form, filters = _filters(request)
    agreements = selectors.agreement_list(selectors.filtered(permissions.agreements_visible_to(request.user), filters))
    context = {
        "form": form,
        "agreements": agreements,
        "can_create": permissions.can_create_some_agreement(request.user),
        "formats": [f for f in FORMATS if f != "json"],
        "query": request.GET.urlencode(),
    }
    return render(request, "agreements/agreement_list.html", context)


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year - 4, this_year + 2))


@login_not_required
def overview(request):
    """The county overview: public signed agreements by area, municipality, party, sector and year."""
    form, filters = _filters(request)
    agreements = selectors.filtered(permissions.public_agreements(), filters)
    context = {
        "form": form,
        "overview": selectors.overview(agreements, years=_years()),
        "totals": selectors.contribution_totals(agreements),
        "formats": [f for f in FORMATS if f != "json"],
        "query": request.GET.urlencode(),
        "trainings": selectors.trainings(
            [filters.priority_area]
            if filters.priority_area
            else list(agreements.values_list("priority_areas", flat=True).exclude(priority_areas=None).distinct())
        ),
    }
    return render(request, "agreements/overview.html", context)


@login_not_required
@personal_data
def agreement_detail(request, pk: int):
    agreement = loaders.visible_agreement(request.user, pk)
    can_manage = permissions.can_manage_agreement(request.user, agreement)
    try:
        assessment = agreement.assessment
    except LegalAssessment.DoesNotExist:
        assessment = None
    context = {
        "agreement": agreement,
        "can_manage": can_manage,
        "parties": list(agreement.parties.all()),
        "contributions": selectors.agreement_contributions(agreement),
        "totals": selectors.contribution_totals(
            permissions.agreements_visible_to(request.user).filter(pk=agreement.pk)
        ),
        "assessment": assessment,
        "gaps": gap_messages(assessment_gaps(agreement, assessment))
        if can_manage and agreement.is_editable and agreement.kind == Agreement.Kind.IOP
        else [],
        "invitations": [p for p in agreement.parties.all() if permissions.can_answer_party_invitation(request.user, p)],
    }
    return render(request, "agreements/agreement_detail.html", context)


@login_not_required
def agreement_document(request, pk: int):
    document = get_object_or_404(AgreementDocument.objects.select_related("agreement"), pk=pk)
    if not permissions.can_view_agreement(request.user, document.agreement):
        raise Http404
    return serve_file(
        document.file,
        filename=f"dokument-{document.pk}.{document.extension}",
        content_type=document.content_type,
        as_attachment=True,
    )


def _party_names(agreement) -> str:
    return "; ".join(p.organisation.name for p in agreement.accepted_parties)


AGREEMENT_COLUMNS = [
    Column("id", _("Id"), lambda a: a.pk),
    Column("title", _("Namn"), lambda a: a.title),
    Column("kind", _("Slag"), lambda a: a.get_kind_display()),
    Column("status", _("Status"), lambda a: a.get_status_display()),
    Column("owner", _("Ansvarig part"), lambda a: a.owner.name),
    Column("parties", _("Parter"), _party_names),
    Column("municipality", _("Kommun"), lambda a: a.municipality.name if a.municipality_id else ""),
    Column(
        "priority_areas",
        _("Prioriterade aktivitetsområden"),
        lambda a: "; ".join(p.code for p in a.priority_areas.all()),
    ),
    Column("starts_on", _("Gäller från"), lambda a: a.starts_on),
    Column("ends_on", _("Gäller till"), lambda a: a.ends_on),
    Column("signed_on", _("Undertecknad"), lambda a: a.signed_on),
    Column("deciding_body", _("Beslutande organ"), lambda a: a.deciding_body),
    Column("case_number", _("Diarienummer"), lambda a: a.case_number),
]
TOTAL_COLUMNS = [
    Column("organisation", _("Part"), lambda t: t.organisation),
    Column("sector", _("Sektor"), lambda t: t.sector),
    Column("year", _("År"), lambda t: t.year),
    Column("money_sek", _("Pengar (kr)"), lambda t: t.totals.money_sek),
    Column("in_kind_sek", _("I annan form (kr)"), lambda t: t.totals.in_kind_sek),
    Column("value_sek", _("Totalt värde (kr)"), lambda t: t.totals.value_sek),
    Column("hours", _("Timmar"), lambda t: t.totals.hours),
]


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404
    return fmt


@login_not_required
def agreements_export(request, fmt: str):
    _format(fmt)
    _, filters = _filters(request)
    agreements = selectors.agreement_list(selectors.filtered(permissions.public_agreements(), filters))
    return tabular_response(fmt, AGREEMENT_COLUMNS, agreements, "overenskommelser")


@login_not_required
def contributions_export(request, fmt: str):
    _format(fmt)
    _, filters = _filters(request)
    totals = selectors.contribution_totals(selectors.filtered(permissions.public_agreements(), filters))
    return tabular_response(fmt, TOTAL_COLUMNS, totals, "bidrag-per-part-och-ar")
