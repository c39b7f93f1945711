#!/usr/bin/env python
"""Sector statistics benchmark (issue #16): the official register import and the yearly snapshots.

Prints figures; asserts nothing. In a throw-away SQLite database (or the PostgreSQL database named
by --pg-url, which must be empty and is left with what the run made):

1. writes a Statistics Sweden file of --rows rows in its format (tab-separated, Latin-1), a tenth
   of them civil-society forms in the county, and times reading it with Python's csv module
   alone against `formats.read_scb` (parsing and checking every row) and against the whole
   import (`official_register_import`, applied), as rows per second and ratios; the peak memory
   of the parse (tracemalloc) at a tenth of the rows and at all of them;
2. generates --orgs organisations (the demo generator) with registration dates and some
   deregistrations, and times `statistics_compute` over ten years;
3. times the county statistics page and `GET /api/v1/statistics` served from the snapshots
   (p50/p95 over --requests requests) and counts their SQL queries.

    python bench/stats_bench.py --rows 200000 --orgs 30000
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
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


def write_scb_file(path: Path, rows: int, seed: int = 16) -> None:
    from civsam.registry.orgnr import complete

    rng = random.Random(seed)
    with path.open("w", encoding="latin-1", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\r\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        writer.writerow(HEADER)
        for n in range(rows):
            civil = n % 10 == 0
            orgnr = complete(f"{769 if civil else 556}{n:06d}")
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


def bench_import(rows: int) -> None:
    from civsam.registry.imports.official import formats
    from civsam.registry.imports.official.services import official_register_import

    kept = frozenset({"51", "53", "61", "72"})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scb.txt"
        write_scb_file(path, rows)

        def csv_only() -> int:
            with path.open("r", encoding="latin-1", newline="") as handle:
                return sum(1 for _ in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))

        def parse() -> int:
            with path.open("rb") as stream:
                return sum(1 for _ in formats.read_scb(stream, kept_forms=kept))

        def peak(limit: int) -> int:
            small = Path(tmp) / "small.txt"
            write_scb_file(small, limit)
            tracemalloc.start()
            with small.open("rb") as stream:
                for _ in formats.read_scb(stream, kept_forms=kept):
                    pass
            top = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            return top

        t_csv, _ = timed(csv_only)
        t_parse, _ = timed(parse)
        print(f"file: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB")
        print(f"csv module alone:      {rows / t_csv:12,.0f} rows/s")
        print(f"formats.read_scb:      {rows / t_parse:12,.0f} rows/s  ({t_parse / t_csv:.1f}× the csv module's time)")
        small, large = peak(rows // 10), peak(rows)
        print(f"parse peak memory:     {small / 1e6:.2f} MB at {rows // 10:,} rows, {large / 1e6:.2f} MB at {rows:,}")
        with path.open("rb") as stream:
            t_import, result = timed(
                lambda: official_register_import(
                    actor=None, source="scb", file_name="scb.txt", stream=stream, apply=True
                )
            )
        print(
            f"import (applied):      {rows / t_import:12,.0f} rows/s  ({t_import / t_csv:.1f}× the csv module's time); "
            f"{result.created:,} created, {result.other_forms:,} other forms, "
            f"{result.outside_county:,} outside the county"
        )


def bench_snapshots(orgs: int, requests: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from civsam.core.models import Municipality
    from civsam.registry import demo
    from civsam.registry.imports.bulk import demo_organisations_insert
    from civsam.registry.services.demo import demo_register_history_set
    from civsam.stats.services import population_load_reference, statistics_compute

    populations = dict(Municipality.objects.values_list("code", "population"))
    demo_organisations_insert(demo.generate(orgs, populations, seed=16))
    demo_register_history_set(seed=16)
    population_load_reference()
    this_year = datetime.date.today().year
    years = list(range(2018, this_year + 1))  # every year the statistics keep (9 in 2026)
    t_compute, written = timed(lambda: statistics_compute(years=years))
    print(f"snapshots: {orgs:,} organisations, {len(years)} years: {t_compute:.1f} s, {written:,} rows")
    client = Client()
    for label, url in (("statistics page", "/statistik/"), ("API list", "/api/v1/statistics?limit=100")):
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p95 = statistics.quantiles(times, n=20)[18]
        print(f"{label:16} p50 {statistics.median(times):6.1f} ms, p95 {p95:6.1f} ms, {len(queries)} SQL queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--orgs", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--pg-url", default="")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"
    if args.pg_url:
        os.environ["DATABASE_URL"] = args.pg_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civsam.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from civsam.core.services import reference_data_load

    call_command("migrate", verbosity=0)
    reference_data_load()
    print(f"database: {django.db.connection.vendor}")
    # The snapshots first: the demo generator's numbers are random and may be the file's too.
    bench_snapshots(args.orgs, args.requests)
    bench_import(args.rows)


if __name__ == "__main__":
    main()
