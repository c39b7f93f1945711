#!/usr/bin/env python
"""Page latency while 50 hostile clients post the largest calculations the limits allow (issue #11).

Prints figures; asserts nothing. It creates a throw-away PostgreSQL database with the reference
and demo data, starts gunicorn (gthread, --workers × --threads, bound to 127.0.0.1 only, production
settings) and measures a page probe: one client asking for --page (the directory's first page) over
and over, each request timed.

1. **Idle**: the probe alone for --seconds.
2. **Loaded**: the probe again for --seconds while --attackers clients (50) each post
   POST /api/v1/social-value/calculations with the heaviest map the anonymous limits allow
   (the most outcomes, the most draws, as many years as the work budget leaves, texts padded to the
   body limit), each from an address of its own per request (X-Forwarded-For behind the documented
   proxy), so that the rate limit never stops them: the pool of calculation workers is what is
   measured. An attacker sends its next request as soon as the previous one is answered; after a
   refusal (503, 429) it waits --retry-pause seconds (0: at once, a flood of refusals).

Printed: the probe's p50 and p95 idle and loaded and the ratio of the p95s (the goal: at most 2),
and the attackers' answers by status with the calculations' p50. The estimated work and the body
size of the hostile map are printed first.

    python bench/sroi_calculation_bench.py
    python bench/sroi_calculation_bench.py --seconds 60 --attackers 50 --retry-pause 0
    python bench/sroi_calculation_bench.py --calibrate     # the cost model's weights, no server

--runs (3) repeats the measurement on the same server and prints the medians of the runs' figures.
The server runs in a session of its own and so do the attackers (see attack()).

--pg-url (or BENCH_POSTGRES_URL) names the server and user; the database name is made unique.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/civsam_calculation_bench"
URL = "/api/v1/social-value/calculations"


def _setup_django() -> None:
    # Only to build the hostile map with the engine and read the limits; the server has its own.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civsam.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


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


# --- The hostile map ---------------------------------------------------------------------------


def _map(outcomes: int, years: int, draws: int, padding: int) -> dict:
    text = "x" * padding
    return {
        "name": "Fientlig karta",
        "stakeholders": [{"id": "s1", "name": "Deltagare"}, {"id": "s2", "name": "Kommunen"}],
        "inputs": [{"id": "i1", "stakeholder": "s2", "description": "Bidrag", "money": 1_000_000}],
        "outcomes": [
            {
                "id": f"o{i}",
                "stakeholder": "s1",
                "outcome": f"Utfall {i}",
                "indicator": text,
                "quantity": 10,
                "proxy": 1000,
                "proxySource": "Bänk",
                "duration": years,
                "deadweight": 10,
                "dropOff": 20,
            }
            for i in range(outcomes)
        ],
        "distributions": [
            {"assumption": f"outcomes.o{i}.quantity", "type": "pert", "min": 5, "mode": 10, "max": 15}
            for i in range(min(outcomes, 50))
        ],
        "monteCarlo": {"draws": draws, "seed": 1},
    }


def hostile_map() -> tuple[bytes, int]:
    """The heaviest map within the anonymous limits, and its estimated work."""
    from civsam.impact.engine import parse_impact_map
    from civsam.impact.engine.cost import estimate
    from civsam.impact.limits import limits

    current = limits()
    outcomes, draws = current.max_outcomes, current.max_draws_anonymous

    def work(years: int) -> int:
        impact_map, _parsed = parse_impact_map(_map(outcomes, years, draws, 0))
        return estimate(impact_map, draws=draws).work

    years = 1
    while years < current.max_years and work(years + 1) <= current.work_budget_anonymous:
        years += 1
    padding = 0
    body = json.dumps(_map(outcomes, years, draws, padding)).encode()
    padding = max(0, (current.max_body_bytes - len(body) - 200) // outcomes)
    padding = min(padding, 2000)  # a text field's own limit
    body = json.dumps(_map(outcomes, years, draws, padding)).encode()
    return body, work(years)


# --- Clients -----------------------------------------------------------------------------------


def _connection(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=120)


def probe(port: int, page: str, stop: threading.Event, latencies: list[float]) -> None:
    connection = _connection(port)
    while not stop.is_set():
        started = time.perf_counter()
        try:
            connection.request("GET", page)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = _connection(port)
            continue
        if response.status == 200:
            latencies.append(time.perf_counter() - started)
    connection.close()


def attacker(port: int, body: bytes, stop: threading.Event, pause: float, results: list[tuple[int, float]]) -> None:
    connection = _connection(port)
    while not stop.is_set():
        address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        started = time.perf_counter()
        try:
            connection.request(
                "POST",
                URL,
                body=body,
                headers={"Content-Type": "application/json", "X-Forwarded-For": address},
            )
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = _connection(port)
            results.append((0, time.perf_counter() - started))
            continue
        results.append((response.status, time.perf_counter() - started))
        if response.status != 200 and pause:
            stop.wait(pause)
    connection.close()


def attack(port: int, body: bytes, attackers: int, pause: float, seconds: float, queue) -> None:
    """--attackers clients for `seconds`, in a process of their own: 50 threads of requests must
    not share the probe's interpreter (its GIL would slow the probe, not the server). And in a
    session of their own: Linux shares the CPU between sessions first (autogroup), so clients in
    the server's session would take their CPU from the server's pages, which clients on other
    machines cannot."""
    if hasattr(os, "setsid"):
        os.setsid()
    results: list[tuple[int, float]] = []
    stop = threading.Event()
    threads = [threading.Thread(target=attacker, args=(port, body, stop, pause, results)) for _ in range(attackers)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    queue.put(results)


def _attacking(port: int, body: bytes, attackers: int, pause: float, seconds: float):
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=attack, args=(port, body, attackers, pause, seconds, queue))
    process.start()
    return process, queue


def _run_probe(port: int, page: str, seconds: float) -> list[float]:
    latencies: list[float] = []
    stop = threading.Event()
    thread = threading.Thread(target=probe, args=(port, page, stop, latencies))
    thread.start()
    time.sleep(seconds)
    stop.set()
    thread.join()
    return latencies


def _summary(name: str, latencies: list[float]) -> dict:
    return {
        "phase": name,
        "requests": len(latencies),
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * _percentile(latencies, 0.95),
    }


def _cpu_seconds(master: int) -> dict[str, float]:
    """CPU seconds used so far by the web processes (gunicorn's workers) and by their calculation
    workers, from /proc (Linux); processes that have ended are not counted."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    web = [pid for pid, parent in parents.items() if parent == master]
    workers = [pid for pid, parent in parents.items() if parent in web]
    return {"web": sum(times[pid] for pid in web), "calculation": sum(times[pid] for pid in workers)}


def _wait_for(port: int, path: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = _connection(port)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer {path}")


# --- Calibration of the cost model -------------------------------------------------------------


def calibrate() -> None:
    """CPU time against the estimate for maps of several shapes: nanoseconds per work unit."""
    from civsam.impact.engine import analyse_document, parse_impact_map, to_output
    from civsam.impact.engine.cost import estimate

    print(f"{'outcomes':>9}{'years':>7}{'draws':>9}{'work':>14}{'CPU s':>9}{'ns/unit':>9}")
    for outcomes, years, draws in [(20, 10, 20_000), (200, 1, 0), (200, 10, 0), (50, 30, 5000), (5, 40, 100_000)]:
        data = _map(outcomes, years, draws, 0)
        if not draws:
            del data["monteCarlo"]
        impact_map, parsed = parse_impact_map(data)
        work = estimate(impact_map, draws=draws or None).work
        started = time.process_time()
        to_output(analyse_document(parsed, impact_map)).model_dump_json()
        cpu = time.process_time() - started
        print(f"{outcomes:>9}{years:>7}{draws:>9}{work:>14,}{cpu:>9.3f}{cpu / work * 1e9:>9.1f}")


# --- The run -----------------------------------------------------------------------------------


def measure(master: int, port: int, body: bytes, args: argparse.Namespace) -> dict:
    """One run: --rounds idle and loaded phases, alternating so that other work on the machine
    weighs on both alike; prints and returns its figures."""
    idle_latencies: list[float] = []
    loaded_latencies: list[float] = []
    results: list[tuple[int, float]] = []
    cpu = {"idle": Counter(), "loaded": Counter()}
    for _round in range(args.rounds):
        before = _cpu_seconds(master)
        idle_latencies += _run_probe(port, args.page, args.seconds)
        cpu["idle"].update({k: v - before[k] for k, v in _cpu_seconds(master).items()})
        process, queue = _attacking(port, body, args.attackers, args.retry_pause, args.seconds + 4)
        time.sleep(2)  # every attacker under way
        before = _cpu_seconds(master)
        loaded_latencies += _run_probe(port, args.page, args.seconds)
        cpu["loaded"].update({k: v - before[k] for k, v in _cpu_seconds(master).items()})
        results += queue.get()
        process.join()
        time.sleep(2)  # the last calculations end
    idle, loaded = _summary("idle", idle_latencies), _summary("loaded", loaded_latencies)
    counts = Counter(status for status, _seconds in results)
    done = [seconds for status, seconds in results if status == 200]
    ratio = loaded["p95_ms"] / idle["p95_ms"]
    print(f"\n{time.strftime('%H:%M:%S')}, load average {os.getloadavg()[0]:.1f}")
    print(f"{'phase':<8}{'requests':>10}{'p50 ms':>9}{'p95 ms':>9}")
    for row in (idle, loaded):
        print(f"{row['phase']:<8}{row['requests']:>10}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}")
    print(f"p95 loaded / idle: {ratio:.2f} (goal: at most 2)")
    phase_seconds = args.rounds * args.seconds
    for phase, used in cpu.items():
        # Calculation workers stopped at the time limit take their CPU time with them: a floor.
        print(
            f"CPU per second of the {phase} phases: web processes {used['web'] / phase_seconds:.2f}, "
            f"calculation workers {max(0.0, used['calculation']) / phase_seconds:.2f}"
        )
    attack_seconds = args.rounds * (args.seconds + 4)
    print(
        f"Attackers ({args.attackers}, pause after a refusal {args.retry_pause:g} s): "
        f"{len(results)} requests, by status {dict(sorted(counts.items()))}; "
        f"{len(done) / attack_seconds:.2f} calculations/s" + (f", p50 {statistics.median(done):.2f} s" if done else ""),
        flush=True,
    )
    return {
        "idle_p50_ms": idle["p50_ms"],
        "idle_p95_ms": idle["p95_ms"],
        "loaded_p50_ms": loaded["p50_ms"],
        "loaded_p95_ms": loaded["p95_ms"],
        "ratio": ratio,
        "idle_requests": idle["requests"],
        "loaded_requests": loaded["requests"],
        "attacks": dict(counts),
        "calculations_per_s": len(done) / attack_seconds,
        "cpu": {phase: dict(used) for phase, used in cpu.items()},
        "load_average": os.getloadavg()[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG_URL))
    parser.add_argument("--attackers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0, help="Length of each phase.")
    parser.add_argument("--rounds", type=int, default=3, help="Idle and loaded phases, alternating, per run.")
    parser.add_argument("--runs", type=int, default=3, help="Measurements on the same server; medians printed.")
    parser.add_argument("--retry-pause", type=float, default=1.0, help="An attacker's pause after a refusal.")
    parser.add_argument("--page", default="/organisationer/")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--calculation-workers", type=int, help="CIVSAM_CALCULATION_WORKERS for the server.")
    parser.add_argument("--queue", type=int, help="CIVSAM_CALCULATION_QUEUE for the server.")
    parser.add_argument("--calibrate", action="store_true", help="Only measure the cost model's weights.")
    parser.add_argument("--json", help="Also write the figures to this file.")
    args = parser.parse_args()
    _setup_django()
    if args.calibrate:
        calibrate()
        return 0
    body, work = hostile_map()
    print(f"Hostile map: {len(body):,} bytes, estimated work {work:,} units", flush=True)

    parts = urlsplit(args.pg_url)
    db_name = f"{parts.path.lstrip('/') or 'civsam_calculation_bench'}_{secrets.token_hex(4)}"
    env = {
        **os.environ,
        "DATABASE_URL": urlunsplit(parts._replace(path=f"/{db_name}")),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_SECURE_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_PROXY": "1",  # each attacker's request comes from an address of its own
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "civsam.settings",
        "CIVSAM_DEMO": "1",
    }
    env.pop("DJANGO_DEBUG", None)  # production settings, as a real server runs them
    if args.calculation_workers is not None:
        env["CIVSAM_CALCULATION_WORKERS"] = str(args.calculation_workers)
    if args.queue is not None:
        env["CIVSAM_CALCULATION_QUEUE"] = str(args.queue)
    python = sys.executable

    def manage(*command: str) -> None:
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)

    _admin_sql(args.pg_url, f'CREATE DATABASE "{db_name}"')
    server = None
    figures: dict = {"body_bytes": len(body), "work": work, "attackers": args.attackers}
    try:
        manage("migrate", "--noinput", "-v0")
        for command in ("load_reference_data", "load_demo_data"):
            manage(command, "-v0")
        manage("collectstatic", "--noinput", "-v0")
        port = _free_port()
        log_path = ROOT / "var" / "sroi-calculation-bench.log"
        log = log_path.open("w")
        print(f"Server log: {log_path}", flush=True)
        server = subprocess.Popen(
            [
                python, "-m", "gunicorn", "civsam.wsgi:application", "--bind", f"127.0.0.1:{port}",
                "--workers", str(args.workers), "--threads", str(args.threads), "--worker-class", "gthread",
                "--keep-alive", "30", "--log-level", "warning", "--timeout", "120",
            ],
            cwd=ROOT,
            env=env,
            stderr=log,  # every refused calculation is logged; the figures are what matter here
            # A session of its own, as under a service manager: the calculation workers it starts
            # share it, and their nice 19 counts against its pages (see attack()).
            start_new_session=True,
        )  # fmt: skip
        _wait_for(port, args.page)
        # Warm up: every web process serves pages and starts its calculation worker.
        _run_probe(port, args.page, 3)
        warm: list[tuple[int, float]] = []
        stop = threading.Event()
        warmers = [
            threading.Thread(target=attacker, args=(port, body, stop, 0.5, warm)) for _ in range(args.workers * 3)
        ]
        for thread in warmers:
            thread.start()
        time.sleep(15)
        stop.set()
        for thread in warmers:
            thread.join()
        warm_counts = Counter(status for status, _seconds in warm)
        print(f"Warm-up calculations by status: {dict(warm_counts)}", flush=True)
        if not warm_counts.get(200):  # on a machine this busy the workers (nice 19) may get no CPU at all
            print("No calculation was done while warming up: is the hostile map within the limits?", flush=True)

        runs = [measure(server.pid, port, body, args) for _run in range(args.runs)]
        figures["runs"] = runs
        if len(runs) > 1:
            print(f"\nMedians of {len(runs)} runs:")
            for name in ("idle_p95_ms", "loaded_p95_ms", "ratio", "idle_p50_ms", "loaded_p50_ms", "calculations_per_s"):
                value = statistics.median(run[name] for run in runs)
                figures[f"median_{name}"] = value
                print(f"  {name}: {value:.2f}  (runs: {', '.join(f'{run[name]:.2f}' for run in runs)})")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
            log.close()
        _admin_sql(args.pg_url, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
