#!/usr/bin/env python
"""Registration throughput against the real server on PostgreSQL, next to a bare view of it.

Prints figures; asserts nothing. It creates a throw-away PostgreSQL database, migrates it, creates
one event, starts gunicorn (several workers with threads, bound to 127.0.0.1 only) and then fires
--clients concurrent clients, each over its own keep-alive connection:

1. **Baseline**: GET /api/v1/api-info (the bare view: routing, middleware, JSON; no database write).
2. **Registrations**: POST /api/v1/events/{id}/registrations, each one a real registration (seat
   counted under the event's row lock, audit entry, receipt mail queued on commit).

For each: requests per second over the wall time of the phase, and the p50/p95 latency. The
ratio is registrations/s over baseline requests/s, measured in the same run on the same server.
The run is bounded (--requests per phase) and stops by itself; it then checks that the event
holds exactly `capacity` confirmed seats, stops the server and drops the database.

    python bench/meetings_bench.py                              # 200 clients, 4000 requests per phase
    python bench/meetings_bench.py --clients 50 --requests 1000 --workers 2 --threads 8

--pg-url (or BENCH_POSTGRES_URL) names the server and user; the database name is made unique.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/civsam_meetings_bench"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin_sql(pg_url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(pg_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _phase(port: int, *, clients: int, requests: int, method: str, path: str, body_for) -> dict:
    """`clients` threads share `requests` requests; each thread keeps one connection open."""
    counter = iter(range(requests))
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    bodies: list[dict] = []
    start_gate = threading.Barrier(clients + 1)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start_gate.wait()
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            payload = body_for(n)
            headers = {"Content-Type": "application/json"} if payload is not None else {}
            began = time.perf_counter()
            try:
                conn.request(method, path, body=json.dumps(payload) if payload is not None else None, headers=headers)
                response = conn.getresponse()
                data = response.read()
                status = response.status
            except (ConnectionError, http.client.HTTPException, TimeoutError):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                status, data = -1, b"{}"
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                if method == "POST" and status == 201:
                    bodies.append(json.loads(data))
        conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    start_gate.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    return {
        "requests": len(latencies),
        "wall_s": wall,
        "per_s": len(latencies) / wall,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * _percentile(latencies, 0.95),
        "statuses": statuses,
        "bodies": bodies,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG_URL))
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--requests", type=int, default=4000, help="Requests per phase.")
    parser.add_argument("--capacity", type=int, default=3000, help="Seats; the rest of the requests are waitlisted.")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--json", help="Also write the figures to this file.")
    args = parser.parse_args()

    parts = urlsplit(args.pg_url)
    db_name = f"{parts.path.lstrip('/') or 'civsam_bench'}_{secrets.token_hex(4)}"
    db_url = urlunsplit(parts._replace(path=f"/{db_name}"))
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_SECURE_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "civsam.settings",
    }
    python = sys.executable
    _admin_sql(args.pg_url, f'CREATE DATABASE "{db_name}"')
    server = None
    try:
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        setup = (
            "import django; django.setup()\n"
            "from datetime import timedelta\nfrom django.utils import timezone\n"
            "from civsam.meetings.models import Event\n"
            "s = timezone.now() + timedelta(days=30)\n"
            "e = Event.objects.create(title='Benchmark', starts_at=s, ends_at=s + timedelta(hours=2),"
            f" capacity={args.capacity})\n"
            "print(e.pk)\n"
        )
        event_id = int(
            subprocess.run(
                [python, "-c", setup], cwd=ROOT, env=env, check=True, capture_output=True, text=True
            ).stdout.strip()
        )
        port = _free_port()
        server = subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                "civsam.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--worker-class",
                "gthread",
                "--keep-alive",
                "30",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.time() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/api/v1/api-info")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.3)
        # Warm every worker (imports, connections) before measuring.
        _phase(
            port,
            clients=args.workers * args.threads,
            requests=200,
            method="GET",
            path="/api/v1/api-info",
            body_for=lambda n: None,
        )
        baseline = _phase(
            port,
            clients=args.clients,
            requests=args.requests,
            method="GET",
            path="/api/v1/api-info",
            body_for=lambda n: None,
        )
        registrations = _phase(
            port,
            clients=args.clients,
            requests=args.requests,
            method="POST",
            path=f"/api/v1/events/{event_id}/registrations",
            body_for=lambda n: {"name": f"Deltagare {n}", "email": f"d{n}@example.se"},
        )
        check = (
            "import django; django.setup()\nfrom civsam.meetings.models import Registration\n"
            f"q = Registration.objects.filter(event_id={event_id})\n"
            "print(q.count(), q.filter(status='confirmed').count(), q.filter(status='waitlisted').count())\n"
        )
        stored, confirmed, waitlisted = map(
            int,
            subprocess.run(
                [python, "-c", check], cwd=ROOT, env=env, check=True, capture_output=True, text=True
            ).stdout.split(),
        )
        statuses = [b["status"] for b in registrations.pop("bodies")]
        baseline.pop("bodies")
        figures = {
            "clients": args.clients,
            "workers": args.workers,
            "threads": args.threads,
            "capacity": args.capacity,
            "baseline": baseline,
            "registrations": registrations,
            "ratio": registrations["per_s"] / baseline["per_s"],
            "stored": stored,
            "confirmed": confirmed,
            "waitlisted": waitlisted,
            "answered_confirmed": statuses.count("confirmed"),
            "answered_waitlisted": statuses.count("waitlisted"),
        }
        print(
            f"server: gunicorn gthread, {args.workers} workers x {args.threads} threads, PostgreSQL; "
            f"{args.clients} concurrent clients"
        )
        for label, phase in (
            ("bare view  GET /api/v1/api-info", baseline),
            ("registrations POST .../registrations", registrations),
        ):
            print(
                f"{label:40s} {phase['requests']:6d} req  {phase['per_s']:8.1f}/s  "
                f"p50 {phase['p50_ms']:7.1f} ms  p95 {phase['p95_ms']:7.1f} ms  statuses {phase['statuses']}"
            )
        print(f"ratio registrations/s : bare requests/s = {figures['ratio']:.3f}")
        print(f"stored {stored}, confirmed {confirmed} (capacity {args.capacity}), waitlisted {waitlisted}")
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        _admin_sql(args.pg_url, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
