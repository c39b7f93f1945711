"""The limits of the social-value calculations, in one place (docs/adr/0075-bounded-social-value-calculations.md).

Every key has its default here; `CIVSAM_CALCULATION_LIMITS` in the settings overrides any of them
(e.g. ``{"MAX_OUTCOMES": 300}``). They are read at each request, so a changed setting needs no
restart of anything but the settings. docs/social-value-schema.md lists them for the API's users.

A request is refused before any figure is computed: a body over MAX_BODY_BYTES with 413, anything
else over a limit with 422, each naming the limit in Swedish. The *work* of a map is estimated by
civsam.impact.engine.cost (outcomes × years × draws, plus the sensitivity steps and the drawn
values); a signed-in caller has a larger budget and more draws than an anonymous one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from civsam.core.apitools import InvalidParameter
from civsam.core.ratelimit import Rate

from .engine.cost import Cost

DEFAULTS: dict[str, Any] = {
    # Per request.
    "MAX_BODY_BYTES": 256 * 1024,
    "MAX_STAKEHOLDERS": 50,
    "MAX_INPUTS": 200,
    "MAX_OUTCOMES": 200,
    "MAX_DISTRIBUTIONS": 200,
    "MAX_YEARS": 50,  # the last year any outcome reaches: start year − 1 + duration
    "MAX_SENSITIVITY_STEPS": 70_000,  # evaluations by the tornado and the break-even search
    "MAX_DRAWS_ANONYMOUS": 20_000,
    "MAX_DRAWS_SIGNED_IN": 100_000,
    # In work units (civsam.impact.engine.cost): about 0.5–1 s and 2–4 s of one core.
    "WORK_BUDGET_ANONYMOUS": 100_000_000,
    "WORK_BUDGET_SIGNED_IN": 400_000_000,
    # Per caller (civsam.core.ratelimit): by client address, or by account when signed in.
    "RATE_ANONYMOUS": "20/10m",
    "RATE_SIGNED_IN": "120/10m",
    # The worker processes that compute, per web process (civsam.impact.pool).
    "WORKERS": 1,
    "QUEUE": 1,  # requests that may wait for a worker; more are answered 503 at once
    "TIMEOUT_SECONDS": 20.0,  # waiting and computing together; the worker is then stopped
    "NICE": 19,  # the workers' scheduling priority: the lowest, so that pages come first
    # Linux: the SCHED_IDLE class as well, in a session of their own (civsam.impact.worker).
    "SCHED_IDLE": True,
    "MEMORY_MB": 1024,  # the address space a worker may use
}


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int
    max_stakeholders: int
    max_inputs: int
    max_outcomes: int
    max_distributions: int
    max_years: int
    max_sensitivity_steps: int
    max_draws_anonymous: int
    max_draws_signed_in: int
    work_budget_anonymous: int
    work_budget_signed_in: int
    rate_anonymous: str
    rate_signed_in: str
    workers: int
    queue: int
    timeout_seconds: float
    nice: int
    sched_idle: bool
    memory_mb: int

    def max_draws(self, *, signed_in: bool) -> int:
        return self.max_draws_signed_in if signed_in else self.max_draws_anonymous

    def work_budget(self, *, signed_in: bool) -> int:
        return self.work_budget_signed_in if signed_in else self.work_budget_anonymous

    def rate(self, *, signed_in: bool) -> str:
        return self.rate_signed_in if signed_in else self.rate_anonymous


def limits() -> Limits:
    overrides = getattr(settings, "CIVSAM_CALCULATION_LIMITS", None) or {}
    unknown = set(overrides) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"CIVSAM_CALCULATION_LIMITS has unknown keys: {', '.join(sorted(unknown))}")
    values = {**DEFAULTS, **overrides}
    return Limits(**{key.lower(): value for key, value in values.items()})


class LimitExceeded(Exception):
    """A request beyond a limit: 413 for the body, 422 for the rest; `parameter` names the field."""

    def __init__(self, status: int, detail: str, parameter: InvalidParameter):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.parameter = parameter


def _number(value: int | float) -> str:
    # Swedish digit grouping with a no-break space: 100 000.
    return f"{value:,}".replace(",", "\u00a0")


def check_body_size(size: int, current: Limits) -> None:
    if size > current.max_body_bytes:
        raise LimitExceeded(
            413,
            _("Begäran är %(size)s byte; högst %(limit)s byte tas emot för en beräkning.")
            % {"size": _number(size), "limit": _number(current.max_body_bytes)},
            InvalidParameter("body", _("Högst %(limit)s byte.") % {"limit": _number(current.max_body_bytes)}),
        )


def check_counts(data: Any, current: Limits) -> None:
    """The lists of a decoded map against their limits, before the map is validated: a list far
    too long costs nothing more than counting it."""
    if not isinstance(data, dict):
        return
    for name, limit, label in (
        ("stakeholders", current.max_stakeholders, _("intressenter")),
        ("inputs", current.max_inputs, pgettext("social value input", "insatser")),
        ("outcomes", current.max_outcomes, _("utfall")),
        ("distributions", current.max_distributions, _("fördelningar")),
    ):
        items = data.get(name)
        if isinstance(items, list) and len(items) > limit:
            raise LimitExceeded(
                422,
                _("Effektkartan har %(count)s %(what)s; en beräkning får ha högst %(limit)s.")
                % {"count": _number(len(items)), "what": label, "limit": _number(limit)},
                InvalidParameter(name, _("Högst %(limit)s.") % {"limit": _number(limit)}, str(len(items))),
            )


def check_cost(cost: Cost, current: Limits, *, signed_in: bool) -> None:
    """The size and the estimated work of a validated map against the caller's limits."""
    if cost.years > current.max_years:
        raise LimitExceeded(
            422,
            _(
                "Effektkartan sträcker sig över %(years)s år (startår och varaktighet, med dragna "
                "varaktigheter); en beräkning får omfatta högst %(limit)s år."
            )
            % {"years": cost.years, "limit": current.max_years},
            InvalidParameter("outcomes", _("Högst %(limit)s år.") % {"limit": current.max_years}, str(cost.years)),
        )
    max_draws = current.max_draws(signed_in=signed_in)
    if cost.draws > max_draws:
        detail = (
            _("En beräkning får ha högst %(limit)s dragningar.")
            if signed_in
            else _("En beräkning utan inloggning får ha högst %(limit)s dragningar.")
        ) % {"limit": _number(max_draws)}
        raise LimitExceeded(
            422,
            detail,
            InvalidParameter(
                "monteCarlo.draws", _("Högst %(limit)s.") % {"limit": _number(max_draws)}, str(cost.draws)
            ),
        )
    if cost.sensitivity_steps > current.max_sensitivity_steps:
        raise LimitExceeded(
            422,
            _(
                "Känslighetsanalysen skulle behöva %(steps)s beräkningssteg; en beräkning får ha högst %(limit)s. "
                "Minska antalet utfall eller insatser."
            )
            % {"steps": _number(cost.sensitivity_steps), "limit": _number(current.max_sensitivity_steps)},
            InvalidParameter(
                "outcomes",
                _("Högst %(limit)s beräkningssteg.") % {"limit": _number(current.max_sensitivity_steps)},
                str(cost.sensitivity_steps),
            ),
        )
    budget = current.work_budget(signed_in=signed_in)
    if cost.work > budget:
        detail = _(
            "Beräkningen uppskattas till %(work)s arbetsenheter (utfall × år × dragningar, plus "
            "känslighetsanalysen); gränsen är %(budget)s. Minska antalet dragningar, utfall eller år."
        ) % {"work": _number(cost.work), "budget": _number(budget)}
        if not signed_in:
            detail += " " + _("Inloggade användare har en högre gräns.")
        raise LimitExceeded(
            422,
            detail,
            InvalidParameter(
                "monteCarlo.draws" if cost.draws else "outcomes",
                _("Beräkningens arbete får vara högst %(budget)s enheter.") % {"budget": _number(budget)},
                str(cost.work),
            ),
        )


