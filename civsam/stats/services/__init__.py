"""Every write of the statistics (ADR 0112, 0128, 0129): the yearly figures computed by a job, the
population they divide by, and the figures other publishers keep (Kolada, Statistics Sweden)."""

from .external import (
    external_figures_set,
    national_figures_load_reference,
    population_load_reference,
    population_set,
)
from .snapshots import FIRST_YEAR, statistics_compute, years_due

__all__ = [
    "FIRST_YEAR",
    "external_figures_set",
    "national_figures_load_reference",
    "population_load_reference",
    "population_set",
    "statistics_compute",
    "years_due",
]
