"""The data protection pages: the public privacy notice, and for region administrators and the data
protection officer the record of processing, the read-access log and the staff tool for a
person's data."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from civsam.accounts.personal_data import register as register_provider
from civsam.core.models import AuditEntry
from civsam.core.privacy import register_email_source
from civsam.core.services import audit_log
from civsam.privacy.models import SubjectAccessRequest

STAFF_PAGES = ["privacy:record", "privacy:read-log", "privacy:read-log-export", "privacy:subject-search"]


def test_the_privacy_notice_is_public_and_lists_every_kind(client, db):
    response = client.get(reverse("privacy:notice"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Kontaktpersoner i aktörsregistret" in text and "2018:218" in text
    assert reverse("privacy:record") not in text  # the record is for the officer and the Region


def test_the_notice_names_the_officers_address_when_set(client, db, settings):
    settings.CIVSAM_DPO_EMAIL = "dataskyddsombud@example.se"
    assert "mailto:dataskyddsombud@example.se" in client.get(reverse("privacy:notice")).content.decode()


@pytest.mark.parametrize("name", STAFF_PAGES)
@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin", True), ("dpo", True), ("officer", False), ("rep", False), ("reviewer", False), ("plain", False)],
)
def test_who_may_review_personal_data(client, users, dpo, name, who, allowed):
    client.force_login(dpo if who == "dpo" else users[who])
    assert client.get(reverse(name)).status_code == (200 if allowed else 403)


def test_anonymous_visitors_are_sent_to_login(client, db):
    for name in STAFF_PAGES:
        assert client.get(reverse(name)).status_code == 302


@pytest.mark.parametrize(("who", "shown"), [("admin", True), ("dpo", True), ("officer", False), ("rep", False)])
def test_min_sida_links_the_review_pages_for_those_who_may_use_them(client, users, dpo, who, shown):
    client.force_login(dpo if who == "dpo" else users[who])
    html = client.get(reverse("site:dashboard")).content.decode()
    for name in ("privacy:record", "privacy:read-log", "privacy:subject-search"):
        assert (f'href="{reverse(name)}"' in html) is shown, name


def test_the_officer_needs_a_second_factor_like_staff(client, dpo, settings):
    settings.CIVSAM_STAFF_MFA = True
    client.force_login(dpo)
    response = client.get(reverse("privacy:read-log"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_the_record_shows_purpose_basis_and_retention_and_is_linked_for_the_officer(client, dpo):
    client.force_login(dpo)
    assert reverse("privacy:record") in client.get(reverse("privacy:notice")).content.decode()
    text = client.get(reverse("privacy:record")).content.decode()
    for expected in ("Registerförteckning", "Ändamål", "Rättslig grund", "6.1 e", "Tre år efter senaste ändring"):
        assert expected in text


# The read-access log -------------------------------------------------------------------------------


@pytest.fixture
def reads(users):
    """Reads of personal data by two people, of two subjects, over three days."""
    subject_a, subject_b = users["rep"], users["plain"]
    base = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)
    rows = [
        (users["officer"], subject_a, "organisation 8020000001", base),
        (users["officer"], subject_b, "organisation 8020000002", base + datetime.timedelta(days=1)),
        (users["admin"], subject_a, "organisation 8020000001", base + datetime.timedelta(days=2)),
    ]
    for actor, subject, note, at in rows:
        entry = audit_log(actor=actor, action=AuditEntry.Action.READ, obj=subject, note=note)
        AuditEntry.objects.filter(pk=entry.pk).update(at=at)
    audit_log(actor=users["admin"], action=AuditEntry.Action.UPDATE, obj=subject_a, changes={"x": [1, 2]})
    return rows


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 3),
        ({"actor": "officer"}, 2),
        ({"subject": "rep"}, 2),
        ({"organisation": "802000-0002"}, 1),
        ({"date_from": "2026-11-03"}, 2),
        ({"date_to": "2026-11-03"}, 2),
        ({"date_from": "2026-11-03", "date_to": "2026-11-03", "actor": "officer"}, 1),
    ],
)
def test_the_read_log_filters(client, users, reads, params, expected):
    client.force_login(users["admin"])
    response = client.get(reverse("privacy:read-log"), params)
    assert response.status_code == 200
    entries = list(response.context["page"].object_list)
    assert len(entries) == expected
    assert all(e.action == AuditEntry.Action.READ for e in entries)
    exported = b"".join(client.get(reverse("privacy:read-log-export"), params).streaming_content).decode()
    assert len(list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))) == expected


def test_the_read_log_pages_fifty_at_a_time(client, users):
    for _ in range(55):
        audit_log(actor=users["officer"], action=AuditEntry.Action.READ, obj=users["rep"])
    client.force_login(users["admin"])
    first = client.get(reverse("privacy:read-log"))
    assert len(first.context["page"].object_list) == 50 and first.context["page"].has_next()
    assert len(client.get(reverse("privacy:read-log"), {"page": 2}).context["page"].object_list) == 5


def test_the_read_log_is_never_cached(client, users, reads):
    client.force_login(users["admin"])
    for name in ("privacy:read-log", "privacy:read-log-export"):
        assert "no-store" in client.get(reverse(name))["Cache-Control"]


# A person's data on request ------------------------------------------------------------------------


@pytest.fixture
def sources():
    """An e-mail source standing in for the apps' (the registry's and meetings' are tested there)."""
    register_email_source(
        "test-source",
        export=lambda email: {"things": [{"email": email}]} if email == "kim@example.se" else {"things": []},
    )
    register_provider("test-provider", export=lambda user: {"items": [{"username": user.username}]})
    yield
    from civsam.accounts import personal_data as account_registry
    from civsam.core import privacy

    privacy._email_sources.pop("test-source", None)
    account_registry._providers.pop("test-provider", None)


