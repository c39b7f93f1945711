#!/usr/bin/env python
"""Grant register benchmark: import throughput, register search and the statistics page.

Prints figures; asserts nothing (it checks only that ours and the hand-written SQL return the
same rows). On a throw-away database it loads the reference data, generates organisations and
N grant decisions over ten years as the funders' decision lists (one CSV per funder, in the
import's layout), and then measures:

1. Import: `grant_decisions_import(apply=True)` per file, rows per second; beside it the
   database's own bulk load of the same rows into a bare table (PostgreSQL COPY, SQLite
   executemany in one transaction), and the ratio of the two.
2. The statistics job (`grant_figures_compute`), once.
3. Register search: 22 queries (filters alone and together, words common and rare, a case number,
   sorts, a deep page) as the register page runs them (selector, capped count, a page of 25 with
   its relations), each beside hand-written SQL with the same semantics on the same indexes;
   p50 and p95 over the queries, and the ratio.
4. The statistics page and API from the stored figures: p50/p95 over repeated requests.
5. 100 parallel decisions against one call's budget (each in its own thread and connection):
   the sum granted must be exactly the budget, never more (ADR 0069). `--parallel-only` runs
   this part alone; it needs PostgreSQL to mean anything (SQLite serialises writers).

    python bench/funding_bench.py --decisions 20000              # a quick look, SQLite
    python bench/funding_bench.py --pg-url postgres://postgres@127.0.0.1:5432/civsam_funding_bench

PostgreSQL: the named database is created and dropped; the user must be allowed to do that.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PURPOSE_WORDS = [
    "läxhjälp",
    "idrott",
    "unga",
    "seniorer",
    "integration",
    "kultur",
    "musik",
    "friluftsliv",
    "lokalhyra",
    "språkcafé",
    "föreläsningar",
    "hembygd",
    "ridsport",
    "schack",
    "kör",
    "teater",
    "stödgrupp",
    "arbetsträning",
    "sommarläger",
    "kanotpaddling",
]
PROGRAMMES = ["Föreningsbidrag", "Lokalbidrag", "Aktivitetsstöd", "Kulturstöd", "Projektbidrag", "Investeringsstöd"]
FORMS = ["verksamhetsbidrag", "projektbidrag", "aktivitetsbidrag", "lokalbidrag", "investeringsbidrag", "övrigt"]
FORMS_CODE = {
    "verksamhetsbidrag": "operating",
    "projektbidrag": "project",
    "aktivitetsbidrag": "activity",
    "lokalbidrag": "premises",
    "investeringsbidrag": "investment",
    "övrigt": "other",
}
HEADER = [
    "diarienummer",
    "organisationsnummer",
    "mottagare",
    "program",
    "bidragsform",
    "sökt belopp",
    "beviljat belopp",
    "utbetalt belopp",
    "år",
    "beslutsdatum",
    "ändamål",
]


def _setup(pg_url: str | None, tmp: str, *, reuse: bool = False) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "civsam.settings"
    os.environ.setdefault("DJANGO_DEBUG", "1")
    if pg_url:
        os.environ["DATABASE_URL"] = pg_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    settings.IMPORT_MAX_BYTES = 2**31
    if pg_url and not reuse:
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


def _organisations(count: int, rng: random.Random) -> list:
    """Registry organisations, written in bulk (the registry's own import is measured elsewhere)."""
    from civsam.core.collation import sort_key
    from civsam.core.models import ActivityClass, LegalForm, Municipality
    from civsam.registry import orgnr, search
    from civsam.registry.models import Organisation

    municipalities = list(Municipality.objects.filter(county_code="18"))
    weights = [m.population for m in municipalities]
    forms = list(LegalForm.objects.filter(code__in=["61", "51", "72", "49"]))
    rows = []
    for index in range(count):
        name = f"{rng.choice(PURPOSE_WORDS).capitalize()}föreningen {index}"
        number = orgnr.complete(f"802{index:06d}")
        rows.append(
            Organisation(
                name=name,
                name_key=sort_key(name),
                orgnr=number,
                legal_form=rng.choices(forms, weights=[80, 10, 5, 5])[0],
                municipality=rng.choices(municipalities, weights=weights)[0],
                search_document=search.document(name, "", number),
                social_enterprise=rng.random() < 0.05,
                is_demo=True,
            )
        )
    Organisation.objects.bulk_create(rows, batch_size=5000)
    organisations = list(Organisation.objects.only("pk", "orgnr", "name", "municipality_id"))
    classes = list(ActivityClass.objects.all())
    through = Organisation.activity_classes.through
    through.objects.bulk_create(
        [through(organisation_id=o.pk, activityclass_id=rng.choice(classes).pk) for o in organisations],
        batch_size=5000,
    )
    return organisations


def _decision_files(organisations: list, count: int, first_year: int, rng: random.Random) -> dict:
    """{funder: CSV bytes}: the decision lists, a fifth from the Region, the rest from the
    recipient's municipality."""
    from civsam.funding.models import Funder

    region = Funder.objects.get(reference_key="region")
    municipal = {f.municipality_id: f for f in Funder.objects.filter(kind="municipality")}
    rows: dict = defaultdict(list)
    serial: dict = defaultdict(int)
    for _ in range(count):
        organisation = rng.choice(organisations)
        funder = region if rng.random() < 0.2 else municipal[organisation.municipality_id]
        year = first_year + rng.randrange(10)
        last = min(year + 2, first_year + 9) if rng.random() < 0.15 else year
        serial[(funder.pk, year)] += 1
        case = (
            f"{year % 100:02d}RS{serial[(funder.pk, year)]}"
            if funder == region
            else f"KS {year}/{serial[(funder.pk, year)]}"
        )
        granted = int(rng.lognormvariate(10, 1.0)) // 100 * 100 + 1000
        words = " ".join(rng.sample(PURPOSE_WORDS, 3))
        rows[funder].append(
            [
                case,
                organisation.orgnr,
                organisation.name,
                rng.choice(PROGRAMMES),
                rng.choice(FORMS),
                str(granted + rng.randrange(0, 20) * 1000),
                str(granted),
                str(granted) if year < first_year + 9 else "",
                str(year) if last == year else f"{year}-{last}",
                f"{year - 1}-{rng.randint(9, 12):02d}-{rng.randint(1, 28):02d}",
                f"Bidrag till {words}",
            ]
        )
    files = {}
    for funder, funder_rows in rows.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(funder_rows)
        files[funder] = buffer.getvalue().encode("utf-8")
    return files


def _bulk_decisions(files: dict) -> int:
    """`--search-only`: the same decision lists written straight into the register (bulk INSERT
    with the stored search text the import writes; no history), to measure search at scale
    without the import's hour."""
    from civsam.core.models import LegalForm
    from civsam.funding.models import GrantDecision
    from civsam.funding.services.decisions import search_document_for
    from civsam.funding.services.grant_years import covered_years_rebuild
    from civsam.registry.models import Organisation

    recipients = {o.orgnr: o for o in Organisation.objects.only("pk", "orgnr", "municipality_id", "legal_form_id")}
    forms = {f.code: f.pk for f in LegalForm.objects.all()}
    assert forms
    written = 0
    for funder, data in files.items():
        reader = csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";")
        next(reader)
        batch = []
        for case, number, name, programme, form, _applied, granted, paid, years, date, purpose in reader:
            first, _, last = years.partition("-")
            organisation = recipients[number]
            batch.append(
                GrantDecision(
                    funder=funder,
                    programme=programme,
                    recipient_id=organisation.pk,
                    recipient_municipality_id=organisation.municipality_id,
                    recipient_legal_form_id=organisation.legal_form_id,
                    grant_form=FORMS_CODE[form],
                    amount_granted=int(granted),
                    amount_paid=int(paid) if paid else None,
                    year_from=int(first),
                    year_to=int(last or first),
                    decision_date=date,
                    case_number=case,
                    purpose=purpose,
                    search_document=search_document_for(
                        recipient_name=name, purpose=purpose, programme=programme, case_number=case
                    ),
                    is_demo=True,
                )
            )
            if len(batch) == 5000:
                GrantDecision.objects.bulk_create(batch)
                written += len(batch)
                batch = []
        GrantDecision.objects.bulk_create(batch)
        written += len(batch)
    covered_years_rebuild()
    return written


