"""Every writer of an organisation's name writes its Swedish sort key (ADR 0040), on both backends."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from civsam.core.collation import sort_key
from civsam.core.models import Municipality
from civsam.registry import demo
from civsam.registry.bulk import demo_organisations_insert
from civsam.registry.import_services import organisations_import
from civsam.registry.models import Organisation
from civsam.registry.orgnr import complete
from civsam.registry.services import organisation_update

NUMBER = complete("802000101")


def _keys_are_right() -> None:
    rows = list(Organisation.objects.values_list("name", "name_key"))
    assert rows
    assert all(key == sort_key(name) for name, key in rows)


def _import(name: str) -> None:
    data = f"organisationsnummer,namn,juridisk_form,kommunkod\r\n{NUMBER},{name},61,1880\r\n".encode()
    result = organisations_import(actor=None, file_name="f.csv", data=data, apply=True)
    assert result.applied, result.errors


def test_service_create_and_rename_write_the_key(make_org):
    organisation = make_org(name="Älvsbacka Byalag")
    _keys_are_right()
    organisation_update(actor=None, organisation=organisation, name="Åsbro Byalag")
    assert Organisation.objects.get(pk=organisation.pk).name_key == sort_key("Åsbro Byalag")


def test_import_create_and_rename_write_the_key(reference_data):
    _import("Östansjö IK")
    _keys_are_right()
    _import("Ängens IK")
    assert Organisation.objects.get(orgnr=NUMBER).name_key == sort_key("Ängens IK")
    _keys_are_right()


def test_demo_loader_writes_the_key(reference_data):
    populations = dict(Municipality.objects.values_list("code", "population"))
    demo_organisations_insert(demo.generate(20, populations, seed=3))
    _keys_are_right()


@pytest.mark.parametrize("field", ["insert", "update"])
def test_the_database_refuses_an_empty_key(make_org, field):
    organisation = make_org(name="Kumla IK")
    with pytest.raises(IntegrityError), transaction.atomic():
        if field == "update":
            Organisation.objects.filter(pk=organisation.pk).update(name_key="")
        else:
            Organisation.objects.create(
                name="Utan nyckel",
                orgnr=complete("802000202"),
                legal_form=organisation.legal_form,
                municipality=organisation.municipality,
            )
