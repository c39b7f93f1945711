"""Demo networks and events, deterministic, built on the demo organisations."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from civsam.core.models import Municipality
from civsam.plan.models import PriorityArea
from civsam.registry.models import Organisation

from .models import Event, Network, NetworkMembership, NetworkRepresentative

NETWORKS = [
    ("partnerskapet", "Partnerskapet för sociala innovationer", Network.Kind.PARTNERSHIP, None, 40),
    ("foreningsradet-kumla", "Föreningsrådet i Kumla", Network.Kind.ASSOCIATION_COUNCIL, "1881", 15),
    ("brukarradet-psykiatri", "Brukarrådet för psykiatri", Network.Kind.USER_COUNCIL, None, 8),
    ("civsam-international", "Nätverket för internationellt utbyte", Network.Kind.INTERNATIONAL, None, 10),
]


@transaction.atomic
def demo_meetings_load(*, seed: int = 2026) -> tuple[int, int]:
    """Create demo networks with members and a few upcoming events; idempotent."""
    if Network.objects.filter(slug="partnerskapet").exists():
        return 0, 0
    rng = random.Random(seed)
    organisations = list(
        Organisation.objects.filter(is_demo=True).order_by("id").values_list("id", "municipality__code")
    )
    today = timezone.localdate()
    networks = []
    for slug, name, kind, municipality_code, size in NETWORKS:
        network = Network.objects.create(
            slug=slug, name=name, kind=kind, purpose=f"Demodata: {name} samlar organisationer och offentliga aktörer."
        )
        pool = [pk for pk, code in organisations if municipality_code in (None, code)]
        for pk in rng.sample(pool, k=min(size, len(pool))):
            membership = NetworkMembership.objects.create(
                network=network,
                organisation_id=pk,
                status="active",
                joined_on=today - timedelta(days=rng.randint(30, 900)),
            )
            NetworkRepresentative.objects.create(
                membership=membership,
                name=rng.choice(["Anna", "Erik", "Leila", "Johan", "Sara", "Amir"])
                + " "
                + rng.choice(["Berg", "Holm", "Ali", "Lind"]),
                position=rng.choice(["member", "member", "chair", "secretary"]),
                starts_on=membership.joined_on,
            )
        networks.append(network)
    orebro = Municipality.objects.get(code="1880")
    kumla = Municipality.objects.get(code="1881")
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    events = [
        Event(
            title="Regional konferens om samverkan mellan offentlig sektor och civilsamhälle",
            network=networks[0],
            municipality=orebro,
            place="Örebro slott",
            starts_at=start + timedelta(days=60),
            ends_at=start + timedelta(days=60, hours=7),
            capacity=300,
            mode=Event.Mode.HYBRID,
        ),
        Event(
            title="Dialogmöte om föreningsstöd",
            network=networks[1],
            municipality=kumla,
            place="Kumla stadshus",
            starts_at=start + timedelta(days=14),
            ends_at=start + timedelta(days=14, hours=2),
            capacity=40,
        ),
        Event(
            title="Brukarrådets möte",
            network=networks[2],
            mode=Event.Mode.ONLINE,
            online_url="https://mote.example.se/brukarradet",
            starts_at=start + timedelta(days=21),
            ends_at=start + timedelta(days=21, hours=2),
            capacity=20,
            requires_approval=True,
        ),
    ]
    Event.objects.bulk_create(events)
    networking = PriorityArea.objects.filter(focus_area__plan__slug="2026-2030", focus_area__number=3)
    for event in events:
        event.priority_areas.set(networking)
    return len(networks), len(events)