def _import(files: dict) -> tuple[float, int]:
    from civsam.funding.services import grant_decisions_import

    rows = 0
    start = time.perf_counter()
    for funder, data in files.items():
        summary = grant_decisions_import(actor=None, funder=funder, file_name="beslut.csv", data=data, apply=True)
        assert summary.ok and not summary.unmatched, (summary.errors[:3], len(summary.unmatched))
        rows += summary.created
    return time.perf_counter() - start, rows


def _baseline(files: dict) -> float:
    """The same rows into a bare table with no index: the database's own bulk load."""
    from django.db import connection, transaction

    columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_grant_baseline")
        cursor.execute(f"CREATE TABLE bench_grant_baseline ({columns})")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for data in files.values():
                with cursor.cursor.copy(
                    "COPY bench_grant_baseline FROM STDIN (FORMAT csv, HEADER true, DELIMITER ';')"
                ) as copy:
                    copy.write(data)
        else:
            marks = ", ".join("?" for _ in HEADER)
            for data in files.values():
                reader = csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";")
                next(reader)
                cursor.executemany(f"INSERT INTO bench_grant_baseline VALUES ({marks})", reader)
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_grant_baseline")
    return elapsed


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")


# --- Register search ---------------------------------------------------------------------------


def _queries(first_year: int, sample_orgnr: str, sample_case: str) -> list[tuple[str, dict]]:
    last = first_year + 9
    return [
        ("everything, newest first", {}),
        ("funder: Örebro", {"funder": ("kommun-1880",)}),
        ("funder: the Region", {"funder": ("region",)}),
        ("municipality: Lekeberg", {"municipality": ("1814",)}),
        ("municipality: Örebro, Kumla", {"municipality": ("1880", "1881")}),
        ("legal form: economic associations", {"legal_form": ("51",)}),
        ("year", {"year": first_year + 3}),
        ("year + funder", {"year": last, "funder": ("region",)}),
        ("amount ≥ 100,000", {"amount_min": 100000}),
        ("amount 10,000–20,000", {"amount_min": 10000, "amount_max": 20000}),
        ("largest first", {"sort": "-amount"}),
        ("smallest first in Laxå", {"sort": "amount", "municipality": ("1860",)}),
        ("programme", {"programme": ("Lokalbidrag",)}),
        ("recipient", {"recipient": sample_orgnr}),
        ("word: läxhjälp", {"q": "läxhjälp"}),
        ("rare word: föreningen 4711", {"q": "föreningen 4711"}),
        ("word + municipality", {"q": "idrott", "municipality": ("1880",)}),
        ("case number", {"q": sample_case}),
        ("two words + year", {"q": "unga musik", "year": first_year + 5}),
        ("funder + year, largest first", {"funder": ("kommun-1880",), "year": first_year + 7, "sort": "-amount"}),
        ("legal form + amount, largest first", {"legal_form": ("61",), "amount_min": 50000, "sort": "-amount"}),
        ("page 40", {"page": 40}),
    ]


