#!/usr/bin/env python
"""Share-of-spend benchmark: computing the layers from invoice-level spend files, and the page.

Prints figures; asserts nothing. It writes spend files of N invoice rows (one large buyer, ten years,
5,000 suppliers of whom 1,000 are in the register, Swedish amounts "12 345,67"), then, each in a
fresh process so that its peak memory (ru_maxrss) is its own:

1. baseline: reading the same file with Python's csv module alone (csv.reader over the text, every
   row touched, nothing else);
2. ours: `services.spend_file_import` on a throw-away database: the streamed reading and summing,
   the supplier facts read from the register, the layers computed and stored.

Side by side, interleaved, the median of `--repeat` runs per size: time, rows per second, the ratio
of ours to the baseline's throughput (goal ≥ 25 %), and peak memory (goal: the same for both sizes).
Then the share-of-spend page and API from the stored results: p50/p95 over repeated requests
(goal p95 < 100 ms).

    python bench/market_bench.py --rows 500000                   # about a minute, SQLite
    python bench/market_bench.py --rows 500000 5000000 --repeat 1
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

SUPPLIERS = 5000
IN_REGISTER = 1000
YEARS = 10


def _orgnrs() -> list[str]:
    from civsam.registry import orgnr as orgnr_rules

    prefixes = ["802", "769", "556"]  # ideella, ekonomiska föreningar, aktiebolag
    return [orgnr_rules.complete(f"{prefixes[n % 3]}{n:06d}") for n in range(SUPPLIERS)]


def write_file(path: Path, rows: int) -> None:
    rng = random.Random(rows)
    suppliers = _orgnrs()
    start = datetime.date(2016, 1, 1)
    days = [(start + datetime.timedelta(days=d)).isoformat() for d in range(365 * YEARS)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Köpare", "Leverantör orgnr", "Belopp", "Datum"])
        for _ in range(rows):
            kronor = rng.randrange(100, 2_000_000)
            writer.writerow(
                [
                    "Örebro kommun",
                    rng.choice(suppliers),
                    f"{kronor // 1000} {kronor % 1000:03d},{rng.randrange(100):02d}"
                    if kronor >= 1000
                    else f"{kronor},50",
                    rng.choice(days),
                ]
            )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_baseline(path: Path) -> dict:
    started = time.perf_counter()
    count = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for _row in csv.reader(handle, delimiter=";"):
            count += 1
    return {"seconds": time.perf_counter() - started, "rows": count - 1, "peak_mb": _peak_mb()}


def _django(db_path: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "civsam.settings"
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(db_path)
    import django

    django.setup()


def child_setup(db_path: Path) -> dict:
    _django(db_path)
    from django.core.management import call_command

    from civsam.core.models import LegalForm, Municipality
    from civsam.core.services import reference_data_load
    from civsam.market.services import buyer_get_or_create, cpv_codes_load_reference
    from civsam.registry.models import Organisation

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    reference_data_load()
    cpv_codes_load_reference()
    forms = {code: LegalForm.objects.get(code=code) for code in ("61", "51", "49")}
    orebro = Municipality.objects.get(code="1880")
    rows = []
    for n, orgnr in enumerate(_orgnrs()[:IN_REGISTER]):
        form = forms[("61", "51", "49")[n % 3]]
        rows.append(
            Organisation(
                name=f"Leverantör {n}",
                name_key=f"leverantör {n}",
                orgnr=orgnr,
                legal_form=form,
                municipality=orebro,
                ideburen_registered=n % 7 == 0,
                social_enterprise=n % 11 == 0,
                social_enterprise_verified_on=datetime.date(2025, 1, 1) if n % 11 == 0 else None,
            )
        )
    Organisation.objects.bulk_create(rows, batch_size=1000)
    buyer_get_or_create(municipality=orebro)
    return {"seconds": time.perf_counter() - started}


def child_import(db_path: Path, path: Path) -> dict:
    _django(db_path)
    from civsam.market import services
    from civsam.market.models import Buyer

    buyer = Buyer.objects.select_related("municipality").get(municipality__code="1880")
    started = time.perf_counter()
    with path.open("rb") as handle:
        result = services.spend_file_import(actor=None, buyer=buyer, file=handle, file_name=path.name)
    seconds = time.perf_counter() - started
    if result.errors:
        raise SystemExit(f"import failed: {result.errors[:3]}")
    return {"seconds": seconds, "rows": result.rows, "peak_mb": _peak_mb()}


def child_page(db_path: Path, requests: int) -> dict:
    _django(db_path)
    from django.test import Client

    client = Client()
    timings: dict[str, list[float]] = {}
    for name, url in (
        ("page", "/marknad/andel-av-inkop/"),
        ("api", "/api/v1/statistics/spend-share?limit=100"),
    ):
        client.get(url)  # warm
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        times.sort()
        timings[name] = [statistics.median(times), times[int(len(times) * 0.95) - 1]]
    return timings


def _run_child(*args: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[500_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "baseline":
            print(json.dumps(child_baseline(Path(rest[0]))))
        elif kind == "setup":
            print(json.dumps(child_setup(Path(rest[0]))))
        elif kind == "import":
            print(json.dumps(child_import(Path(rest[0]), Path(rest[1]))))
        elif kind == "page":
            print(json.dumps(child_page(Path(rest[0]), int(rest[1]))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        print(
            f"setup (migrate, reference data, {IN_REGISTER} suppliers in the register): "
            f"{_run_child('setup', str(db))['seconds']:.1f} s"
        )
        print(
            f"{'rows':>10} {'csv alone':>12} {'ours':>12} {'csv rows/s':>12} {'ours rows/s':>12} "
            f"{'ratio':>7} {'csv MB':>8} {'ours MB':>8}"
        )
        for rows in args.rows:
            path = Path(tmp) / f"spend-{rows}.csv"
            started = time.perf_counter()
            write_file(path, rows)
            size_mb = path.stat().st_size / 1e6
            print(f"  (file of {rows:,} rows, {size_mb:.0f} MB, written in {time.perf_counter() - started:.1f} s)")
            base, ours = [], []
            for _ in range(args.repeat):
                base.append(_run_child("baseline", str(path)))
                ours.append(_run_child("import", str(db), str(path)))
            b = statistics.median(r["seconds"] for r in base)
            o = statistics.median(r["seconds"] for r in ours)
            print(
                f"{rows:>10,} {b:>10.2f} s {o:>10.2f} s {rows / b:>12,.0f} {rows / o:>12,.0f} {b / o:>6.0%} "
                f"{max(r['peak_mb'] for r in base):>8.0f} {max(r['peak_mb'] for r in ours):>8.0f}"
            )
            path.unlink()
        page = _run_child("page", str(db), str(args.requests))
        for name, (p50, p95) in page.items():
            print(f"share of spend {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {args.requests} requests")


if __name__ == "__main__":
    main()
