"""organisations_import against the database: upsert, idempotency, round trip, rollback, permissions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civsam.core.exports import csv_stream, xlsx_bytes
from civsam.core.models import AuditEntry
from civsam.core.selectors import history_for
from civsam.registry import exports, search, services
from civsam.registry.imports import parse as parsing
from civsam.registry.imports import plan, storage, write
from civsam.registry.imports import services as import_services
from civsam.registry.imports.services import organisations_import
from civsam.registry.models import DuplicateCandidate, ImportRun, Organisation
from civsam.registry.orgnr import complete

pytestmark = pytest.mark.django_db

HEADER = ["organisationsnummer", "namn", "juridisk_form", "kommunkod", "verksamhetsomraden", "roller", "webbplats",
          "antal_medlemmar", "socialt_foretag"]  # fmt: skip
ORG_1 = complete("802000101")
ORG_2 = complete("802000202")
ORG_3 = complete("716400303")


def csv_file(rows: list[list], header: list[str] = HEADER, delimiter: str = ",") -> bytes:
    lines = [header, *rows]
    return ("\r\n".join(delimiter.join(str(c) for c in line) for line in lines) + "\r\n").encode("utf-8")


def run(data: bytes, *, actor=None, apply=True, name="fil.csv", **kwargs):
    return organisations_import(actor=actor, file_name=name, data=data, apply=apply, **kwargs)


ORG_STATE_FIELDS = ("orgnr", "name", "legal_form__code", "municipality__code", "website", "member_count",
                    "social_enterprise", "search_document", "name_key", "updated_at")  # fmt: skip


def state() -> dict:
    """Everything the import may touch, for before/after comparisons."""
    activities = Organisation.activity_classes.through.objects.values_list("organisation_id", "activityclass_id")
    return {
        "orgs": sorted(Organisation.objects.values_list(*ORG_STATE_FIELDS)),
        "activities": sorted(activities),
        "roles": sorted(Organisation.roles.through.objects.values_list("organisation_id", "societalrole_id")),
        "audit": AuditEntry.objects.count(),
        "runs": ImportRun.objects.count(),
        "duplicates": DuplicateCandidate.objects.count(),
    }


THREE_ROWS = [
    [ORG_1, "Kumla Schackklubb", "61", "1881", "1; 4", "community; voice", "https://schack.example.se", "40", "nej"],
    [ORG_2, "Örebro Läxhjälp", "51", "1880", "4", "service-provider", "", "", "ja"],
    [ORG_3, "Nora Byalag", "61", "1884", "", "", "", "12", "0"],
]


def test_creates_organisations_with_sets_search_document_audit_and_run(reference_data):
    result = run(csv_file(THREE_ROWS))
    assert (result.applied, result.created, result.updated, result.unchanged, result.errors) == (True, 3, 0, 0, [])
    org = Organisation.objects.get(orgnr=ORG_1)
    assert (org.name, org.legal_form.code, org.municipality.code) == ("Kumla Schackklubb", "61", "1881")
    assert sorted(a.code for a in org.activity_classes.all()) == ["1", "4"]
    assert sorted(r.code for r in org.roles.all()) == ["community", "voice"]
    assert (org.website, org.member_count, org.social_enterprise, org.is_public) == (
        "https://schack.example.se", 40, False, True,
    )  # fmt: skip
    assert org.search_document == search.document(org.name, org.description, org.orgnr)
    assert Organisation.objects.get(orgnr=ORG_2).social_enterprise is True
    entries = history_for(org).filter(action=AuditEntry.Action.CREATE)
    assert entries.count() == 1
    changes = entries.get().changes
    assert changes["name"] == [None, "Kumla Schackklubb"]
    assert changes["municipality"] == [None, "Kumla"]
    assert changes["activity_classes"] == [None, ["1", "4"]]
    assert "fil.csv" in entries.get().note
    # One moment for the whole import, to the microsecond, in rows and history alike.
    assert org.created_at == org.updated_at == entries.get().at
    assert abs((timezone.now() - org.created_at).total_seconds()) < 60
    assert org.created_at.microsecond or org.created_at.second or org.created_at.minute  # not truncated to the hour
    record = ImportRun.objects.get(pk=result.run_id)
    assert (record.created, record.updated, record.unchanged, record.rejected, record.filename) == (
        3,
        0,
        0,
        0,
        "fil.csv",
    )


def test_created_organisations_are_found_by_the_directory_search(reference_data):
    from civsam.registry.selectors import DirectoryFilter, organisation_directory

    run(csv_file(THREE_ROWS))
    found = organisation_directory(user=None, filters=DirectoryFilter(q="schackklubb"))
    assert [o.orgnr for o in found] == [ORG_1]


def test_same_file_twice_changes_nothing_the_second_time(reference_data):
    data = csv_file(THREE_ROWS)
    run(data)
    before = state()
    second = run(data)
    assert (second.applied, second.created, second.updated, second.unchanged) == (True, 0, 0, 3)
    after = state()
    assert after["runs"] == before["runs"] + 1  # the run itself is recorded...
    after["runs"] = before["runs"]
    assert after == before  # ...and nothing else changed: no updates, no audit entries


def test_update_writes_only_changed_fields_and_one_audit_entry(reference_data, make_org):
    org = make_org(name="Gamla namnet", orgnr=ORG_1, municipality="1881", member_count=3, website="https://a.se")
    audit_before = AuditEntry.objects.count()
    header = ["organisationsnummer", "namn", "antal_medlemmar", "roller"]
    result = run(csv_file([[ORG_1, "Nya namnet", "3", "voice"]], header=header))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    org.refresh_from_db()
    assert (org.name, org.member_count, org.website, org.municipality.code) == ("Nya namnet", 3, "https://a.se", "1881")
    assert [r.code for r in org.roles.all()] == ["voice"]
    assert org.search_document == search.document("Nya namnet", org.description, org.orgnr)
    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == audit_before + 1
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {"name": ["Gamla namnet", "Nya namnet"], "roles": [[], ["voice"]]}
    assert [(c.field, c.old, c.new) for c in result.changes[0].changes] == [
        ("name", "Gamla namnet", "Nya namnet"),
        ("roles", "", "voice"),
    ]


def test_missing_columns_leave_fields_untouched_and_empty_cells_clear(reference_data, make_org):
    org = make_org(orgnr=ORG_1, website="https://a.se", member_count=7, description="Text", social_enterprise=True)
    org.activity_classes.set([])
    # Only the website column, empty: clears the website, nothing else.
    result = run(csv_file([[ORG_1, ""]], header=["organisationsnummer", "webbplats"]))
    assert result.updated == 1
    org.refresh_from_db()
    assert (org.website, org.member_count, org.description, org.social_enterprise) == ("", 7, "Text", True)
    # Empty number and flag cells clear too.
    run(csv_file([[ORG_1, "", ""]], header=["organisationsnummer", "antal_medlemmar", "socialt_foretag"]))
    org.refresh_from_db()
    assert (org.member_count, org.social_enterprise, org.description) == (None, False, "Text")


def test_required_fields_for_new_rows_and_empty_required_cells(reference_data, make_org):
    make_org(orgnr=ORG_1)
    header = ["organisationsnummer", "namn", "kommun"]
    result = run(csv_file([[ORG_1, "Finns redan", "Örebro"], [ORG_2, "Ny utan form", "Örebro"]], header=header),
                 apply=False)  # fmt: skip
    assert result.updated == 1
    assert [(e.line, e.column) for e in result.errors] == [(3, "Juridisk form (kod)")]
    assert "krävs för en ny organisation" in result.errors[0].message
    empty = run(csv_file([[ORG_1, "", ""]], header=header), apply=False)
    assert sorted(e.column for e in empty.errors) == ["kommun", "namn"]


def _export(qs, fmt: str) -> bytes:
    if fmt == "csv":
        return "".join(csv_stream(exports.ORGANISATION_COLUMNS, qs)).encode("utf-8")
    return xlsx_bytes(exports.ORGANISATION_COLUMNS, qs)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_reports_every_row_unchanged(reference_data, make_org, fmt):
    from civsam.core.models import ActivityClass, SocietalRole

    first = make_org(
        name="-Minus först",  # exported with the formula guard
        website="https://x.example.se",
        email="info@x.example.se",
        description="Två\r\nrader (som från ett formulär), med ”citat”; och semikolon",
        founded_year=1921,
        member_count=0,
        social_enterprise=True,
    )
    first.activity_classes.set(ActivityClass.objects.filter(code__in=["1", "12", "4"]))
    first.roles.set(SocietalRole.objects.filter(code__in=["voice", "service-provider"]))
    make_org(name="Åsbro Ölförening", municipality="1814")
    make_org(name="=SUMMA(A1)", municipality="1885", work_integrating=True, ideburen_registered=True)
    audit_before = AuditEntry.objects.count()
    before = state()
    data = _export(Organisation.objects.order_by("id"), fmt)
    result = run(data, name=f"export.{fmt}")
    assert result.errors == []
    assert result.warnings == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, Organisation.objects.count())
    assert AuditEntry.objects.count() == audit_before
    after = state()
    after["runs"] -= 1
    assert after == before


def test_a_file_with_errors_imports_nothing_unless_valid_rows_only(reference_data):
    rows = [THREE_ROWS[0], [ORG_2, "Felaktig", "61", "9999", "", "", "", "", ""], THREE_ROWS[2]]
    before = state()
    refused = run(csv_file(rows))
    assert refused.applied is False
    assert (refused.created, refused.rejected) == (2, 1)
    assert [(e.line, e.column) for e in refused.errors] == [(3, "kommunkod")]
    assert state() == before
    accepted = run(csv_file(rows), valid_rows_only=True)
    assert (accepted.applied, accepted.created, accepted.rejected) == (True, 2, 1)
    assert set(Organisation.objects.values_list("orgnr", flat=True)) == {ORG_1, ORG_3}
    assert ImportRun.objects.get(pk=accepted.run_id).rejected == 1


def test_valid_rows_only_with_no_valid_rows_applies_nothing(reference_data):
    result = run(csv_file([[ORG_1, "", "61", "1880", "", "", "", "", ""]]), valid_rows_only=True)
    assert result.applied is False
    assert ImportRun.objects.count() == 0


def test_dry_run_writes_nothing_but_reports_changes(reference_data):
    before = state()
    result = run(csv_file(THREE_ROWS), apply=False)
    assert (result.applied, result.created) == (False, 3)
    assert [c.orgnr for c in result.changes] == [ORG_1, ORG_2, ORG_3]
    assert result.changes[0].created is True
    assert state() == before


def test_file_errors_change_nothing(reference_data):
    before = state()
    result = run(b"\x00\x01garbage", name="fil.csv")
    assert result.applied is False
    assert result.file_error
    assert [e.line for e in result.errors] == [0]
    assert state() == before


def test_file_over_the_size_limit_is_refused(reference_data, settings):
    settings.IMPORT_MAX_BYTES = 100
    result = run(csv_file(THREE_ROWS))
    assert "för stor" in result.file_error
    assert Organisation.objects.count() == 0


# Failure half-way through must leave nothing behind: one transaction for the whole import.
# The storage points are the database's own storage module's functions (storage.backend()).
FAILURE_POINTS = ["search_document", "replace_set", "audit_created", "audit_rows", "duplicates_detect"]
# Called once per import, after every other write of the rows: failing on the first call is late enough.
LAST_WRITES = ("audit_created", "audit_rows", "duplicates_detect")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("point", FAILURE_POINTS)
def test_a_crash_half_way_leaves_no_partial_state(reference_data, make_org, monkeypatch, point):
    existing = make_org(name="Befintlig", orgnr=ORG_1, municipality="1881")
    existing.roles.set([])
    rows = [[ORG_1, "Befintlig ändrad", "61", "1881", "1", "voice", "", "5", "ja"]]
    rows += [[complete(f"80210{i:04d}"), f"Förening nummer {i}", "61", "1880", "4", "community", "", str(i), "nej"]
             for i in range(12)]  # fmt: skip
    monkeypatch.setattr(storage.sqlite, "WRITE_BATCH", 3)  # several batches hit the database before the failure
    calls = {"n": 0}

    class Boom(RuntimeError):
        pass

    def fail_after(real, after):
        def wrapper(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] > after:
                raise Boom("injected failure")
            return real(*args, **kwargs)

        return wrapper

    if point == "search_document":
        monkeypatch.setattr(services, "search_document_for", fail_after(services.search_document_for, 8))
    elif point == "duplicates_detect":
        monkeypatch.setattr(services, "duplicates_detect", fail_after(services.duplicates_detect, 0))
    elif point == "replace_set":
        monkeypatch.setattr(storage, point, fail_after(storage.replace_set, 1))
    else:
        db = storage.backend()
        monkeypatch.setattr(db, point, fail_after(getattr(db, point), 0))
    before = state()
    with pytest.raises(Boom):
        run(csv_file(rows))
    assert calls["n"] > 1 or point in LAST_WRITES
    assert state() == before
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'import_stage_%%'")
            assert cursor.fetchone()[0] == 0


def test_permission_denied_for_users_who_cannot_import(users):
    for name in ("plain", "rep", "reviewer"):
        with pytest.raises(PermissionDenied):
            run(csv_file(THREE_ROWS), actor=users[name])


def test_officer_may_only_import_rows_in_own_municipality(users):
    officer = users["officer"]  # Örebro (1880)
    kumla_org = users["other_org"]  # in Kumla
    header = ["organisationsnummer", "namn", "juridisk_form", "kommun"]
    rows = [
        [ORG_1, "Ny i Örebro", "61", "Örebro"],
        [ORG_2, "Ny i Kumla", "61", "Kumla"],
        [kumla_org.orgnr, "Ändrad i Kumla", "61", "Örebro"],  # moving it away from Kumla is not theirs either
        [users["own_org"].orgnr, "Egna föreningen", "61", "Kumla"],  # nor moving one of theirs out of scope
    ]
    result = run(csv_file(rows, header=header), actor=officer, apply=False)
    assert [(e.line, e.column) for e in result.errors] == [(3, "kommun"), (4, "organisationsnummer"), (5, "kommun")]
    assert "Kumla" in result.errors[1].message
    assert result.created == 1
    applied = run(csv_file(rows, header=header), actor=officer, valid_rows_only=True)
    assert (applied.applied, applied.created, applied.rejected) == (True, 1, 3)
    kumla_org.refresh_from_db()
    assert kumla_org.name == "Andra föreningen"
    entry = history_for(Organisation.objects.get(orgnr=ORG_1)).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == officer
    assert ImportRun.objects.get(pk=applied.run_id).actor == officer


def test_region_admin_imports_anywhere(users):
    header = ["organisationsnummer", "namn", "juridisk_form", "kommun"]
    result = run(csv_file([[ORG_1, "A", "61", "Kumla"], [ORG_2, "B", "61", "Örebro"]], header=header),
                 actor=users["admin"])  # fmt: skip
    assert (result.applied, result.created, result.errors) == (True, 2, [])


def test_new_similar_names_are_flagged_as_duplicates(reference_data, make_org):
    make_org(name="Kumla Schackklubb", municipality="1881")
    result = run(csv_file([THREE_ROWS[0]]))
    assert result.duplicates_flagged == 1
    assert DuplicateCandidate.objects.count() == 1


def test_big_imports_leave_duplicate_detection_to_the_command(reference_data, make_org, monkeypatch):
    make_org(name="Kumla Schackklubb", municipality="1881")
    monkeypatch.setattr(import_services, "INLINE_DUPLICATE_LIMIT", 2)
    result = run(csv_file(THREE_ROWS))
    assert (result.duplicates_deferred, result.duplicates_flagged) == (True, 0)
    assert DuplicateCandidate.objects.count() == 0


def test_unchanged_rows_do_not_trigger_duplicate_detection(reference_data, monkeypatch):
    run(csv_file(THREE_ROWS))
    called = []
    monkeypatch.setattr(services, "duplicates_detect", lambda **kw: called.append(kw) or 0)
    run(csv_file(THREE_ROWS))
    assert called == []


def test_many_rows_in_several_batches(reference_data, monkeypatch):
    monkeypatch.setattr(storage.sqlite, "WRITE_BATCH", 7)
    monkeypatch.setattr(storage.common, "FETCH_CHUNK", 5)
    rows = [[complete(f"80220{i:04d}"), f"Förening {i}", "61", "1880", "1; 2", "voice", "", str(i), "nej"]
            for i in range(40)]  # fmt: skip
    assert run(csv_file(rows)).created == 40
    rows[5][1] = "Ändrad förening"
    rows[17][4] = "3"
    second = run(csv_file(rows))
    assert (second.created, second.updated, second.unchanged) == (0, 2, 38)
    changed = Organisation.objects.get(orgnr=rows[17][0])
    assert [a.code for a in changed.activity_classes.all()] == ["3"]
    assert Organisation.activity_classes.through.objects.count() == 39 * 2 + 1


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    name=st.text(max_size=60),
    description=st.sampled_from(["", "Demodata: påhittad organisation i Örebro.", "Idrott och föreningsliv"])
    | st.text(max_size=60),
    number=st.text(alphabet="0123456789", min_size=10, max_size=10),
)
def test_search_documents_equal_search_document_for(name, description, number):
    documents = write.SearchDocuments()
    expected = services.search_document_for(name=name, description=description, orgnr_value=number)
    assert documents(name, description, number) == expected
    assert documents(name, description, number) == expected  # and again, from the cache


def test_organisations_created_after_an_import_get_fresh_ids(reference_data, make_org):
    run(csv_file(THREE_ROWS))
    later = make_org(name="Skapad efter importen")
    assert later.pk not in set(
        Organisation.objects.filter(orgnr__in=[ORG_1, ORG_2, ORG_3]).values_list("id", flat=True)
    )
    assert later.pk > max(Organisation.objects.exclude(pk=later.pk).values_list("id", flat=True))


# Bulk loads (ADRs 0043, 0054): a first big load drops the secondary indexes (and on PostgreSQL the
# foreign keys, on SQLite the FTS5 insert trigger) and builds them again before commit. The schema
# afterwards must be exactly the migrated one.


def schema_snapshot() -> set[tuple]:
    """Index and constraint definitions of the tables a bulk load touches (all tables on SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = storage.common.bulk_tables()
            cursor.execute(
                "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "UNION ALL SELECT 'constraint', conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = ANY(%s::regclass[])",
                [tables, tables],
            )
        else:
            cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'table')")
        return set(cursor.fetchall())


