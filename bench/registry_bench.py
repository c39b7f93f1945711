#!/usr/bin/env python
"""Registry benchmark at national scale: import throughput, directory search latency, query counts.

Prints figures; asserts nothing. For each backend it creates a throw-away database, loads the
reference data, generates organisations (deterministic), writes them as an export-layout CSV and
times the real importer (registry.imports.services.organisations_import) on an empty database.
Beside it, the raw baseline: PostgreSQL's COPY into a bare table, or on SQLite an executemany
INSERT. It then times directory pages (count + page + prefetches, as the directory view does)
for varied queries against the same page written as hand-written SQL, and counts the SQL queries
of one directory page at two page sizes. Everything it creates is dropped at the end.

    python bench/registry_bench.py                      # 300,000 rows, both backends
    python bench/registry_bench.py --rows 20000 --backend sqlite --repeat 3

PostgreSQL: --pg-url (or BENCH_POSTGRES_URL) names the database to create and drop; the server
must accept CREATE DATABASE from that user.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/civsam_bench"
SEED = 2026
# demo.generate keeps every name it made in one set and sorts it for near-twins, which grows
# quadratically; chunks with successive seeds keep generation linear and still deterministic.
GENERATE_CHUNK = 20_000
PAGE_SIZE = 20
COUNT_CAP = 1_000  # registry.paging.COUNT_CAP; the hand-written pages count the same way


# ---------------------------------------------------------------------------------------------
# The queries: what people type and tick in the directory.


@dataclass
class Case:
    label: str
    filters: dict = field(default_factory=dict)
    page: int = 1
    user: str = "anonymous"  # or "officer" (a municipal officer in Örebro: sees non-public rows too)


def cases(orgnr_hyphenated: str) -> list[Case]:
    return [
        Case("vanligt ord: förening", {"q": "förening"}),
        Case("ord i alla poster: organisation", {"q": "organisation"}),
        Case("sammansatt ord: fotbollsklubb", {"q": "fotbollsklubb"}),
        Case("prefix: friidr", {"q": "friidr"}),
        Case("kort prefix: bo", {"q": "bo"}),
        Case("ovanligt: pershyttan schack", {"q": "pershyttan schack"}),
        Case("inga träffar: xyzzy", {"q": "xyzzy"}),
        Case("två ord: kumla konstförening", {"q": "kumla konstförening"}),
        Case("organisationsnummer", {"q": orgnr_hyphenated}),
        Case("text + kommun", {"q": "förening", "municipality": ["1880"]}),
        Case("text + juridisk form", {"q": "stiftelsen", "legal_form": ["72"]}),
        Case("text + verksamhet", {"q": "klubb", "activity": ["1"]}),
        Case("kommun", {"municipality": ["1881"]}),
        Case("två kommuner", {"municipality": ["1860", "1863"]}),
        Case("juridisk form", {"legal_form": ["53"]}),
        Case("verksamhetsområde", {"activity": ["3"]}),
        Case("roll", {"role": ["counterweight"]}),
        Case("flagga", {"flags": ["social_enterprise"]}),
        Case("flagga + kommun", {"flags": ["work_integrating"], "municipality": ["1880"]}),
        Case("hela katalogen", {}),
        Case("hela katalogen, sida 50 (sista)", {}, page=50),  # the last page within the capped count
        Case("text, sorterat på namn", {"q": "klubb", "sort": "name"}),
        Case("text, namn Ö–A", {"q": "hyresgästförening", "sort": "-name"}),
        Case("flest medlemmar", {"sort": "-members"}),
        Case("nyast grundad + kommun", {"sort": "-founded", "municipality": ["1884"]}),
        Case("sorterat på kommun + form", {"sort": "municipality", "legal_form": ["62"]}),
        Case("handläggare: förening", {"q": "förening"}, user="officer"),
        Case("handläggare: hela katalogen", {}, user="officer"),
    ]


# ---------------------------------------------------------------------------------------------
# Parent process: one worker process per backend, each on its own throw-away database.


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--queries", type=int, default=0, help="use only the first N queries (default: all)")
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions of each query")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG_URL))
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    workdir = Path(tempfile.mkdtemp(prefix="civsam-bench-"))
    results = []
    try:
        for backend in backends:
            try:
                results.append(run_worker(backend, args, workdir))
            except PostgresUnavailable as exc:
                print(f"PostgreSQL skipped: cannot create the benchmark database ({exc}).", file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print_report(results, args)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


def run_worker(backend: str, args, workdir: Path) -> dict:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "civsam.settings"
    env.setdefault("DJANGO_DEBUG", "1")  # development settings, as before debug was off by default
    env["CIVSAM_VAR_DIR"] = str(workdir / "var")
    env.pop("DATABASE_URL", None)
    if backend == "sqlite":
        env["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    else:
        env["DATABASE_URL"] = args.pg_url
        pg_database("create", args.pg_url)
    out = workdir / f"{backend}.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", backend, "--workdir", str(workdir)]
    command += ["--rows", str(args.rows), "--repeat", str(args.repeat), "--queries", str(args.queries)]
    try:
        subprocess.run(command, env=env, cwd=ROOT, check=True)
        return json.loads(out.read_text(encoding="utf-8"))
    finally:
        if backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                (workdir / f"bench.sqlite3{suffix}").unlink(missing_ok=True)
        else:
            pg_database("drop", args.pg_url)


class PostgresUnavailable(Exception):
    pass


def pg_database(action: str, url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"Unsafe database name for the benchmark: {name!r}")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        conn = psycopg.connect(admin_url, autocommit=True)
    except psycopg.OperationalError as exc:
        raise PostgresUnavailable(str(exc).strip().splitlines()[0]) from exc
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if action == "create":
            conn.execute(f'CREATE DATABASE "{name}"')


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Worker process: everything measured on one backend.


def worker(args) -> None:
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, when static is not collected
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from civsam.core.services import reference_data_load

    workdir = Path(args.workdir)
    vendor = connection.vendor
    result: dict = {"backend": vendor, "rows": args.rows}
    log(f"{vendor}: migrating")
    call_command("migrate", verbosity=0)
    reference_data_load()
    # The debug cursor would time and keep every query; the figures are for production mode.
    settings.DEBUG = False

    csv_path = workdir / f"organisations-{args.rows}.csv"
    if not csv_path.exists():
        log(f"generating {args.rows} organisations and writing the CSV")
        started = time.perf_counter()
        csv_path.write_bytes(organisations_csv(args.rows))
        result["generate_seconds"] = time.perf_counter() - started
    data = csv_path.read_bytes()
    result["csv_bytes"] = len(data)

    result["import"] = measure_import(data, args.rows)
    result["baseline"] = measure_baseline(data)
    if result["import"]["ours_rows_per_s"] and result["baseline"]["rows_per_s"]:
        result["import"]["ratio_to_baseline"] = result["import"]["ours_rows_per_s"] / result["baseline"]["rows_per_s"]
    result["floor"] = measure_write_floor()
    result["analyze_seconds"] = analyze()

    result["search"] = measure_search(args)
    result["query_counts"] = measure_query_counts()
    (workdir / f"{'postgres' if vendor == 'postgresql' else vendor}.json").write_text(
        json.dumps(result, ensure_ascii=False), encoding="utf-8"
    )


def organisation_stream(count: int, populations: dict[str, int]):
    from civsam.registry import demo

    seen: set[str] = set()
    produced = chunk = 0
    while produced < count:
        for item in demo.generate(min(GENERATE_CHUNK, count - produced), populations, seed=SEED + chunk):
            if item.orgnr in seen:  # a later chunk may draw a number an earlier one used
                continue
            seen.add(item.orgnr)
            produced += 1
            yield item
        chunk += 1


class _All:
    def __init__(self, items):
        self._items = items

    def all(self):
        return self._items


def organisations_csv(count: int) -> bytes:
    """Generated organisations in the export layout, written by the export's own CSV writer."""
    from civsam.core.exports import csv_stream
    from civsam.core.models import LegalForm, Municipality
    from civsam.registry.exports import ORGANISATION_COLUMNS

    municipalities = {m.code: m for m in Municipality.objects.all()}
    legal_forms = {f.code: f for f in LegalForm.objects.all()}
    populations = {code: m.population for code, m in municipalities.items()}

    def as_organisation(item):
        # Quacks like an Organisation for the export columns.
        return SimpleNamespace(
            orgnr=item.orgnr,
            name=item.name,
            legal_form=legal_forms[item.legal_form],
            municipality=municipalities[item.municipality],
            activity_classes=_All([SimpleNamespace(code=code) for code in item.activity_classes]),
            roles=_All([SimpleNamespace(code=code) for code in item.roles]),
            website=item.website,
            email="",
            description=item.description,
            founded_year=item.founded_year,
            member_count=item.member_count,
            social_enterprise=item.social_enterprise,
            work_integrating=item.work_integrating,
            ideburen_registered=item.ideburen_registered,
        )

    rows = (as_organisation(item) for item in organisation_stream(count, populations))
    return "".join(csv_stream(ORGANISATION_COLUMNS, rows)).encode("utf-8")