def _ours(params: dict) -> tuple[int, list[int]]:
    from civsam.funding import selectors
    from civsam.registry.paging import CappedPaginator

    page_number = params.pop("page", 1)
    filters = selectors.RegisterFilter(**params)
    params["page"] = page_number
    qs = selectors.decision_register(user=None, filters=filters)
    paginator = CappedPaginator(qs, 25)
    page = paginator.get_page(page_number)
    rows = list(selectors.with_listing_relations(page.object_list))
    shown = [(d.funder.name, d.recipient.name, d.recipient_municipality.name, d.programme_label) for d in rows]
    assert len(shown) == len(rows)
    return paginator.count, [d.pk for d in rows]


SORT_SQL = {
    "": "d.decision_date DESC, d.id DESC",
    "-amount": "d.amount_granted DESC, d.id DESC",
    "amount": "d.amount_granted ASC, d.id ASC",
}

YEAR_SORT_SQL = {
    "": "y.decision_date DESC, y.decision_id DESC",
    "-amount": "y.amount_granted DESC, y.decision_id DESC",
    "amount": "y.amount_granted ASC, y.decision_id ASC",
}


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _handwritten(params: dict) -> tuple[int, list[int]]:
    """The same page in SQL written by hand: a count capped at 1,001 rows and the page with its joins."""
    from django.db import connection

    from civsam.registry import search

    where, args = [], []
    if params.get("funder"):
        where.append(f"d.funder_id IN (SELECT id FROM funding_funder WHERE slug IN ({_marks(params['funder'])}))")
        args += params["funder"]
    if params.get("programme"):
        where.append(f"d.programme IN ({', '.join(['%s'] * len(params['programme']))})")
        args += params["programme"]
    if params.get("municipality"):
        codes = _marks(params["municipality"])
        where.append(f"d.recipient_municipality_id IN (SELECT id FROM core_municipality WHERE code IN ({codes}))")
        args += params["municipality"]
    if params.get("legal_form"):
        codes = _marks(params["legal_form"])
        where.append(f"d.recipient_legal_form_id IN (SELECT id FROM core_legalform WHERE code IN ({codes}))")
        args += params["legal_form"]
    if params.get("recipient"):
        where.append("d.recipient_id = (SELECT id FROM registry_organisation WHERE orgnr = %s LIMIT 1)")
        args.append(params["recipient"])
    join, order = "", SORT_SQL[params.get("sort", "")]
    if params.get("year") is not None:
        # The covered years' own index in the page's order (ADR 0142), as a hand-written query would.
        join = "JOIN funding_grantdecisionyear y ON y.decision_id = d.id "
        where.append("y.year = %s")
        args.append(params["year"])
        order = YEAR_SORT_SQL[params.get("sort", "")]
    if params.get("amount_min") is not None:
        where.append("d.amount_granted >= %s")
        args.append(params["amount_min"])
    if params.get("amount_max") is not None:
        where.append("d.amount_granted <= %s")
        args.append(params["amount_max"])
    terms = search.query_terms(params.get("q", ""))
    if terms:
        if connection.vendor == "postgresql":
            where.append(
                "to_tsvector('simple'::regconfig, COALESCE(d.search_document, '')) @@ to_tsquery('simple', %s)"
            )
            args.append(search.tsquery(terms))
        else:
            where.append(
                "d.id IN (SELECT rowid FROM funding_grantdecision_fts WHERE funding_grantdecision_fts MATCH %s)"
            )
            args.append(search.fts5_match(terms))
    condition = " AND ".join(where) or "1 = 1"
    page = params.get("page", 1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM funding_grantdecision d {join}WHERE {condition} LIMIT 1001) AS c",
            args,
        )
        count = cursor.fetchone()[0]
        offset = (page - 1) * 25
        cursor.execute(
            "SELECT d.id, d.case_number, d.decision_date, d.programme, d.year_from, d.year_to, d.amount_granted, "
            "d.source_id, f.name, o.name, o.orgnr, m.name FROM funding_grantdecision d "
            "JOIN funding_funder f ON f.id = d.funder_id "
            "JOIN registry_organisation o ON o.id = d.recipient_id "
            "JOIN core_municipality m ON m.id = d.recipient_municipality_id "
            f"{join}WHERE {condition} ORDER BY {order} LIMIT 25 OFFSET {offset}",
            args,
        )
        ids = [row[0] for row in cursor.fetchall()]
    return count, ids


