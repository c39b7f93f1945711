"""Running a network in the browser: create and edit it, invite and end memberships, answer an
invitation, decide join requests, end a representative's assignment, close the network. Every
write goes through the services (permissions, workflow, audit log); a refusal is a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.accounts.permissions import is_staff
from civsam.core.loading import require
from civsam.core.privacy import personal_data
from civsam.registry.models import Organisation

from .. import permissions, services
from ..forms import MemberInviteForm, NetworkCloseForm, NetworkForm, RepresentativeEndForm
from ..loaders import (
    answerable_invitation,
    changeable_membership,
    changeable_representative,
    managed_network,
)
from ..models import Network, NetworkMembership


def _refusal(request, exc: Exception) -> None:
    """A service's refusal as an error message."""
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(exc) or _("Du får inte göra det."))


def _network_form(request, *, network: Network | None = None) -> NetworkForm:
    user = request.user
    organisations = permissions.network_organisations_for(user)
    parents = permissions.networks_managed_by(user).filter(status=Network.Status.ACTIVE).order_by("name")
    coordinators = None
    initial = {}
    if network is not None:
        # The current bindings are offered beside the ones the user may choose (ADR 0093).
        if network.organisation_id:
            organisations = organisations | Organisation.objects.filter(pk=network.organisation_id)
        parents = parents.exclude(pk=network.pk)
        if network.parent_id:
            parents = parents | Network.objects.filter(pk=network.parent_id)
        coordinators = permissions.coordinators_for(network, network.organisation)
        initial = {
            "name": network.name,
            "kind": network.kind,
            "purpose": network.purpose,
            "visibility": network.visibility,
            "organisation": network.organisation_id,
            "coordinator": network.coordinator_id,
            "parent": network.parent_id,
        }
    return NetworkForm(
        request.POST or None,
        initial=initial,
        organisations=organisations.distinct().order_by("name_key"),
        may_leave_empty=is_staff(user) or (network is not None and network.organisation_id is None),
        parents=parents.distinct().order_by("name"),
        coordinators=coordinators,
    )


def network_create_view(request):
    require(permissions.can_create_some_network(request.user))
    form = _network_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            network = services.network_create(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                purpose=data["purpose"],
                visibility=data["visibility"],
                organisation=data["organisation"],
                coordinator=request.user if data["organisation"] is not None else None,
                parent=data["parent"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Nätverket är skapat. Bjud in de första medlemmarna."))
            return redirect("meetings:network-manage", slug=network.slug)
    return render(request, "meetings/network_form.html", {"form": form, "network": None})


def network_edit_view(request, slug: str):
    network = managed_network(request.user, slug)
    require(permissions.can_change_network(request.user, network), _("Nätverket är avslutat och kan inte ändras."))
    form = _network_form(request, network=network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.network_update(actor=request.user, network=network, changes=services.NetworkChanges(**data))
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("meetings:network-manage", slug=network.slug)
    return render(request, "meetings/network_form.html", {"form": form, "network": network})


@personal_data
def network_manage_view(request, slug: str):
    network = managed_network(request.user, slug)
    memberships = network.memberships.select_related("organisation__municipality").prefetch_related("representatives")
    by_status: dict[str, list[NetworkMembership]] = {status: [] for status in NetworkMembership.Status.values}
    for membership in memberships.order_by("organisation__name"):
        by_status[membership.status].append(membership)
    history = sorted(by_status["ended"] + by_status["declined"], key=lambda m: m.updated_at, reverse=True)
    can_change = permissions.can_change_network(request.user, network)
    context = {
        "network": network,
        "can_change": can_change,
        "requests": by_status["requested"],
        "invitations": by_status["invited"],
        "members": by_status["active"],
        "history": history,
        "invite_form": MemberInviteForm(organisations=permissions.organisations_to_invite(request.user, network))
        if can_change
        else None,
        "end_form": RepresentativeEndForm(initial={"ends_on": timezone.localdate()}),
    }
    return render(request, "meetings/network_manage.html", context)


@require_POST
def membership_invite_view(request, slug: str):
    network = managed_network(request.user, slug)
    form = MemberInviteForm(request.POST, organisations=permissions.organisations_to_invite(request.user, network))
    if not form.is_valid():
        messages.error(request, _("Välj en organisation som inte redan är medlem eller inbjuden."))
        return redirect("meetings:network-manage", slug=slug)
    organisation = form.cleaned_data["organisation"]
    try:
        membership = services.membership_invite(actor=request.user, network=network, organisation=organisation)
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    else:
        if membership.status == NetworkMembership.Status.ACTIVE:
            messages.success(request, _("%(name)s är medlem nu.") % {"name": organisation.name})
        else:
            messages.success(
                request,
                _("%(name)s är inbjuden. Den som företräder organisationen svarar på nätverkets sida.")
                % {"name": organisation.name},
            )
    return redirect("meetings:network-manage", slug=slug)


@require_POST
def membership_answer_view(request, pk: int):
    membership = answerable_invitation(request.user, pk)
    accept = request.POST.get("accept") == "1"
    try:
        services.membership_answer(actor=request.user, membership=membership, accept=accept)
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        done = _("%(name)s är medlem i nätverket.") if accept else _("Inbjudan till %(name)s är avböjd.")
        messages.success(request, done % {"name": membership.organisation.name})
    return redirect("meetings:network-detail", slug=membership.network.slug)


@require_POST
def membership_end_view(request, pk: int):
    membership = changeable_membership(request.user, pk)
    was = membership.status
    try:
        services.membership_end(actor=request.user, membership=membership)
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        done = {
            NetworkMembership.Status.INVITED: _("Inbjudan till %(name)s är återkallad."),
            NetworkMembership.Status.REQUESTED: _("Ansökan från %(name)s är återtagen."),
        }.get(was, _("Medlemskapet för %(name)s är avslutat. Det finns kvar i nätverkets historik."))
        messages.success(request, done % {"name": membership.organisation.name})
    if permissions.can_manage_network(request.user, membership.network):
        return redirect("meetings:network-manage", slug=membership.network.slug)
    return redirect("meetings:network-detail", slug=membership.network.slug)


@require_POST
def representative_end_view(request, pk: int):
    representative = changeable_representative(request.user, pk)
    form = RepresentativeEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange sista dagen för uppdraget."))
    else:
        try:
            services.representative_end(
                actor=request.user, representative=representative, on=form.cleaned_data["ends_on"]
            )
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("Uppdraget för %(name)s är avslutat.") % {"name": representative.name})
    network = representative.membership.network
    if permissions.can_manage_network(request.user, network):
        return redirect("meetings:network-manage", slug=network.slug)
    return redirect("meetings:network-detail", slug=network.slug)


def network_close_view(request, slug: str):
    network = managed_network(request.user, slug)
    require(permissions.can_close_network(request.user, network), _("Nätverket är redan avslutat."))
    form = NetworkCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.network_close(actor=request.user, network=network, on=form.cleaned_data["closed_on"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Nätverket är avslutat. Sidan och historiken finns kvar att läsa."))
            return redirect("meetings:network-detail", slug=slug)
    members = network.memberships.filter(status=NetworkMembership.Status.ACTIVE).count()
    return render(request, "meetings/network_close.html", {"network": network, "form": form, "members": members})
