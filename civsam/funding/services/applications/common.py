"""What every write to an application shares: the permission check, the row lock, the one function
that changes its status (status_set) and e-mail to the applicant. The other funding services use
them too."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from ...models import Application


def _check(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message) if message else PermissionDenied


def _user(actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# --- Status -------------------------------------------------------------------------------------


def status_set(application: Application, target: str, *, actor, note: str = "") -> str:
    """The one place an application's status changes, along Application.WORKFLOW, with the audit
    log. The caller holds the application's row lock and has checked who may take the step."""
    before = application.status
    action = Application.WORKFLOW.action(before, target)
    application.status = target
    application.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=application,
        changes={"status": [before, target]},
        note=f"{action}: {note}"[:300] if note else action,
    )
    return action


def locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__source__funder", "call__programme", "organisation")
        .get(pk=application.pk)
    )


# --- E-mail -------------------------------------------------------------------------------------


def recipients_of(application: Application) -> list[str]:
    """Where the applicant hears from the funder: the address given in the application, else the
    organisation's own."""
    return [address for address in [application.contact_email or application.organisation.email] if address]


def absolute(path: str) -> str:
    return settings.CIVSAM_BASE_URL.rstrip("/") + path


def notify(application: Application, *, subject: str, lines: Iterable[str], to: list[str] | None = None) -> None:
    """An e-mail about the application to the applicant, sent when the transaction commits."""
    addresses = to if to is not None else recipients_of(application)
    if not addresses:
        return
    body = "\n".join([*lines, "", _("Ansökan i Civsam: %(url)s") % {"url": absolute(application.get_absolute_url())}])
    message = EmailMessage(subject=subject, body=body, to=addresses)
    transaction.on_commit(lambda: get_connection().send_messages([message]))
