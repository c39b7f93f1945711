"""The public grant register: search, filters, paging, exports; and the import of decision lists."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from civsam.core.exports import FORMATS, Column, csv_stream, tabular_response
from civsam.core.loading import require
from civsam.core.privacy import personal_data
from civsam.core.tabular import ImportFileError
from civsam.registry import orgnr as orgnr_rules
from civsam.registry.paging import CappedPaginator

from .. import grant_import, permissions, selectors, services
from ..exports import DECISION_COLUMNS, threesixty_package
from ..forms import GrantImportForm, RegisterForm
from ..models import GrantForm

EXPORT_FORMATS = (*FORMATS, "360giving")
# A download holds at most this many rows of the filtered register (in its order); the API pages through all.
EXPORT_MAX_ROWS = 200_000


def register_filters(request) -> tuple[RegisterForm, selectors.RegisterFilter]:
    form = RegisterForm(request.GET or None, facets=selectors.register_facets())
    form.is_valid()
    # A bad value in one field drops that field only, not the whole search.
    data = getattr(form, "cleaned_data", {})
    recipient = ""
    if data.get("recipient"):
        try:
            recipient = orgnr_rules.normalise(data["recipient"])
        except orgnr_rules.OrgnrError as exc:
            form.add_error("recipient", str(exc))
    filters = selectors.RegisterFilter(
        q=data.get("q", ""),
        funder=tuple(data.get("funder", ())),
        programme=tuple(data.get("programme", ())),
        municipality=tuple(data.get("municipality", ())),
        recipient=recipient,
        legal_form=tuple(data.get("legal_form", ())),
        year=data.get("year"),
        amount_min=data.get("amount_min"),
        amount_max=data.get("amount_max"),
        sort=data.get("sort", ""),
    )
    return form, filters


@login_not_required
def register(request):
    form, filters = register_filters(request)
    qs = selectors.decision_register(user=request.user, filters=filters)
    paginator = CappedPaginator(qs, 25)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(selectors.with_listing_relations(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "formats": EXPORT_FORMATS,
        "grant_forms": dict(GrantForm.choices),
        "can_import": permissions.can_import_some_grant_decisions(request.user),
        "can_invite": permissions.can_view_recipient_contacts(request.user),
    }
    template = "funding/_register_results.html" if request.headers.get("HX-Request") else "funding/register.html"
    return render(request, template, context)


@login_not_required
def register_export(request, fmt: str):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    _form, filters = register_filters(request)
    qs = selectors.with_register_relations(selectors.decision_register(user=request.user, filters=filters))
    rows = qs[:EXPORT_MAX_ROWS]
    if fmt == "360giving":
        response = HttpResponse(
            json.dumps(threesixty_package(request, rows), ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="bidragsregistret-360giving.json"'
        return response
    return tabular_response(fmt, DECISION_COLUMNS, rows.iterator(chunk_size=2000), "bidragsregistret")


@login_not_required
def decision_detail(request, pk: int):
    decision = selectors.decision_detail(pk)
    if decision is None:
        raise Http404
    return render(
        request,
        "funding/decision_detail.html",
        {
            "decision": decision,
            "grant_form": GrantForm(decision.grant_form).label,
            "others": [
                d for d in selectors.decisions_for_recipient(decision.recipient, limit=11) if d.pk != decision.pk
            ][:10],
        },
    )


# --- Import -------------------------------------------------------------------------------------


def grant_import_page(request):
    require(permissions.can_import_some_grant_decisions(request.user))
    form = GrantImportForm(request.POST or None, request.FILES or None, user=request.user)
    summary, file_errors = None, []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        apply = request.POST.get("apply") == "1"
        try:
            summary = services.grant_decisions_import(
                actor=request.user,
                funder=form.cleaned_data["funder"],
                file_name=upload.name,
                data=upload.read(settings.IMPORT_MAX_BYTES + 1),
                apply=apply,
            )
        except (ImportFileError, ValidationError) as error:
            file_errors.append(str(error.messages[0] if isinstance(error, ValidationError) else error))
        else:
            if summary.applied:
                messages.success(
                    request,
                    _("Importen är klar: %(created)s nya och %(updated)s ändrade beslut.")
                    % {"created": summary.created, "updated": summary.updated},
                )
    return render(
        request,
        "funding/import.html",
        {"form": form, "summary": summary, "file_errors": file_errors, "max_errors": 200},
    )


def grant_import_template(request):
    require(permissions.can_import_some_grant_decisions(request.user))
    example = [
        "24KS123",
        "8020001234",
        "Exempelföreningen",
        "Föreningsbidrag",
        "",
        "verksamhetsbidrag",
        "60 000",
        "50 000",
        "50 000",
        "2025",
        "2024-12-10",
        "Verksamhet för unga",
    ]
    columns = [Column(name, name, lambda row, i=i: row[i]) for i, name in enumerate(grant_import.TEMPLATE_HEADER)]
    response = HttpResponse("".join(csv_stream(columns, [example])), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bidragsbeslut-mall.csv"'
    return response


# --- Inviting recipients ------------------------------------------------------------------------

RECIPIENT_COLUMNS = [
    Column("namn", "Namn", lambda c: c.name),
    Column("e-post", "E-post", lambda c: c.email),
    Column("organisationsnummer", "Organisationsnummer", lambda c: c.orgnr),
    Column("kommun", "Kommun", lambda c: c.municipality),
]


@personal_data
def register_recipients(request):
    """The filtered register's recipients with their organisations' own addresses, once each, for
    inviting them to the plan's dialogue meetings (an invitation list for the meetings pages)."""
    require(permissions.can_view_recipient_contacts(request.user))
    _form, filters = register_filters(request)
    contacts = selectors.grant_recipient_contacts(selectors.decision_register(user=request.user, filters=filters))
    body = "".join(csv_stream(RECIPIENT_COLUMNS, contacts, excel=True))  # an invitation list for people
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bidragsmottagare-excel.csv"'
    return response
