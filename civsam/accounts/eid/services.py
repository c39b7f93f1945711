"""Writes for e-ID login: linking an e-ID to an account, unlinking it, creating an account from an
e-ID, and recording a login. Each is atomic and written to the audit log, which never holds the
personal identity number (not even its hash)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from ..models import User
from .models import EidLink


class EidLinkError(Exception):
    """A link that cannot be made or removed; `message` says why, in the user's language."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


ALREADY_LINKED_ELSEWHERE = _("Den här e-legitimationen är redan kopplad till ett annat konto i Civsam.")
ALREADY_LINKED_HERE = _("Ditt konto är redan kopplat till en e-legitimation. Ta bort den kopplingen först.")


def _only_the_holder(actor: User, user: User) -> None:
    # An e-ID is linked or unlinked by the person themself, signed in to their own account.
    if not getattr(actor, "is_authenticated", False) or actor.pk != user.pk:
        raise PermissionDenied


def _link_create(*, user: User, pnr_hash: str, actor: User) -> EidLink:
    if EidLink.objects.filter(user=user).exists():
        raise EidLinkError(ALREADY_LINKED_HERE)
    if EidLink.objects.filter(pnr_hash=pnr_hash).exists():
        raise EidLinkError(ALREADY_LINKED_ELSEWHERE)
    try:
        with transaction.atomic():
            link = EidLink.objects.create(user=user, pnr_hash=pnr_hash, last_used_at=timezone.now())
    except IntegrityError as exc:  # a concurrent link won the race; the constraints decide
        raise EidLinkError(ALREADY_LINKED_ELSEWHERE) from exc
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=link, note="e-ID linked")
    return link


@transaction.atomic
def eid_link_create(*, actor: User, user: User, pnr_hash: str) -> EidLink:
    """Link the e-ID whose personal identity number hashes to `pnr_hash` to `user`'s account."""
    _only_the_holder(actor, user)
    return _link_create(user=user, pnr_hash=pnr_hash, actor=actor)


@transaction.atomic
def eid_link_delete(*, actor: User, user: User) -> None:
    """Unlink the user's e-ID. Refused when it is the account's only way in (no usable password)."""
    _only_the_holder(actor, user)
    link = EidLink.objects.select_for_update().filter(user=user).first()
    if link is None:
        raise EidLinkError(_("Ditt konto är inte kopplat till någon e-legitimation."))
    if not user.has_usable_password():
        raise EidLinkError(
            _(
                "Kontot har inget lösenord, så e-legitimationen är det enda sättet att logga in. "
                "Kopplingen kan inte tas bort."
            )
        )
    audit_log(actor=actor, action=AuditEntry.Action.DELETE, obj=link, note="e-ID unlinked")
    link.delete()


@transaction.atomic
def eid_account_create(*, pnr_hash: str, given_name: str, family_name: str, email: str) -> User:
    """A new account for a person who logged in with an e-ID Civsam did not know: named as the
    e-ID names them, reached by the e-mail address they gave, with no password (the e-ID is the
    way in) and no role."""
    email = User.objects.normalize_email(email).strip()
    username = email.lower()
    if User.objects.filter(username__iexact=username).exists() or User.objects.filter(email__iexact=email).exists():
        raise EidLinkError(
            _(
                "Det finns redan ett konto med den e-postadressen. Logga in på det och koppla "
                "e-legitimationen där i stället."
            )
        )
    if EidLink.objects.filter(pnr_hash=pnr_hash).exists():
        raise EidLinkError(ALREADY_LINKED_ELSEWHERE)
    user = User(username=username, email=email, first_name=given_name[:150], last_name=family_name[:150])
    user.set_unusable_password()
    user.save()
    audit_log(actor=user, action=AuditEntry.Action.CREATE, obj=user, note="account created with e-ID")
    _link_create(user=user, pnr_hash=pnr_hash, actor=user)
    return user


@transaction.atomic
def eid_login_record(*, link: EidLink) -> EidLink:
    """Note a login with the linked e-ID: when it was last used, in the link and the audit log."""
    before = link.last_used_at
    link.last_used_at = timezone.now()
    link.save(update_fields=["last_used_at"])
    audit_log(
        actor=link.user,
        action=AuditEntry.Action.UPDATE,
        obj=link,
        changes={"last_used_at": [before.isoformat() if before else None, link.last_used_at.isoformat()]},
        note="e-ID login",
    )
    return link
