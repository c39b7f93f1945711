"""Status workflows as data: one table shape for every model with a status.

A model lists its transitions next to its choices:

    class Status(models.TextChoices): ...
    WORKFLOW = Workflow(
        Transition(Status.DRAFT, Status.IN_REVIEW, "submit"),
        Transition(Status.IN_REVIEW, Status.PUBLISHED, "approve"),
        ...
    )

and exactly one service per model changes the status, calling `WORKFLOW.action(before, after)`,
which names the step or raises a ValidationError in Swedish. Who may take a step is a permission
(the app's `permissions.py`), not part of the table, so that the table stays a plain fact about
the process that tests, pages ("what can happen next") and the documentation can read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    action: str  # the step's name in code: "submit", "approve", "cancel", ...


class Workflow:
    def __init__(self, *transitions: Transition, labels: dict[str, str] | None = None):
        self.transitions = tuple(transitions)
        self._by_pair = {(t.source, t.target): t for t in self.transitions}
        if len(self._by_pair) != len(self.transitions):
            raise ValueError("a workflow lists each (source, target) pair once")
        self._labels = labels

    def __iter__(self) -> Iterator[Transition]:
        return iter(self.transitions)

    def allows(self, source: str, target: str) -> bool:
        return (source, target) in self._by_pair

    def targets(self, source: str) -> frozenset[str]:
        return frozenset(t.target for t in self.transitions if t.source == source)

    def sources(self) -> frozenset[str]:
        return frozenset(t.source for t in self.transitions)

    def states(self) -> frozenset[str]:
        return frozenset({t.source for t in self.transitions} | {t.target for t in self.transitions})

    def actions(self, source: str) -> dict[str, str]:
        """The steps that can be taken from `source`: {action: target}."""
        return {t.action: t.target for t in self.transitions if t.source == source}

    def target_of(self, source: str, action: str) -> str:
        for t in self.transitions:
            if t.source == source and t.action == action:
                return t.target
        raise ValidationError(
            _("Steget kan inte tas när statusen är ”%(from)s”.") % {"from": self._label(source)}, code="transition"
        )

    def action(self, source: str, target: str) -> str:
        """The step's name, or a ValidationError naming both statuses as users read them."""
        transition = self._by_pair.get((source, target))
        if transition is None:
            raise ValidationError(
                _("Statusen kan inte ändras från ”%(from)s” till ”%(to)s”.")
                % {"from": self._label(source), "to": self._label(target)},
                code="transition",
            )
        return transition.action

    def _label(self, value: str) -> str:
        if self._labels and value in self._labels:
            return str(self._labels[value])
        return str(value)

    @classmethod
    def from_choices(cls, choices: Iterable[Any], *transitions: Iterable[str]) -> Workflow:
        """A workflow whose error messages use the labels of a TextChoices class.

        `transitions` are (source, target, action) triples."""
        return cls(*(Transition(*t) for t in transitions), labels={c.value: c.label for c in choices})
