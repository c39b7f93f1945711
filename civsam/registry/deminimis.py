"""De minimis aid per organisation over a rolling three years. Pure Python.

State aid that is small enough is not notified to the European Commission, but every grantor must
check, before granting, that the undertaking's de minimis aid over the three years up to and
including the day of granting stays within a ceiling:

- EUR 300 000 for de minimis aid in general: Commission Regulation (EU) 2023/2831 of 13 December
  2023, article 3(2) ("over any period of three years");
- EUR 750 000 for de minimis aid to undertakings providing services of general economic interest
  (SGEI): Commission Regulation (EU) 2023/2832 of 13 December 2023, article 3(2). General de minimis
  aid counts against that ceiling too (2023/2831 article 5(1), 2023/2832 article 5(1)).

Aid is granted in kronor and the ceilings are in euro: each ledger entry records the SEK→EUR rate
used on its day (the regulations' recital and article 3(6) use the rate of the day of granting),
so that a total never changes when rates move later. Civsam records the entries that grants and
agreements declare; it cannot see aid from outside Civsam, which the organisation declares itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

GENERAL = "general"
SGEI = "sgei"
# The ceilings in euro (2023/2831 art. 3(2); 2023/2832 art. 3(2)).
CEILINGS: dict[str, Decimal] = {GENERAL: Decimal("300000"), SGEI: Decimal("750000")}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Entry:
    granted_on: datetime.date
    amount_sek: Decimal
    sek_per_eur: Decimal  # kronor for one euro on the day of granting
    regime: str = GENERAL  # GENERAL or SGEI

    @property
    def amount_eur(self) -> Decimal:
        return to_eur(self.amount_sek, self.sek_per_eur)


@dataclass(frozen=True)
class Verdict:
    regime: str
    ceiling_eur: Decimal
    before_eur: Decimal  # the aid already in the window
    after_eur: Decimal  # with the new aid
    within: bool

    @property
    def headroom_eur(self) -> Decimal:
        """What can still be granted under this regime's ceiling (never negative)."""
        return max(self.ceiling_eur - self.before_eur, Decimal(0))


def to_eur(amount_sek: Decimal, sek_per_eur: Decimal) -> Decimal:
    if sek_per_eur <= 0:
        raise ValueError("a SEK→EUR rate is positive")
    return (Decimal(amount_sek) / Decimal(sek_per_eur)).quantize(CENT, rounding=ROUND_HALF_UP)


def three_years_before(day: datetime.date) -> datetime.date:
    """The same day three years earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - 3)
    except ValueError:
        return day.replace(year=day.year - 3, day=28)


def in_window(entry: Entry, on: datetime.date) -> bool:
    """Does the entry count for aid granted on `on`: granted after the day three years before and
    not after `on` itself."""
    return three_years_before(on) < entry.granted_on <= on


def rolling_total_eur(entries: Iterable[Entry], on: datetime.date, *, regime: str = SGEI) -> Decimal:
    """The aid in the three years up to `on` that counts against `regime`'s ceiling: general aid
    for the general ceiling; general and SGEI aid together for the SGEI ceiling."""
    if regime not in CEILINGS:
        raise ValueError(f"unknown de minimis regime {regime!r}")
    counted = {GENERAL} if regime == GENERAL else {GENERAL, SGEI}
    return sum((e.amount_eur for e in entries if e.regime in counted and in_window(e, on)), Decimal(0))


def check(entries: Iterable[Entry], new: Entry) -> Verdict:
    """May `new` be granted on top of `entries`? Its own regime's ceiling must hold."""
    entries = list(entries)
    before = rolling_total_eur(entries, new.granted_on, regime=new.regime)
    after = before + new.amount_eur
    ceiling = CEILINGS[new.regime]
    return Verdict(regime=new.regime, ceiling_eur=ceiling, before_eur=before, after_eur=after, within=after <= ceiling)