def _search(first_year: int, repeat: int, limit: int | None) -> list[dict]:
    from civsam.funding.models import GrantDecision

    sample = GrantDecision.objects.select_related("recipient").order_by("pk")[1000]
    results = []
    for label, params in _queries(first_year, sample.recipient.orgnr, sample.case_number)[:limit]:
        ours_times, hand_times = [], []
        ours = _ours(dict(params))
        hand = _handwritten(dict(params))
        assert ours == hand, (label, ours[0], hand[0], ours[1][:3], hand[1][:3])
        for i in range(repeat):
            order = (
                (("ours", _ours), ("hand", _handwritten)) if i % 2 == 0 else (("hand", _handwritten), ("ours", _ours))
            )
            for name, function in order:
                start = time.perf_counter()
                function(dict(params))
                (ours_times if name == "ours" else hand_times).append(time.perf_counter() - start)
        results.append(
            {
                "query": label,
                "count": ours[0],
                "ours_ms": statistics.median(ours_times) * 1000,
                "hand_ms": statistics.median(hand_times) * 1000,
            }
        )
    return results


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _search_summary(searches: list[dict]) -> dict:
    ours = [r["ours_ms"] for r in searches]
    hand = [r["hand_ms"] for r in searches]
    return {
        "ours_p50_ms": statistics.median(ours),
        "ours_p95_ms": _p95(ours),
        "hand_p50_ms": statistics.median(hand),
        "hand_p95_ms": _p95(hand),
    }


