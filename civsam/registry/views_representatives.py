"""Pages for who represents an organisation (ADR 0099): the list of representatives with the
invitation and hand-over forms, removing a representative, and answering an invitation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.accounts.models import Role, RoleAssignment
from civsam.accounts.selectors import representatives_of
from civsam.core.loading import require

from . import loaders, permissions, selectors, services
from .forms import RepresentativeInviteForm
from .models import RepresentationInvitation

Invitation = RepresentationInvitation


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def representatives(request, orgnr: str):
    """Who represents the organisation; invite a co-representative or hand over."""
    organisation = loaders.viewable_organisation(request.user, orgnr)
    require(permissions.can_manage_representatives(request.user, organisation))
    can_hand_over = permissions.can_hand_over(request.user, organisation)
    handover = request.method == "POST" and request.POST.get("kind") == "handover"
    form = RepresentativeInviteForm(
        request.POST if request.method == "POST" and not handover else None, prefix="invite"
    )
    handover_form = RepresentativeInviteForm(request.POST if handover else None, prefix="handover")
    if request.method == "POST":
        if handover and not can_hand_over:
            raise PermissionDenied
        used = handover_form if handover else form
        if used.is_valid():
            try:
                services.representative_invite(
                    actor=request.user,
                    organisation=organisation,
                    email=used.cleaned_data["email"],
                    mandate=used.cleaned_data["mandate"],
                    handover=handover,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        used.add_error(field if field in used.fields else None, errors)
                else:
                    used.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Inbjudan är skickad. Du blir företrädare kvar tills personen har tagit över.")
                    if handover
                    else _("Inbjudan är skickad. Personen blir företrädare när hen har tackat ja."),
                )
                return redirect("registry:representatives", orgnr=organisation.key)
    context = {
        "organisation": organisation,
        "assignments": list(representatives_of(organisation.pk)),
        "invitations": selectors.open_invitations(organisation),
        "form": form,
        "handover_form": handover_form if can_hand_over else None,
        "can_remove_last": permissions.can_remove_last_representative(request.user, organisation),
    }
    failed = form.errors or handover_form.errors
    return render(request, "registry/representatives.html", context, status=400 if failed else 200)


@require_POST
def representative_remove(request, orgnr: str, pk: int):
    organisation = loaders.viewable_organisation(request.user, orgnr)
    require(permissions.can_manage_representatives(request.user, organisation))
    assignment = (
        RoleAssignment.objects.filter(pk=pk, role=Role.ORGANISATION_REP, organisation=organisation)
        .select_related("user")
        .first()
    )
    if assignment is None:
        raise Http404
    own = assignment.user_id == request.user.pk
    try:
        services.representative_remove(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return redirect("registry:representatives", orgnr=organisation.key)
    if own:
        messages.success(
            request, _("Du företräder inte längre %(organisation)s.") % {"organisation": organisation.name}
        )
        return redirect("site:dashboard")
    messages.success(request, _("%(person)s företräder inte längre organisationen.") % {"person": assignment.user})
    return redirect("registry:representatives", orgnr=organisation.key)


def invitation_open(request, token: str):
    """The link in the e-mail: on to the invitation when the signed-in person holds the address."""
    invitation = services.invitation_by_token(token)
    if invitation is None:
        raise Http404
    if permissions.can_answer_invitation(request.user, invitation) or permissions.can_view_invitation(
        request.user, invitation
    ):
        return redirect(invitation.get_absolute_url())
    return render(
        request, "registry/representation_invitation_other_address.html", {"invitation": invitation}, status=403
    )


def invitation(request, pk: int):
    """An invitation: accept or decline for the invitee, revoke for those who act for the organisation."""
    inv = loaders.viewable_invitation(request.user, pk)
    can_answer = permissions.can_answer_invitation(request.user, inv) and inv.is_open
    can_revoke = permissions.can_revoke_invitation(request.user, inv) and inv.status == Invitation.Status.PENDING
    if request.method == "POST":
        step = request.POST.get("step")
        target = {
            "accept": Invitation.Status.ACCEPTED,
            "decline": Invitation.Status.DECLINED,
            "revoke": Invitation.Status.REVOKED,
        }.get(step or "")
        if target is None or (step == "revoke" and not can_revoke) or (step != "revoke" and not can_answer):
            raise PermissionDenied
        try:
            services.representation_invitation_answer(actor=request.user, invitation=inv, status=target)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
            return redirect(inv.get_absolute_url())
        if step == "accept":
            messages.success(request, _("Du företräder nu %(organisation)s.") % {"organisation": inv.organisation.name})
            return redirect(inv.organisation.get_absolute_url())
        messages.success(request, _("Inbjudan är avböjd.") if step == "decline" else _("Inbjudan är återkallad."))
        return redirect("site:dashboard" if step == "decline" else inv.get_absolute_url())
    context = {"inv": inv, "can_answer": can_answer, "can_revoke": can_revoke}
    return render(request, "registry/representation_invitation.html", context)
