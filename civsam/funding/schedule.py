"""When a call is open: dated, continuous or yearly windows. Pure Python, no database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

DATED, CONTINUOUS, YEARLY = "dated", "continuous", "yearly"


@dataclass(frozen=True)
class Window:
    """The days one may apply, both ends included; None is open-ended on that side."""

    opens: datetime.date | None
    deadline: datetime.date | None

    def contains(self, day: datetime.date) -> bool:
        return (self.opens is None or self.opens <= day) and (self.deadline is None or day <= self.deadline)


def month_day(value: str, year: int) -> datetime.date:
    """ "MM-DD" in a given year; 29 February is the 28th in other years."""
    month, day = (int(part) for part in value.split("-"))
    if month == 2 and day == 29:
        try:
            return datetime.date(year, 2, 29)
        except ValueError:
            return datetime.date(year, 2, 28)
    return datetime.date(year, month, day)


def valid_month_day(value: str) -> bool:
    try:
        month_day(value, 2024)
    except (ValueError, TypeError):
        return False
    return len(value) == 5


def window(
    schedule: str,
    *,
    today: datetime.date,
    opens_on: datetime.date | None = None,
    deadline: datetime.date | None = None,
    yearly_opens: str = "",
    yearly_deadline: str = "",
) -> Window:
    """The current or next window of a call as seen on `today`.

    A yearly call's window is this year's if its deadline has not passed, else next year's; a
    window that runs over the new year (opens in November, closes in February) starts in the
    year before its deadline."""
    if schedule == CONTINUOUS:
        return Window(opens_on, deadline)
    if schedule == YEARLY:
        for year in (today.year, today.year + 1):
            end = month_day(yearly_deadline, year)
            start = month_day(yearly_opens, year)
            if start > end:
                start = month_day(yearly_opens, year - 1)
            if today <= end:
                return Window(start, end)
        raise AssertionError("unreachable: next year's deadline is after today")
    return Window(opens_on, deadline)


def is_open(status: str, call_window: Window, today: datetime.date) -> bool:
    return status == "published" and call_window.contains(today)
