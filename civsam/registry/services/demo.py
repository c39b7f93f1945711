"""The demo logins, one per role (`manage.py load_demo_data`), beside the demo organisations
(demo.py, imports/bulk.py). Here rather than in accounts: the representative's login needs a demo
organisation, and accounts sits below the register."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from civsam.accounts.models import Role, User
from civsam.accounts.services import role_assign
from civsam.core.models import Municipality

from ..models import Organisation, RepresentationInvitation, RepresentationRequest
from .representation import representation_request_create
from .representatives import representative_invite


@transaction.atomic
def demo_users_create(*, password: str) -> list[tuple[str, str]]:
    """One demo login per role; idempotent. Returns (username, description) pairs to print."""

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
        role_assign(user=rep, role=Role.ORGANISATION_REP, organisation=organisation, mandate="board_member")
        # A co-representative, and an invitation to a third person waiting for an answer (ADR 0099).
        treasurer = user("kassor", "Kalle", "Kassör")
        role_assign(user=treasurer, role=Role.ORGANISATION_REP, organisation=organisation, mandate="signatory")
        if not RepresentationInvitation.objects.filter(organisation=organisation).exists():
            representative_invite(
                actor=rep, organisation=organisation, email="ungdomsledare@example.se", mandate="appointed_contact"
            )
    # A newcomer's request to represent an association nobody represents yet: it waits in the
    # Örebro officer's queue and on the newcomer's "Min sida" (ADR 0090).
    newcomer = user("ny", "Nora", "Nyström")
    unclaimed = (
        Organisation.objects.filter(municipality=orebro, legal_form__code="61")
        .exclude(pk=getattr(organisation, "pk", None))
        .order_by("id")
        .first()
    )
    if unclaimed and not RepresentationRequest.objects.filter(user=newcomer).exists():
        representation_request_create(
            actor=newcomer,
            organisation=unclaimed,
            mandate="board_member",
            message="Jag valdes till ordförande på årsmötet i mars.",
        )
    representative = _("företrädare")
    if organisation:
        representative = _("företrädare för %(organisation)s") % {"organisation": organisation}
    return [
        ("region", _("regionadministratör")),
        ("orebro", _("kommunhandläggare, Örebro")),
        ("kumla", _("kommunhandläggare, Kumla och Hallsberg")),
        ("forening", representative),
        ("kassor", _("medföreträdare för samma förening")),
        ("ny", _("har bett om att få företräda en förening; väntar på beslut")),
        ("bedomare", _("bedömare")),
    ]


# Demo actors of every kind (ADR 0096): invented, marked as demo data.
DEMO_ACTORS = (
    {
        "name": "Läxhjälpsnätverket Vivalla",
        "kind": Organisation.Kind.INFORMAL,
        "municipality": "1880",
        "description": "Föräldrar och grannar som ordnar läxhjälp i Vivalla två kvällar i veckan, utan att ha bildat "
        "någon förening.",
    },
    {
        "name": "Grenseløs Frivillighet Kongsvinger",
        "kind": Organisation.Kind.FOREIGN,
        "country": "NO",
        "foreign_registration_number": "900 000 001",
        "municipality": "1883",
        "description": "Norsk frivilligorganisation som driver ett gemensamt ungdomsutbyte med föreningar i Karlskoga.",
    },
    {
        "name": "Returhuset i Kumla AB",
        "orgnr": "5590000013",
        "legal_form": "49",
        "municipality": "1881",
        "social_enterprise": True,
        "description": "Arbetsintegrerande second hand-butik som återinvesterar överskottet i verksamheten.",
    },
    {
        "name": "Cykelköket Hallsberg (enskild firma)",
        "legal_form": "10",
        "municipality": "1861",
        "social_enterprise": True,
        "description": "Cykelverkstad som ger praktikplatser åt unga som står långt från arbetsmarknaden.",
    },
)


@transaction.atomic
def demo_actors_create() -> int:
    """Create the demo actors of every kind that are missing; returns how many were created."""
    from civsam.core.models import LegalForm

    from .organisations import organisation_create

    created = 0
    for item in DEMO_ACTORS:
        if Organisation.objects.filter(name=item["name"]).exists():
            continue
        fields = dict(item)
        fields["municipality"] = Municipality.objects.get(code=fields["municipality"])
        if "legal_form" in fields:
            fields["legal_form"] = LegalForm.objects.get(code=fields["legal_form"])
        if fields.get("social_enterprise"):
            fields["social_enterprise_source"] = "Demodata"
        organisation = organisation_create(actor=None, **fields)
        Organisation.objects.filter(pk=organisation.pk).update(is_demo=True)
        created += 1
    return created


@transaction.atomic
def demo_register_history_set(*, seed: int = 2026) -> int:
    """Give the demo organisations an official history, so that the statistics have something to
    show: about half a registration date in their founding year, and one in thirty deregistered in
    one of the last years. Only demo rows (is_demo) are touched, and the source says "demodata".
    Returns how many were changed."""
    import datetime
    import random

    from django.utils import timezone

    rng = random.Random(seed)
    today = timezone.localdate()
    changed = 0
    rows = Organisation.objects.filter(is_demo=True, registered_on__isnull=True).order_by("id")
    for pk, founded in rows.values_list("id", "founded_year").iterator():
        draw = rng.random()
        if draw >= 0.5 or founded is None:
            continue
        registered = datetime.date(founded, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        values: dict = {"registered_on": min(registered, today), "registered_source": _("Demodata")}
        if draw < 0.5 / 30 and founded < today.year - 1:
            ceased = datetime.date(rng.randint(max(founded + 1, 2018), today.year - 1), rng.randint(1, 12), 15)
            values.update(status="deregistered", status_date=ceased, status_source=_("Demodata"), is_public=False)
        Organisation.objects.filter(pk=pk).update(**values)
        changed += 1
    return changed
