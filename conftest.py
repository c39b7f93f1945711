"""Shared pytest fixtures: reference data, users in each role, and a client per role."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civsam.settings")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters (core.ratelimit) and cached figures live in the cache: each test starts empty.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _staff_second_factor_off(settings):
    # Staff must have a second factor before any page (ADR 0080). Tests of other features sign
    # staff in with force_login and are not about that; the accounts tests turn it on (their
    # `staff_mfa` fixture) and so do the browser tests, which log staff in with a TOTP code.
    settings.CIVSAM_STAFF_MFA = False


@pytest.fixture(autouse=True)
def _calculation_workers_in_the_normal_class(settings):
    # Social-value calculation workers default to Linux's SCHED_IDLE class (ADR 0075), where they get
    # no CPU at all while other test processes keep the machine busy: every calculation would time
    # out (503). In tests they run at nice 19 only; impact/tests/test_calculation_limits.py checks
    # the idle class itself.
    limits = getattr(settings, "CIVSAM_CALCULATION_LIMITS", None) or {}
    settings.CIVSAM_CALCULATION_LIMITS = {**limits, "SCHED_IDLE": False}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Tests create many users; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reference_data(db):
    from civsam.core.services import reference_data_load
    from civsam.plan.services import plans_load_reference

    reference_data_load()
    plans_load_reference()


@pytest.fixture
def make_org(reference_data):
    """Create an organisation through the service, with sensible defaults."""
    from civsam.core.models import LegalForm, Municipality
    from civsam.registry import orgnr as orgnr_mod
    from civsam.registry.services import organisation_create

    counter = {"n": 0}

    def make(**fields):
        counter["n"] += 1
        fields.setdefault("name", f"Testföreningen {counter['n']}")
        fields.setdefault("orgnr", orgnr_mod.complete(f"8020{counter['n']:05d}"))
        fields.setdefault("legal_form", LegalForm.objects.get(code="61"))
        municipality = fields.get("municipality", "1880")
        if isinstance(municipality, str):
            fields["municipality"] = Municipality.objects.get(code=municipality)
        return organisation_create(actor=None, **fields)

    return make


@pytest.fixture
def users(reference_data, make_org):
    """One user per role: admin, officer (Örebro), officer (Kumla), rep of one Örebro org, reviewer, plain."""
    from civsam.accounts.models import Role, User
    from civsam.accounts.services import role_assign
    from civsam.core.models import Municipality

    own_org = make_org(name="Egna föreningen", municipality="1880")
    other_org = make_org(name="Andra föreningen", municipality="1881")

    def user(name):
        return User.objects.create_user(username=name, password="secret-pass-123")

    admin = user("admin")
    role_assign(user=admin, role=Role.REGION_ADMIN)
    officer = user("officer")
    role_assign(user=officer, role=Role.MUNICIPAL_OFFICER, municipality=Municipality.objects.get(code="1880"))
    officer_kumla = user("officer_kumla")
    role_assign(user=officer_kumla, role=Role.MUNICIPAL_OFFICER, municipality=Municipality.objects.get(code="1881"))
    rep = user("rep")
    role_assign(user=rep, role=Role.ORGANISATION_REP, organisation=own_org)
    reviewer = user("reviewer")
    role_assign(user=reviewer, role=Role.REVIEWER)
    plain = user("plain")
    return {
        "admin": admin,
        "officer": officer,
        "officer_kumla": officer_kumla,
        "rep": rep,
        "reviewer": reviewer,
        "plain": plain,
        "anonymous": None,
        "own_org": own_org,
        "other_org": other_org,
    }


@pytest.fixture
def run_tasks(settings, tmp_path, monkeypatch):
    """Run the queued background tasks now, with the real worker (`db_worker --batch`), storing
    files under a temporary MEDIA_ROOT. Returns a function that runs them and says how many ran.

    Tasks are queued on commit, so a test wraps the write in django_capture_on_commit_callbacks(
    execute=True) first. The worker closes stale database connections between tasks; inside a
    test's transaction that would close the test's own connection, so only that is turned off."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> int:
        waiting = DBTaskResult.objects.filter(status="READY").count()
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)
        return waiting - DBTaskResult.objects.filter(status="READY").count()

    return run


# `postgres` tests only bite on PostgreSQL (row locks that SQLite cannot fail, PostgreSQL-only SQL).
# On SQLite they are skipped with this reason, which CI's SQLite step accepts as the only skip; a
# run that must be on PostgreSQL (`make test-postgres` sets CIVSAM_REQUIRE_POSTGRES) stops at once
# when it is not, instead of skipping them.
POSTGRES_ONLY = "postgres: runs on PostgreSQL only (make test-postgres)"


def _on_postgres() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_sessionstart(session):
    if os.environ.get("CIVSAM_REQUIRE_POSTGRES") and not _on_postgres():
        raise pytest.UsageError("CIVSAM_REQUIRE_POSTGRES is set but DATABASE_URL does not name a PostgreSQL database.")


def pytest_collection_modifyitems(config, items):
    if _on_postgres():
        return
    skip = pytest.mark.skip(reason=POSTGRES_ONLY)
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)
