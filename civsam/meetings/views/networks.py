"""Network pages: the public page, join requests decided by the coordinator, representatives, member export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.accounts.scopes import scope_for
from civsam.core.exports import FORMATS, Column, tabular_response
from civsam.registry.models import Organisation

from .. import permissions, selectors, services
from ..forms import RepresentativeForm
from ..models import Network, NetworkMembership, NetworkRepresentative
from ..permissions import networks_visible_to


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


def _editable_memberships(user, network: Network):
    """Memberships whose representatives the user may change: all for the coordinator, else their own."""
    active = network.memberships.filter(status=NetworkMembership.Status.ACTIVE).select_related("organisation")
    if permissions.can_manage_network(user, network):
        return active
    return active.filter(organisation_id__in=scope_for(user).organisation_ids)


def _representative_form(request, network: Network, data=None):
    memberships = _editable_memberships(request.user, network)
    if not memberships.exists():
        return None
    return RepresentativeForm(data, memberships=memberships, prefix="rep")


@login_not_required
def network_detail(request, slug: str):
    return _network_page(request, _network_or_404(request, slug))


def _network_page(request, network: Network, *, representative_form=None, status: int = 200):
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
        "representative_form": representative_form or _representative_form(request, network),
    }
    return render(request, "meetings/network_detail.html", context, status=status)


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


@require_POST
def representative_add_view(request, slug: str):
    network = _network_or_404(request, slug)
    form = _representative_form(request, network, request.POST)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.representative_add(
                actor=request.user,
                membership=data["membership"],
                name=data["name"],
                position=data["position"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Representanten är tillagd."))
            return redirect("meetings:network-detail", slug=slug)
    return _network_page(request, network, representative_form=form, status=400)