def _print_search(searches: list[dict]) -> None:
    print(f"\n{'query':42} {'matches':>8} {'ours ms':>8} {'SQL ms':>8} {'ratio':>6}")
    for row in searches:
        count_text = f"{row['count']:,}" if row["count"] <= 1000 else ">1,000"
        print(
            f"{row['query']:42} {count_text:>8} {row['ours_ms']:8.1f} {row['hand_ms']:8.1f} "
            f"{row['ours_ms'] / row['hand_ms']:6.2f}"
        )
    summary = _search_summary(searches)
    print(
        f"register search over {len(searches)} queries: ours p50 {summary['ours_p50_ms']:.1f} ms, p95 "
        f"{summary['ours_p95_ms']:.1f} ms; hand-written p50 {summary['hand_p50_ms']:.1f} ms, p95 "
        f"{summary['hand_p95_ms']:.1f} ms; ratio p95 {summary['ours_p95_ms'] / summary['hand_p95_ms']:.2f}"
    )


def _pages(repeat: int) -> dict:
    from django.test import Client

    client = Client()
    figures = {}
    for label, url in (
        ("statistics page (municipality)", "/finansiering/bidragsstatistik/"),
        ("statistics page (activity class)", "/finansiering/bidragsstatistik/?dimension=activity_class"),
        ("statistics API (municipality)", "/api/v1/statistics/grants?dimension=municipality&limit=100"),
        ("register page", "/finansiering/bidragsregistret/"),
    ):
        client.get(url)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        figures[label] = {"p50_ms": statistics.median(times) * 1000, "p95_ms": _p95(times) * 1000}
    return figures


def _parallel_decisions(count: int, workers: int) -> dict:
    """`count` applications of 20,000 kronor in review in one call whose budget holds half of them,
    decided all at once by the Region's officer: exactly the budget committed."""
    import datetime
    from concurrent.futures import ThreadPoolExecutor
    from decimal import Decimal

    from django.core.exceptions import ValidationError
    from django.db import connections
    from django.db.models import Sum
    from django.utils import timezone

    from civsam.accounts.models import Role, User
    from civsam.accounts.services import role_assign
    from civsam.funding import services
    from civsam.funding.models import ApplicationDecision, FundingCall, Programme
    from civsam.registry.models import Organisation

    today = timezone.localdate()
    amount = Decimal("20000")
    budget = amount * (count // 2)
    officer = User.objects.create_user(username="bench-officer", password="x" * 20)
    role_assign(user=officer, role=Role.REGION_ADMIN)
    programme = Programme.objects.get(reference_key="utvecklingsmedel-social-innovation")
    services.programme_budget_set(actor=None, programme=programme, year=today.year, amount=budget * 2)
    call = services.funding_call_create(
        actor=None,
        data=services.FundingCallData(
            source=programme.source,
            title="Parallella beslut",
            opens_on=today - datetime.timedelta(days=1),
            deadline=today + datetime.timedelta(days=30),
            programme=programme,
            budget=budget,
            budget_year=today.year,
        ),
    )
    call = services.funding_call_change_status(actor=None, call=call, status=FundingCall.Status.PUBLISHED)
    answers = {
        "idea": "Idé",
        "novelty": "Nytt",
        "target_group": "Unga",
        "co_financing_money": "20000.00",
        "start_date": (today + datetime.timedelta(days=30)).isoformat(),
        "end_date": (today + datetime.timedelta(days=200)).isoformat(),
    }
    applications = []
    for organisation in Organisation.objects.order_by("pk").iterator():
        if len(applications) == count:
            break
        try:  # organisations the source's rules leave out are passed over
            application = services.application_create(
                actor=None,
                call=call,
                organisation=organisation,
                data=services.ApplicationData(title="Projekt", amount_applied=amount, answers=answers),
            )
            application = services.application_submit(actor=None, application=application)
        except ValidationError:
            continue
        applications.append(services.application_start_review(actor=None, application=application))

    def decide(application) -> bool:
        try:
            services.application_decide(
                actor=officer,
                application=application,
                data=services.DecisionData(
                    outcome="approved",
                    amount_granted=amount,
                    reasons="Bänk.",
                    decision_maker="delegation",
                    decision_maker_name="Enhetschef",
                    decision_date=today,
                    year_from=today.year,
                    year_to=today.year,
                ),
            )
            return True
        except ValidationError:
            return False
        finally:
            connections.close_all()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=min(workers, count)) as pool:
        granted = sum(pool.map(decide, applications))
    elapsed = time.perf_counter() - started
    committed = ApplicationDecision.objects.filter(application__call=call).aggregate(s=Sum("amount_granted"))["s"]
    return {
        "decisions": len(applications),
        "granted": granted,
        "budget": str(budget),
        "committed": str(committed),
        "exact": committed == budget,
        "elapsed_s": elapsed,
        "workers": min(workers, count),
    }


