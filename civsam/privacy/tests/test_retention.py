"""The retention job (apply_retention) on the kinds the privacy app applies itself: logins and
sessions, the read-access log, audit entries whose row is gone, and requests for a person's data.
The registry's and meetings' kinds are tested in their apps. Time is frozen: every run is given
its `now`, and every row its age."""

from __future__ import annotations

import datetime

import pytest
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from civsam.accounts.models import User
from civsam.core.models import AuditEntry
from civsam.core.services import audit_log
from civsam.privacy.models import RetentionRun, SubjectAccessRequest
from civsam.privacy.services import retention_apply

TZ = datetime.timezone(datetime.timedelta(hours=1))
NOW = datetime.datetime(2027, 3, 1, 3, 0, tzinfo=TZ)  # a night in March 2027
DAY = datetime.timedelta(days=1)


def _read(actor, obj, *, at):
    entry = audit_log(actor=actor, action=AuditEntry.Action.READ, obj=obj, note="organisation 8020000001")
    AuditEntry.objects.filter(pk=entry.pk).update(at=at)
    return entry


@pytest.fixture
def people(db):
    reader = User.objects.create_user(username="lasare", password="x")
    subject = User.objects.create_user(username="kim", password="x", first_name="Kim", last_name="Kontakt")
    return reader, subject


def test_reads_older_than_two_years_go_and_newer_stay(people):
    reader, subject = people
    old = _read(reader, subject, at=NOW - datetime.timedelta(days=2 * 366))
    recent = _read(reader, subject, at=NOW - datetime.timedelta(days=700))
    change = audit_log(actor=reader, action=AuditEntry.Action.UPDATE, obj=subject, changes={"x": [1, 2]})
    AuditEntry.objects.filter(pk=change.pk).update(at=NOW - datetime.timedelta(days=3000))
    run = retention_apply(now=NOW, kinds=["read_access_log"])
    assert run.counts == {"read_access_log": 1}
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    assert AuditEntry.objects.filter(pk=change.pk).exists()  # only reads have this period


def test_a_dry_run_counts_and_changes_nothing(people):
    reader, subject = people
    for days in (800, 900, 1000):
        _read(reader, subject, at=NOW - datetime.timedelta(days=days))
    before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    run = retention_apply(now=NOW, dry_run=True, kinds=["read_access_log"])
    assert run.counts == {"read_access_log": 3} and run.dry_run
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() == before


def test_work_is_done_in_batches_to_the_end(people):
    reader, subject = people
    for days in range(800, 825):
        _read(reader, subject, at=NOW - datetime.timedelta(days=days))
    run = retention_apply(now=NOW, batch_size=4, kinds=["read_access_log"])
    assert run.counts == {"read_access_log": 25}
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.READ).exists()


def test_sessions_and_login_records_past_three_months_go(people):
    reader, _subject = people
    Session.objects.create(session_key="ended", session_data="x", expire_date=NOW - DAY)
    Session.objects.create(session_key="alive", session_data="x", expire_date=NOW + DAY)
    for key, seen in (("old", NOW - datetime.timedelta(days=120)), ("new", NOW - datetime.timedelta(days=10))):
        UserSession.objects.create(user=reader, ip="192.0.2.1", session_key=key, user_agent="test", last_seen_at=seen)
    old_attempt = AccessAttempt.objects.create(
        username="region", ip_address="192.0.2.9", user_agent="x", failures_since_start=3
    )
    AccessAttempt.objects.filter(pk=old_attempt.pk).update(attempt_time=NOW - datetime.timedelta(days=100))
    new_log = AccessLog.objects.create(username="region", ip_address="192.0.2.9", user_agent="x")
    AccessLog.objects.filter(pk=new_log.pk).update(attempt_time=NOW - datetime.timedelta(days=5))
    run = retention_apply(now=NOW, kinds=["login_sessions"])
    assert run.counts == {"login_sessions": 3}
    assert list(Session.objects.values_list("session_key", flat=True)) == ["alive"]
    assert list(UserSession.objects.values_list("session_key", flat=True)) == ["new"]
    assert not AccessAttempt.objects.exists() and AccessLog.objects.count() == 1


def test_requests_for_a_persons_data_go_after_two_years_with_their_log(people):
    reader, _subject = people
    old = SubjectAccessRequest.objects.create(email="kim@example.se", handled_by=reader, requested_at=NOW - 800 * DAY)
    audit_log(actor=reader, action=AuditEntry.Action.CREATE, obj=old, changes={"email": [None, "kim@example.se"]})
    new = SubjectAccessRequest.objects.create(email="eva@example.se", handled_by=reader, requested_at=NOW - 10 * DAY)
    run = retention_apply(now=NOW, kinds=["subject_requests"])
    assert run.counts == {"subject_requests": 1}
    assert list(SubjectAccessRequest.objects.all()) == [new]
    entry = AuditEntry.objects.get(content_type__model="subjectaccessrequest", object_id=str(old.pk))
    assert entry.changes == {"email": [None, None]}


def test_every_run_is_recorded_with_its_counts_in_the_audit_log(people):
    reader, subject = people
    _read(reader, subject, at=NOW - 900 * DAY)
    run = retention_apply(actor=reader, now=NOW)
    assert set(run.counts) >= {"read_access_log", "login_sessions", "audit_personal", "subject_requests"}
    assert set(run.counts) >= {"contact_persons", "event_registrations"}  # the apps' kinds run too
    assert run.unhandled == [] and run.finished_at is not None and run.error == ""
    entry = AuditEntry.objects.get(content_type__model="retentionrun", object_id=str(run.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.note == "retention" and entry.actor == reader
    assert entry.changes["read_access_log"] == [None, 1]


def test_unknown_kinds_and_batch_sizes_are_refused(db):
    with pytest.raises(ValidationError):
        retention_apply(now=NOW, kinds=["everything"])
    with pytest.raises(ValidationError):
        retention_apply(now=NOW, batch_size=0)
    assert not RetentionRun.objects.exists()


def test_the_command_reports_and_can_dry_run(people, capsys):
    reader, subject = people
    _read(reader, subject, at=NOW - 900 * DAY)
    call_command("apply_retention", "--dry-run", "--kind", "read_access_log", "--now", NOW.isoformat())
    assert "read_access_log: 1 skulle gallras" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() == 1
    call_command("apply_retention", "--now", NOW.isoformat(), "--batch-size", "10")
    assert "read_access_log: 1 gallrade" in capsys.readouterr().out
    assert RetentionRun.objects.filter(dry_run=False).count() == 1
    with pytest.raises(CommandError):
        call_command("apply_retention", "--now", "i morgon")
    with pytest.raises(CommandError):
        call_command("apply_retention", "--kind", "allt")
