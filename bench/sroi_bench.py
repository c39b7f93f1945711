"""Benchmark: Monte Carlo on an impact map of 20 outcomes × 10 years, 100,000 draws.

Prints the median and 95th percentile wall time over several runs of the vectorised engine and,
in the same run, a baseline: the naive way (one deterministic calculation per draw in pure Python)
timed on a smaller number of draws and extrapolated. Goal: under 1 second for 100,000 draws.

    .venv/bin/python bench/sroi_bench.py [--draws 100000] [--runs 7] [--baseline-draws 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from civsam.impact.engine.model import (
    Distribution,
    ImpactMap,
    Input,
    Outcome,
    Stakeholder,
    with_assumption,
)
from civsam.impact.engine.montecarlo import monte_carlo, sample
from civsam.impact.engine.sroi import calculate, net_present_value, total_inputs

OUTCOMES = 20
YEARS = 10


def bench_map() -> ImpactMap:
    """20 outcomes lasting 10 years, five uncertain assumptions each plus the discount rate."""
    stakeholders = tuple(Stakeholder(f"s{i}", f"Intressent {i}") for i in range(4))
    outcomes = tuple(
        Outcome(
            id=f"o{i}",
            stakeholder=f"s{i % 4}",
            outcome=f"Utfall {i}",
            quantity=10 + i,
            proxy=1_000 * (i + 1),
            proxy_source="Benchmark",
            duration=YEARS,
            deadweight=20,
            displacement=5,
            attribution=15,
            drop_off=10,
        )
        for i in range(OUTCOMES)
    )
    inputs = (Input("i0", "s0", "Bidrag", money=2_000_000.0), Input("i1", "s1", "Lokal", in_kind=300_000.0))
    distributions = [Distribution("discountRate", "uniform", minimum=2.0, maximum=5.0)]
    for i in range(OUTCOMES):
        distributions += [
            Distribution(f"outcomes.o{i}.quantity", "pert", minimum=8 + i, mode=10 + i, maximum=14 + i),
            Distribution(f"outcomes.o{i}.proxy", "normal", mean=1_000 * (i + 1), sd=150 * (i + 1)),
            Distribution(f"outcomes.o{i}.deadweight", "triangular", minimum=10, mode=20, maximum=35),
            Distribution(f"outcomes.o{i}.attribution", "uniform", minimum=5, maximum=25),
            Distribution(f"outcomes.o{i}.dropOff", "triangular", minimum=0, mode=10, maximum=30),
        ]
    return ImpactMap(
        name="Benchmark",
        stakeholders=stakeholders,
        inputs=inputs,
        outcomes=outcomes,
        distributions=tuple(distributions),
    )


def naive(impact_map: ImpactMap, draws: int, seed: int) -> list[float]:
    """The baseline: draw, rebuild the map, run the deterministic calculation, once per draw."""
    rng = np.random.default_rng(seed)
    columns = [sample(d, draws, rng) for d in impact_map.distributions]
    ratios = []
    inputs = total_inputs(impact_map)
    for draw in range(draws):
        changed = impact_map
        for distribution, column in zip(impact_map.distributions, columns, strict=True):
            changed = with_assumption(changed, distribution.assumption, float(column[draw]))
        ratios.append((net_present_value(changed) + inputs) / inputs)
    return ratios


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def timed_both(function) -> tuple[float, float]:
    """Wall time and this process's CPU time: on a shared machine the second shows the work itself."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def blas_kernel() -> str:
    """The OpenBLAS core numpy's library chose at run time (DYNAMIC_ARCH builds pick it per CPU)."""
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower() and ".so" in line})
    except OSError:
        paths = []
    for path in paths:
        library = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename"):
            function = getattr(library, name, None)
            if function is not None:
                function.restype = ctypes.c_char_p
                return f"OpenBLAS core {function().decode()} ({Path(path).name})"
    return "unknown (no OpenBLAS library loaded)"


def percentile_95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline-draws", type=int, default=300)
    args = parser.parse_args()

    impact_map = bench_map()
    base = calculate(impact_map)
    monte_carlo(impact_map, draws=1_000, seed=0)  # warm-up: imports, first allocations

    load_before = os.getloadavg()[0]
    runs = [timed_both(lambda: monte_carlo(impact_map, draws=args.draws, seed=42)) for _run in range(args.runs)]
    walls = [wall for wall, _cpu in runs]
    cpus = [cpu for _wall, cpu in runs]
    median = statistics.median(walls)

    deterministic = timed(lambda: [calculate(impact_map) for _i in range(100)]) / 100
    # The baseline three times, medians of wall and CPU time: one run alone swings with the load.
    baselines = [timed_both(lambda: naive(impact_map, args.baseline_draws, 42)) for _run in range(3)]
    baseline = statistics.median(wall for wall, _cpu in baselines)
    baseline_cpu = statistics.median(cpu for _wall, cpu in baselines)
    baseline_full = baseline / args.baseline_draws * args.draws
    baseline_cpu_full = baseline_cpu / args.baseline_draws * args.draws
    result = monte_carlo(impact_map, draws=args.draws, seed=42)

    print(f"Impact map: {OUTCOMES} outcomes × {YEARS} years, {len(impact_map.distributions)} distributions")
    print(
        f"Deterministic SROI ratio: {base.sroi_ratio:.4f}; one deterministic calculation: {deterministic * 1e3:.2f} ms"
    )
    print(
        f"Monte Carlo, {args.draws:,} draws, {args.runs} runs: "
        f"wall median {median:.3f} s, p95 {percentile_95(walls):.3f} s; "
        f"CPU median {statistics.median(cpus):.3f} s, p95 {percentile_95(cpus):.3f} s"
    )
    print(f"BLAS: {blas_kernel()}; numpy {np.__version__}")
    print(
        f"Machine: {os.cpu_count()} cores, load average {load_before:.1f} before the runs (other work slows wall time)"
    )
    print(
        f"Baseline (pure-Python loop, 3 runs of {args.baseline_draws} draws, median {baseline:.3f} s wall, "
        f"{baseline_cpu:.3f} s CPU; extrapolated to {args.draws:,}): {baseline_full:.1f} s wall, "
        f"{baseline_cpu_full:.1f} s CPU"
    )
    print(
        f"Speed-up over the baseline: {baseline_full / median:.0f}× wall, "
        f"{baseline_cpu_full / statistics.median(cpus):.0f}× CPU"
    )
    print(
        f"Ratio percentiles p5/p50/p95: {result.ratio.percentiles['5']:.3f} / "
        f"{result.ratio.percentiles['50']:.3f} / {result.ratio.percentiles['95']:.3f}"
    )
    cpu_median = statistics.median(cpus)
    print(
        f"Goal under 1 s: wall {'met' if median < 1.0 else 'NOT met'} ({median:.3f} s), "
        f"CPU {'met' if cpu_median < 1.0 else 'NOT met'} ({cpu_median:.3f} s)"
    )


if __name__ == "__main__":
    main()
