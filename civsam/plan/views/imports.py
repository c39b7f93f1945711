"""Import of initiatives and of indicator values: upload, check every row, write all or nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render

from civsam.core.loading import require

from .. import imports, permissions
from ..exports import INDICATOR_VALUE_COLUMNS, INITIATIVE_COLUMNS
from ..forms import ImportForm

KINDS = {
    "insatser": (imports.initiatives_import, permissions.can_import_initiatives, INITIATIVE_COLUMNS),
    "indikatorvarden": (imports.indicator_values_import, permissions.can_manage_indicators, INDICATOR_VALUE_COLUMNS),
}


def import_view(request, kind: str):
    if kind not in KINDS:
        raise Http404
    run, allowed, columns = KINDS[kind]
    require(allowed(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            result = run(actor=request.user, file_name=uploaded.name, data=uploaded.read())
        except ValidationError as exc:
            form.add_error("file", exc.messages)
    context = {"form": form, "result": result, "kind": kind, "columns": columns}
    return render(request, "plan/import.html", context)
