#!/usr/bin/env python
"""Plan follow-up benchmark: the public genomförande page, the annual report as HTML and as PDF.

Prints figures; asserts nothing. On a throw-away database it loads the reference data and 500
generated organisations, then generated follow-up data in two steps: first 100 initiatives
(10 milestones each) and 60 indicators × 8 years (the baseline), then 900 more initiatives, to
1,000 initiatives and 10,000 milestones. After each step it times the pages through Django's test
client (the whole request: URL routing, views, templates) and counts their SQL queries, so the
figures at 1,000 initiatives are read against the baseline measured in the same run.

    python bench/plan_bench.py                 # SQLite in a temporary directory
    python bench/plan_bench.py --pg-url postgres://postgres@127.0.0.1:5432/civsam_plan_bench

PostgreSQL: the named database is created and dropped; the user must be allowed to do that.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(pg_url: str | None, tmp: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "civsam.settings"
    os.environ.setdefault("DJANGO_DEBUG", "1")  # development settings, as before debug was off by default
    if pg_url:
        os.environ["DATABASE_URL"] = pg_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.MEDIA_ROOT = Path(tmp) / "media"  # the rendered PDFs
    if pg_url:
        from django.db import connection

        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _drop(pg_url: str | None) -> None:
    if not pg_url:
        return
    from django.db import connection

    name = connection.settings_dict["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _time(client, url: str, repeat: int, expect: int = 200) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    size = 0
    for i in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            times.append(time.perf_counter() - start)
        assert response.status_code == expect, (url, response.status_code)
        if i == 0:
            queries, size = len(ctx.captured_queries), len(body)
    return times, queries, size


def _time_render(repeat: int) -> tuple[list[float], int, int]:
    """The worker's part: rendering the draft's PDF (WeasyPrint), as `db_worker` runs it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civsam.plan.models import FollowUpReport
    from civsam.plan.rendering import report_pdf_render
    from civsam.plan.services import report_pdf_request

    report = FollowUpReport.objects.get(plan__slug="2022-2025", year=2025)
    row = report_pdf_request(actor=None, report=report, language="sv")
    times, queries, size = [], 0, 0
    for i in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            pdf = report_pdf_render(row)
            times.append(time.perf_counter() - start)
        if i == 0:
            queries, size = len(ctx.captured_queries), len(pdf)
    return times, queries, size


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _measure(label: str, repeat: int, pdf_repeat: int) -> dict:
    from django.test import Client

    from civsam.accounts.models import User

    client = Client()
    admin = User.objects.get(username="bench-admin")
    staff = Client()
    staff.force_login(admin)
    from civsam.plan.models import PriorityArea

    area = PriorityArea.objects.get(focus_area__plan__slug="2022-2025", focus_area__number=1, number=1)
    results = {}
    cases = [
        ("genomförande-sidan", client, "/handlingsplaner/2022-2025/genomforande/", repeat),
        ("genomförande, filtrerad", client, "/handlingsplaner/2022-2025/genomforande/?year=2024&focus_area=2", repeat),
        (
            "ett områdes lista (htmx, område 1.1)",
            client,
            f"/handlingsplaner/2022-2025/genomforande/omrade-{area.pk}/",
            repeat,
        ),
        (
            "rapport HTML (utkast, räknas live)",
            staff,
            "/handlingsplaner/2022-2025/uppfoljning/2025/",
            max(repeat // 3, 3),
        ),
        (
            "rapport PDF (utkast, begäran: köas, 202)",
            staff,
            "/handlingsplaner/2022-2025/uppfoljning/2025/rapport.pdf",
            repeat,
            202,
        ),
        ("rapport HTML (publicerad, sparat underlag)", client, "/handlingsplaner/2022-2025/uppfoljning/2024/", repeat),
        (
            "rapport PDF (publicerad, sparad fil)",
            client,
            "/handlingsplaner/2022-2025/uppfoljning/2024/rapport.pdf",
            repeat,
        ),
    ]
    for name, who, url, n, *expect in cases:
        if n == 0:
            continue
        times, queries, size = _time(who, url, n, *expect)
        results[name] = (statistics.median(times), _p95(times), queries, size)
    if pdf_repeat:
        times, queries, size = _time_render(pdf_repeat)
        results["rapport PDF (utkast, rendering i arbetaren)"] = (statistics.median(times), _p95(times), queries, size)
    print(f"\n{label}")
    print(f"  {'sida':<44} {'median':>9} {'p95':>9} {'SQL':>5} {'kB':>7}")
    for name, (median, p95, queries, size) in results.items():
        print(f"  {name:<44} {median * 1000:>7.0f}ms {p95 * 1000:>7.0f}ms {queries:>5} {size / 1024:>7.0f}")
    return results


def _publish(plan, year: int) -> None:
    """(Re)publish the report of the year, so that its snapshot holds the current data."""
    from django.core.management import call_command

    from civsam.plan.models import FollowUpReport
    from civsam.plan.services import report_get_or_create, report_publish, report_withdraw

    report = report_get_or_create(actor=None, plan=plan, year=year)
    if report.status == FollowUpReport.Status.PUBLISHED:
        report = report_withdraw(actor=None, report=report)
    report_publish(actor=None, report=report)
    # The publication queued its PDFs; the worker renders them (ADR 0049).
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL"))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--pdf-repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup(args.pg_url, tmp)
        try:
            _run(args)
        finally:
            _drop(args.pg_url)


def _run(args) -> None:
    from django.db import connection

    from civsam.accounts.models import Role, User
    from civsam.accounts.services import role_assign
    from civsam.core.models import Municipality
    from civsam.core.services import reference_data_load
    from civsam.plan import demo
    from civsam.plan.models import Initiative, Milestone, Plan
    from civsam.plan.services import plans_load_reference, report_get_or_create
    from civsam.registry import demo as registry_demo
    from civsam.registry.imports.bulk import demo_organisations_insert

    reference_data_load()
    plans_load_reference()
    populations = dict(Municipality.objects.values_list("code", "population"))
    demo_organisations_insert(registry_demo.generate(500, populations, seed=2026))
    admin = User.objects.create_user(username="bench-admin", password=secrets.token_urlsafe(16))
    role_assign(user=admin, role=Role.REGION_ADMIN)
    plan = Plan.objects.get(slug="2022-2025")
    report_get_or_create(actor=None, plan=plan, year=2025)
    print(f"Databas: {connection.vendor}")

    demo.followup_demo_insert(initiatives=100, indicators=60, years=8, milestones_per_initiative=10, seed=1)
    _publish(plan, 2024)
    counts = (Initiative.objects.count(), Milestone.objects.count())
    base = _measure(
        f"Baslinje: {counts[0]} insatser, {counts[1]} delmål, 60 indikatorer × 8 år", args.repeat, args.pdf_repeat
    )

    demo.followup_demo_insert(initiatives=900, indicators=0, years=8, milestones_per_initiative=10, seed=2)
    _publish(plan, 2024)
    counts = (Initiative.objects.count(), Milestone.objects.count())
    full = _measure(
        f"Full skala: {counts[0]} insatser, {counts[1]} delmål, 60 indikatorer × 8 år", args.repeat, args.pdf_repeat
    )

    print("\nKvot full skala / baslinje (median) och SQL-frågor")
    for name in full:
        ratio = full[name][0] / base[name][0]
        print(f"  {name:<44} {ratio:>5.1f}×   SQL {base[name][2]} → {full[name][2]}")


if __name__ == "__main__":
    main()