def measure_import(data: bytes, rows: int) -> dict:
    from django.conf import settings

    try:
        from civsam.registry.imports.services import organisations_import
    except ImportError as exc:
        log(f"importer not available ({exc}); loading with the bulk demo loader instead")
        return {"available": False, "ours_rows_per_s": None, "note": str(exc), **bulk_load_fallback(rows)}
    settings.IMPORT_MAX_BYTES = max(getattr(settings, "IMPORT_MAX_BYTES", 0), len(data) + 1)
    log(f"importing {rows} rows through organisations_import")
    started = time.perf_counter()
    outcome = organisations_import(
        actor=None, file_name="bench.csv", data=data, apply=True, valid_rows_only=False, detect_duplicates=False
    )
    seconds = time.perf_counter() - started
    errors = getattr(outcome, "errors", [])
    return {
        "available": True,
        "seconds": seconds,
        "ours_rows_per_s": rows / seconds,
        "created": getattr(outcome, "created", None),
        "updated": getattr(outcome, "updated", None),
        "unchanged": getattr(outcome, "unchanged", None),
        "errors": len(errors) if hasattr(errors, "__len__") else errors,
        "first_errors": [str(e) for e in list(errors)[:3]] if hasattr(errors, "__iter__") else [],
    }


def bulk_load_fallback(rows: int) -> dict:
    from civsam.core.models import Municipality
    from civsam.registry.imports.bulk import demo_organisations_insert

    populations = dict(Municipality.objects.values_list("code", "population"))
    started = time.perf_counter()
    demo_organisations_insert(organisation_stream(rows, populations))
    return {"fallback_seconds": time.perf_counter() - started}