def test_search_finds_accounts_and_data_without_an_account(client, users, sources):
    users["plain"].email = "kim@example.se"
    users["plain"].save()
    client.force_login(users["admin"])
    response = client.get(reverse("privacy:subject-search"), {"q": "KIM@example.se"})
    assert response.status_code == 200
    assert response.context["accounts"] == [users["plain"]]
    assert response.context["by_email"] == {"test-source": 1}
    assert client.get(reverse("privacy:subject-search"), {"q": "pla"}).context["accounts"] == [users["plain"]]


def test_a_request_is_recorded_previewed_and_exported_and_each_step_logged(client, users, dpo, sources):
    users["plain"].email = "kim@example.se"
    users["plain"].save()
    client.force_login(dpo)
    response = client.post(
        reverse("privacy:subject-search"),
        {"account": users["plain"].pk, "email": "kim@example.se", "reference": "26RS1234"},
    )
    subject = SubjectAccessRequest.objects.get()
    assert response["Location"] == reverse("privacy:subject-request", args=[subject.pk])
    assert (subject.account, subject.handled_by, subject.reference) == (users["plain"], dpo, "26RS1234")

    preview = client.get(reverse("privacy:subject-request", args=[subject.pk]))
    assert preview.status_code == 200 and "no-store" in preview["Cache-Control"]
    exported = client.get(reverse("privacy:subject-request-export", args=[subject.pk]))
    assert exported["Content-Disposition"] == f'attachment; filename="registerutdrag-{subject.pk}.json"'
    assert "no-store" in exported["Cache-Control"]
    data = json.loads(exported.content)
    assert data["format"] == "civsam-subject-access/1"
    assert data["account"]["test-provider"] == {"items": [{"username": "plain"}]}
    assert data["account"]["accounts"]  # the self-service export's own part
    assert data["byEmail"] == {"kim@example.se": {"test-source": {"things": [{"email": "kim@example.se"}]}}}

    subject.refresh_from_db()
    assert subject.exported_at is not None
    log = AuditEntry.objects.filter(content_type__model="subjectaccessrequest", object_id=str(subject.pk))
    assert sorted((e.action, e.note) for e in log) == [
        (AuditEntry.Action.CREATE, ""),
        (AuditEntry.Action.READ, "export"),
        (AuditEntry.Action.READ, "preview"),
    ]
    assert all(e.actor == dpo for e in log)


def test_a_request_for_someone_without_an_account(client, users, sources):
    client.force_login(users["admin"])
    client.post(reverse("privacy:subject-search"), {"email": "kim@example.se", "name": "Kim Kontakt"})
    subject = SubjectAccessRequest.objects.get()
    data = json.loads(client.get(reverse("privacy:subject-request-export", args=[subject.pk])).content)
    assert data["account"] is None
    assert data["byEmail"]["kim@example.se"] == {"test-source": {"things": [{"email": "kim@example.se"}]}}


def test_a_request_names_someone(client, users):
    client.force_login(users["admin"])
    response = client.post(reverse("privacy:subject-search"), {"reference": "26RS1"})
    assert response.status_code == 200 and not SubjectAccessRequest.objects.exists()
    assert response.context["create"].errors


def test_others_cannot_open_a_request(client, users):
    subject = SubjectAccessRequest.objects.create(email="kim@example.se", handled_by=users["admin"])
    client.force_login(users["officer"])
    for name in ("privacy:subject-request", "privacy:subject-request-export"):
        assert client.get(reverse(name, args=[subject.pk])).status_code == 403
    client.force_login(users["admin"])
    assert client.get(reverse("privacy:subject-request", args=[subject.pk + 1])).status_code == 404
