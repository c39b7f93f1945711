"""Every writer of an organisation's name writes its Swedish sort key (ADR 0040), on both backends."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, connection, transaction

from civsam.core.collation import sort_key
from civsam.core.models import Municipality
from civsam.registry import demo
from civsam.registry.imports.bulk import demo_organisations_insert
from civsam.registry.imports.services import organisations_import
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


# Names whose keys use the separator, the space and punctuation codes and å/ä/ö's "{|}", which
# glibc and ICU collations skip or move: only a code-point comparison orders these keys right.
TRICKY_NAMES = [
    "Örebro Schack", "Örebro 2000", "Ösby IK", "Östansjö IK", "Ängens IK", "Åsbro IK", "Zeta", "Z-klubben",
    "IK 2", "IK 10", "Hällefors BK", "Hallsberg BK", "Élan", "Elan", "asbro ik", "Asbro IK",
    "Boab", "Bo1b", "Bo-b", "Bo b", "BO B",
]  # fmt: skip
SWEDISH_ORDER = [
    "asbro ik", "Asbro IK", "Bo b", "BO B", "Bo-b", "Bo1b", "Boab", "Elan", "Élan", "Hallsberg BK", "Hällefors BK",
    "IK 10", "IK 2", "Z-klubben", "Zeta", "Åsbro IK", "Ängens IK", "Örebro 2000", "Örebro Schack", "Ösby IK",
    "Östansjö IK",
]  # fmt: skip


def _name_key_collations() -> dict[str, str]:
    """Where name_key's order is decided: the column's (and on SQLite its indexes') collation."""
    table = Organisation._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT coalesce(collation_name, 'default') FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = %s AND column_name = 'name_key'",
                [table],
            )
            collations = {table: cursor.fetchone()[0]}
            cursor.execute(
                "SELECT i.relname, c.collname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid, "
                "unnest(x.indkey::int2[], x.indcollation::oid[]) AS k(attnum, coll) "
                "JOIN pg_collation c ON c.oid = k.coll "
                "JOIN pg_attribute a ON a.attrelid = %s::regclass AND a.attnum = k.attnum "
                "WHERE x.indrelid = %s::regclass AND a.attname = 'name_key'",
                [table, table],
            )
            collations.update(cursor.fetchall())
            return collations
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
        column = re.search(r'"?name_key"?\s+([^,]*)', cursor.fetchone()[0]).group(1)
        declared = re.search(r"COLLATE\s+(\w+)", column, re.IGNORECASE)
        collations = {table: declared.group(1) if declared else "BINARY"}
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [table])
        for (index,) in cursor.fetchall():
            cursor.execute(f'PRAGMA index_xinfo("{index}")')  # (seqno, cid, name, desc, coll, key)
            for row in cursor.fetchall():
                if row[2] == "name_key":
                    collations[index] = row[4]
        return collations


def test_the_name_key_column_compares_by_code_point(db):
    collations = _name_key_collations()
    # The column and the name_key indexes of migrations 0003/0004, bulk_load's replays included.
    assert {"registry_organisation", "org_name_idx", "org_municipality_key_idx", "org_pub_members_part"} <= set(
        collations
    )
    if connection.vendor == "postgresql":
        # Migration 0004 (ADR 0053): "C" whatever the database's default collation.
        assert set(collations.values()) == {"C"}, collations
    else:
        # SQLite's default BINARY is memcmp, i.e. code-point order for UTF-8.
        assert set(collations.values()) == {"BINARY"}, collations


def _keys(order_by: str) -> list[str]:
    with connection.cursor() as cursor:  # order_by is one of the constant clauses below
        cursor.execute(f"SELECT name_key FROM registry_organisation ORDER BY {order_by}")
        return [key for (key,) in cursor.fetchall()]


def test_name_key_order_is_code_point_order(make_org):
    for n, name in enumerate(TRICKY_NAMES):
        make_org(name=name, orgnr=complete(f"80210{n:04d}"))
    keys = list(Organisation.objects.order_by("name_key").values_list("name_key", flat=True))
    assert len(keys) == len(TRICKY_NAMES)
    assert keys == sorted(keys)  # Python compares str by code point
    assert list(Organisation.objects.values_list("name", flat=True)) == SWEDISH_ORDER  # Meta.ordering
    if connection.vendor == "postgresql":
        assert _keys('name_key COLLATE "C"') == keys
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'")
            has_icu = cursor.fetchone() is not None
        if has_icu:
            # The same keys under a linguistic collation come out in another order: the column's "C"
            # collation, not the key alone, is what makes ORDER BY name_key right.
            assert _keys('name_key COLLATE "und-x-icu"') != keys
    else:
        assert _keys("name_key COLLATE BINARY") == keys
