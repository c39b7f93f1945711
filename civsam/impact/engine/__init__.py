"""The social-value engine: SROI and socio-economic accounts, pure Python and numpy, no database.

    from civsam.impact.engine import analyse, parse_impact_map, to_json_dict
    impact_map, document = parse_impact_map(data)
    analysis = analyse(impact_map, draws=10_000, seed=1)

Conventions are in docs/adr/0006-sroi-engine.md; the JSON form in docs/social-value-schema.md.
"""

from .analysis import Analysis, analyse, analyse_document
from .errors import FieldError, ImpactMapError
from .guards import GuardWarning, check
from .model import Distribution, GuardSettings, ImpactMap, Input, Outcome, Stakeholder
from .montecarlo import MonteCarloResult, monte_carlo
from .output import CalculationOut, to_json_dict, to_output
from .schema import ImpactMapIn
from .sensitivity import BreakEven, OatSettings, Tornado, break_even, break_evens, tornado
from .sroi import SroiResult, calculate
from .validation import parse_impact_map, parse_impact_map_json

__all__ = [
    "Analysis",
    "BreakEven",
    "CalculationOut",
    "Distribution",
    "FieldError",
    "GuardSettings",
    "GuardWarning",
    "ImpactMap",
    "ImpactMapError",
    "ImpactMapIn",
    "Input",
    "MonteCarloResult",
    "OatSettings",
    "Outcome",
    "SroiResult",
    "Stakeholder",
    "Tornado",
    "analyse",
    "analyse_document",
    "break_even",
    "break_evens",
    "calculate",
    "check",
    "monte_carlo",
    "parse_impact_map",
    "parse_impact_map_json",
    "to_json_dict",
    "to_output",
    "tornado",
]
