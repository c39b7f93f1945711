"""Public event pages, registration, self-service cancellation and iCalendar feeds."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civsam.accounts.scopes import scope_for
from civsam.core.exports import FORMATS, Column, tabular_response
from civsam.registry.models import Organisation

from . import permissions, selectors, services
from .calendar import calendar_for
from .forms import CheckInForm, EventForm, RegistrationForm
from .models import Event, Network, NetworkMembership, NetworkRepresentative, Registration
from .permissions import networks_visible_to


@login_not_required
def event_list_view(request):
    events = selectors.upcoming_events(user=request.user)
    scope = scope_for(request.user)
    can_create = scope.is_staff_like or bool(scope.organisation_ids)
    return render(request, "meetings/event_list.html", {"events": events, "can_create": can_create})


@login_not_required
@require_http_methods(["GET", "POST"])
def event_detail(request, pk: int):
    event = get_object_or_404(selectors.event_list(user=request.user), pk=pk)
    form = RegistrationForm(request.POST or None)
    registration = None
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                event_id=event.pk,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                services=form.cleaned_data["services"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    status = 201 if registration else (400 if request.method == "POST" else 200)
    context = {
        "event": event,
        "form": form,
        "registration": registration,
        "can_manage": permissions.can_manage_event(request.user, event),
    }
    return render(request, "meetings/event_detail.html", context, status=status)


def _registration_by_token(token: str) -> Registration:
    registration = Registration.objects.select_related("event").filter(cancel_token=token).first()
    if registration is None:
        raise Http404
    return registration


@login_not_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request, token: str):
    registration = _registration_by_token(token)
    if request.method == "POST":
        registration = services.registration_cancel(cancel_token=token)
    return render(request, "meetings/registration_cancel.html", {"registration": registration})


@login_not_required
@require_http_methods(["GET", "POST"])
def registration_accept(request, token: str):
    registration = _registration_by_token(token)
    error = None
    if request.method == "POST":
        try:
            registration = services.registration_accept_offer(cancel_token=token)
        except ValidationError as exc:
            error = exc.messages[0]
            registration.refresh_from_db()
    return render(request, "meetings/registration_accept.html", {"registration": registration, "error": error})


def _ics(events, name: str, filename: str) -> HttpResponse:
    body = calendar_for(events, base_url=settings.CIVSAM_BASE_URL, name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


@login_not_required
def calendar_all(request):
    return _ics(selectors.event_list(user=None), "Civsam", "civsam")


@login_not_required
def calendar_event(request, pk: int):
    event = get_object_or_404(selectors.event_list(user=None), pk=pk)
    return _ics([event], event.title, f"evenemang-{pk}")


@login_not_required
def calendar_network(request, slug: str):
    return _ics(selectors.event_list(user=None, network=slug), slug, f"natverk-{slug}")


@login_not_required
def calendar_organiser(request, orgnr: str):
    return _ics(selectors.event_list(user=None, organiser=orgnr), orgnr, f"arrangor-{orgnr}")


# Networks ---------------------------------------------------------------------------------------


@login_not_required
def network_list_view(request):
    networks = (
        networks_visible_to(request.user)
        .select_related("parent")
        .annotate(member_count=Count("memberships", filter=Q(memberships__status="active")))
        .order_by("name")
    )
    return render(request, "meetings/network_list.html", {"networks": networks})


def _network_or_404(request, slug: str) -> Network:
    return get_object_or_404(networks_visible_to(request.user), slug=slug)


def _active_members(network: Network):
    return (
        network.memberships.filter(status=NetworkMembership.Status.ACTIVE)
        .select_related("organisation__municipality")
        .prefetch_related(
            Prefetch("representatives", queryset=NetworkRepresentative.objects.filter(ends_on__isnull=True))
        )
        .order_by("organisation__name")
    )


@login_not_required
def network_detail(request, slug: str):
    network = _network_or_404(request, slug)
    scope = scope_for(request.user)
    can_manage = permissions.can_manage_network(request.user, network)
    own_orgs = Organisation.objects.filter(pk__in=scope.organisation_ids).exclude(
        network_memberships__network=network, network_memberships__status__in=["requested", "active"]
    )
    context = {
        "network": network,
        "members": _active_members(network),
        "children": network.children.all(),
        "events": selectors.event_list(user=request.user, network=network.slug, starts_from=timezone.now())[:10],
        "can_manage": can_manage,
        "requests": network.memberships.filter(status="requested").select_related("organisation") if can_manage else [],
        "joinable": [o for o in own_orgs if permissions.can_request_membership(request.user, network, o)],
        "show_people": permissions.can_see_representatives(request.user, network),
        "formats": FORMATS,
    }
    return render(request, "meetings/network_detail.html", context)


MEMBER_COLUMNS = [
    Column("organisationsnummer", "Organisationsnummer", lambda m: m.organisation.orgnr),
    Column("organisation", "Organisation", lambda m: m.organisation.name),
    Column("kommun", "Kommun", lambda m: m.organisation.municipality.name),
    Column("medlem_sedan", "Medlem sedan", lambda m: m.joined_on.isoformat() if m.joined_on else ""),
    Column(
        "representanter",
        "Representanter",
        lambda m: [f"{r.name} ({r.get_position_display()})" for r in m.representatives.all()],
    ),
]


@login_not_required
def network_members_export(request, slug: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    network = _network_or_404(request, slug)
    # Representatives are named people: only the network's own circle gets their names.
    columns = MEMBER_COLUMNS if permissions.can_see_representatives(request.user, network) else MEMBER_COLUMNS[:-1]
    return tabular_response(fmt, columns, _active_members(network), f"medlemmar-{network.slug}")


@require_POST
def membership_request_view(request, slug: str):
    network = _network_or_404(request, slug)
    organisation = get_object_or_404(Organisation, pk=request.POST.get("organisation"))
    try:
        services.membership_request(actor=request.user, network=network, organisation=organisation)
        messages.success(request, _("Ansökan är skickad till nätverkets samordnare."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("meetings:network-detail", slug=slug)


@require_POST
def membership_decide_view(request, pk: int):
    membership = get_object_or_404(NetworkMembership.objects.select_related("network"), pk=pk)
    try:
        services.membership_decide(
            actor=request.user, membership=membership, approve=request.POST.get("approve") == "1"
        )
        messages.success(request, _("Beslutet är sparat."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("meetings:network-detail", slug=membership.network.slug)


# Organisers: create events, see registrations, check in ---------------------------------------


def event_create_view(request):
    scope = scope_for(request.user)
    if not (scope.is_staff_like or scope.organisation_ids):
        raise PermissionDenied
    organisations = None if scope.is_staff_like else Organisation.objects.filter(pk__in=scope.organisation_ids)
    form = EventForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        priority_areas = data.pop("priority_areas")
        try:
            event = services.event_create(actor=request.user, priority_areas=priority_areas, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Evenemanget är skapat."))
            return redirect("meetings:event-manage", pk=event.pk)
    return render(request, "meetings/event_form.html", {"form": form})


def event_manage(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("network", "municipality", "organiser"), pk=pk)
    if not permissions.can_manage_event(request.user, event):
        raise PermissionDenied
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_check_in(
                actor=request.user, event=event, code=form.cleaned_data["code"]
            )
            messages.success(request, _("%(name)s är incheckad.") % {"name": registration.name})
            return redirect("meetings:event-manage", pk=pk)
        except ValidationError as exc:
            form.add_error("code", exc.messages[0])
    registrations = event.registrations.select_related("organisation").order_by("status", "created_at")
    counts = {row["status"]: row["n"] for row in registrations.values("status").annotate(n=Count("id")).order_by()}
    context = {
        "event": event,
        "form": form,
        "registrations": registrations,
        "counts": counts,
        "checked_in": registrations.filter(checked_in_at__isnull=False).count(),
        "formats": FORMATS,
    }
    return render(request, "meetings/event_manage.html", context)


REGISTRATION_COLUMNS = [
    Column("namn", "Namn", lambda r: r.name),
    Column("organisation", "Organisation", lambda r: r.organisation.name if r.organisation_id else ""),
    Column("status", "Status", lambda r: r.get_status_display()),
    Column("kod", "Anmälningskod", lambda r: r.code),
    Column("stod", "Önskat stöd", lambda r: r.services),
    Column("incheckad", "Incheckad", lambda r: r.checked_in_at.isoformat() if r.checked_in_at else ""),
]


def event_registrations_export(request, pk: int, fmt: str):
    event = get_object_or_404(Event, pk=pk)
    if fmt not in FORMATS:
        raise Http404
    if not permissions.can_manage_event(request.user, event):
        raise PermissionDenied
    rows = event.registrations.select_related("organisation").order_by("name")
    return tabular_response(fmt, REGISTRATION_COLUMNS, rows, f"anmalningar-{event.pk}")


@require_POST
def registration_decide_view(request, pk: int):
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    try:
        services.registration_decide(
            actor=request.user, registration=registration, approve=request.POST.get("approve") == "1"
        )
        messages.success(request, _("Beslutet är sparat."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("meetings:event-manage", pk=registration.event_id)
