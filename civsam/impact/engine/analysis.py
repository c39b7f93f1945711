"""One call for everything an analysis shows: the SROI figures, the warnings, the tornado, the
break-even values and, when draws are asked for, the Monte Carlo distribution of the ratio."""

from __future__ import annotations

from dataclasses import dataclass

from .discounting import SCHEDULE_SOURCES
from .guards import GuardWarning, check
from .model import ImpactMap
from .montecarlo import MonteCarloResult, monte_carlo
from .schema import ImpactMapIn
from .sensitivity import BreakEven, OatSettings, Tornado, break_evens, tornado
from .sroi import SroiResult, calculate


@dataclass(frozen=True)
class RateStep:
    from_year: int
    rate: float


@dataclass(frozen=True)
class EvidenceNote:
    outcome: str
    field: str
    grade: str
    text: str
    evidence: str


@dataclass(frozen=True)
class Conventions:
    discount_from: str
    discount_schedule: str
    rates: tuple[RateStep, ...]
    rate_source: str
    price_year: int | None
    adjustments_applied: tuple[str, ...]  # JSON field names: deadweight, displacement, attribution, dropOff
    transfers_left_out: bool
    evidence: tuple[EvidenceNote, ...]


def conventions(impact_map: ImpactMap) -> Conventions:
    discounting = impact_map.discounting
    applied = tuple(
        name
        for name, attr in (
            ("deadweight", "deadweight"),
            ("displacement", "displacement"),
            ("attribution", "attribution"),
            ("dropOff", "drop_off"),
        )
        if any(getattr(outcome, attr) for outcome in impact_map.outcomes)
    )
    return Conventions(
        discount_from=discounting.discount_from,
        discount_schedule=discounting.schedule,
        rates=tuple(RateStep(start, rate) for start, rate in discounting.rates(impact_map.discount_rate)),
        rate_source=SCHEDULE_SOURCES.get(discounting.schedule, ""),
        price_year=impact_map.price_year,
        adjustments_applied=applied,
        transfers_left_out=any(outcome.transfer for outcome in impact_map.outcomes),
        evidence=tuple(
            EvidenceNote(outcome.id, key, note.grade, note.text, note.evidence)
            for outcome in impact_map.outcomes
            for key, note in outcome.justifications
        ),
    )


@dataclass(frozen=True)
class Analysis:
    name: str
    result: SroiResult
    warnings: tuple[GuardWarning, ...]
    tornado: Tornado
    break_even: tuple[BreakEven, ...]
    monte_carlo: MonteCarloResult | None
    conventions: Conventions


def analyse(
    impact_map: ImpactMap,
    *,
    oat: OatSettings | None = None,
    draws: int | None = None,
    seed: int | None = None,
) -> Analysis:
    result = calculate(impact_map)
    return Analysis(
        name=impact_map.name,
        result=result,
        warnings=tuple(check(impact_map, result)),
        tornado=tornado(impact_map, oat),
        break_even=tuple(break_evens(impact_map)),
        monte_carlo=monte_carlo(impact_map, draws=draws, seed=seed) if draws else None,
        conventions=conventions(impact_map),
    )


def analyse_document(
    document: ImpactMapIn, impact_map: ImpactMap, *, draws: int | None = None, seed: int | None = None
) -> Analysis:
    """Analyse a validated JSON map with its own sensitivity and Monte Carlo settings.

    draws and seed, when given, override the document's monteCarlo block (the command line's
    --draws and --seed).
    """
    oat = OatSettings(
        relative=document.sensitivity.relative,
        percentage_points=document.sensitivity.percentage_points,
        duration_years=document.sensitivity.duration_years,
        discount_rate_points=document.sensitivity.discount_rate_points,
    )
    if document.monte_carlo is not None:
        draws = draws if draws is not None else document.monte_carlo.draws
        seed = seed if seed is not None else document.monte_carlo.seed
    return analyse(impact_map, oat=oat, draws=draws, seed=seed)
