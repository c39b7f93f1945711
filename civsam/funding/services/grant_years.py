"""The years each grant decision covers, kept beside the register for its year filter (ADR 0142).

One statement for both databases: a recursive query unfolds `year_from … year_to` of the chosen
decisions into one row per year. The decision services call it in their transaction after every
write of a decision's years, date or amount; the migration that made the table ran the same
statement over the whole register."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from ..models import GrantDecision, GrantDecisionYear

DECISIONS = GrantDecision._meta.db_table
YEARS = GrantDecisionYear._meta.db_table
# SQLite allows 32,766 bound parameters; stay well below it.
CHUNK = 5000


def _unfold(where: str) -> str:
    return (
        f"WITH RECURSIVE covered (decision_id, year, year_to, decision_date, amount_granted) AS ("  # noqa: S608
        f"SELECT id, CAST(year_from AS integer), year_to, decision_date, amount_granted FROM {DECISIONS} {where} "
        "UNION ALL SELECT decision_id, year + 1, year_to, decision_date, amount_granted FROM covered "
        "WHERE year < year_to) "
        f"INSERT INTO {YEARS} (decision_id, year, decision_date, amount_granted) "
        "SELECT decision_id, year, decision_date, amount_granted FROM covered"
    )


def covered_years_write(decision_ids: Iterable[int]) -> None:
    """Rewrite the covered years of these decisions from their rows in the register."""
    ids = sorted(set(decision_ids))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {YEARS} WHERE decision_id IN ({marks})", chunk)  # noqa: S608
            cursor.execute(_unfold(f"WHERE id IN ({marks})"), chunk)


def covered_years_rebuild() -> None:
    """Every decision's covered years from scratch (the migration's statement, for repairs)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {YEARS}")  # noqa: S608
        cursor.execute(_unfold(""))
