"""Knowledge before and after a meeting, per target group. No database.

Cells with fewer than MIN_CELL respondents are suppressed (person-based statistics, GDPR).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import fmean

MIN_CELL = 5
ALL = "all"


def response_score(answers: Mapping[str, object], scale_question_ids: Iterable[str]) -> float | None:
    """The mean of one response's answers on the 1–5 questions; None if it answered none of them."""
    values = []
    for qid in scale_question_ids:
        value = answers.get(str(qid))
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
            values.append(value)
    return fmean(values) if values else None


@dataclass(frozen=True)
class GroupChange:
    group: str
    n_before: int
    n_after: int
    mean_before: float | None
    mean_after: float | None

    @property
    def change(self) -> float | None:
        if self.mean_before is None or self.mean_after is None:
            return None
        return round(self.mean_after - self.mean_before, 2)


def knowledge_change(rows: Iterable[tuple[str, str, float]], *, min_cell: int = MIN_CELL) -> list[GroupChange]:
    """rows: (target group, "before"/"after", score). One result per group in first-seen order, then ALL."""
    scores: dict[str, dict[str, list[float]]] = defaultdict(lambda: {"before": [], "after": []})
    for group, phase, score in rows:
        scores[group or "other"][phase].append(score)
        scores[ALL][phase].append(score)
    ordered = [g for g in scores if g != ALL] + ([ALL] if ALL in scores else [])

    def mean(values: list[float]) -> float | None:
        return round(fmean(values), 2) if len(values) >= min_cell else None

    return [
        GroupChange(
            g, len(scores[g]["before"]), len(scores[g]["after"]), mean(scores[g]["before"]), mean(scores[g]["after"])
        )
        for g in ordered
    ]
