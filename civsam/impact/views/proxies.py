"""The library of financial proxies: the public list with KPI indexing and its downloads, and the
staff's forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civsam.core.exports import FORMATS, Column, tabular_response
from civsam.core.loading import require

from .. import permissions, selectors, services
from ..forms import ProxyForm, ProxySearchForm
from ..kpi import KpiYearMissing, index_value, kpi_table
from ..models import FinancialProxy
from .common import changeable_proxy, errors_to_form


def _indexed(proxy: FinancialProxy, year: int | None) -> Decimal | None:
    if year is None:
        return None
    try:
        return index_value(proxy.value, from_year=proxy.price_year, to_year=year, table=kpi_table().values)
    except KpiYearMissing:
        return None


def _proxy_query(request) -> tuple[ProxySearchForm, Any, int | None]:
    form = ProxySearchForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    qs = selectors.proxy_search(user=request.user, q=data.get("q") or "", category=data.get("category") or "")
    return form, qs, data.get("index_year")


@login_not_required
def proxy_list(request):
    form, qs, year = _proxy_query(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for proxy in page.object_list:
        proxy.indexed_value = _indexed(proxy, year)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "index_year": year,
        "query": query.urlencode(),
        "formats": FORMATS,
        "kpi": kpi_table(),
        "can_create": permissions.can_create_proxy(request.user),
    }
    return render(request, "impact/proxy_list.html", context)


@login_not_required
def proxy_export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    _form, qs, year = _proxy_query(request)
    columns = [
        Column("namn", _("Namn"), lambda p: p.name),
        Column("beskrivning", _("Beskrivning"), lambda p: p.description),
        Column("kategori", _("Kategori"), lambda p: p.category),
        Column("enhet", _("Enhet"), lambda p: p.unit),
        Column("varde", _("Värde"), lambda p: p.value),
        Column("valuta", _("Valuta"), lambda p: p.currency),
        Column("prisar", _("Prisår"), lambda p: p.price_year),
        Column("kalla", _("Källa"), lambda p: p.source),
        Column("kalla_url", _("Länk till källan"), lambda p: p.source_url),
        Column("illustrativt", _("Illustrativt exempel"), lambda p: p.is_illustrative),
    ]
    if year is not None:
        columns.append(
            Column(f"varde_{year}", _("Värde i %(year)s års priser") % {"year": year}, lambda p: _indexed(p, year))
        )
    # JSON keeps amounts exact as text; CSV and XLSX get numbers.
    if fmt == "json":
        columns = [
            Column(c.key, c.label, (lambda get: lambda p: None if get(p) is None else str(get(p)))(c.get))
            if c.key.startswith("varde")
            else c
            for c in columns
        ]
    return tabular_response(fmt, columns, qs.iterator(), "finansiella-proxyer")


def proxy_create(request):
    require(permissions.can_create_proxy(request.user))
    form = ProxyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proxy_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Proxyn är sparad."))
            return redirect("impact:proxy-list")
    return render(request, "impact/proxy_form.html", {"form": form, "proxy": None})


def proxy_edit(request, pk: int):
    proxy = changeable_proxy(request, pk)
    # The form edits its own copy, so that a refused save leaves `proxy` as it is stored.
    form = ProxyForm(request.POST or None, instance=FinancialProxy.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.proxy_update(actor=request.user, proxy=proxy, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("impact:proxy-list")
    return render(request, "impact/proxy_form.html", {"form": form, "proxy": proxy})