def _rate_text(rate: str) -> str:
    parsed = Rate.parse(rate)
    minutes = parsed.seconds / 60
    period = f"{minutes:g} minuter" if minutes < 60 else f"{minutes / 60:g} timmar"
    return f"{parsed.count} anrop per {period}"


def description(current: Limits) -> str:
    """The limits as sentences for the OpenAPI document (Swedish, like the rest of it)."""
    return (
        f"Gränser per beräkning: högst {_number(current.max_body_bytes)} byte, {current.max_stakeholders} "
        f"intressenter, {current.max_inputs} insatser, {current.max_outcomes} utfall, "
        f"{current.max_distributions} fördelningar och {current.max_years} år (startår − 1 + varaktighet); "
        f"högst {_number(current.max_draws_anonymous)} dragningar utan inloggning och "
        f"{_number(current.max_draws_signed_in)} inloggad; högst {_number(current.max_sensitivity_steps)} steg i "
        f"känslighetsanalysen; ett uppskattat arbete (utfall × år × dragningar, plus känslighetsanalysen och "
        f"dragna värden) om högst {_number(current.work_budget_anonymous)} enheter utan inloggning och "
        f"{_number(current.work_budget_signed_in)} inloggad. Över en gräns blir svaret 413 (storleken) eller "
        f"422 (övriga), med gränsen angiven. Anrop utan inloggning begränsas till "
        f"{_rate_text(current.rate_anonymous)} per klient, inloggade till {_rate_text(current.rate_signed_in)} "
        f"per konto (429 med Retry-After). När beräkningsprocesserna är upptagna, eller en beräkning tar mer än "
        f"{current.timeout_seconds:g} sekunder, blir svaret 503 med Retry-After. Anrop från andra webbplatsers "
        f"sidor tas inte emot (403); anropa från en server eller från Civsams egna sidor."
    )