BARE_COLUMNS_INT = {"grundad_ar", "antal_medlemmar"}


def measure_baseline(data: bytes) -> dict:
    """The same CSV rows into a bare table with matching columns, the fastest plain way."""
    from django.db import connection

    from civsam.registry.exports import ORGANISATION_COLUMNS

    keys = [c.key for c in ORGANISATION_COLUMNS]
    columns = ", ".join(f"{k} {'integer' if k in BARE_COLUMNS_INT else 'text'}" for k in keys)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_bare ({columns})")
    try:
        if connection.vendor == "postgresql":
            method = "COPY FROM STDIN (csv)"
            started = time.perf_counter()
            with connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(f"COPY bench_bare ({', '.join(keys)}) FROM STDIN (FORMAT csv, HEADER true)") as copy:
                    view = memoryview(data)
                    for offset in range(0, len(data), 1 << 20):
                        copy.write(view[offset : offset + (1 << 20)])
            seconds = time.perf_counter() - started
        else:
            method = "csv.reader + executemany INSERT"
            started = time.perf_counter()
            reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
            next(reader)
            placeholders = ", ".join("?" for _ in keys)
            sql = f"INSERT INTO bench_bare ({', '.join(keys)}) VALUES ({placeholders})"
            raw = connection.connection
            raw.execute("BEGIN")
            raw.executemany(sql, ([None if v == "" else v for v in row] for row in reader))
            raw.execute("COMMIT")
            seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM bench_bare")
            (loaded,) = cursor.fetchone()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_bare")
    return {"method": method, "seconds": seconds, "rows": loaded, "rows_per_s": loaded / seconds}


