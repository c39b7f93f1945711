"""The duplicates workflow's pages (ADR 0106): the queue, a pair side by side, merge or dismiss.

Kept apart from views.py, which holds the directory and organisation pages."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.loading import require
from civsam.core.models import Municipality

from . import duplicates as similarity
from . import loaders, permissions, selectors, services
from .models import DuplicateCandidate, Organisation, OrganisationMerge
from .services.merging import CHOICES

SIDES = ("first", "second")


def duplicates(request):
    require(permissions.can_review_duplicates(request.user))
    visible = permissions.duplicates_visible_to(request.user)
    open_pairs = visible.filter(status=DuplicateCandidate.Status.OPEN)
    # A filter by municipality, among those that have pairs to review.
    municipalities = list(Municipality.objects.filter(pk__in=open_pairs.values("first__municipality")).order_by("name"))
    chosen = request.GET.get("kommun", "")
    municipality = next((m for m in municipalities if m.code == chosen), None)
    if municipality is not None:
        open_pairs = open_pairs.filter(first__municipality=municipality)
    candidates = open_pairs.select_related("first__municipality", "second__municipality").order_by("-similarity", "id")
    page = Paginator(candidates, 50).get_page(request.GET.get("page"))
    # Decisions that can be undone: pairs marked, and merges still within reach (ADR 0117).
    decided = (
        visible.exclude(status=DuplicateCandidate.Status.OPEN)
        .select_related("first", "second", "reviewed_by")
        .order_by("-reviewed_at", "-id")[:20]
    )
    since = timezone.now() - datetime.timedelta(days=services.UNDO_DAYS)
    recent = OrganisationMerge.objects.filter(undone_at__isnull=True, at__gte=since).select_related(
        "kept__municipality", "actor"
    )[:100]
    merges = [
        m
        for m in recent
        if permissions.can_merge_organisations(request.user, m.kept, m.kept) and not services.merge_undo_refusal(m)
    ][:20]
    context = {
        "page": page,
        "open_count": page.paginator.count,
        "decided": decided,
        "merges": merges,
        "undo_days": services.UNDO_DAYS,
        "municipalities": municipalities,
        "municipality": municipality,
    }
    return render(request, "registry/duplicates.html", context)


@require_POST
def merge_undo(request, pk: int):
    merge = get_object_or_404(OrganisationMerge.objects.select_related("kept"), pk=pk)
    require(permissions.can_merge_organisations(request.user, merge.kept, merge.kept))
    try:
        restored = services.organisation_merge_undo(actor=request.user, merge=merge)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("registry:duplicates")
    messages.success(
        request,
        _("Sammanslagningen är ångrad: %(name)s finns igen, med det som flyttades.") % {"name": restored.name},
    )
    return redirect(restored.get_absolute_url())


def _shown(organisation: Organisation, field: str) -> str:
    value = getattr(organisation, field)
    if field == "orgnr":
        return organisation.orgnr_display
    if isinstance(value, bool):
        return str(_("Ja") if value else _("Nej"))
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0") if field == "member_count" else str(value)
    return str(value)


def _choice_text(organisation: Organisation, fields: tuple[str, ...]) -> str:
    text = _shown(organisation, fields[0])
    if len(fields) == 3 and getattr(organisation, fields[0]):
        source, checked = _shown(organisation, fields[1]), _shown(organisation, fields[2])
        text = _("%(yes)s (källa: %(source)s, kontrollerad %(checked)s)") % {
            "yes": text,
            "source": source,
            "checked": checked,
        }
    return text


def _rows(candidate: DuplicateCandidate, data=None) -> list[dict]:
    rows = []
    for key, fields in CHOICES.items():
        first, second = (_choice_text(candidate.first, fields), _choice_text(candidate.second, fields))
        same = all(getattr(candidate.first, f) == getattr(candidate.second, f) for f in fields)
        label = str(Organisation._meta.get_field(fields[0]).verbose_name)
        chosen = (data or {}).get(f"choose_{key}")
        rows.append(
            {
                "key": key,
                "label": label[:1].upper() + label[1:],
                "first": first,
                "second": second,
                "same": same,
                # Preselected: the non-empty value, else the first (the older record).
                "chosen": chosen if chosen in SIDES else ("second" if first == "–" and second != "–" else "first"),
            }
        )
    return rows


def _compare(request, candidate: DuplicateCandidate, *, error: str = "", status: int = 200):
    first, second = candidate.first, candidate.second
    context = {
        "candidate": candidate,
        "rows": _rows(candidate, request.POST if request.method == "POST" else None),
        "folded": (similarity.fold(first.name), similarity.fold(second.name)),
        "references": (selectors.organisation_reference_counts(first), selectors.organisation_reference_counts(second)),
        "keep": request.POST.get("keep") if request.method == "POST" else "",
        "error": error,
        "can_merge": permissions.can_merge_organisations(request.user, first, second),
    }
    return render(request, "registry/duplicate_compare.html", context, status=status)


def duplicate_compare(request, pk: int):
    candidate = loaders.resolvable_duplicate(request.user, pk)
    return _compare(request, candidate)


@require_POST
def duplicate_merge(request, pk: int):
    candidate = loaders.resolvable_duplicate(request.user, pk)
    keep_side = request.POST.get("keep")
    if keep_side not in SIDES:
        return _compare(request, candidate, error=_("Välj vilken organisation som ska finnas kvar."), status=400)
    remove_side = "second" if keep_side == "first" else "first"
    keep, remove = getattr(candidate, keep_side), getattr(candidate, remove_side)
    take = [key for key in CHOICES if request.POST.get(f"choose_{key}") == remove_side]
    try:
        merge = services.organisations_merge(
            actor=request.user, keep=keep, remove=remove, take=take, similarity=candidate.similarity
        )
    except ValidationError as exc:
        return _compare(request, candidate, error=" ".join(exc.messages), status=400)
    messages.success(
        request,
        _("%(merged)s är sammanslagen med %(kept)s. Historiken finns kvar under Ändringshistorik.")
        % {"merged": merge.merged_name, "kept": merge.kept.name},
    )
    return redirect(merge.kept.get_absolute_url())


@require_POST
def duplicate_resolve(request, pk: int):
    candidate = loaders.resolvable_duplicate(request.user, pk)
    try:
        services.duplicate_resolve(actor=request.user, candidate=candidate, status=request.POST.get("status", ""))
    except ValidationError:
        # The page only offers the valid decisions; anything else is a tampered request.
        return HttpResponseBadRequest(_("Ogiltigt beslut."))
    if candidate.status == DuplicateCandidate.Status.DISTINCT:
        messages.success(request, _("Paret är markerat som inte dubbletter och visas inte längre i listan."))
    elif candidate.status == DuplicateCandidate.Status.OPEN:
        messages.success(request, _("Beslutet är ångrat; paret finns i listan igen."))
    else:
        messages.success(request, _("Beslutet är sparat."))
    return redirect("registry:duplicates")
