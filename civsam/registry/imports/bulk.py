"""Fast bulk loading of generated organisations (demo data, benchmarks, tests at scale): straight
bulk inserts in batches, without the import's comparison, checks and change history."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from civsam.core.batching import batches
from civsam.core.collation import sort_key
from civsam.core.models import ActivityClass, LegalForm, Municipality, SocietalRole

from .. import demo
from ..models import ContactPerson, Organisation
from ..services import default_sector, search_document_for

BATCH = 5000


def demo_organisations_insert(items: Iterable[demo.DemoOrganisation]) -> int:
    """Insert generated organisations with their classes, roles and contacts; returns the count."""
    forms = {form.code: form for form in LegalForm.objects.all()}
    legal_forms = {code: form.pk for code, form in forms.items()}
    municipalities = dict(Municipality.objects.values_list("code", "id"))
    activities = dict(ActivityClass.objects.values_list("code", "id"))
    roles = dict(SocietalRole.objects.values_list("code", "id"))
    ActivityThrough = Organisation.activity_classes.through
    RoleThrough = Organisation.roles.through
    ActiveThrough = Organisation.active_municipalities.through
    total = 0
    for batch in batches(items, BATCH):
        with transaction.atomic():
            objects = [
                Organisation(
                    name=item.name,
                    orgnr=item.orgnr,
                    legal_form_id=legal_forms[item.legal_form],
                    sector=default_sector(forms[item.legal_form], social_enterprise=item.social_enterprise),
                    municipality_id=municipalities[item.municipality],
                    website=item.website,
                    description=item.description,
                    founded_year=item.founded_year,
                    member_count=item.member_count,
                    social_enterprise=item.social_enterprise,
                    social_enterprise_source="Demodata" if item.social_enterprise else "",
                    work_integrating=item.work_integrating,
                    work_integrating_source="Demodata" if item.work_integrating else "",
                    ideburen_registered=item.ideburen_registered,
                    ideburen_source="Demodata" if item.ideburen_registered else "",
                    is_demo=True,
                    name_key=sort_key(item.name),
                    search_document=search_document_for(
                        name=item.name, description=item.description, orgnr_value=item.orgnr
                    ),
                )
                for item in batch
            ]
            created = Organisation.objects.bulk_create(objects)
            ActivityThrough.objects.bulk_create(
                [
                    ActivityThrough(organisation_id=org.pk, activityclass_id=activities[code])
                    for org, item in zip(created, batch, strict=True)
                    for code in item.activity_classes
                ]
            )
            RoleThrough.objects.bulk_create(
                [
                    RoleThrough(organisation_id=org.pk, societalrole_id=roles[code])
                    for org, item in zip(created, batch, strict=True)
                    for code in item.roles
                ]
            )
            ActiveThrough.objects.bulk_create(
                [
                    ActiveThrough(organisation_id=org.pk, municipality_id=municipalities[code])
                    for org, item in zip(created, batch, strict=True)
                    for code in item.active_municipalities
                ]
            )
            ContactPerson.objects.bulk_create(
                [
                    ContactPerson(organisation_id=org.pk, name=name, role=role, email=email, phone=phone)
                    for org, item in zip(created, batch, strict=True)
                    for name, role, email, phone in item.contacts
                ]
            )
        total += len(batch)
    return total
