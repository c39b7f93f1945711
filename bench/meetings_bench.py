#!/usr/bin/env python
"""Registration throughput against the real server on PostgreSQL, next to a bare view of it.

Prints figures; asserts nothing. It creates a throw-away PostgreSQL database, migrates it, starts
gunicorn (several workers with threads, bound to 127.0.0.1 only) and then, --repeat times, creates
one event and fires --clients concurrent clients, each over its own keep-alive connection:

1. **Baseline**: GET /api/v1/api-info (the bare view: routing, middleware, JSON; no database write).
2. **Registrations**: POST /api/v1/events/{id}/registrations, each one a real registration without
   signing in, from its own client address (X-Forwarded-For behind DJANGO_BEHIND_PROXY, as 4,000
   people would come from 4,000 addresses): rate limits checked, the event read, the registration
   and its audit entry written, a seat held with one conditional update of the event's counter row,
   the request to confirm the address built after commit (mail backend: dummy).
3. **Confirmations**: POST /api/v1/registration-confirmations with each registration's token (the
   link in the mail): held seats become confirmed, the others join the waitlist.

For each phase: requests per second over its wall time and p50/p95 latency; the ratio is
registrations/s over baseline requests/s in the same repeat. The medians over the repeats are
printed last. The run checks that in every repeat exactly `capacity` registrations are confirmed
and the rest waitlisted (exit status 1 otherwise); at the end it stops the server and drops the
database, also on failure.

    python bench/meetings_bench.py                              # 200 clients, 4000 requests, 3 repeats
    python bench/meetings_bench.py --clients 50 --requests 1000 --workers 2 --threads 8 --repeat 1

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


def _client_address(n: int) -> str:
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


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
            headers = {"X-Forwarded-For": _client_address(n)}
            if payload is not None:
                headers["Content-Type"] = "application/json"
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
                if method == "POST" and status in (200, 201):
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


def _django(env: dict, code: str) -> str:
    script = "import django; django.setup()\n" + code
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def _repeat(port: int, env: dict, args) -> dict:
    event_id = int(
        _django(
            env,
            "from datetime import timedelta\nfrom django.utils import timezone\n"
            "from civsam.meetings.models import Event\n"
            "s = timezone.now() + timedelta(days=30)\n"
            "e = Event.objects.create(title='Benchmark', starts_at=s, ends_at=s + timedelta(hours=2),"
            f" capacity={args.capacity})\n"
            "print(e.pk)\n",
        ).strip()
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
        body_for=lambda n: {"name": f"Deltagare {n}", "email": f"d{n}.{event_id}@example.se"},
    )
    # The tokens only ever go to the mailboxes; the benchmark reads them from the database.
    tokens = json.loads(
        _django(
            env,
            "import json\nfrom civsam.meetings.models import Registration\n"
            f"print(json.dumps(list(Registration.objects.filter(event_id={event_id}).order_by('?')"
            ".values_list('confirm_token', flat=True))))\n",
        )
    )
    confirmations = _phase(
        port,
        clients=args.clients,
        requests=len(tokens),
        method="POST",
        path="/api/v1/registration-confirmations",
        body_for=lambda n: {"token": tokens[n]},
    )
    stored, confirmed, waitlisted = map(
        int,
        _django(
            env,
            "from civsam.meetings.models import Registration\n"
            f"q = Registration.objects.filter(event_id={event_id})\n"
            "print(q.count(), q.filter(status='confirmed').count(), q.filter(status='waitlisted').count())\n",
        ).split(),
    )
    answered = [b["status"] for b in registrations.pop("bodies")]
    for phase in (baseline, confirmations):
        phase.pop("bodies")
    return {
        "baseline": baseline,
        "registrations": registrations,
        "confirmations": confirmations,
        "ratio": registrations["per_s"] / baseline["per_s"],
        "answered_held": answered.count("held"),
        "answered_unconfirmed": answered.count("unconfirmed"),
        "stored": stored,
        "confirmed": confirmed,
        "waitlisted": waitlisted,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG_URL))
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--requests", type=int, default=4000, help="Requests per phase.")
    parser.add_argument("--capacity", type=int, default=3000, help="Seats; the rest of the requests are waitlisted.")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3, help="Repeats, each with a new event; medians are printed.")
    parser.add_argument("--json", help="Also write the figures to this file.")
    args = parser.parse_args()

    parts = urlsplit(args.pg_url)
    db_name = f"{parts.path.lstrip('/') or 'civsam_bench'}_{secrets.token_hex(4)}"
    db_url = urlunsplit(parts._replace(path=f"/{db_name}"))
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_SECURE_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "CIVSAM_BASE_URL": f"http://127.0.0.1:{port}",
        # Each simulated person has their own address, given as the trusted proxy would.
        "DJANGO_BEHIND_PROXY": "1",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "civsam.settings",
    }
    _admin_sql(args.pg_url, f'CREATE DATABASE "{db_name}"')
    server = None
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "civsam.wsgi:application", "--bind", f"127.0.0.1:{port}"),
                *("--workers", str(args.workers), "--threads", str(args.threads), "--worker-class", "gthread"),
                *("--keep-alive", "30", "--log-level", "warning"),
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
        print(
            f"server: gunicorn gthread, {args.workers} workers x {args.threads} threads, PostgreSQL; "
            f"{args.clients} concurrent clients; {args.requests} requests per phase; capacity {args.capacity}"
        )
        repeats = []
        for number in range(1, args.repeat + 1):
            figures = _repeat(port, env, args)
            repeats.append(figures)
            print(f"repeat {number}:")
            for label, phase in (
                ("bare view      GET /api/v1/api-info", figures["baseline"]),
                ("registrations  POST .../registrations", figures["registrations"]),
                ("confirmations  POST .../registration-confirmations", figures["confirmations"]),
            ):
                print(
                    f"  {label:52s} {phase['requests']:6d} req  {phase['per_s']:8.1f}/s  "
                    f"p50 {phase['p50_ms']:7.1f} ms  p95 {phase['p95_ms']:7.1f} ms  statuses {phase['statuses']}"
                )
            print(
                f"  ratio {figures['ratio']:.3f}; answered held {figures['answered_held']}, unconfirmed "
                f"{figures['answered_unconfirmed']}; stored {figures['stored']}, confirmed {figures['confirmed']} "
                f"(capacity {args.capacity}), waitlisted {figures['waitlisted']}"
            )
        wrong = [
            number
            for number, r in enumerate(repeats, 1)
            if (r["confirmed"], r["waitlisted"]) != (args.capacity, args.requests - args.capacity)
        ]
        if wrong:
            print(f"WRONG COUNTS in repeats {wrong}: confirmed must equal the capacity, the rest be waitlisted")
        medians = {
            f"{phase}_{key}": statistics.median(r[phase][key] for r in repeats)
            for phase in ("baseline", "registrations", "confirmations")
            for key in ("per_s", "p50_ms", "p95_ms")
        }
        medians["ratio"] = statistics.median(r["ratio"] for r in repeats)
        print(f"medians over {len(repeats)} repeats:")
        print(
            f"  bare view {medians['baseline_per_s']:.1f}/s; registrations {medians['registrations_per_s']:.1f}/s "
            f"(p50 {medians['registrations_p50_ms']:.0f} ms, p95 {medians['registrations_p95_ms']:.0f} ms); "
            f"ratio {medians['ratio']:.3f}; confirmations {medians['confirmations_per_s']:.1f}/s "
            f"(p95 {medians['confirmations_p95_ms']:.0f} ms)"
        )
        if args.json:
            Path(args.json).write_text(
                json.dumps({"args": vars(args), "repeats": repeats, "medians": medians}, indent=2), encoding="utf-8"
            )
        if wrong:
            return 1
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
