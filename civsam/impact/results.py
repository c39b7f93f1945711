"""The engine as the platform uses it: validating a stored impact map and computing its figures.

No database access. A stored map is the engine's JSON document (camelCase); the results are the
engine's JSON answer (engine.to_json_dict), the same as POST /social-value/calculations returns.
"""

from __future__ import annotations

from typing import Any

from .engine import FieldError, ImpactMapError, ImpactMapIn, analyse_document, parse_impact_map, to_json_dict
from .engine.cost import estimate
from .limits import LimitExceeded, check_cost, check_counts, limits

# An analysis with distributions but no monteCarlo block still gets an uncertainty range.
DEFAULT_DRAWS = 10_000
# Reports must not change between two page views, so a map without a seed gets this one.
DEFAULT_SEED = 2026


def _draws_and_seed(document: ImpactMapIn, has_distributions: bool) -> tuple[int | None, int | None]:
    """The draws and seed an analysis is computed with; None for what the map's own block says."""
    if document.monte_carlo is None:
        return (DEFAULT_DRAWS, DEFAULT_SEED) if has_distributions else (None, None)
    return None, (DEFAULT_SEED if document.monte_carlo.seed is None else None)


def normalise_map(data: Any) -> tuple[dict[str, Any], ImpactMapIn]:
    """Validate a decoded impact map; return it in the engine's own JSON form. Raises ImpactMapError.

    A stored map is computed on page views, so it is held to the limits of a signed-in caller of
    the calculation endpoint (civsam.impact.limits): a page view must stay well under a second."""
    current = limits()
    try:
        check_counts(data, current)
    except LimitExceeded as exc:
        raise ImpactMapError([FieldError(exc.parameter.name, exc.detail)]) from None
    impact_map, document = parse_impact_map(data)
    draws, _seed = _draws_and_seed(document, bool(impact_map.distributions))
    if draws is None and document.monte_carlo is not None:
        draws = document.monte_carlo.draws
    try:
        check_cost(estimate(impact_map, draws=draws), current, signed_in=True)
    except LimitExceeded as exc:
        raise ImpactMapError([FieldError(exc.parameter.name, exc.detail)]) from None
    stored = document.model_dump(mode="json", by_alias=True, exclude_none=True)
    compute(stored)  # refuses a map whose figures are not finite numbers, before it is stored
    return stored, document


def compute(stored_map: dict[str, Any]) -> dict[str, Any]:
    """Every figure for a stored map, deterministic for a given map."""
    impact_map, document = parse_impact_map(stored_map)
    draws, seed = _draws_and_seed(document, bool(impact_map.distributions))
    return to_json_dict(analyse_document(document, impact_map, draws=draws, seed=seed))