def bulk_rows(count: int) -> list[list]:
    return [[complete(f"80230{i:04d}"), f"Bulkförening {i}", "61", "1880", "1; 4", "community", "", str(i), "nej"]
            for i in range(count)]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_first_big_load_rebuilds_the_schema_it_drops(reference_data, monkeypatch):
    monkeypatch.setattr(storage, "BULK_LOAD_MIN_ROWS", 5)
    assert storage.is_bulk_load(12) is True  # an empty register: a first load
    assert storage.is_bulk_load(4) is False  # under the minimum
    before = schema_snapshot()
    dropped = []
    real_execute = connection.cursor().__class__.execute

    def watching(self, sql, params=None):
        if sql.startswith(("DROP INDEX", "ALTER TABLE", "DROP TRIGGER")):
            dropped.append(sql)
        return real_execute(self, sql, params)

    monkeypatch.setattr(connection.cursor().__class__, "execute", watching)
    result = run(csv_file(bulk_rows(12)), detect_duplicates=False)
    assert result.applied and result.created == 12 and not result.errors
    assert any(sql.startswith("DROP INDEX") for sql in dropped)  # the mode really ran
    assert any(sql.startswith("DROP TRIGGER") for sql in dropped) is (connection.vendor == "sqlite")
    assert schema_snapshot() == before
    stored = Organisation.objects.filter(name__startswith="Bulkförening")
    assert stored.count() == 12
    assert sorted(stored.values_list("member_count", flat=True)) == list(range(12))
    assert Organisation.activity_classes.through.objects.filter(organisation__in=stored).count() == 24
    assert AuditEntry.objects.filter(note__endswith="fil.csv").count() == 12
    # The indexes work: the directory finds the new rows by text and by municipality.
    from civsam.registry import selectors

    found = selectors.organisation_directory(user=None, filters=selectors.DirectoryFilter(q="bulkförening"))
    assert found.count() == 12
    # The foreign keys are back: a row pointing at a missing municipality is refused.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=stored.first().pk).update(municipality_id=999_999)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("point", ["replace_set", "audit_created"])  # with the indexes dropped, and after
