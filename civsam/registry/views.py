"""Pages of the register: the public directory, organisation pages, editing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.exports import FORMATS, tabular_response
from civsam.core.loading import require
from civsam.core.privacy import personal_data
from civsam.core.ratelimit import client_address
from civsam.core.rendering import pdf_status_response
from civsam.core.storage import serve_file

from . import exports, loaders, paging, permissions, selectors, services
from .forms import (
    ContactPersonForm,
    DirectoryForm,
    MergeForm,
    OrganisationForm,
    RegisterOrganisationForm,
    RepresentationDecisionForm,
    RepresentationRequestForm,
)
from .models import DirectoryExport, Organisation, RepresentationRequest


def _directory_filters(request) -> tuple[DirectoryForm, selectors.DirectoryFilter, int]:
    form = DirectoryForm(request.GET or None, facets=selectors.facet_options())
    form.is_valid()
    # A bad value in one field (say per_page=7) drops that field only, not the whole filter.
    data = getattr(form, "cleaned_data", {})
    filters = selectors.DirectoryFilter(
        q=data.get("q", ""),
        municipality=data.get("municipality", []),
        legal_form=data.get("legal_form", []),
        activity=data.get("activity", []),
        role=data.get("role", []),
        flags=data.get("flags", []),
        sector=data.get("sector", []),
        kind=data.get("kind", []),
        country=[data["country"]] if data.get("country") else [],
        no_orgnr=bool(data.get("no_orgnr")),
        sort=data.get("sort", ""),
    )
    return form, filters, data.get("per_page") or 20


@login_not_required
def directory(request):
    form, filters, per_page = _directory_filters(request)
    qs = selectors.organisation_directory(user=request.user, filters=filters)
    # The count stops above paging.COUNT_CAP matches ("fler än 1 000"): ADR 0041.
    paginator = paging.CappedPaginator(qs, per_page)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.with_listing_relations(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "formats": FORMATS,
        "can_create": permissions.can_create_organisation(request.user),
        "chips": form.active_filters(request.GET),
    }
    template = "registry/_results.html" if request.headers.get("HX-Request") else "registry/directory.html"
    return render(request, template, context)


@login_not_required
def directory_export(request, fmt: str):
    """The directory as a file. CSV and JSON are streamed whatever their size; an XLSX file of more
    than exports.XLSX_IMMEDIATE_ROWS rows is built by the worker: this answers with its status page
    (202) until it is made, then with the file."""
    if fmt not in FORMATS:
        raise Http404
    _form, filters, _ = _directory_filters(request)
    qs = selectors.organisation_directory(user=request.user, filters=filters)
    if fmt == "xlsx" and paging.capped_count(qs, exports.XLSX_IMMEDIATE_ROWS) > exports.XLSX_IMMEDIATE_ROWS:
        row = services.directory_export_request(
            actor=request.user,
            filters=filters,
            client_address=client_address(request),
            retry_failed=request.GET.get("retry") == "1",
        )
        if row.is_ready:
            return _export_file(row)
        return _export_status_page(request, row, status=202)
    rows = exports.iterate(selectors.with_listing_relations(qs))
    return tabular_response(fmt, exports.DIRECTORY_COLUMNS, rows, exports.FILENAME)


def _export_file(row: DirectoryExport):
    return serve_file(
        row.file,
        filename=f"{exports.FILENAME}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        private=row.audience != permissions.PUBLIC_AUDIENCE,
    )


def _export_status_page(request, row: DirectoryExport, *, status: int = 200):
    retry_query = QueryDict(mutable=True)
    retry_query.update({key: value for key, value in row.filters.items() if value and not isinstance(value, list)})
    for key, values in row.filters.items():
        if isinstance(values, list):
            retry_query.setlist(key, values)
    retry_query["retry"] = "1"
    context = {
        "status_url": reverse("registry:directory-export-status", args=[row.pk]),
        "file_url": reverse("registry:directory-export-file", args=[row.pk]),
        "retry_url": reverse("registry:directory-export", args=["xlsx"]) + "?" + retry_query.urlencode(),
    }
    return pdf_status_response(
        request, "registry/directory_export.html", context, row, status=status, partial="registry/_export_status.html"
    )


@login_not_required
def directory_export_status(request, pk: int):
    row = loaders.downloadable_directory_export(request.user, pk)
    return _export_status_page(request, row, status=202 if row.is_pending else 200)


@login_not_required
def directory_export_file(request, pk: int):
    row = loaders.downloadable_directory_export(request.user, pk)
    if not row.is_ready:
        return redirect("registry:directory-export-status", pk=row.pk)
    return _export_file(row)


@login_not_required
def organisation_detail(request, orgnr: str):
    try:
        organisation = loaders.viewable_organisation(request.user, orgnr)
    except Http404:
        # A Civsam identifier of an actor merged into another leads to the one it became (ADR 0097).
        merged = loaders.merged_into(orgnr)
        if merged is None:
            raise
        return redirect(merged, permanent=True)
    except PermissionDenied:
        # A page that is not in the open directory: staff following a link get the login page.
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    context = {
        "organisation": organisation,
        "can_change": permissions.can_change_organisation(request.user, organisation),
        "can_delete": permissions.can_delete_organisation(request.user, organisation),
        "can_view_contacts": permissions.can_view_contacts(request.user, organisation),
        "can_request_representation": permissions.can_request_representation(request.user, organisation),
        "can_merge": permissions.can_merge_actor(request.user, organisation),
        "can_manage_representatives": permissions.can_manage_representatives(request.user, organisation),
    }
    return render(request, "registry/organisation_detail.html", context)


def _contacts_page(request, organisation: Organisation, form: ContactPersonForm, *, status: int = 200):
    contacts = services.contacts_read(actor=request.user, organisation=organisation)
    for contact in contacts:
        contact.retention_ends = selectors.contact_retention_ends(contact)
    context = {
        "organisation": organisation,
        "contacts": contacts,
        "form": form,
        "can_change": permissions.can_change_organisation(request.user, organisation),
    }
    return render(request, "registry/organisation_contacts.html", context, status=status)


@personal_data
def organisation_contacts(request, orgnr: str):
    """Contact persons are shown on their own page so that every view of them is logged."""
    organisation = loaders.organisation_with_visible_contacts(request.user, orgnr)
    return _contacts_page(request, organisation, ContactPersonForm())


@personal_data
def organisation_history(request, orgnr: str):
    organisation = loaders.organisation_with_visible_history(request.user, orgnr)
    context = {
        "organisation": organisation,
        "entries": selectors.organisation_history(organisation)[:200],
        "merges": organisation.merges.select_related("actor"),
    }
    return render(request, "registry/organisation_history.html", context)


def _form_kwargs(user, organisation: Organisation | None = None) -> dict:
    return {
        "municipalities": permissions.organisation_municipalities_for(user, organisation),
        "can_edit_flags": permissions.can_change_organisation_flags(user, organisation),
    }


def _save_form(request, form, save):
    """Run a service with the form's data; map its validation errors back onto the form."""
    try:
        return save(form.cleaned_data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    return None


def organisation_create(request):
    require(permissions.can_create_organisation(request.user))
    form = OrganisationForm(request.POST or None, **_form_kwargs(request.user))
    if request.method == "POST" and form.is_valid():
        organisation = _save_form(request, form, lambda data: services.organisation_create(actor=request.user, **data))
        if organisation:
            messages.success(request, _("Organisationen är registrerad."))
            return redirect(organisation)
    return render(request, "registry/organisation_form.html", {"form": form, "organisation": None})


def organisation_edit(request, orgnr: str):
    organisation = loaders.changeable_organisation(request.user, orgnr)
    form = OrganisationForm(request.POST or None, instance=organisation, **_form_kwargs(request.user, organisation))
    if request.method == "POST" and form.is_valid():
        # The ModelForm has already written the values onto the instance; reload so the
        # service diffs against what is stored.
        updated = _save_form(
            request,
            form,
            lambda data: services.organisation_update(
                actor=request.user, organisation=Organisation.objects.get(pk=organisation.pk), **data
            ),
        )
        if updated:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(updated)
    return render(request, "registry/organisation_form.html", {"form": form, "organisation": organisation})


@require_POST
def organisation_delete(request, orgnr: str):
    organisation = loaders.deletable_organisation(request.user, orgnr)
    services.organisation_delete(actor=request.user, organisation=organisation)
    messages.success(request, _("Organisationen är borttagen."))
    return redirect("registry:directory")


@personal_data
@require_POST
def contact_add(request, orgnr: str):
    organisation = loaders.changeable_organisation(request.user, orgnr)
    form = ContactPersonForm(request.POST)
    if form.is_valid():
        services.contact_create(actor=request.user, organisation=organisation, **form.cleaned_data)
        messages.success(request, _("Kontaktpersonen är tillagd."))
        return redirect("registry:organisation-contacts", orgnr=orgnr)
    return _contacts_page(request, organisation, form, status=400)


@require_POST
def contact_confirm(request, orgnr: str, pk: int):
    contact = loaders.changeable_contact(request.user, orgnr, pk)
    services.contact_confirm(actor=request.user, contact=contact)
    messages.success(request, _("Uppgifterna är bekräftade."))
    return redirect("registry:organisation-contacts", orgnr=orgnr)


@require_POST
def contact_delete(request, orgnr: str, pk: int):
    contact = loaders.changeable_contact(request.user, orgnr, pk)
    services.contact_delete(actor=request.user, contact=contact)
    messages.success(request, _("Kontaktpersonen är borttagen."))
    return redirect("registry:organisation-contacts", orgnr=orgnr)


# Representation requests (ADR 0090) -------------------------------------------------------------


def representation_request_create(request, orgnr: str):
    organisation = loaders.viewable_organisation(request.user, orgnr)
    require(permissions.can_request_representation(request.user, organisation))
    pending = selectors.pending_representation_request(request.user, organisation)
    form = RepresentationRequestForm(request.POST or None)
    if pending is None and request.method == "POST" and form.is_valid():
        try:
            created = services.representation_request_create(
                actor=request.user,
                organisation=organisation,
                mandate=form.cleaned_data["mandate"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Din begäran är skickad. Du får besked per e-post och på Min sida."))
            return redirect(created.get_absolute_url())
    context = {"organisation": organisation, "form": form, "pending": pending}
    return render(request, "registry/representation_request_form.html", context, status=400 if form.errors else 200)


def representation_request(request, pk: int):
    """A request: the decision form for those who decide, withdrawal for the requester."""
    req = loaders.viewable_representation_request(request.user, pk)
    can_decide = permissions.can_decide_representation_request(request.user, req)
    can_withdraw = permissions.can_withdraw_representation_request(request.user, req)
    pending = req.status == RepresentationRequest.Status.PENDING
    form = RepresentationDecisionForm(request.POST or None) if can_decide and pending else None
    if request.method == "POST":
        if not pending:
            messages.error(request, _("Begäran är redan avgjord."))
            return redirect(req.get_absolute_url())
        if request.POST.get("withdraw") and can_withdraw:
            services.representation_request_decide(
                actor=request.user, request=req, status=RepresentationRequest.Status.WITHDRAWN
            )
            messages.success(request, _("Din begäran är återtagen."))
            return redirect("site:dashboard")
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.representation_request_decide(
                    actor=request.user,
                    request=req,
                    status=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Beslutet är sparat och den som bad har fått besked."))
                return redirect(req.get_absolute_url())
    context = {"req": req, "form": form, "can_withdraw": can_withdraw and pending}
    return render(
        request,
        "registry/representation_request.html",
        context,
        status=400 if form is not None and form.errors else 200,
    )


def representation_requests(request):
    """The staff queue: requests waiting for a decision, per municipality."""
    require(permissions.can_review_representation_requests(request.user))
    municipalities = permissions.representation_queue_municipalities(request.user)
    code = request.GET.get("kommun", "")
    chosen = municipalities.filter(code=code).first() if code else None
    Status, Mandate = RepresentationRequest.Status, RepresentationRequest.Mandate
    status = request.GET.get("status", "")
    status = status if status in (Status.APPROVED, Status.REJECTED) else Status.PENDING
    mandate = request.GET.get("uppdrag", "")
    mandate = mandate if mandate in Mandate.values else ""
    waiting = selectors.representation_requests_waiting(
        request.user, municipality=chosen, status=status, mandate=mandate
    )
    page = Paginator(waiting, 50).get_page(request.GET.get("page"))
    query = QueryDict(mutable=True)
    for key, value in (("kommun", chosen.code if chosen else ""), ("status", status), ("uppdrag", mandate)):
        if value and not (key == "status" and value == Status.PENDING):
            query[key] = value
    context = {
        "page": page,
        "municipalities": municipalities,
        "chosen": chosen,
        "query": query.urlencode(),
        "status": status,
        "statuses": [
            (Status.PENDING, _("Väntar på beslut")),
            (Status.APPROVED, _("Godkända")),
            (Status.REJECTED, _("Avslagna")),
        ],
        "mandate": mandate,
        "mandates": Mandate.choices,
    }
    return render(request, "registry/representation_requests.html", context)


# Every kind of actor (ADR 0096–0098) ------------------------------------------------------------


def organisation_register(request):
    """A signed-in person registers an organisation that is not in the register and asks to
    represent it (ADR 0098). An orgnr already in the register leads to the claim form instead."""
    require(permissions.can_register_organisation(request.user))
    form = RegisterOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.organisation_register(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                orgnr=data.get("orgnr"),
                legal_form=data.get("legal_form") if data["kind"] == Organisation.Kind.SWEDISH else None,
                municipality=data["municipality"],
                country=data.get("country") if data["kind"] == Organisation.Kind.FOREIGN else "SE",
                foreign_registration_number=(
                    data.get("foreign_registration_number", "") if data["kind"] == Organisation.Kind.FOREIGN else ""
                ),
                description=data.get("description", ""),
                mandate=data["mandate"],
                message=data.get("message", ""),
            )
        except services.AlreadyListed as exc:
            messages.info(request, exc.messages[0])
            return redirect("registry:representation-request-create", orgnr=exc.organisation.key)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Organisationen är anmäld. Kommunen eller regionen går igenom anmälan; du får besked "
                    "per e-post och på Min sida."
                ),
            )
            return redirect(created.get_absolute_url())
    return render(request, "registry/organisation_register.html", {"form": form}, status=400 if form.errors else 200)


def organisation_merge(request, orgnr: str):
    """Staff merge an actor without an orgnr into an organisation with one (ADR 0097)."""
    source = loaders.mergeable_organisation(request.user, orgnr)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = selectors.organisation_detail(user=request.user, orgnr_value=form.cleaned_data["target"])
        if target is None:
            form.add_error("target", _("Det finns ingen organisation med det organisationsnumret som du kan se."))
        elif not permissions.can_merge_actor(request.user, source, target):
            form.add_error("target", _("Du får inte föra samman aktören med den organisationen."))
        else:
            try:
                services.actor_merge(actor=request.user, source=source, target=target)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(source)s är sammanförd med %(target)s. Historiken följer med.")
                    % {"source": source.name, "target": target.name},
                )
                return redirect(target)
    context = {"organisation": source, "form": form}
    return render(request, "registry/organisation_merge.html", context, status=400 if form.errors else 200)
