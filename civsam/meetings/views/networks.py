"""Network pages: the public page, join requests decided by the coordinator, representatives, member export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.exports import FORMATS, Column, tabular_response
from civsam.core.loading import require
from civsam.core.privacy import personal_data

from .. import permissions, selectors, services
from ..forms import RepresentativeForm
from ..loaders import applying_organisation, decidable_membership, visible_network
from ..models import Network, NetworkMembership, NetworkRepresentative


@login_not_required
def network_list_view(request):
    networks = (
        permissions.networks_visible_to(request.user)
        .select_related("parent", "organisation")
        .annotate(member_count=Count("memberships", filter=Q(memberships__status="active")))
        .order_by("status", "name")
    )
    context = {"networks": networks, "can_create": permissions.can_create_some_network(request.user)}
    return render(request, "meetings/network_list.html", context)


def _active_members(network: Network):
    return (
        network.memberships.filter(status=NetworkMembership.Status.ACTIVE)
        .select_related("organisation__municipality")
        .prefetch_related(
            Prefetch("representatives", queryset=NetworkRepresentative.objects.filter(ends_on__isnull=True))
        )
        .order_by("organisation__name")
    )


def _representative_form(request, network: Network, data=None) -> RepresentativeForm | None:
    """The form for the memberships whose representatives the user may change; None if there are none."""
    memberships = permissions.memberships_changeable_by(request.user, network)
    if not memberships.exists():
        return None
    return RepresentativeForm(data, memberships=memberships, prefix="rep")


@login_not_required
@personal_data
def network_detail(request, slug: str):
    return _network_page(request, visible_network(request.user, slug))


def _network_page(request, network: Network, *, representative_form=None, status: int = 200):
    can_manage = permissions.can_manage_network(request.user, network)
    context = {
        "network": network,
        "members": _active_members(network),
        "former_members": network.memberships.filter(status=NetworkMembership.Status.ENDED, joined_on__isnull=False)
        .select_related("organisation")
        .order_by("-ended_on", "organisation__name"),
        "children": network.children.all(),
        "events": selectors.event_list(user=request.user, network=network.slug, starts_from=timezone.now())[:10],
        "can_manage": can_manage,
        "can_create": permissions.can_create_some_network(request.user),
        "request_count": network.memberships.filter(status="requested").count() if can_manage else 0,
        "invitations": permissions.invitations_answerable_by(request.user, network),
        "own_memberships": permissions.memberships_changeable_by(request.user, network) if not can_manage else [],
        "joinable": permissions.organisations_to_offer_membership(request.user, network),
        "show_people": permissions.can_view_representatives(request.user, network),
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
@personal_data
def network_members_export(request, slug: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    network = visible_network(request.user, slug)
    # Representatives are named people: only the network's own circle gets their names.
    columns = MEMBER_COLUMNS if permissions.can_view_representatives(request.user, network) else MEMBER_COLUMNS[:-1]
    return tabular_response(fmt, columns, _active_members(network), f"medlemmar-{network.slug}")


@require_POST
def membership_request_view(request, slug: str):
    network = visible_network(request.user, slug)
    pk = request.POST.get("organisation", "")
    if not pk.isdigit():
        raise Http404
    organisation = applying_organisation(request.user, network, int(pk))
    try:
        services.membership_request(actor=request.user, network=network, organisation=organisation)
        messages.success(request, _("Ansökan är skickad till nätverkets samordnare."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("meetings:network-detail", slug=slug)


@require_POST
def membership_decide_view(request, pk: int):
    membership = decidable_membership(request.user, pk)
    try:
        services.membership_decide(
            actor=request.user, membership=membership, approve=request.POST.get("approve") == "1"
        )
        messages.success(request, _("Beslutet är sparat."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("meetings:network-manage", slug=membership.network.slug)


@require_POST
def representative_add_view(request, slug: str):
    network = visible_network(request.user, slug)
    form = _representative_form(request, network, request.POST)
    require(form is not None, _("Du får inte utse representanter i det här nätverket."))
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
