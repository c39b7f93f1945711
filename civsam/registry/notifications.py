"""E-mails about representing an organisation (ADR 0090, 0099), each sent when the transaction that
caused it commits, through the project's one mail path (Django's mail connection; the same as the
funding and meetings notices).

Civsam stores no language per person. A decision reaches the requester in the language they used
when asking (stored on the request); the deciders hear in Swedish, the project's language; an
invitation goes to someone Civsam may not know yet, so it says everything in Swedish and then in
English. The inviter hears the answer in Swedish, as the deciders do. A requester's own text
(their message) never goes in a subject."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from civsam.accounts.selectors import decider_emails

from .models import RepresentationInvitation, RepresentationRequest


def absolute(path: str) -> str:
    return settings.CIVSAM_BASE_URL.rstrip("/") + path


def _send_on_commit(make: Callable[[], list[EmailMessage]]) -> None:
    def send() -> None:
        messages = make()
        if messages:
            get_connection().send_messages(messages)

    transaction.on_commit(send)


def tell_deciders(request: RepresentationRequest) -> None:
    """A new request: to its representatives, else the officers of its municipality, else the Region."""

    def make() -> list[EmailMessage]:
        organisation = request.organisation
        to = decider_emails(organisation_id=organisation.pk, municipality_id=organisation.municipality_id)
        if not to:
            return []
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Ny begäran om att företräda %(organisation)s") % {"organisation": organisation.name}
            lines = [
                _("%(person)s vill företräda %(organisation)s i Civsam.")
                % {"person": request.user, "organisation": organisation.name},
                _("Uppdrag: %(mandate)s") % {"mandate": request.get_mandate_display()},
                "",
                _("Du får det här meddelandet eftersom du kan besluta om begäran. Godkänn eller avslå den här:"),
                absolute(request.get_absolute_url()),
            ]
        # Each decider gets their own message: the addresses of the others are not theirs to see.
        return [EmailMessage(subject=subject, body="\n".join(lines), to=[address]) for address in to]

    _send_on_commit(make)


def tell_requester(request: RepresentationRequest) -> None:
    """The decision, with the reason when the request was rejected."""

    def make() -> list[EmailMessage]:
        if not request.user.email:
            return []
        name = request.organisation.name
        with translation.override(request.language or settings.LANGUAGE_CODE):
            if request.status == RepresentationRequest.Status.APPROVED:
                subject = _("Du företräder nu %(organisation)s") % {"organisation": name}
                body = _(
                    "Din begäran om att företräda %(organisation)s är godkänd. Du kan nu arbeta för "
                    "organisationen i Civsam."
                ) % {"organisation": name}
            else:
                subject = _("Din begäran om att företräda %(organisation)s är avslagen") % {"organisation": name}
                body = _("Din begäran om att företräda %(organisation)s är avslagen. Motivering: %(reason)s") % {
                    "organisation": name,
                    "reason": request.reason,
                }
            body += "\n\n" + _("Min sida: %(url)s") % {"url": absolute(reverse("site:dashboard"))}
        return [EmailMessage(subject=subject, body=body, to=[request.user.email])]

    _send_on_commit(make)


def _invitation_text(invitation: RepresentationInvitation, link: str) -> tuple[str, str]:
    values = {
        "organisation": invitation.organisation.name,
        "person": invitation.invited_by or _("En företrädare"),
        "mandate": invitation.get_mandate_display(),
        "until": formats.date_format(timezone.localtime(invitation.expires_at), "j F Y H:i"),
    }
    if invitation.kind == RepresentationInvitation.Kind.HANDOVER:
        subject = _("Du får ta över %(organisation)s i Civsam") % values
        first = (
            _("%(person)s vill lämna över uppdraget att företräda %(organisation)s i Civsam till dig (%(mandate)s).")
            % values
        )
    else:
        subject = _("Inbjudan att företräda %(organisation)s i Civsam") % values
        first = _("%(person)s bjuder in dig att företräda %(organisation)s i Civsam (%(mandate)s).") % values
    body = "\n".join(
        [
            first,
            _("Logga in eller skapa ett konto med den här e-postadressen och svara på inbjudan:"),
            link,
            _("Inbjudan gäller till %(until)s.") % values,
        ]
    )
    return subject, body


def send_invitation(invitation: RepresentationInvitation, token: str) -> None:
    """The link carries the secret; the invitee must still sign in with the invited address."""

    def make() -> list[EmailMessage]:
        link = absolute(reverse("registry:representation-invitation-open", args=[token]))
        with translation.override("sv"):
            subject, swedish = _invitation_text(invitation, link)
        with translation.override("en"):
            _subject, english = _invitation_text(invitation, link)
        return [
            EmailMessage(subject=subject, body=f"{swedish}\n\n-- In English --\n\n{english}", to=[invitation.email])
        ]

    _send_on_commit(make)


def tell_inviter(invitation: RepresentationInvitation) -> None:
    """The answer to an invitation (accepted or declined), to the one who sent it (ADR 0113)."""

    def make() -> list[EmailMessage]:
        inviter = invitation.invited_by
        if inviter is None or not inviter.is_active or not inviter.email:
            return []
        accepted = invitation.status == RepresentationInvitation.Status.ACCEPTED
        handover = invitation.kind == RepresentationInvitation.Kind.HANDOVER
        values = {"organisation": invitation.organisation.name, "email": invitation.email}
        with translation.override(settings.LANGUAGE_CODE):
            if accepted and handover:
                subject = _("%(organisation)s är överlämnad") % values
                first = (
                    _(
                        "%(email)s har tackat ja och företräder nu %(organisation)s i Civsam. Din roll som "
                        "företrädare för organisationen har upphört."
                    )
                    % values
                )
                link = absolute(reverse("site:dashboard"))
            elif accepted:
                subject = _("Inbjudan att företräda %(organisation)s är antagen") % values
                first = _("%(email)s har tackat ja och företräder nu %(organisation)s i Civsam.") % values
                link = absolute(reverse("registry:representatives", args=[invitation.organisation.key]))
            else:
                subject = _("Inbjudan att företräda %(organisation)s är avböjd") % values
                first = (
                    _(
                        "%(email)s har tackat nej till att företräda %(organisation)s i Civsam. Du kan bjuda in "
                        "någon annan."
                    )
                    % values
                )
                link = absolute(reverse("registry:representatives", args=[invitation.organisation.key]))
            body = "\n".join([first, "", _("Organisationens företrädare: %(url)s") % {"url": link}])
            if accepted and handover:
                body = "\n".join([first, "", _("Min sida: %(url)s") % {"url": link}])
        return [EmailMessage(subject=subject, body=body, to=[inviter.email])]

    _send_on_commit(make)
