#!/usr/bin/env python
"""The load scenario (bench/load/locustfile.py) against gunicorn on PostgreSQL with the demo data.

Prints figures; asserts nothing; not part of the test suite. It creates a throw-away PostgreSQL
database, migrates it and loads the reference and demo data (about 3,000 organisations, the
follow-up and the demo events) plus one event with room for everyone, collects the static files,
starts gunicorn bound to 127.0.0.1 only, and runs locust headless once per --users value for
--run-time each. Then it prints, per page and in total, requests per second, the p50 and p95
response times and the error rate, stops the server and drops the database.

locust lives in its own virtualenv (var/bench-venv, made on first use from
bench/load/requirements.txt), so that its dependencies never mix with Civsam's.

    python bench/load/run.py                          # 50 and 200 users, 60 s each
    python bench/load/run.py --users 50 --run-time 30s --workers 2 --threads 8

--pg-url (or BENCH_POSTGRES_URL) names the server and user; the database name is made unique.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/civsam_load_bench"
BENCH_VENV = ROOT / "var" / "bench-venv"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin_sql(pg_url: str, sql: str) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(pg_url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def _locust() -> Path:
    """The locust executable of the bench virtualenv, installed on first use."""
    locust = BENCH_VENV / "bin" / "locust"
    if not locust.exists():
        print(f"Installing locust into {BENCH_VENV} …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        pip = [str(BENCH_VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, "-r", str(HERE / "requirements.txt")], check=True)
    return locust


def _wait_for(port: int, path: str, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        if time.time() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.5)


def _read_stats(path: Path) -> list[dict]:
    rows = []
    with path.open(newline="") as file:
        for row in csv.DictReader(file):
            count = int(row["Request Count"])
            failures = int(row["Failure Count"])
            rows.append(
                {
                    "name": row["Name"] if row["Name"] != "Aggregated" else "all requests",
                    "requests": count,
                    "per_s": float(row["Requests/s"]),
                    "p50_ms": float(row["50%"] or 0),
                    "p95_ms": float(row["95%"] or 0),
                    "errors_pct": 100 * failures / count if count else 0.0,
                }
            )
    return rows


def _print_table(users: int, rows: list[dict]) -> None:
    print(f"\n{users} concurrent users")
    print(f"{'page':<28}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>9}")
    for row in rows:
        print(
            f"{row['name']:<28}{row['requests']:>10}{row['per_s']:>9.1f}{row['p50_ms']:>9.0f}"
            f"{row['p95_ms']:>9.0f}{row['errors_pct']:>8.2f}%"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG_URL))
    parser.add_argument("--users", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--run-time", default="60s", help="How long each run lasts, in locust's form (60s, 2m).")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--applicants", type=int, default=40, help="Signed-in applicants' logins, each with a draft application."
    )
    parser.add_argument("--json", help="Also write the figures to this file.")
    args = parser.parse_args()
    locust = _locust()

    parts = urlsplit(args.pg_url)
    db_name = f"{parts.path.lstrip('/') or 'civsam_load'}_{secrets.token_hex(4)}"
    env = {
        **os.environ,
        "DATABASE_URL": urlunsplit(parts._replace(path=f"/{db_name}")),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_SECURE_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "civsam.settings",
        "CIVSAM_DEMO": "1",
        # Each simulated visitor comes from an address of its own (X-Forwarded-For, set by the
        # locustfile as the trusted proxy would), so that the per-client limits count per visitor.
        "DJANGO_BEHIND_PROXY": "1",
    }
    password = secrets.token_urlsafe(12)
    env.pop("DJANGO_DEBUG", None)  # production settings, as a real server runs them
    python = sys.executable

    def manage(*command: str) -> None:
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)

    _admin_sql(args.pg_url, f'CREATE DATABASE "{db_name}"')
    server = None
    results: dict[str, list[dict]] = {}
    try:
        began = time.perf_counter()
        manage("migrate", "--noinput", "-v0")
        for command in (
            *("load_reference_data", "load_demo_data", "load_demo_meetings", "load_demo_followup"),
            *("load_demo_funding", "compute_grant_figures"),
        ):
            manage(command, "-v0")
        manage("collectstatic", "--noinput", "-v0")
        made = subprocess.run(
            [python, str(HERE / "setup_data.py"), str(args.applicants), password],
            cwd=ROOT,
            env={**env, "PYTHONPATH": str(ROOT)},
            check=True,
            capture_output=True,
            text=True,
        )
        scenario = json.loads(made.stdout.strip().splitlines()[-1])
        print(f"{len(scenario['applicants'])} applicants with a draft each", flush=True)
        print(f"Database ready in {time.perf_counter() - began:.0f} s", flush=True)

        port = _free_port()
        server = subprocess.Popen(
            [
                python, "-m", "gunicorn", "civsam.wsgi:application", "--bind", f"127.0.0.1:{port}",
                "--workers", str(args.workers), "--threads", str(args.threads), "--worker-class", "gthread",
                "--keep-alive", "30", "--log-level", "warning",
            ],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        _wait_for(port, "/health/ready")
        for users in args.users:
            prefix = ROOT / "var" / f"load-{users}"
            subprocess.run(
                [
                    str(locust), "-f", str(HERE / "locustfile.py"), "--headless", "--only-summary",
                    "--users", str(users), "--spawn-rate", str(max(users // 10, 1)), "--run-time", args.run_time,
                    "--stop-timeout", "10", "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix),
                    "--loglevel", "WARNING",
                ],
                cwd=ROOT,
                env={
                    **os.environ,
                    "BENCH_EVENT_ID": str(scenario["event"]),
                    "BENCH_CALL_ID": str(scenario["call"] or ""),
                    "BENCH_APPLICATION_YEARS": str(scenario["years"]),
                    "BENCH_APPLICANTS": json.dumps(scenario["applicants"]),
                    "BENCH_APPLICANT_PASSWORD": password,
                },
                check=False,  # locust exits 1 when any request failed; the figures say how many
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
            results[str(users)] = _read_stats(Path(f"{prefix}_stats.csv"))
            _print_table(users, results[str(users)])
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        _admin_sql(args.pg_url, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
