"""The calculation endpoint's limits (ADR 0075): size, work, rate, other sites, busy and slow workers."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

from civsam.impact import pool
from civsam.impact.engine import parse_impact_map
from civsam.impact.engine.cost import estimate
from civsam.impact.limits import DEFAULTS, limits

from .factories import document

URL = "/api/v1/social-value/calculations"

pytestmark = pytest.mark.django_db


def post(client, data, **extra):
    body = data if isinstance(data, (bytes, str)) else json.dumps(data)
    return client.post(URL, body, content_type="application/json", **extra)


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def outcomes(count, **fields):
    base = document()["outcomes"][0]
    return [{**base, "id": f"o{i}", "outcome": f"Utfall {i}", **fields} for i in range(count)]


def heavy_map(draws=100_000):
    """A map of about 2–5 s of one core: 40 outcomes over 30 years, 100,000 draws."""
    data = document(outcomes=outcomes(40, duration=30, dropOff=5))
    data["distributions"] = [
        {"assumption": f"outcomes.o{i}.quantity", "type": "pert", "min": 5, "mode": 10, "max": 15} for i in range(40)
    ]
    data["monteCarlo"] = {"draws": draws, "seed": 1}
    return data


@pytest.fixture
def calculation_limits(settings):
    """Set some limits for one test: calculation_limits(MAX_OUTCOMES=3, ...)."""

    def change(**values):
        settings.CIVSAM_CALCULATION_LIMITS = {**(getattr(settings, "CIVSAM_CALCULATION_LIMITS", None) or {}), **values}

    return change


# --- Size --------------------------------------------------------------------------------------


def test_a_body_over_the_endpoints_limit_is_413_naming_the_limit(client, calculation_limits):
    calculation_limits(MAX_BODY_BYTES=2000)
    data = document(name="x" * 300, outcomes=outcomes(10))
    assert len(json.dumps(data)) > 2000
    body = problem(post(client, data), 413)
    assert body["title"] == "Begäran är för stor"
    assert "högst 2\u00a0000 byte" in body["detail"]
    assert body["invalidParameters"][0]["name"] == "body"


def test_the_default_body_limit_is_below_the_global_upload_limit(settings):
    assert limits().max_body_bytes < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.mark.parametrize(
    ("name", "limit_key", "items"),
    [
        ("stakeholders", "MAX_STAKEHOLDERS", lambda n: [{"id": f"s{i}", "name": f"S {i}"} for i in range(n)]),
        ("inputs", "MAX_INPUTS", lambda n: [{"id": f"i{i}", "stakeholder": "s2", "money": 10} for i in range(n)]),
        ("outcomes", "MAX_OUTCOMES", outcomes),
        (
            "distributions",
            "MAX_DISTRIBUTIONS",
            lambda n: [{"assumption": "discountRate", "type": "uniform", "min": 0, "max": 5}] * n,
        ),
    ],
)
def test_each_list_over_its_limit_is_422_naming_the_limit(client, name, limit_key, items):
    limit = DEFAULTS[limit_key]
    data = document(**{name: items(limit + 1)})
    body = problem(post(client, data), 422)
    assert body["title"] == "Beräkningen är för stor"
    assert f"högst {limit}" in body["detail"] and f"{limit + 1}" in body["detail"]
    assert body["invalidParameters"] == [{"name": name, "reason": f"Högst {limit}.", "value": str(limit + 1)}]


def test_a_list_at_its_limit_is_computed(client, calculation_limits):
    calculation_limits(MAX_OUTCOMES=3)
    assert post(client, document(outcomes=outcomes(3))).status_code == 200
    assert post(client, document(outcomes=outcomes(4))).status_code == 422


@pytest.mark.parametrize(
    ("outcome", "distributions", "years"),
    [
        ({"duration": 40, "startYear": 12}, [], 51),
        # A drawn duration reaches further than the stated one.
        ({"duration": 5}, [{"assumption": "outcomes.o0.duration", "type": "uniform", "min": 1, "max": 51}], 51),
        ({"duration": 5}, [{"assumption": "outcomes.o0.duration", "type": "normal", "mean": 20, "sd": 6}], 56),
    ],
)
def test_years_over_the_limit_are_422(client, outcome, distributions, years):
    data = document(outcomes=outcomes(1, **outcome), distributions=distributions)
    body = problem(post(client, data), 422)
    assert f"{years} år" in body["detail"] and "högst 50 år" in body["detail"]


def test_draws_over_the_anonymous_limit_are_422_but_not_for_a_signed_in_user(client, users):
    data = document(monteCarlo={"draws": DEFAULTS["MAX_DRAWS_ANONYMOUS"] + 1})
    body = problem(post(client, data), 422)
    assert body["invalidParameters"][0]["name"] == "monteCarlo.draws"
    assert "utan inloggning" in body["detail"] and "20\u00a0000" in body["detail"]
    client.force_login(users["rep"])
    assert post(client, data).status_code == 200
    data["monteCarlo"]["draws"] = DEFAULTS["MAX_DRAWS_SIGNED_IN"] + 1
    assert problem(post(client, data), 422)["invalidParameters"][0]["name"] == "monteCarlo.draws"


def test_sensitivity_steps_over_the_limit_are_422(client, calculation_limits):
    data = document(outcomes=outcomes(2))
    impact_map, _parsed = parse_impact_map(data)
    steps = estimate(impact_map, draws=None).sensitivity_steps
    calculation_limits(MAX_SENSITIVITY_STEPS=steps)
    assert post(client, data).status_code == 200
    calculation_limits(MAX_SENSITIVITY_STEPS=steps - 1)
    body = problem(post(client, data), 422)
    assert "beräkningssteg" in body["detail"]


def test_work_over_the_budget_is_422_and_a_signed_in_user_has_more(client, users, calculation_limits):
    data = document(outcomes=outcomes(5, duration=10), monteCarlo={"draws": 5000, "seed": 1})
    data["distributions"] = [{"assumption": "outcomes.o1.quantity", "type": "uniform", "min": 5, "max": 15}]
    impact_map, _parsed = parse_impact_map(data)
    work = estimate(impact_map, draws=5000).work
    calculation_limits(WORK_BUDGET_ANONYMOUS=work - 1, WORK_BUDGET_SIGNED_IN=work)
    body = problem(post(client, data), 422)
    assert "arbetsenheter" in body["detail"] and "Inloggade användare har en högre gräns." in body["detail"]
    assert body["invalidParameters"][0]["name"] == "monteCarlo.draws"
    client.force_login(users["rep"])
    assert post(client, data).status_code == 200


def test_the_hostile_map_of_the_finding_is_refused_before_any_work(client):
    # The map that took 25 s of CPU and 700 MB: a thousand long outcomes and a hundred thousand draws.
    data = document(outcomes=outcomes(1000, duration=100, startYear=100), monteCarlo={"draws": 100_000})
    data["distributions"] = [{"assumption": "discountRate", "type": "uniform", "min": 0, "max": 10}]
    started = time.process_time()
    response = post(client, data)
    assert response.status_code in (413, 422)
    assert time.process_time() - started < 1.0


def test_stored_maps_are_held_to_the_signed_in_limits(make_analysis, example_map):
    from django.core.exceptions import ValidationError

    example_map["monteCarlo"] = {"draws": DEFAULTS["MAX_DRAWS_SIGNED_IN"] + 1}
    with pytest.raises(ValidationError) as info:
        make_analysis(impact_map=example_map)
    assert "monteCarlo.draws" in str(info.value)


# --- Rate --------------------------------------------------------------------------------------


def test_anonymous_callers_are_rate_limited_per_client(client, calculation_limits):
    calculation_limits(RATE_ANONYMOUS="2/m")
    assert post(client, document()).status_code == 200
    assert post(client, b"{broken").status_code == 400  # every request counts, valid or not
    body = problem(post(client, document()), 429)
    assert "för många beräkningar" in body["detail"]
    assert int(post(client, document())["Retry-After"]) >= 1
    # Another client address has its own count.
    assert post(client, document(), REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_signed_in_user_is_counted_per_account_with_a_higher_rate(client, users, calculation_limits):
    calculation_limits(RATE_ANONYMOUS="1/m", RATE_SIGNED_IN="3/m")
    assert post(client, document()).status_code == 200
    assert post(client, document()).status_code == 429
    client.force_login(users["rep"])
    assert [post(client, document()).status_code for _ in range(4)] == [200, 200, 200, 429]


# --- Other sites -------------------------------------------------------------------------------


def test_pages_of_other_sites_may_not_call_the_calculation(client):
    response = post(client, document(), HTTP_ORIGIN="https://elsewhere.example")
    assert problem(response, 403)["detail"].startswith("Beräkningen kan inte anropas från en annan webbplats")
    assert "Access-Control-Allow-Origin" not in response
    preflight = client.options(URL, HTTP_ORIGIN="https://elsewhere.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert preflight.status_code == 204
    assert "Access-Control-Allow-Origin" not in preflight and "Access-Control-Allow-Methods" not in preflight
    # Civsam's own pages and programs without an Origin may.
    assert post(client, document(), HTTP_ORIGIN="http://testserver").status_code == 200
    ok = post(client, document())
    assert ok.status_code == 200 and "Access-Control-Allow-Origin" not in ok


def test_other_operations_stay_readable_from_other_sites(client):
    response = client.get("/api/v1/api-info", HTTP_ORIGIN="https://elsewhere.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/social-value/socio-economic-accounts", HTTP_ORIGIN="https://elsewhere.example")
    assert preflight["Access-Control-Allow-Origin"] == "*"


# --- Workers -----------------------------------------------------------------------------------


def test_a_full_pool_answers_503_at_once(client, calculation_limits):
    calculation_limits(WORKERS=1, QUEUE=0, WORK_BUDGET_ANONYMOUS=10**12, MAX_DRAWS_ANONYMOUS=10**6)
    calculations = pool.get_pool()
    calculations.run({"map": document(), "language": "sv"})  # the worker is started before the race
    running = threading.Thread(target=calculations.run, args=({"map": heavy_map(), "language": "sv"},))
    running.start()
    try:
        time.sleep(0.3)
        started = time.monotonic()
        response = post(client, document())
        body = problem(response, 503)
        assert time.monotonic() - started < 1.0
        assert response["Retry-After"] == str(pool.RETRY_AFTER_SECONDS)
        assert body["title"] == "Tjänsten är upptagen"
        # Refused before the body is read: not even a broken body gets as far as its parser.
        assert post(client, b"{broken").status_code == 503
    finally:
        running.join()
    assert post(client, document()).status_code == 200


def test_a_calculation_over_the_time_limit_is_stopped_and_the_next_one_runs(client, calculation_limits):
    calculation_limits(WORK_BUDGET_ANONYMOUS=10**12, MAX_DRAWS_ANONYMOUS=10**6)
    assert post(client, document()).status_code == 200  # the worker is up
    [worker] = pool.get_pool()._all
    calculation_limits(TIMEOUT_SECONDS=0.3)
    response = post(client, heavy_map())
    body = problem(response, 503)
    assert "mer än 0,3 sekunder" in body["detail"] and response["Retry-After"]
    assert worker.process.poll() is not None  # stopped, not left computing
    calculation_limits(TIMEOUT_SECONDS=20.0)
    assert post(client, document()).status_code == 200
    assert pool.get_pool()._all[0] is not worker


def test_workers_run_at_a_lower_priority_with_a_memory_cap(calculation_limits):
    calculation_limits(NICE=7, MEMORY_MB=900)
    current_pool = pool.get_pool()
    current_pool.run({"map": document(), "language": "sv"})
    [worker] = current_pool._all
    assert os.getpriority(os.PRIO_PROCESS, worker.process.pid) == os.getpriority(os.PRIO_PROCESS, 0) + 7
    with open(f"/proc/{worker.process.pid}/limits", encoding="ascii") as limits_file:
        line = next(line for line in limits_file if line.startswith("Max address space"))
    assert str(900 * 1024 * 1024) in line


def test_workers_take_only_the_cpu_time_nobody_else_wants():
    # Linux: the SCHED_IDLE class, in a session of their own (not the web process's autogroup). A
    # worker of its own: the tests' pools leave SCHED_IDLE off (the root conftest.py).
    worker = pool.Worker(nice=19, memory_mb=1024, deadline=time.monotonic() + 120, sched_idle=True)
    try:
        assert os.sched_getscheduler(worker.process.pid) == os.SCHED_IDLE
        assert os.getsid(worker.process.pid) == worker.process.pid != os.getsid(0)
        with open(f"/proc/{worker.process.pid}/autogroup", encoding="ascii") as autogroup:
            assert autogroup.read().split()[-1] == "19"
    finally:
        worker.stop()
    worker = pool.Worker(nice=19, memory_mb=1024, deadline=time.monotonic() + 120, sched_idle=False)
    try:
        assert os.sched_getscheduler(worker.process.pid) == os.SCHED_OTHER
        assert os.getsid(worker.process.pid) == os.getsid(0)
    finally:
        worker.stop()


def test_the_workers_default_to_the_idle_class():
    assert DEFAULTS["SCHED_IDLE"] is True


def test_a_calculation_over_the_memory_cap_is_422(client, calculation_limits):
    calculation_limits(MEMORY_MB=350, WORK_BUDGET_ANONYMOUS=10**12, MAX_DRAWS_ANONYMOUS=10**7)
    # 30 columns of a million draws: 240 MB beside the worker's own 150–200 MB.
    data = document(outcomes=outcomes(10), monteCarlo={"draws": 1_000_000, "seed": 1})
    data["distributions"] = [
        {"assumption": f"outcomes.o{i}.{name}", "type": "uniform", "min": 1, "max": 20}
        for i in range(10)
        for name in ("quantity", "proxy", "deadweight")
    ]
    body = problem(post(client, data), 422)
    assert "mer minne" in body["detail"]
    calculation_limits(MEMORY_MB=1024)
    assert post(client, document()).status_code == 200


def test_unknown_limit_names_are_refused(calculation_limits):
    calculation_limits(MAX_OUTCOME=3)
    with pytest.raises(ValueError, match="MAX_OUTCOME"):
        limits()


def test_the_schema_page_states_the_default_limits():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "docs" / "social-value-schema.md").read_text(encoding="utf-8")
    section = text.split("## Limits of the calculation endpoint", 1)[1].split("\n## ", 1)[0]
    counts = ", ".join(str(DEFAULTS[f"MAX_{name}"]) for name in ("STAKEHOLDERS", "INPUTS", "OUTCOMES", "DISTRIBUTIONS"))
    for figure in (
        f"{DEFAULTS['MAX_BODY_BYTES']:,} bytes",
        counts,
        f"| {DEFAULTS['MAX_YEARS']} |",
        f"| {DEFAULTS['MAX_DRAWS_ANONYMOUS']:,} | {DEFAULTS['MAX_DRAWS_SIGNED_IN']:,} |",
        f"| {DEFAULTS['MAX_SENSITIVITY_STEPS']:,} |",
        f"| {DEFAULTS['WORK_BUDGET_ANONYMOUS']:,} | {DEFAULTS['WORK_BUDGET_SIGNED_IN']:,} |",
        "{} per {} minutes per client address".format(*DEFAULTS["RATE_ANONYMOUS"].rstrip("m").split("/")),
        "{} per {} minutes per account".format(*DEFAULTS["RATE_SIGNED_IN"].rstrip("m").split("/")),
        f"more than {DEFAULTS['TIMEOUT_SECONDS']:g} seconds",
    ):
        assert figure in section, figure
