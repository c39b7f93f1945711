"""Public event pages, registration, self-service cancellation and iCalendar feeds."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civsam.core.exports import FORMATS, Column, tabular_response
from civsam.core.loading import require
from civsam.core.privacy import personal_data

from .. import limits, permissions, selectors, services
from ..calendar import calendar_for
from ..forms import CheckInForm, EventForm, RegistrationForm
from ..loaders import decidable_registration, managed_event, visible_event
from ..models import Conference, Event, Invitation, Registration


@login_not_required
def event_list_view(request):
    events = selectors.upcoming_events(user=request.user)
    can_create = permissions.can_create_some_event(request.user)
    return render(request, "meetings/event_list.html", {"events": events, "can_create": can_create})


def _conference(event: Event) -> Conference | None:
    return Conference.objects.filter(event=event).prefetch_related("registration_types").first()


@login_not_required
@require_http_methods(["GET", "POST"])
@personal_data
def event_detail(request, pk: int):
    event = visible_event(request.user, pk)
    conference = _conference(event)
    token = request.GET.get("inbjudan") or ""
    invitation = Invitation.objects.filter(event=event, token=token).first() if token else None
    initial = {"name": invitation.name, "email": invitation.email} if invitation else None
    form = RegistrationForm(request.POST or None, initial=initial, event=event, conference=conference)
    registration = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.is_authenticated:
            limits.check_anonymous_registration(request, event_id=event.pk, email=data["email"])
        try:
            registration = services.registration_create(
                event_id=event.pk,
                name=data["name"],
                email=data["email"],
                organisation=data.get("employer"),
                organisation_name=data.get("organisation_name", ""),
                municipality=data.get("municipality"),
                target_group=data.get("target_group", ""),
                registration_type_id=data["registration_type"].pk if data.get("registration_type") else None,
                answers=form.answers(),
                invitation_token=token or None,
                services=data["services"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    status = 201 if registration else (400 if request.method == "POST" else 200)
    context = {
        "event": event,
        "conference": conference,
        "form": form,
        "registration": registration,
        "invitation": invitation,
        "invitation_token": token,
        "closed_to_public": event.invitation_only and invitation is None,
        "outputs": event.outputs.all(),
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
@personal_data
def registration_cancel(request, token: str):
    registration = _registration_by_token(token)
    if request.method == "POST":
        registration = services.registration_cancel(cancel_token=token)
    return render(request, "meetings/registration_cancel.html", {"registration": registration})


@login_not_required
@require_http_methods(["GET", "POST"])
@personal_data
def registration_confirm(request, token: str):
    """The link in the mail that confirms the address. A GET only shows the page, so that a mail
    program fetching the link confirms nothing; the button does."""
    registration = Registration.objects.select_related("event").filter(confirm_token=token).first()
    if registration is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            registration = services.registration_confirm(confirm_token=token)
        except ValidationError as exc:
            error = exc.messages[0]
            registration.refresh_from_db()
    return render(request, "meetings/registration_confirm.html", {"registration": registration, "error": error})


@login_not_required
@require_http_methods(["GET", "POST"])
@personal_data
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
    event = visible_event(None, pk)
    return _ics([event], event.title, f"evenemang-{pk}")


@login_not_required
def calendar_network(request, slug: str):
    return _ics(selectors.event_list(user=None, network=slug), slug, f"natverk-{slug}")


@login_not_required
def calendar_organiser(request, orgnr: str):
    return _ics(selectors.event_list(user=None, organiser=orgnr), orgnr, f"arrangor-{orgnr}")


# Organisers: create events, see registrations, check in ---------------------------------------


def _event_form(request, event: Event | None = None) -> EventForm:
    return EventForm(
        request.POST or None,
        instance=event,
        organisations=permissions.event_organisers_for(request.user),
        municipalities=permissions.event_municipalities_for(request.user),
        networks=permissions.event_networks_for(request.user),
        initiatives=permissions.initiatives_linkable_by(request.user),
    )


def _split(form: EventForm) -> tuple[services.EventDetails, list, list]:
    """The form's data as the service takes it: the event's own fields, its priority areas, its initiatives."""
    # A binding field left out of the form (nothing to offer) is absent: the details' default, None,
    # is then also the event's current value.
    data = dict(form.cleaned_data)
    priority_areas = list(data.pop("priority_areas"))
    initiatives = list(data.pop("initiatives"))
    return services.EventDetails(**data), priority_areas, initiatives


def event_create_view(request):
    require(permissions.can_create_some_event(request.user))
    form = _event_form(request)
    if request.method == "POST" and form.is_valid():
        details, priority_areas, initiatives = _split(form)
        try:
            event = services.event_create(
                actor=request.user, details=details, priority_areas=priority_areas, initiatives=initiatives
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Evenemanget är skapat."))
            return redirect("meetings:event-manage", pk=event.pk)
    return render(request, "meetings/event_form.html", {"form": form})


@personal_data
def event_manage(request, pk: int):
    event = managed_event(request.user, pk)
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
    registrations = event.registrations.select_related("organisation", "municipality").order_by("status", "created_at")
    counts = {row["status"]: row["n"] for row in registrations.values("status").annotate(n=Count("id")).order_by()}
    context = {
        "event": event,
        "form": form,
        "registrations": registrations,
        "counts": counts,
        "checked_in": registrations.filter(checked_in_at__isnull=False).count(),
        "formats": FORMATS,
        "conference": _conference(event),
        "movable": services.registrations.MOVABLE,
    }
    return render(request, "meetings/event_manage.html", context)


REGISTRATION_COLUMNS = [
    Column("namn", "Namn", lambda r: r.name),
    Column("organisation", "Organisation", lambda r: r.affiliation),
    Column("kommun", "Kommun", lambda r: r.municipality.name if r.municipality_id else ""),
    Column("malgrupp", "Målgrupp", lambda r: r.get_target_group_display()),
    Column("anmalningstyp", "Anmälningstyp", lambda r: r.registration_type.name if r.registration_type_id else ""),
    Column("status", "Status", lambda r: r.get_status_display()),
    Column("kod", "Anmälningskod", lambda r: r.code),
    Column("stod", "Önskat stöd", lambda r: r.services),
    Column("incheckad", "Incheckad", lambda r: r.checked_in_at.isoformat() if r.checked_in_at else ""),
    Column("svar", "Svar på frågorna", lambda r: [f"{k}: {v}" for k, v in sorted(r.answers.items())]),
]


@personal_data
def event_registrations_export(request, pk: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    event = managed_event(request.user, pk)
    rows = event.registrations.select_related("organisation", "municipality", "registration_type").order_by("name")
    return tabular_response(fmt, REGISTRATION_COLUMNS, rows, f"anmalningar-{event.pk}")


@require_POST
def registration_decide_view(request, pk: int):
    registration = decidable_registration(request.user, pk)
    try:
        services.registration_decide(
            actor=request.user, registration=registration, approve=request.POST.get("approve") == "1"
        )
        messages.success(request, _("Beslutet är sparat."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("meetings:event-manage", pk=registration.event_id)


def event_edit_view(request, pk: int):
    event = managed_event(request.user, pk)
    form = _event_form(request, event)
    if request.method == "POST" and form.is_valid():
        details, priority_areas, initiatives = _split(form)
        fresh = managed_event(request.user, pk)  # the form has already written its values onto `event`
        try:
            services.event_update(
                actor=request.user,
                event=fresh,
                details=details,
                priority_areas=priority_areas,
                initiatives=initiatives,
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Evenemanget är sparat."))
            return redirect("meetings:event-manage", pk=pk)
    return render(
        request, "meetings/event_form.html", {"form": form, "event": event}, status=400 if form.errors else 200
    )
