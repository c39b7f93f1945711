"""Writes to accounts and roles."""

from __future__ import annotations

from django.db import transaction

from civsam.core.models import AuditEntry, Municipality
from civsam.core.services import audit_log

from .models import Role, RoleAssignment, User


@transaction.atomic
def role_assign(*, actor=None, user: User, role: str, municipality=None, organisation=None) -> RoleAssignment:
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, municipality=municipality, organisation=organisation
    )
    if created:
        audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=assignment, note=f"user {user.username}")
    return assignment


@transaction.atomic
def demo_users_create(*, password: str) -> list[tuple[str, str]]:
    """One demo login per role; idempotent. Returns (username, description) pairs to print."""
    from civsam.registry.models import Organisation

    def user(username: str, first: str, last: str) -> User:
        obj, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.se"}
        )
        if created:
            obj.set_password(password)
            obj.save(update_fields=["password"])
        return obj

    orebro = Municipality.objects.get(code="1880")
    kumla = Municipality.objects.get(code="1881")
    hallsberg = Municipality.objects.get(code="1861")
    admin = user("region", "Regina", "Regionsson")
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    role_assign(user=admin, role=Role.REGION_ADMIN)
    role_assign(user=user("orebro", "Olle", "Handläggare"), role=Role.MUNICIPAL_OFFICER, municipality=orebro)
    officer = user("kumla", "Karin", "Handläggare")
    role_assign(user=officer, role=Role.MUNICIPAL_OFFICER, municipality=kumla)
    role_assign(user=officer, role=Role.MUNICIPAL_OFFICER, municipality=hallsberg)
    role_assign(user=user("bedomare", "Bengt", "Bedömare"), role=Role.REVIEWER)
    rep = user("forening", "Fia", "Företrädare")
    organisation = Organisation.objects.filter(municipality=orebro, legal_form__code="61").order_by("id").first()
    if organisation:
        role_assign(user=rep, role=Role.ORGANISATION_REP, organisation=organisation)
    return [
        ("region", "regionadministratör"),
        ("orebro", "kommunhandläggare, Örebro"),
        ("kumla", "kommunhandläggare, Kumla och Hallsberg"),
        ("forening", f"företrädare för {organisation}" if organisation else "företrädare"),
        ("bedomare", "bedömare"),
    ]