def measure_write_floor() -> dict:
    """What the database alone needs to store what the import stored, the fastest way it can.

    Everything the import wrote for the new rows (organisation rows, link rows, audit entries) is
    copied, set-based and already inside the database, into empty copies of the tables without
    any index; then every index the real tables have is built once over them, as a bulk load
    does (on SQLite the full-text index too). No Python, no foreign-key checks, no parsing. No
    importer that keeps the register's indexes and history can store the rows in less time.
    """
    from django.db import connection, transaction

    from civsam.core.models import AuditEntry
    from civsam.registry.models import Organisation

    org = Organisation._meta.db_table
    tables = [
        org,
        Organisation.activity_classes.through._meta.db_table,
        Organisation.roles.through._meta.db_table,
        AuditEntry._meta.db_table,
    ]
    postgres = connection.vendor == "postgresql"
    parts: dict[str, float] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {org}")
        (rows,) = cursor.fetchone()
        copies = {table: f"bench_floor_{i}" for i, table in enumerate(tables)}
        indexes = []  # SQL building each index of the real tables on the copies
        for table, copy in copies.items():
            if postgres:
                cursor.execute(f"CREATE TABLE {copy} (LIKE {table} INCLUDING DEFAULTS INCLUDING GENERATED "
                               "INCLUDING CONSTRAINTS)")  # fmt: skip
                cursor.execute("SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass",
                               [table])  # fmt: skip
                for (definition,) in cursor.fetchall():
                    # Short names: PostgreSQL cuts names at 63 characters, which could make two equal.
                    name = f"{copy}_i{len(indexes)}"
                    indexes.append(re.sub(r"INDEX (\w+) ON public\.(\w+)", f"INDEX {name} ON {copy}", definition))
                cursor.execute(
                    "SELECT string_agg(column_name, ', ') FROM information_schema.columns "
                    "WHERE table_name = %s AND is_generated = 'NEVER'",
                    [table],
                )
            else:
                cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {table} WHERE 0")
                cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [table])
                for (definition,) in cursor.fetchall():
                    if definition:  # None: the automatic index of a UNIQUE column, built below
                        pattern = rf'^CREATE (UNIQUE )?INDEX "?(\w+)"? ON "?{table}"?'
                        indexes.append(re.sub(pattern, rf"CREATE \1INDEX {copy}_i{len(indexes)} ON {copy}", definition))
                if table == org:
                    indexes.append(f"CREATE UNIQUE INDEX {copy}_orgnr ON {copy} (orgnr)")
                    indexes.append(f"CREATE UNIQUE INDEX {copy}_pk ON {copy} (id)")
                cursor.execute(f"SELECT group_concat(name, ', ') FROM pragma_table_info('{table}')")
            (columns,) = cursor.fetchone()
            copies[table] = (copy, columns)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (copy, columns) in copies.items():
            where = "WHERE note LIKE 'Import från fil:%%'" if table == AuditEntry._meta.db_table else ""
            clock = time.perf_counter()
            cursor.execute(f"INSERT INTO {copy} ({columns}) SELECT {columns} FROM {table} {where}")
            parts[f"rows {table}"] = time.perf_counter() - clock
        clock = time.perf_counter()
        for definition in indexes:
            cursor.execute(definition)
        if not postgres:
            copy = copies[org][0]
            cursor.execute(f"CREATE VIRTUAL TABLE {copy}_fts USING fts5(search_document, content='{copy}', "
                           "content_rowid='id', tokenize='unicode61 remove_diacritics 0')")  # fmt: skip
            cursor.execute(f"INSERT INTO {copy}_fts({copy}_fts) VALUES ('rebuild')")
        parts["indexes"] = time.perf_counter() - clock
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        if not postgres:
            cursor.execute(f"DROP TABLE IF EXISTS {copies[org][0]}_fts")
        for copy, _columns in copies.values():
            cursor.execute(f"DROP TABLE {copy}")
    return {"seconds": seconds, "rows": rows, "rows_per_s": rows / seconds, "parts": parts}


