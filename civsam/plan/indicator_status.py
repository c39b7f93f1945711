"""The status of an indicator against its target for a year. Pure: no database.

The rule, as shown to users (RULE_TEXT): the share of the distance from the baseline to the year's
target that the actual value has covered.

- on track: the target is met, or at least 90 % of the distance is covered;
- at risk: at least 50 % of the distance is covered;
- off track: less than 50 %, or the value has moved away from the target.

Without a baseline the distance is measured from zero. Where the baseline already meets the
target, only meeting it again counts as on track. The direction says whether higher or lower
values are better; a year without a target or without an actual value has no status.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_TARGET = "no_target"
NO_VALUE = "no_value"

ON_TRACK_SHARE = Decimal("0.9")
AT_RISK_SHARE = Decimal("0.5")

LABELS = {
    ON_TRACK: _("I fas"),
    AT_RISK: _("Risk för att inte nå målet"),
    OFF_TRACK: _("Inte i fas"),
    NO_TARGET: _("Inget mål för året"),
    NO_VALUE: _("Inget utfall än"),
}

RULE_TEXT = _(
    "Statusen jämför årets utfall med årets målvärde. Vi räknar hur stor del av sträckan från basvärdet "
    "till målvärdet som utfallet har tillryggalagt. I fas: målet är nått eller minst 90 procent av "
    "sträckan är avklarad. Risk: minst 50 procent. Inte i fas: mindre än 50 procent, eller utfallet har "
    "rört sig bort från målet. Saknas basvärde räknas sträckan från noll. Om indikatorn ska bli lägre "
    "räknas sträckan nedåt."
)


def covered_share(*, higher_is_better: bool, baseline: Decimal | None, target: Decimal, actual: Decimal) -> Decimal:
    """How much of the way from baseline to target the actual value has come (1 = target met)."""
    start = Decimal(0) if baseline is None else Decimal(baseline)
    sign = 1 if higher_is_better else -1
    distance = (Decimal(target) - start) * sign
    moved = (Decimal(actual) - start) * sign
    if distance <= 0:
        # The baseline already meets the target: met again or not.
        return Decimal(1) if (Decimal(actual) - Decimal(target)) * sign >= 0 else Decimal(0)
    return moved / distance


def indicator_status(
    *, higher_is_better: bool, baseline: Decimal | None, target: Decimal | None, actual: Decimal | None
) -> str:
    if target is None:
        return NO_TARGET
    if actual is None:
        return NO_VALUE
    share = covered_share(higher_is_better=higher_is_better, baseline=baseline, target=target, actual=actual)
    if share >= ON_TRACK_SHARE:
        return ON_TRACK
    if share >= AT_RISK_SHARE:
        return AT_RISK
    return OFF_TRACK
