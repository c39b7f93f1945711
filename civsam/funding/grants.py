"""The arithmetic of a granted application: its case number, the instalments it is paid in and the
reports it owes. Pure Python, no database."""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_DOWN, Decimal

from . import schedule

CENT = Decimal("0.01")


def case_number(*, year: int, code: str, serial: int, funder_key: str = "") -> str:
    """A case number in the funder's form: the Region's "26RS1234" (the year's last two digits,
    its code, a serial), or "<funder>-2026-12" for a funder without a code."""
    if serial < 1:
        raise ValueError("serials start at 1")
    if code:
        return f"{year % 100:02d}{code}{serial}"
    return f"{funder_key}-{year}-{serial}"


def serial_of(number: str, *, year: int, code: str, funder_key: str = "") -> int | None:
    """The serial of a case number made by case_number for this year and code, else None."""
    if code:
        match = re.fullmatch(rf"{year % 100:02d}{re.escape(code)}([1-9][0-9]*)", number)
    else:
        match = re.fullmatch(rf"{re.escape(funder_key)}-{year}-([1-9][0-9]*)", number)
    return int(match.group(1)) if match else None


def instalment_plan(
    amount: Decimal, *, years: list[int], first_due: datetime.date
) -> list[tuple[datetime.date, Decimal]]:
    """One instalment per year of the grant, equal to the öre; the öre that do not divide go with
    the first. The first falls due on `first_due`, the others on 31 January of their year (or on
    `first_due` if that is later)."""
    if amount <= 0 or not years:
        return []
    share = (amount / len(years)).quantize(CENT, rounding=ROUND_DOWN)
    first = amount - share * (len(years) - 1)
    plan = []
    for index, year in enumerate(sorted(years)):
        due = first_due if index == 0 else max(datetime.date(year, 1, 31), first_due)
        plan.append((due, first if index == 0 else share))
    return plan


def report_due_dates(year_from: int, year_to: int, *, month_day: str) -> list[datetime.date]:
    """One report per year of the grant, due on `month_day` ("MM-DD") of the year after."""
    return [schedule.month_day(month_day, year + 1) for year in range(year_from, year_to + 1)]
