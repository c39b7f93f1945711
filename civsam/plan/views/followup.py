"""The public follow-up (genomförande) page, the initiative page, and registering initiatives."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.exports import FORMATS, tabular_response
from civsam.core.history import readable_changes
from civsam.core.loading import require
from civsam.core.selectors import history_for
from civsam.registry.models import Organisation

from .. import extensions, forms, loaders, permissions, selectors, services
from ..exports import export_columns, export_prefetch
from ..models import Initiative, Plan


def _filters(request, plan: Plan) -> tuple[forms.FollowUpFilterForm, selectors.InitiativeFilter]:
    in_plan = selectors.initiatives_filter(Initiative.objects.all(), selectors.InitiativeFilter(plan=plan))
    organisations = (
        Organisation.objects.filter(Q(led_initiatives__in=in_plan) | Q(partner_initiatives__in=in_plan))
        .distinct()
        .order_by("name")
        .only("pk", "name")
    )
    form = forms.FollowUpFilterForm(request.GET or None, plan=plan, organisations=organisations)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    flt = selectors.InitiativeFilter(
        focus_area=data.get("focus_area"),
        status=data.get("status") or None,
        municipality=data.get("municipality") or None,
        organisation_id=data.get("organisation"),
        year=data.get("year"),
        frame_tag=data.get("frame") or None,
    )
    return form, flt


# Above this many initiatives on the page, each priority area's list is fetched when it is opened
# (htmx), so that the page does not grow with the number of initiatives (docs/performance.md).
LAZY_LIST_THRESHOLD = 200


@login_not_required
def followup(request, slug: str):
    plan = selectors.plan_with_tree(slug)
    form, flt = _filters(request, plan)
    tree = selectors.plan_progress(plan, flt)
    if flt.focus_area is not None:
        tree.focus_areas = [row for row in tree.focus_areas if row.focus_area.number == flt.focus_area]
    context = {
        "plan": plan,
        "tree": tree,
        "form": form,
        "filtered": not flt.is_empty,
        "query": request.GET.urlencode(),
        "can_create": permissions.can_create_initiative(request.user),
        "can_import": permissions.can_import_initiatives(request.user),
        "formats": FORMATS,
        "lazy": tree.initiative_count > LAZY_LIST_THRESHOLD,
    }
    return render(request, "plan/followup.html", context)


@login_not_required
def followup_area(request, slug: str, area_id: int):
    """One priority area's initiatives with their rolled-up progress, under the page's filters."""
    plan = selectors.plan_with_tree(slug)
    if not any(pa.pk == area_id for fa in plan.focus_areas.all() for pa in fa.priority_areas.all()):
        raise Http404
    _form, flt = _filters(request, plan)
    tree = selectors.plan_progress(plan, selectors.InitiativeFilter(**{**flt.__dict__, "priority_area_id": area_id}))
    rows = next(row for fa in tree.focus_areas for row in fa.areas if row.area.pk == area_id)
    return render(request, "plan/_initiative_rows.html", {"rows": rows.initiatives})


@login_not_required
def followup_current(request):
    """The navigation's entry point: the follow-up of the plan in force today (plan/in_force.py);
    before any plan has come into force, the newest adopted one, or the newest at all."""
    plan = (
        selectors.plan_in_force(timezone.localdate())
        or Plan.objects.filter(status=Plan.Status.ADOPTED).order_by("-start_year").first()
        or Plan.objects.first()
    )
    if plan is None:
        raise Http404
    return redirect("plan:followup", plan.slug)


@login_not_required
def followup_export(request, slug: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    plan = selectors.plan_with_tree(slug)
    _form, flt = _filters(request, plan)
    rows = (
        selectors.initiative_list(selectors.InitiativeFilter(**{**flt.__dict__, "plan": plan}))
        .select_related("parent")
        .prefetch_related("principles", "roles", "frame_tags", "partner_organisations", *export_prefetch())
    )
    return tabular_response(fmt, export_columns(), rows, f"insatser-{plan.slug}")


def timeline(entries) -> list[dict]:
    """Audit entries with the changed fields named in words, without who made them (public page)."""
    labels = {f.name: f.verbose_name for f in Initiative._meta.get_fields() if hasattr(f, "verbose_name")}
    labels.update(
        {
            "milestones": _("delmål"),
            "funding": _("finansiering"),
            "outputs": _("resultat"),
            "links": _("länkar"),
            "verified": _("verifierad"),
            # Entries from before the meetings app owned the link to meetings.
            "events": _("möten"),
        }
    )
    rows = []
    for entry in entries:
        changes = entry.changes if entry.action == "update" else {}
        rows.append(
            {
                "at": entry.at,
                "action": entry.get_action_display(),
                "note": entry.note,
                "changes": readable_changes(Initiative, changes, labels=labels),
            }
        )
    return rows


@login_not_required
def initiative_detail(request, pk: int):
    initiative = selectors.initiative_detail(pk)
    if initiative is None:
        raise Http404
    participants = {}
    for row in initiative.participants.all():
        participants.setdefault(row.year, 0)
        participants[row.year] += row.count
    context = {
        "initiative": initiative,
        "milestones": list(initiative.milestones.all()),
        "history": timeline(history_for(initiative)[:100]),
        "participant_years": sorted(participants.items()),
        "indicators": [selectors.series_for(ind) for ind in initiative.indicators.all()],
        "can_change": permissions.can_change_initiative(request.user, initiative),
        "can_verify": permissions.can_verify_initiative(request.user, initiative),
        "plans": sorted({pa.focus_area.plan for pa in initiative.priority_areas.all()}, key=lambda p: -p.start_year),
        "frame_tags": selectors.frame_tags().filter(pk__in=selectors.effective_tag_ids([initiative])[initiative.pk]),
        "own_frame_tag_ids": {tag.pk for tag in initiative.frame_tags.all()},
    }
    return render(request, "plan/initiative_detail.html", context)


def _formsets(request, initial=None):
    data = request.POST if request.method == "POST" else None
    initial = initial or {}
    # Funding is no longer typed as free text here: the funding app's part of the form (its lines
    # by source and year, ADR 0103) takes its place; the old text is kept, shown and left as it is.
    return {
        "milestones": forms.MilestoneFormSet(data, prefix="milestones", initial=initial.get("milestones")),
        "outputs": forms.OutputFormSet(data, prefix="outputs", initial=initial.get("outputs")),
        "links": forms.LinkFormSet(data, prefix="links", initial=initial.get("links")),
    }


def _parts(request, initiative=None) -> list:
    data = request.POST if request.method == "POST" else None
    return extensions.form_parts(data=data, initiative=initiative, user=request.user)


def _children(formsets) -> dict:
    return {
        "milestones": forms.milestones_from(formsets["milestones"]),
        "outputs": forms.outputs_from(formsets["outputs"]),
        "links": forms.links_from(formsets["links"]),
    }


def _all_valid(form, formsets, parts) -> bool:
    # Every one checked, so that each shows its errors at once.
    results = [form.is_valid(), *(fs.is_valid() for fs in formsets.values()), *(p.is_valid() for p in parts)]
    return all(results)


def _form_context(form, formsets, parts, initiative) -> dict:
    with_errors = [p for p in parts if p.has_errors()]
    return {
        "form": form,
        "formsets": formsets,
        "parts": parts,
        # The error summary counts a part's rows as it counts the plan's own formsets.
        "summary_formsets": [*formsets.values(), *(p.formset for p in with_errors)],
        "part_errors": [message for p in with_errors for message in p.other_errors],
        "initiative": initiative,
    }


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def initiative_create(request):
    require(permissions.can_create_initiative(request.user))
    # "Registrera en insats här" on a priority area's page comes with the area ticked.
    area = request.GET.get("aktivitetsomrade", "")
    initial = {"priority_areas": [int(area)]} if area.isdigit() else {}
    form = forms.InitiativeForm(request.POST or None, user=request.user, initial=initial)
    formsets = _formsets(request)
    parts = _parts(request)
    if request.method == "POST" and _all_valid(form, formsets, parts):
        try:
            with transaction.atomic():
                initiative = services.initiative_create(
                    actor=request.user, **form.service_fields(), **_children(formsets)
                )
                for part in parts:
                    part.save(actor=request.user, initiative=initiative)
        except extensions.PartRejected:
            pass  # the part shows its errors
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Insatsen är registrerad."))
            return redirect(initiative)
    return render(request, "plan/initiative_form.html", _form_context(form, formsets, parts, None))


def initiative_edit(request, pk: int):
    initiative = loaders.changeable_initiative(request.user, pk)
    form = forms.InitiativeForm(
        request.POST or None,
        user=request.user,
        initiative=initiative,
        initial=forms.InitiativeForm.initial_for(initiative),
    )
    formsets = _formsets(request, forms.formset_initial(initiative))
    parts = _parts(request, initiative)
    if request.method == "POST" and _all_valid(form, formsets, parts):
        data = form.service_fields()
        data.setdefault("lead_name", initiative.lead_name)
        try:
            with transaction.atomic():
                services.initiative_update(
                    actor=request.user,
                    initiative=initiative,
                    expected_version=form.cleaned_data["version"] or None,
                    **data,
                    **_children(formsets),
                )
                for part in parts:
                    part.save(actor=request.user, initiative=initiative)
        except extensions.PartRejected:
            pass  # the part shows its errors
        except services.InitiativeChanged as exc:
            form.stale(exc.current_version)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(initiative)
    return render(request, "plan/initiative_form.html", _form_context(form, formsets, parts, initiative))


@require_POST
def initiative_verify(request, pk: int):
    initiative = loaders.verifiable_initiative(request.user, pk)
    verified = request.POST.get("verified", "1") == "1"
    services.initiative_verify(actor=request.user, initiative=initiative, verified=verified)
    messages.success(request, _("Insatsen är verifierad.") if verified else _("Verifieringen är borttagen."))
    return redirect(initiative)
