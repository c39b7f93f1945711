"""The market's pages: offers (public search, the organisation's own editing, contact through the
platform), procurement records (public, with the OCDS export) and the share of spend (public
figures, the buyer's upload, the methodology)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core import ratelimit
from civsam.core.exports import FORMATS, Column, tabular_response
from civsam.core.models import Municipality
from civsam.registry.models import Organisation

from . import permissions, selectors, services
from .forms import ContactForm, OfferForm, OfferSearchForm, ProcurementForm, SpendUploadForm, buyer_key
from .models import Buyer, SpendLayer

# --- Offers ----------------------------------------------------------------------------------------


@login_not_required
def offer_list(request):
    divisions = list(selectors.cpv_divisions())
    form = OfferSearchForm(request.GET or None, divisions=divisions)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    filters = selectors.OfferFilter(
        q=data.get("q", ""),
        category=data.get("category", ""),
        municipality=data.get("municipality", ""),
        cpv_division=data.get("cpv", ""),
        work_integration=bool(data.get("work_integration")),
        verified=data.get("verified", ""),
    )
    page = Paginator(selectors.offer_list(user=request.user, filters=filters), 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "market/offer_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_publish": permissions.organisations_offering_for(request.user).exists(),
        },
    )


def _offer_or_404(request, pk: int):
    offer = selectors.offer_detail(user=request.user, pk=pk)
    if offer is None:
        raise Http404(_("Erbjudandet finns inte."))
    return offer


@login_not_required
def offer_detail(request, pk: int):
    offer = _offer_or_404(request, pk)
    return render(
        request,
        "market/offer_detail.html",
        {
            "offer": offer,
            "verification": selectors.verification(offer.organisation),
            "can_edit": permissions.can_edit_offer(request.user, offer),
            "contact_form": ContactForm() if permissions.can_contact_offer(request.user, offer) else None,
        },
    )


@login_not_required
@ratelimit.limit("market-contact", "10/h")
def offer_contact(request, pk: int):
    offer = _offer_or_404(request, pk)
    if not permissions.can_contact_offer(request.user, offer):
        raise PermissionDenied
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_message_send(actor=request.user, offer=offer, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request, _("Ditt meddelande är skickat till %(name)s.") % {"name": offer.organisation.name}
            )
            return redirect(offer.get_absolute_url())
    return render(request, "market/offer_contact.html", {"offer": offer, "form": form})


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def offer_create(request):
    if not permissions.organisations_offering_for(request.user).exists():
        raise PermissionDenied(_("Du företräder ingen organisation som kan publicera erbjudanden."))
    form = OfferForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_create(
                actor=request.user, organisation=form.cleaned_data["organisation"], data=form.offer_data()
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Erbjudandet är sparat."))
            return redirect(offer.get_absolute_url())
    return render(request, "market/offer_form.html", {"form": form, "offer": None})


def offer_edit(request, pk: int):
    offer = _offer_or_404(request, pk)
    if not permissions.can_edit_offer(request.user, offer):
        raise PermissionDenied
    form = OfferForm(request.POST or None, user=request.user, offer=offer)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_update(actor=request.user, offer=offer, data=form.offer_data())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Erbjudandet är sparat."))
            return redirect(offer.get_absolute_url())
    return render(request, "market/offer_form.html", {"form": form, "offer": offer})


@require_POST
def offer_confirm(request, pk: int):
    offer = _offer_or_404(request, pk)
    if not permissions.can_edit_offer(request.user, offer):
        raise PermissionDenied
    services.offer_confirm(actor=request.user, offer=offer)
    messages.success(request, _("Tack! Erbjudandet är bekräftat som aktuellt."))
    return redirect(offer.get_absolute_url())


# --- Buyers ------------------------------------------------------------------------------------------


def buyer_choices(user) -> list[tuple[str, str]]:
    choices = [(f"m{m.code}", m.body_name) for m in permissions.buyer_municipalities_for(user)]
    choices += [(f"o{o.pk}", o.name) for o in permissions.buyer_organisations_for(user)]
    return choices


def buyer_from_key(user, key: str) -> Buyer:
    """The buyer a form's choice names, made on first use; PermissionDenied unless the user acts for it."""
    if key.startswith("m"):
        municipality = Municipality.objects.filter(code=key[1:]).first()
        if municipality is None or not permissions.buyer_municipalities_for(user).filter(pk=municipality.pk).exists():
            raise PermissionDenied
        return services.buyer_get_or_create(municipality=municipality)
    organisation = Organisation.objects.filter(pk=int(key[1:]) if key[1:].isdigit() else 0).first()
    if organisation is None or not permissions.buyer_organisations_for(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    return services.buyer_get_or_create(organisation=organisation)


# --- Procurement -----------------------------------------------------------------------------------------


@login_not_required
def procurement_list(request):
    reserved = {"ja": True, "nej": False}.get(request.GET.get("reserverad", ""))
    page = Paginator(selectors.procurement_list(user=request.user, reserved=reserved), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "market/procurement_list.html",
        {"page": page, "reserved": reserved, "can_record": permissions.acts_for_some_buyer(request.user)},
    )


@login_not_required
def procurement_detail(request, pk: int):
    procurement = selectors.procurement_detail(user=request.user, pk=pk)
    if procurement is None:
        raise Http404(_("Upphandlingen finns inte."))
    return render(
        request,
        "market/procurement_detail.html",
        {"procurement": procurement, "can_edit": permissions.can_edit_procurement(request.user, procurement)},
    )


def procurement_create(request):
    buyers = buyer_choices(request.user)
    if not buyers:
        raise PermissionDenied(_("Du företräder ingen offentlig köpare."))
    form = ProcurementForm(request.POST or None, buyers=buyers)
    if request.method == "POST" and form.is_valid():
        buyer = buyer_from_key(request.user, form.cleaned_data["buyer"])
        try:
            procurement = services.procurement_create(actor=request.user, buyer=buyer, data=form.procurement_data())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Upphandlingen är sparad."))
            return redirect(procurement.get_absolute_url())
    return render(request, "market/procurement_form.html", {"form": form, "procurement": None})


def procurement_edit(request, pk: int):
    procurement = selectors.procurement_detail(user=request.user, pk=pk)
    if procurement is None:
        raise Http404
    if not permissions.can_edit_procurement(request.user, procurement):
        raise PermissionDenied
    buyers = [(buyer_key(procurement.buyer), procurement.buyer.name)]
    form = ProcurementForm(request.POST or None, buyers=buyers, procurement=procurement)
    if request.method == "POST" and form.is_valid():
        try:
            services.procurement_update(actor=request.user, procurement=procurement, data=form.procurement_data())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Upphandlingen är sparad."))
            return redirect(procurement.get_absolute_url())
    return render(request, "market/procurement_form.html", {"form": form, "procurement": procurement})


@login_not_required
def procurement_ocds(request):
    package = selectors.ocds_package(selectors.procurement_list(user=request.user), uri=request.build_absolute_uri())
    response = HttpResponse(json.dumps(package, ensure_ascii=False, indent=1), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="upphandlingar-ocds.json"'
    return response


# --- Share of spend ---------------------------------------------------------------------------------------


@login_not_required
def spend_share(request):
    buyer = None
    if request.GET.get("kopare", "").isdigit():
        buyer = selectors.buyer_list().filter(pk=int(request.GET["kopare"])).first()
    return render(
        request,
        "market/spend_share.html",
        {
            "shares": selectors.spend_shares(buyer=buyer),
            "buyers": selectors.spend_share_buyers(),
            "buyer": buyer,
            "formats": FORMATS,
            "can_upload": bool(buyer_choices(request.user)) if request.user.is_authenticated else False,
        },
    )


SHARE_COLUMNS = [
    Column("buyer", "köpare", lambda r: r["buyer"]),
    Column("year", "år", lambda r: r["year"]),
    Column("layer", "lager", lambda r: r["layer"]),
    Column("layer_label", "lagrets namn", lambda r: r["label"]),
    Column("amount", "belopp (kr)", lambda r: r["amount"]),
    Column("total", "alla inköp (kr)", lambda r: r["total"]),
    Column("share", "andel", lambda r: r["share"]),
    Column("suppliers", "leverantörer", lambda r: r["suppliers"]),
]


def share_rows(shares) -> list[dict]:
    return [
        {
            "buyer": item.buyer.name,
            "year": year.year,
            "layer": layer,
            "label": label,
            "amount": cell.amount,
            "total": year.total,
            "share": None if cell.share is None else round(cell.share, 6),
            "suppliers": cell.suppliers,
        }
        for item in shares
        for year in item.years
        for layer, label, cell in year.cells
    ]


@login_not_required
def spend_share_export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    return tabular_response(fmt, SHARE_COLUMNS, share_rows(selectors.spend_shares()), "andel-av-inkop")


@login_not_required
def spend_methodology(request):
    return render(request, "market/spend_methodology.html", {"layers": SpendLayer.choices})


def spend_upload(request):
    buyers = buyer_choices(request.user)
    if not buyers:
        raise PermissionDenied(_("Du företräder ingen offentlig köpare."))
    form = SpendUploadForm(request.POST or None, request.FILES or None, buyers=buyers)
    result = None
    if request.method == "POST" and form.is_valid():
        buyer = buyer_from_key(request.user, form.cleaned_data["buyer"])
        upload_file = form.cleaned_data["file"]
        result = services.spend_file_import(
            actor=request.user,
            buyer=buyer,
            file=upload_file.file,
            file_name=upload_file.name,
            keep_rows=form.cleaned_data["keep_rows"],
        )
        if result.upload is not None:
            messages.success(
                request,
                _("Filen är inläst: %(rows)s fakturarader, %(first)s–%(last)s.")
                % {"rows": result.rows, "first": result.upload.first_year, "last": result.upload.last_year},
            )
            return redirect(reverse("market:spend-share") + f"?kopare={buyer.pk}")
    return render(request, "market/spend_upload.html", {"form": form, "result": result})
