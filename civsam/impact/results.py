"""The engine as the platform uses it: validating a stored impact map and computing its figures.

No database access. A stored map is the engine's JSON document (camelCase); the results are the
engine's JSON answer (engine.to_json_dict), the same as POST /social-value/calculations returns.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .engine import FieldError, ImpactMapError, ImpactMapIn, analyse_document, parse_impact_map, to_json_dict

# An analysis with distributions but no monteCarlo block still gets an uncertainty range.
DEFAULT_DRAWS = 10_000
# Reports must not change between two page views, so a map without a seed gets this one.
DEFAULT_SEED = 2026
# The same ceiling as the public calculation endpoint: a page view must stay well under a second.
MAX_DRAWS = 100_000


def normalise_map(data: Any) -> tuple[dict[str, Any], ImpactMapIn]:
    """Validate a decoded impact map; return it in the engine's own JSON form. Raises ImpactMapError."""
    _impact_map, document = parse_impact_map(data)
    if document.monte_carlo is not None and document.monte_carlo.draws > MAX_DRAWS:
        raise ImpactMapError(
            [FieldError("monteCarlo.draws", _("Får vara högst %(limit)s i Civsam.") % {"limit": MAX_DRAWS})]
        )
    stored = document.model_dump(mode="json", by_alias=True, exclude_none=True)
    compute(stored)  # refuses a map whose figures are not finite numbers, before it is stored
    return stored, document


def compute(stored_map: dict[str, Any]) -> dict[str, Any]:
    """Every figure for a stored map, deterministic for a given map."""
    impact_map, document = parse_impact_map(stored_map)
    draws: int | None = None
    seed: int | None = None
    if document.monte_carlo is None:
        if impact_map.distributions:
            draws, seed = DEFAULT_DRAWS, DEFAULT_SEED
    elif document.monte_carlo.seed is None:
        seed = DEFAULT_SEED
    return to_json_dict(analyse_document(document, impact_map, draws=draws, seed=seed))