def test_a_big_load_that_fails_leaves_the_schema_and_the_register_as_they_were(reference_data, monkeypatch, point):
    monkeypatch.setattr(storage, "BULK_LOAD_MIN_ROWS", 5)
    before, schema = state(), schema_snapshot()

    def broken(*args, **kwargs):
        raise RuntimeError("injected failure after the rows went in")

    if point == "replace_set":
        monkeypatch.setattr(storage, point, broken)
    else:
        monkeypatch.setattr(storage.backend(), point, broken)
    with pytest.raises(RuntimeError):
        run(csv_file(bulk_rows(12)), detect_duplicates=False)
    assert state() == before
    assert schema_snapshot() == schema


def test_a_top_up_is_not_a_bulk_load(reference_data, make_org, monkeypatch):
    monkeypatch.setattr(storage, "BULK_LOAD_MIN_ROWS", 1)
    for i in range(3):
        make_org(name=f"Befintlig {i}", orgnr=complete(f"80240{i:04d}"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Organisation._meta.db_table}")  # the estimate the decision reads
    assert storage.is_bulk_load(2) is False  # fewer new rows than stored: indexes stay
    assert storage.is_bulk_load(3) is True


# On SQLite the history of created rows is written by the database (storage/sqlite.py audit_created); it must
# say what a diff made in Python from the parsed file says: every non-blank field as [None, value],
# legal form and municipality by name, codes sorted; "" / None / False / no codes left out, 0 kept.


def python_creation_diff(row, parsed, lookups) -> dict:
    result = {"orgnr": [None, row.orgnr]}
    for name, value in zip(parsed.fields, row.values, strict=True):
        if value or (value == 0 and value is not False):
            result[name] = [None, plan.audit_value(name, value, lookups)]
    return result


OPTIONAL_COLUMNS = ["verksamhetsomraden", "roller", "webbplats", "epost", "beskrivning", "grundad_ar",
                    "antal_medlemmar", "socialt_foretag", "arbetsintegrerande", "ideburen_registrerad"]  # fmt: skip
CELL_VALUES = {
    "verksamhetsomraden": st.sampled_from(["", "1", "4; 1", "12;3;1", "2, 2"]),
    "roller": st.sampled_from(["", "voice", "service-provider; community", "voice;community;counterweight"]),
    "webbplats": st.sampled_from(["", "https://a.example.se", "förening.se"]),
    "epost": st.sampled_from(["", "info@example.se"]),
    "beskrivning": st.text(st.sampled_from("abc åÄö\"'\\\n{}%"), max_size=12),
    "grundad_ar": st.sampled_from(["", "1000", "1987"]),
    "antal_medlemmar": st.sampled_from(["", "0", "40", "2147483647"]),
    "socialt_foretag": st.sampled_from(["", "ja", "nej"]),
    "arbetsintegrerande": st.sampled_from(["", "ja", "nej"]),
    "ideburen_registrerad": st.sampled_from(["", "ja", "nej"]),
}


@st.composite
def import_files(draw):
    columns = draw(st.lists(st.sampled_from(OPTIONAL_COLUMNS), unique=True))
    header = ["organisationsnummer", "namn", "juridisk_form", "kommun", *columns]
    rows = []
    for i in range(draw(st.integers(1, 6))):
        name = draw(st.text(st.sampled_from("Ab åöÉ-'\"%{}\\"), min_size=1, max_size=10)).strip() or "X"
        row = [complete(f"8020{i:05d}"), name, draw(st.sampled_from(["61", "Ideell förening", "51", "72"])),
               draw(st.sampled_from(["1880", "Kumla", "Lindesberg", "1885"]))]  # fmt: skip
        rows.append(row + [draw(CELL_VALUES[c]) for c in columns])
    return b"".join(csv_stream_rows(header, rows))


def csv_stream_rows(header, rows):
    import csv as csv_module
    import io

    buffer = io.StringIO()
    writer = csv_module.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    yield buffer.getvalue().encode("utf-8")


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=import_files())
def test_created_history_made_by_the_database_equals_the_python_diff(reference_data, data):
    Organisation.objects.all().delete()
    AuditEntry.objects.all().delete()
    result = run(data)
    assert (result.errors, result.warnings, result.applied) == ([], [], True)
    lookups = import_services.lookups_load()
    parsed = parsing.parse("fil.csv", data, lookups, max_bytes=10**7)
    by_orgnr = {o.orgnr: o for o in Organisation.objects.all()}
    entries = {e.object_id: e for e in AuditEntry.objects.filter(action=AuditEntry.Action.CREATE)}
    assert len(entries) == len(parsed.rows) == result.created
    for row in parsed.rows:
        organisation = by_orgnr[row.orgnr]
        entry = entries[str(organisation.pk)]
        assert entry.changes == python_creation_diff(row, parsed, lookups)
        assert entry.object_repr == organisation.name[:300]
        assert entry.note == write.AUDIT_NOTE_PREFIX + "fil.csv"
        assert entry.actor is None
