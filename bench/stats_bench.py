#!/usr/bin/env python
"""Sector statistics benchmark (issue #16): the official register import and the yearly snapshots.

Prints figures; asserts nothing. In a throw-away SQLite database, or in the PostgreSQL database
named by --pg-url (dropped and created again at the start, dropped at the end unless --keep):

1. generates --orgs organisations (the demo generator) with registration dates and some
   deregistrations, --events events with confirmed registrations, --initiatives initiatives with
   partners, network memberships and grant decisions, and times `statistics_compute` over
   --years years (the whole run, every figure, one transaction);
2. times the county statistics page, a municipality page and `GET /api/v1/statistics` served from
   the snapshots (p50/p95 over --requests requests) and counts their SQL queries;
3. writes a Statistics Sweden file of --rows rows in its format (tab-separated, Latin-1), a tenth
   of them civil-society forms in the county, and times reading it with Python's csv module
   alone against `formats.read_scb` (parsing and checking every row), as rows per second and
   ratios; then runs the parse and the whole import (`official_register_import`, applied) each in
   a child process at a tenth of the rows and at all of them, and prints the child's peak
   resident memory, so that "memory flat in the file size" is measured, not assumed.

    python bench/stats_bench.py --rows 1800000 --orgs 300000 --pg-url postgres://.../db
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = [
    "PeOrgNr",
    "Foretagsnamn",
    "JurForm",
    "FtgStat",
    "Ng1",
    "Ng2",
    "Ng3",
    "Ng4",
    "Ng5",
    "RegDatKtid",
    "PostNr",
    "PostOrt",
]
TOWNS = [("70211", "ÖREBRO"), ("69231", "KUMLA"), ("69130", "KARLSKOGA"), ("71130", "LINDESBERG"), ("71331", "NORA")]
KEPT = frozenset({"51", "53", "61", "72"})


def write_scb_file(path: Path, rows: int, *, civil_prefix: str = "769", seed: int = 16) -> None:
    """Every tenth row a civil-society form in the county (its number from `civil_prefix`), the rest
    aktiebolag elsewhere, as the real file is mostly companies."""
    from civsam.registry.orgnr import complete

    rng = random.Random(seed)
    with path.open("w", encoding="latin-1", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\r\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        writer.writerow(HEADER)
        for n in range(rows):
            civil = n % 10 == 0
            # Digits 3-4 of an organisationsnummer are at least 20 (SKV 709): 556, 566 and the civil prefixes.
            company = f"5{5 + n // 1_000_000}6{n % 1_000_000:06d}"
            orgnr = complete(f"{civil_prefix}{n // 10:06d}" if civil else company)
            form = rng.choice(["61", "51", "72", "53"]) if civil else "49"
            code, town = rng.choice(TOWNS) if civil else ("41101", "GÖTEBORG")
            registered = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(27000))
            writer.writerow(
                [
                    f"16{orgnr}",
                    f"Föreningen nr {n}",
                    form,
                    "1",
                    "94990",
                    "",
                    "",
                    "",
                    "",
                    registered.strftime("%Y%m%d"),
                    code,
                    town,
                ]
            )


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def _setup_django(pg_url: str, sqlite_path: str) -> None:
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"
    if pg_url:
        os.environ["DATABASE_URL"] = pg_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = sqlite_path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civsam.settings")
    import django

    django.setup()


def child(args) -> None:
    """Run in a child process: parse or import one file and print seconds and peak memory as JSON."""
    _setup_django(args.pg_url, args.sqlite)
    from civsam.registry.imports.official import formats
    from civsam.registry.imports.official.services import official_register_import

    path = Path(args.file)
    with path.open("rb") as stream:
        if args.child == "parse":
            seconds, _rows = timed(lambda: sum(1 for _ in formats.read_scb(stream, kept_forms=KEPT)))
            created = 0
        else:
            seconds, result = timed(
                lambda: official_register_import(
                    actor=None, source="scb", file_name=path.name, stream=stream, apply=True
                )
            )
            created = result.created
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "created": created}))


def _run_child(kind: str, path: Path, args) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--file",
        str(path),
        "--pg-url",
        args.pg_url,
        "--sqlite",
        args.sqlite,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def bench_import(args) -> None:
    rows = args.rows
    with tempfile.TemporaryDirectory() as tmp:
        large, small = Path(tmp) / "scb-large.txt", Path(tmp) / "scb-small.txt"
        write_scb_file(large, rows)
        write_scb_file(small, rows // 10, civil_prefix="717")

        def csv_only() -> int:
            with large.open("r", encoding="latin-1", newline="") as handle:
                return sum(1 for _ in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))

        t_csv, _ = timed(csv_only)
        print(f"file: {rows:,} rows, {large.stat().st_size / 1e6:.1f} MB")
        print(f"csv module alone:      {rows / t_csv:12,.0f} rows/s")
        parse_small, parse_large = _run_child("parse", small, args), _run_child("parse", large, args)
        t_parse = parse_large["seconds"]
        print(f"formats.read_scb:      {rows / t_parse:12,.0f} rows/s  ({t_parse / t_csv:.1f}× the csv module's time)")
        print(
            f"parse peak memory (process): {parse_small['peak_mb']:.0f} MB at {rows // 10:,} rows, "
            f"{parse_large['peak_mb']:.0f} MB at {rows:,} rows"
        )
        import_small, import_large = _run_child("import", small, args), _run_child("import", large, args)
        t_import = import_large["seconds"]
        print(
            f"import (applied):      {rows / t_import:12,.0f} rows/s  ({t_import / t_csv:.1f}× the csv module's time); "
            f"{import_large['created']:,} created"
        )
        print(
            f"import peak memory (process): {import_small['peak_mb']:.0f} MB at {rows // 10:,} rows "
            f"({rows // 10 / import_small['seconds']:,.0f} rows/s), {import_large['peak_mb']:.0f} MB at {rows:,} rows"
        )


def generate_activity(*, events: int, initiatives: int, years: list[int], seed: int = 16) -> None:
    """Events with confirmed registrations, initiatives with partners, network memberships and
    grant decisions over the years, written in bulk (the services are not what is measured)."""
    from django.db.models import Max

    from civsam.core.models import LegalForm, Municipality
    from civsam.funding.models import Funder, GrantDecision
    from civsam.meetings.models import Event, EventOutput, Network, NetworkMembership, Registration
    from civsam.plan.models import Initiative, InitiativeStatus
    from civsam.registry.models import Organisation

    rng = random.Random(seed)
    tz = datetime.UTC
    municipalities = list(Municipality.objects.all())
    org_ids = list(Organisation.objects.values_list("id", flat=True))
    top = Organisation.objects.aggregate(top=Max("id"))["top"]
    sample = rng.sample(org_ids, min(len(org_ids), 20_000))
    batch = []
    for n in range(events):
        start = datetime.datetime(rng.choice(years), rng.randint(1, 12), rng.randint(1, 28), 18, tzinfo=tz)
        batch.append(
            Event(
                title=f"Möte {n}",
                municipality=rng.choice(municipalities),
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                organiser_id=rng.choice(sample),
            )
        )
    made = Event.objects.bulk_create(batch, batch_size=5000)
    registrations, outputs = [], []
    for event in made:
        for k in range(rng.randint(0, 10)):
            code = f"b{event.pk}-{k}"
            registrations.append(
                Registration(
                    event=event,
                    name=code,
                    email=f"{code}@example.se",
                    status="confirmed",
                    code=code[:12],
                    cancel_token=code,
                    organisation_id=rng.choice(sample) if k % 2 else None,
                )
            )
        if rng.random() < 0.1:
            outputs.append(EventOutput(event=event, kind="collaboration", title="Ny samverkan"))
    Registration.objects.bulk_create(registrations, batch_size=5000)
    EventOutput.objects.bulk_create(outputs, batch_size=5000)
    status = InitiativeStatus.objects.exclude(kind="cancelled").first()
    batch = []
    for n in range(initiatives):
        start = datetime.date(rng.choice(years), rng.randint(1, 12), 1)
        lead_municipal = rng.random() < 0.4
        batch.append(
            Initiative(
                title=f"Insats {n}",
                start_date=start,
                end_date=None if rng.random() < 0.3 else start + datetime.timedelta(days=rng.randint(100, 1500)),
                status=status,
                lead_municipality=rng.choice(municipalities) if lead_municipal else None,
                lead_organisation_id=None if lead_municipal else rng.choice(sample),
            )
        )
    Through = Initiative.partner_organisations.through
    Through.objects.bulk_create(
        [
            Through(initiative_id=initiative.pk, organisation_id=partner)
            for initiative in Initiative.objects.bulk_create(batch, batch_size=5000)
            for partner in rng.sample(sample, 2)
        ],
        batch_size=5000,
    )
    networks = Network.objects.bulk_create(
        [
            Network(name=f"Nätverk {n}", slug=f"natverk-{n}", kind="thematic", organisation_id=rng.choice(sample))
            for n in range(200)
        ]
    )
    memberships = []
    for network in networks:
        for organisation in rng.sample(sample, 50):
            joined = datetime.date(rng.choice(years), 1, 1)
            ended = rng.random() < 0.2
            memberships.append(
                NetworkMembership(
                    network=network,
                    organisation_id=organisation,
                    status="ended" if ended else "active",
                    joined_on=joined,
                    ended_on=joined + datetime.timedelta(days=400) if ended else None,
                )
            )
    NetworkMembership.objects.bulk_create(memberships, batch_size=5000)
    funder = Funder.objects.first()
    forms = list(LegalForm.objects.all())
    if funder is not None:
        GrantDecision.objects.bulk_create(
            [
                GrantDecision(
                    funder=funder,
                    recipient_id=rng.choice(sample),
                    recipient_municipality=rng.choice(municipalities),
                    recipient_legal_form=rng.choice(forms),
                    amount_granted=rng.randint(5, 500) * 1000,
                    year_from=year,
                    year_to=year,
                    decision_date=datetime.date(year, rng.randint(1, 12), 1),
                    case_number=f"B{n}",
                )
                for n in range(10_000)
                for year in [rng.choice(years)]
            ],
            batch_size=5000,
        )
    print(
        f"activity: {events:,} events, {len(registrations):,} registrations, {initiatives:,} initiatives, "
        f"{len(memberships):,} network memberships, organisations up to id {top:,}"
    )


def copy_organisations(target: int) -> None:
    """Copy the generated organisations in SQL (with their classes and roles) until there are
    `target`: the generator writes about a hundred rows a second on a busy machine, and what is
    measured is the counting, not the writing."""
    from django.db import connection, transaction
    from django.db.models import Max

    from civsam.registry.models import Organisation

    count = Organisation.objects.count()
    stride = Organisation.objects.aggregate(top=Max("id"))["top"]
    table = Organisation._meta.db_table
    columns = [f.column for f in Organisation._meta.concrete_fields]
    throughs = [Organisation.activity_classes.through, Organisation.roles.through]
    copy = 0
    while count < target:
        copy += 1
        rows = min(stride, target - count)
        values = []
        for column in columns:
            if column == "id":
                values.append(f"id + {copy * stride}")
            elif column == "orgnr":
                values.append("NULL")
            elif column == "name":
                values.append(f"name || ' {copy}'")
            else:
                values.append(column)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {table} WHERE id <= {rows}"
            )
            for through in throughs:
                other = next(
                    f.column
                    for f in through._meta.concrete_fields
                    if f.column.endswith("_id") and not f.column.startswith("organisation")
                )
                cursor.execute(
                    f"INSERT INTO {through._meta.db_table} (organisation_id, {other}) "
                    f"SELECT organisation_id + {copy * stride}, {other} FROM {through._meta.db_table} "
                    f"WHERE organisation_id <= {rows}"
                )
        count += rows
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


def bench_snapshots(args) -> None:
    from civsam.core.models import Municipality
    from civsam.registry import demo
    from civsam.registry.imports.bulk import demo_organisations_insert
    from civsam.registry.services.demo import demo_register_history_set
    from civsam.stats.services import national_figures_load_reference, population_load_reference, snapshots

    this_year = datetime.date.today().year
    years = list(range(this_year - args.years + 1, this_year + 1))
    populations = dict(Municipality.objects.values_list("code", "population"))
    base = min(args.orgs, args.generated)
    t_orgs, _ = timed(lambda: demo_organisations_insert(demo.generate(base, populations, seed=16)))
    demo_register_history_set(seed=16)
    t_copies, _ = timed(lambda: copy_organisations(args.orgs))
    print(f"generated {base:,} organisations in {t_orgs:.0f} s, copied to {args.orgs:,} in {t_copies:.0f} s")
    generate_activity(events=args.events, initiatives=args.initiatives, years=years)
    population_load_reference()
    national_figures_load_reference()
    # The product keeps years from 2018; the benchmark asks for --years years, so the floor moves.
    snapshots.FIRST_YEAR = min(years)
    t_compute, written = timed(lambda: snapshots.statistics_compute(years=years))
    print(f"snapshots: {args.orgs:,} organisations, {len(years)} years: {t_compute:.1f} s, {written:,} rows")
    bench_pages(args)


def bench_pages(args) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for label, url in (
        ("county page", "/statistik/"),
        ("municipality page", "/statistik/1880/"),
        ("API list", "/api/v1/statistics?limit=100"),
    ):
        start = time.perf_counter()
        client.get(url)  # the first: templates compiled, the page's figures rendered (then kept)
        first = (time.perf_counter() - start) * 1000
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p95 = statistics.quantiles(times, n=20)[18]
        print(
            f"{label:18} first {first:7.1f} ms, then p50 {statistics.median(times):6.1f} ms, p95 {p95:6.1f} ms, "
            f"{len(queries)} SQL queries"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--orgs", type=int, default=30_000)
    parser.add_argument("--generated", type=int, default=20_000, help="organisations generated; the rest copied")
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--initiatives", type=int, default=500)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--pg-url", default="")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument(
        "--pages-only", action="store_true", help="only time the pages, in the database a --keep run left"
    )
    parser.add_argument("--child", choices=["parse", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--sqlite", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    tmp = tempfile.mkdtemp()
    args.sqlite = str(Path(tmp) / "bench.sqlite3")
    _setup_django(args.pg_url, args.sqlite)
    from django.core.management import call_command
    from django.db import connection

    from civsam.core.services import reference_data_load
    from civsam.funding.services import funding_sources_load_reference
    from civsam.plan.services import plans_load_reference

    if args.pages_only:
        bench_pages(args)
        return
    if args.pg_url:
        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    reference_data_load()
    plans_load_reference()
    funding_sources_load_reference()
    print(f"database: {connection.vendor}")
    # The snapshots first: the demo generator's numbers are random and may be the file's too.
    bench_snapshots(args)
    connection.close()
    bench_import(args)
    if args.pg_url and not args.keep:
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{connection.settings_dict["NAME"]}"')
        print("database dropped")


if __name__ == "__main__":
    main()
