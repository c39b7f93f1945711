"""Registering an initiative on one short page (issue #14): title, organisation, municipality,
priority area, a short description and the period; the rest can be added later in the full form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civsam.core.loading import require

from .. import forms, permissions, services


def initiative_register(request):
    require(permissions.can_create_initiative(request.user))
    area = request.GET.get("aktivitetsomrade", "")
    requested = int(area) if area.isdigit() and len(area) < 10 else None
    plan = forms.plan_in_force()
    form = forms.InitiativeShortForm(request.POST or None, user=request.user, plan=plan, requested_area=requested)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_create(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            for field, errors in getattr(exc, "error_dict", {None: exc.error_list}).items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as exc:
            form.add_error("lead_organisation", str(exc))
        else:
            messages.success(
                request,
                _(
                    "Insatsen är registrerad. Du kan lägga till partner, delmål, finansiering och resultat "
                    "när du vill under Ändra insats."
                ),
            )
            return redirect(initiative)
    full = reverse("plan:initiative-create") + (f"?aktivitetsomrade={requested}" if requested else "")
    context = {"form": form, "plan": plan, "full_form_url": full}
    return render(request, "plan/initiative_short_form.html", context, status=400 if form.errors else 200)