def analyze() -> float:
    """Refresh planner statistics (and, on PostgreSQL, the visibility map) after the bulk load."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# Directory search: the real page against hand-written SQL.


def bench_users() -> dict:
    from civsam.accounts.models import Role, User
    from civsam.accounts.services import role_assign
    from civsam.core.models import Municipality

    officer = User.objects.create_user(username="bench-officer", password=secrets.token_urlsafe(16))
    role_assign(user=officer, role=Role.MUNICIPAL_OFFICER, municipality=Municipality.objects.get(code="1880"))
    officer = User.objects.get(pk=officer.pk)
    return {"anonymous": None, "officer": officer}


def directory_page(user, filters: dict, page_number: int, per_page: int = PAGE_SIZE):
    """What the directory view does for its result list."""
    from civsam.registry import paging, selectors

    qs = selectors.organisation_directory(user=user, filters=selectors.DirectoryFilter(**filters))
    page = paging.CappedPaginator(qs, per_page).get_page(page_number)
    page.object_list = selectors.with_listing_relations(page.object_list)
    rows = [
        (o.name, o.orgnr, o.legal_form.name, o.municipality.name, [a.name for a in o.activity_classes.all()])
        for o in page.object_list
    ]
    return page.paginator.count, rows


def visibility(user) -> SimpleNamespace:
    """What the hand-written SQL filters on: who the user acts for, from the permission seam."""
    from civsam.accounts.permissions import acts_for_region, municipality_ids_actable_by, represented_organisation_ids

    return SimpleNamespace(
        region_admin=acts_for_region(user),
        municipality_ids=municipality_ids_actable_by(user) or frozenset(),
        organisation_ids=represented_organisation_ids(user),
    )


def measure_search(args) -> dict:
    from django.db import connection

    from civsam.registry.models import Organisation

    users = bench_users()
    total = Organisation.objects.count()
    sample = Organisation.objects.order_by("id").values_list("orgnr", flat=True)[min(12_345, total - 1)]
    all_cases = cases(f"{sample[:6]}-{sample[6:]}")
    if args.queries:
        all_cases = all_cases[: args.queries]
    handwritten = HandWritten(connection.vendor)
    rows = []
    for case in all_cases:
        user = users[case.user]
        scope = visibility(user)
        # Warm both paths once, and check that they agree on the result.
        ours_count, ours_rows = directory_page(user, case.filters, case.page)
        hand_count, hand_rows = handwritten.page(case, scope)
        rows.append(
            {
                "label": case.label,
                "count": ours_count,
                "agrees": ours_count == hand_count and [r[1] for r in ours_rows] == [r[1] for r in hand_rows],
                "ours": [],
                "hand": [],
            }
        )
    log(f"timing {len(all_cases)} queries x {args.repeat} repetitions")
    for repetition in range(args.repeat):
        for case, row in zip(all_cases, rows, strict=True):
            user = users[case.user]
            scope = visibility(user)
            # Alternate which path goes first so that neither always gets the warmer cache.
            order = ("ours", "hand") if repetition % 2 == 0 else ("hand", "ours")
            for which in order:
                started = time.perf_counter()
                if which == "ours":
                    directory_page(user, case.filters, case.page)
                else:
                    handwritten.page(case, scope)
                row[which].append((time.perf_counter() - started) * 1000)
    ours_all = [t for row in rows for t in row["ours"]]
    hand_all = [t for row in rows for t in row["hand"]]
    for row in rows:
        row["ours_median"] = statistics.median(row["ours"])
        row["hand_median"] = statistics.median(row["hand"])
        row["ratio"] = row["ours_median"] / row["hand_median"]
    return {
        "cases": rows,
        "repeat": args.repeat,
        "ours_p50": percentile(ours_all, 50),
        "ours_p95": percentile(ours_all, 95),
        "hand_p50": percentile(hand_all, 50),
        "hand_p95": percentile(hand_all, 95),
        "ratio_median": statistics.median(row["ratio"] for row in rows),
        "ratio_max": max(row["ratio"] for row in rows),
    }


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


class HandWritten:
    """The directory page written by hand with the same indexes: the relevance probe for text
    queries, a COUNT, the page with its joins, and the two prefetches of the listing."""

    FTS = "registry_organisation_fts"
    # Names sort by the stored Swedish key (ADR 0040).
    ORDERS = {
        "name": "o.name_key, o.id",
        "-name": "o.name_key DESC, o.id DESC",
        "municipality": "m.name_key, o.name_key, o.id",
        "-founded": "o.founded_year DESC NULLS LAST, o.name_key, o.id",
        "founded": "o.founded_year ASC NULLS LAST, o.name_key, o.id",
        "-members": "o.member_count DESC NULLS LAST, o.name_key, o.id",
    }

    def __init__(self, vendor: str):
        self.vendor = vendor

    @staticmethod
    def _in(values) -> str:
        return ", ".join("%s" for _ in values)

    JOINS = {
        "lf": "JOIN core_legalform lf ON lf.id = o.legal_form_id",
        "m": "JOIN core_municipality m ON m.id = o.municipality_id",
    }

    def query(self, case: Case, scope, cursor) -> tuple[str, str, str, list, str, list]:
        """FROM clauses (for the count, for the page), WHERE, its parameters, ORDER BY and its parameters."""
        from civsam.registry import search

        f = case.filters
        sqlite = self.vendor == "sqlite"
        joins = []  # what the count needs; the page always joins both
        extra_table = ""
        where, params = [], []
        if not scope.region_admin:
            visible, visible_params = ["o.is_public"], []
            if scope.municipality_ids:
                visible.append(f"o.municipality_id IN ({self._in(scope.municipality_ids)})")
                visible_params += sorted(scope.municipality_ids)
            if scope.organisation_ids:
                visible.append(f"o.id IN ({self._in(scope.organisation_ids)})")
                visible_params += sorted(scope.organisation_ids)
            where.append("(" + " OR ".join(visible) + ")" if len(visible) > 1 else visible[0])
            params += visible_params
        rank, rank_params = "", []
        terms = search.query_terms(f.get("q", ""))
        if terms:
            if self.vendor == "postgresql":
                tsquery = search.tsquery(terms)
                where.append("o.search_vector @@ to_tsquery('simple', %s)")
                params.append(tsquery)
                probe = (
                    "SELECT COUNT(*) FROM (SELECT 1 FROM registry_organisation "
                    "WHERE search_vector @@ to_tsquery('simple', %s) LIMIT %s) AS matches"
                )
                probe_params = [tsquery]
                rank, rank_params = "ts_rank(o.search_vector, to_tsquery('simple', %s)) DESC", [tsquery]
            else:
                from civsam.registry.selectors import DENSE_LIMIT

                match = search.fts5_match(terms)
                probe = f"SELECT COUNT(*) FROM (SELECT 1 FROM {self.FTS} WHERE {self.FTS} MATCH %s LIMIT %s)"
                probe_params = [match]
                cursor.execute(probe, [match, DENSE_LIMIT + 1])
                if cursor.fetchone()[0] > DENSE_LIMIT:
                    # The same shape as the selector for words in a large share of the register:
                    # a word-prefix test on the stored document while walking the sort index.
                    where += ["(' ' || o.search_document) LIKE %s" for _term in terms]
                    params += [f"% {term}%" for term in terms]
                else:
                    extra_table = f", {self.FTS}"
                    where += [f"+{self.FTS}.rowid = o.id", f"{self.FTS} MATCH %s"]
                    params.append(match)
                    rank = f"bm25({self.FTS})"
            if f.get("sort", "") in ("", "relevance") and rank:
                from civsam.registry.selectors import RANK_LIMIT

                cursor.execute(probe, [*probe_params, RANK_LIMIT + 1])
                if cursor.fetchone()[0] > RANK_LIMIT:
                    rank, rank_params = "", []
        flags = f.get("flags", [])
        for key, alias, table, column in (
            ("municipality", "m", "core_municipality", "municipality_id"),
            ("legal_form", "lf", "core_legalform", "legal_form_id"),
        ):
            if not f.get(key):
                continue
            if sqlite and flags:
                # As the selector: under a flag the condition is a test, so the flag's index drives.
                where.append(f"+o.{column} IN (SELECT id FROM {table} WHERE code IN ({self._in(f[key])}))")
            else:
                where.append(f"{alias}.code IN ({self._in(f[key])})")
                joins.append(self.JOINS[alias])
            params += f[key]
        for key, through, column, table in (
            ("activity", "registry_organisation_activity_classes", "activityclass_id", "core_activityclass"),
            ("role", "registry_organisation_roles", "societalrole_id", "core_societalrole"),
        ):
            if f.get(key):
                # A join, as the ORM writes it: SQLite then reads the link table by its index on the
                # class or role; with a nested IN it scans the whole link table.
                links = (
                    f"SELECT t.organisation_id FROM {through} t JOIN {table} s ON s.id = t.{column} "
                    f"WHERE s.code IN ({self._in(f[key])})"
                )
                plus = ""
                if sqlite:
                    from civsam.registry.selectors import DENSE_LIMIT

                    cursor.execute(f"SELECT COUNT(*) FROM ({links} LIMIT %s)", [*f[key], DENSE_LIMIT + 1])
                    plus = "+" if cursor.fetchone()[0] > DENSE_LIMIT else ""
                where.append(f"{plus}o.id IN ({links})")
                params += f[key]
        for flag in flags:
            where.append(f"o.{flag}")
        condition = " AND ".join(where) if where else "1 = 1"
        count_tables = " ".join(["registry_organisation o", *joins]) + extra_table
        page_tables = " ".join(["registry_organisation o", *self.JOINS.values()]) + extra_table
        if rank and f.get("sort", "") in ("", "relevance"):
            return count_tables, page_tables, condition, params, f"{rank}, o.name_key, o.id", rank_params
        order = self.ORDERS.get(f.get("sort", ""), self.ORDERS["name"])
        return count_tables, page_tables, condition, params, order, []

    def page(self, case: Case, scope, per_page: int = PAGE_SIZE):
        from django.db import connection

        with connection.cursor() as cursor:
            count_tables, tables, condition, params, order, order_params = self.query(case, scope, cursor)
            # The same capped count as the directory (ADR 0041): counted up to COUNT_CAP + 1 rows;
            # above the cap only the first COUNT_CAP rows are paged.
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {count_tables} WHERE {condition} LIMIT {COUNT_CAP + 1}) AS c",
                params,
            )
            (count,) = cursor.fetchone()
            pages = max(1, -(-min(count, COUNT_CAP) // per_page))
            offset = (min(case.page, pages) - 1) * per_page
            found = []
            if count:
                cursor.execute(
                    "SELECT o.id, o.name, o.orgnr, o.social_enterprise, o.is_demo, lf.name_sv, m.name "
                    f"FROM {tables} WHERE {condition} ORDER BY {order} LIMIT {per_page} OFFSET {offset}",
                    params + order_params,
                )
                found = cursor.fetchall()
            ids = [r[0] for r in found]
            activities: dict[int, list[str]] = {}
            if ids:
                cursor.execute(
                    "SELECT t.organisation_id, a.name_sv FROM registry_organisation_activity_classes t "
                    "JOIN core_activityclass a ON a.id = t.activityclass_id "
                    f"WHERE t.organisation_id IN ({self._in(ids)}) ORDER BY a.sort_order",
                    ids,
                )
                for organisation_id, name in cursor.fetchall():
                    activities.setdefault(organisation_id, []).append(name)
                cursor.execute(
                    "SELECT t.organisation_id, r.name_sv FROM registry_organisation_roles t "
                    "JOIN core_societalrole r ON r.id = t.societalrole_id "
                    f"WHERE t.organisation_id IN ({self._in(ids)}) ORDER BY r.sort_order",
                    ids,
                )
                cursor.fetchall()
        return count, [(r[1], r[2], r[5], r[6], activities.get(r[0], [])) for r in found]


# ---------------------------------------------------------------------------------------------
# Query counts: constant in the page size.


def measure_query_counts() -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    counts = {}
    for label, filters in (
        ("text", {"q": "förening"}),
        ("filter", {"municipality": ["1880"], "activity": ["1"]}),
        ("none", {}),
    ):
        for per_page in (20, 100):
            with CaptureQueriesContext(connection) as ctx:
                directory_page(None, filters, 1, per_page)
            counts[f"selector {label} / {per_page}"] = len(ctx.captured_queries)
    client = Client()
    for per_page in (20, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("registry:directory"), {"q": "förening", "per_page": per_page})
        assert response.status_code == 200, response.status_code
        counts[f"view text / {per_page}"] = len(ctx.captured_queries)
    return counts


# ---------------------------------------------------------------------------------------------
# Report.


def _hits(count: int) -> str:
    return f">{COUNT_CAP}" if count > COUNT_CAP else str(count)


def print_report(results: list[dict], args) -> None:
    print()
    print(
        f"Civsam registry benchmark — {args.rows:,} organisations, {args.repeat} repetitions per query".replace(
            ",", " "
        )
    )
    for r in results:
        name = "PostgreSQL" if r["backend"] == "postgresql" else "SQLite"
        print()
        print(f"== {name} ==")
        imp, base = r["import"], r["baseline"]
        if "generate_seconds" in r:
            print(f"generated {r['rows']} organisations and their CSV in {r['generate_seconds']:.0f} s", end="")
            print(f" ({r['csv_bytes'] / 1e6:.1f} MB)")
        if imp.get("available"):
            print(
                f"import (organisations_import, apply, no duplicate check): {imp['seconds']:.1f} s, "
                f"{imp['ours_rows_per_s']:,.0f} rows/s (created {imp['created']}, errors {imp['errors']})"
            )
        else:
            print(f"import: importer not available ({imp.get('note')}); bulk demo loader used to fill the table")
        print(f"baseline ({base['method']}): {base['seconds']:.2f} s, {base['rows_per_s']:,.0f} rows/s")
        floor = r.get("floor")
        if floor:
            print(
                "write floor (what the import stored, set-based inside the database, into bare copies, then "
                f"every index built once): {floor['seconds']:.1f} s, {floor['rows_per_s']:,.0f} rows/s = "
                f"{floor['rows_per_s'] / base['rows_per_s']:.1%} of the baseline"
            )
            print("  " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in floor.get("parts", {}).items()))
        if imp.get("ratio_to_baseline"):
            print(f"import / baseline: {imp['ratio_to_baseline']:.1%} (goal on PostgreSQL: at least 25% of COPY)")
        print(f"VACUUM/ANALYZE after the load: {r['analyze_seconds']:.1f} s")
        s = r["search"]
        print()
        print(f"{'query':<36} {'hits':>8} {'ours ms':>9} {'SQL ms':>9} {'ratio':>6}  same")
        for row in s["cases"]:
            print(
                f"{row['label'][:36]:<36} {_hits(row['count']):>8} "
                f"{row['ours_median']:>9.1f} {row['hand_median']:>9.1f} "
                f"{row['ratio']:>6.2f}  {'yes' if row['agrees'] else 'NO'}"
            )
        print(
            f"directory page, all samples: ours p50 {s['ours_p50']:.1f} ms, p95 {s['ours_p95']:.1f} ms; "
            f"hand-written SQL p50 {s['hand_p50']:.1f} ms, p95 {s['hand_p95']:.1f} ms"
        )
        print(
            f"ratio ours/hand-written: p95 {s['ours_p95'] / s['hand_p95']:.2f}, "
            f"median of per-query ratios {s['ratio_median']:.2f}, worst query {s['ratio_max']:.2f} "
            "(goal: p95 under 1.5x and under 100 ms)"
        )
        print("SQL queries per directory page:", ", ".join(f"{k}: {v}" for k, v in r["query_counts"].items()))


if __name__ == "__main__":
    main()