def run(args) -> dict:
    from civsam.core.services import reference_data_load
    from civsam.funding.services import funding_sources_load_reference, grant_figures_compute

    rng = random.Random(2026)
    reference_data_load()
    funding_sources_load_reference()
    if args.parallel_only:
        _organisations(max(args.parallel, 200), rng)
        return {"parallel_decisions": _report_parallel(args.parallel, args.workers)}
    first_year = 2016
    if args.search_only:
        if not args.reuse:
            started = time.perf_counter()
            organisations = _organisations(args.organisations, rng)
            files = _decision_files(organisations, args.decisions, first_year, rng)
            rows = _bulk_decisions(files)
            print(f"bulk-loaded {rows:,} decisions in {time.perf_counter() - started:.0f} s")
        _analyze()  # also after --reuse: a migration may have filled a table
        searches = _search(first_year, args.repeat, args.queries)
        _print_search(searches)
        return {"search": searches, "search_summary": _search_summary(searches)}
    started = time.perf_counter()
    organisations = _organisations(args.organisations, rng)
    files = _decision_files(organisations, args.decisions, first_year, rng)
    size = sum(len(d) for d in files.values()) / 1e6
    print(
        f"generated {args.organisations:,} organisations and {args.decisions:,} decisions in "
        f"{len(files)} files ({size:.0f} MB), {time.perf_counter() - started:.0f} s"
    )
    elapsed, rows = _import(files)
    baseline = _baseline(files)
    figures: dict = {
        "decisions": rows,
        "import_s": elapsed,
        "import_rows_per_s": rows / elapsed,
        "baseline_s": baseline,
        "baseline_rows_per_s": rows / baseline,
        "import_ratio": (rows / elapsed) / (rows / baseline),
    }
    print(
        f"import: {rows:,} rows in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s; bulk load baseline "
        f"{rows / baseline:,.0f} rows/s; ours/baseline = {figures['import_ratio']:.3f}"
    )
    _analyze()
    start = time.perf_counter()
    count = grant_figures_compute()
    figures["figures_compute_s"] = time.perf_counter() - start
    print(f"statistics job: {count:,} figures in {figures['figures_compute_s']:.1f} s")
    searches = _search(first_year, args.repeat, args.queries)
    figures["search"] = searches
    _print_search(searches)
    figures["search_summary"] = _search_summary(searches)
    figures["pages"] = _pages(args.page_repeat)
    for label, page in figures["pages"].items():
        print(f"{label:34} p50 {page['p50_ms']:6.1f} ms  p95 {page['p95_ms']:6.1f} ms")
    figures["parallel_decisions"] = _report_parallel(args.parallel, args.workers)
    return figures


def _report_parallel(count: int, workers: int) -> dict:
    result = _parallel_decisions(count, workers)
    print(
        f"{result['decisions']} decisions of 20,000 kr from {result['workers']} parallel connections "
        f"against a budget of {result['budget']} kr: "
        f"{result['granted']} granted, {result['committed']} kr committed "
        f"({'exactly the budget' if result['exact'] else 'NOT the budget'}) in {result['elapsed_s']:.1f} s"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--decisions", type=int, default=1_000_000)
    parser.add_argument("--organisations", type=int, default=None, help="default: a twentieth of the decisions")
    parser.add_argument("--queries", type=int, default=None, help="only the first N register queries")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each register query")
    parser.add_argument("--page-repeat", type=int, default=20, help="timed requests of each page")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL"))
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--parallel", type=int, default=100, help="parallel decisions against one call's budget")
    parser.add_argument("--workers", type=int, default=32, help="threads (database connections) deciding at once")
    parser.add_argument("--parallel-only", action="store_true", help="only the parallel decisions")
    parser.add_argument(
        "--search-only", action="store_true", help="only the register search, on decisions written in bulk"
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--reuse", action="store_true", help="with --search-only: search a kept database again")
    args = parser.parse_args()
    args.organisations = args.organisations or max(args.decisions // 20, 200)
    with tempfile.TemporaryDirectory() as tmp:
        _setup(args.pg_url, tmp, reuse=args.reuse)
        try:
            from django.db import connection

            print(f"backend: {connection.vendor}; {args.decisions:,} decisions over 10 years")
            figures = run(args)
        finally:
            if not args.keep:
                _drop(args.pg_url)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
