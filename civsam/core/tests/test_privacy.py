"""The kernel's part of data protection (core.privacy): the record of processing, retention periods,
audit entries that follow the data, and the no-store mark for pages with personal data."""

from __future__ import annotations

import copy
import datetime
import json

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from civsam.core import privacy
from civsam.core.models import AuditEntry, Municipality
from civsam.core.services import audit_log

UTC = datetime.UTC

# --- The record of processing -------------------------------------------------------------------


def test_the_record_names_every_kind_with_purpose_basis_and_retention():
    record = privacy.processing_record()
    assert record.kinds
    required = {"contact_persons", "event_registrations", "read_access_log", "audit_personal", "login_sessions"}
    assert required <= {kind.key for kind in record.kinds}
    for kind in record.kinds:
        assert kind.purpose and kind.subjects and kind.data and kind.recipients, kind.key
        assert kind.legal_basis.sources, kind.key
        assert kind.transfers, kind.key
        if kind.retention.automatic:
            # The job can only apply a period it knows, or "with the data".
            assert kind.retention.action in ("delete", "deidentify"), kind.key
    # The legal basis is the public task, with the Swedish supplementary law named.
    assert any("2018:218" in source for kind in record.kinds for source in kind.legal_basis.sources)


def _raw() -> dict:
    return json.loads(privacy.RECORD_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda d: d["kinds"][0]["retention"].update(action="shred"), ValueError),
        (lambda d: d["kinds"][0].update(legal_basis="consent"), KeyError),
        (lambda d: d["kinds"][0]["retention"].update({"class": "forever"}), KeyError),
        (lambda d: d["kinds"].append(copy.deepcopy(d["kinds"][0])), ValueError),
        (lambda d: d["kinds"][0]["retention"].update(action="keep", automatic=True), ValueError),
    ],
    ids=["unknown action", "unknown basis", "unknown class", "kind twice", "kept yet automatic"],
)
def test_a_record_that_does_not_hold_together_is_refused(change, error):
    data = _raw()
    change(data)
    with pytest.raises(error):
        privacy.record_parse(data)


def test_every_automatic_kind_has_a_handler_and_every_handler_a_kind():
    # The apps register in their ready(); a kind the record removes automatically that nobody
    # handles would be a promise not kept.
    record = privacy.processing_record()
    automatic = {kind.key for kind in record.kinds if kind.retention.automatic}
    assert set(privacy.retention_handlers()) == automatic


def test_registering_a_kind_the_record_does_not_remove_automatically_is_an_error():
    with pytest.raises(ValueError):
        privacy.register_retention("consultation_responses", lambda run: 0)
    with pytest.raises(KeyError):
        privacy.register_retention("no_such_kind", lambda run: 0)


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime.datetime(2027, 3, 31, 3, 0, tzinfo=UTC), 1, datetime.datetime(2027, 2, 28, 3, 0, tzinfo=UTC)),
        (datetime.datetime(2028, 3, 31, 3, 0, tzinfo=UTC), 1, datetime.datetime(2028, 2, 29, 3, 0, tzinfo=UTC)),
        (datetime.datetime(2027, 1, 15, 12, 0, tzinfo=UTC), 24, datetime.datetime(2025, 1, 15, 12, 0, tzinfo=UTC)),
        (datetime.datetime(2027, 1, 15, 12, 0, tzinfo=UTC), 13, datetime.datetime(2025, 12, 15, 12, 0, tzinfo=UTC)),
        (datetime.datetime(2027, 1, 15, 12, 0, tzinfo=UTC), 0, datetime.datetime(2027, 1, 15, 12, 0, tzinfo=UTC)),
    ],
)
def test_months_before(moment, months, expected):
    assert privacy.months_before(moment, months) == expected
    if moment.day <= 28:
        assert privacy.months_after(expected, months) == moment


def test_retention_cutoff_follows_the_class():
    now = datetime.datetime(2027, 6, 1, tzinfo=UTC)
    assert privacy.retention_cutoff("read_access_log", now) == datetime.datetime(2025, 6, 1, tzinfo=UTC)
    assert privacy.retention_cutoff("audit_personal", now) == now  # goes with its data


# --- Audit entries follow the data ---------------------------------------------------------------


@pytest.fixture
def town(db):
    return Municipality.objects.create(
        code="9999",
        name="Provköping",
        county_code="18",
        county_name="Örebro län",
        population=1,
        population_date=datetime.date(2024, 1, 1),
        population_source="test",
    )


def test_deidentified_entries_keep_that_they_happened(town):
    audit_log(actor=None, action=AuditEntry.Action.UPDATE, obj=town, changes={"name": ["Gamla", "Provköping"]})
    audit_log(actor=None, action=AuditEntry.Action.READ, obj=town, note="organisation 8020000001")
    assert privacy.audit_entries_deidentify(model=Municipality, object_ids=[town.pk]) == 2
    entries = list(AuditEntry.objects.filter(object_id=str(town.pk)).order_by("id"))
    assert [(e.action, e.object_repr, e.changes, e.note) for e in entries] == [
        (AuditEntry.Action.UPDATE, "", {"name": [None, None]}, ""),
        (AuditEntry.Action.READ, "", {}, "organisation 8020000001"),
    ]
    # Done once: a second pass finds nothing left to empty.
    assert privacy.audit_entries_deidentify(model=Municipality, object_ids=[town.pk]) == 0


def test_orphaned_entries_are_found_and_emptied(town):
    audit_log(actor=None, action=AuditEntry.Action.UPDATE, obj=town, changes={"name": ["A", "B"]})
    other = Municipality.objects.create(
        code="9998", name="Kvar", county_code="18", county_name="Örebro län", population=1,
        population_date=datetime.date(2024, 1, 1), population_source="test",
    )  # fmt: skip
    audit_log(actor=None, action=AuditEntry.Action.UPDATE, obj=other, changes={"name": ["C", "Kvar"]})
    Municipality.objects.filter(pk=town.pk).delete()  # gone without its service emptying the log
    assert privacy.audit_orphans_deidentify(model=Municipality, dry_run=True, batch_size=10) == 1
    assert AuditEntry.objects.get(object_id=str(town.pk)).object_repr == "Provköping"  # a dry run changes nothing
    assert privacy.audit_orphans_deidentify(model=Municipality, dry_run=False, batch_size=1) == 1
    assert AuditEntry.objects.get(object_id=str(town.pk)).changes == {"name": [None, None]}
    assert AuditEntry.objects.get(object_id=str(other.pk)).changes == {"name": ["C", "Kvar"]}
    assert privacy.audit_orphans(Municipality).count() == 0


# --- No-store for personal data -----------------------------------------------------------------


def test_the_middleware_keys_on_the_views_mark():
    factory = RequestFactory()

    @privacy.personal_data
    def personal(request):
        return HttpResponse("Kim Kontakt")

    def public(request):
        return HttpResponse("Välkommen")

    for view, stored in ((personal, False), (public, True)):
        request = factory.get("/")

        def respond(request, view=view):
            request.resolver_match = type("Match", (), {"func": view})()
            return view(request)

        response = privacy.PersonalDataMiddleware(respond)(request)
        assert ("no-store" not in response.get("Cache-Control", "")) is stored
        if not stored:
            assert "private" in response["Cache-Control"]
