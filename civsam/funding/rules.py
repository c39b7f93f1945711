"""A programme's eligibility rules as data, checked against an application before it is sent in
and explained to the applicant. Pure Python, no database; every sentence is Swedish.

The rules are a JSON list (Programme.rules); all of them must hold. Each rule is an object with a
"kind" and its parameters, reading the application's facts by field key (the answers to the call's
form, plus "amount_applied" and "years"):

- {"kind": "min_count", "field": "member_municipalities", "min": 4}: a multiple-choice answer
  with at least `min` values (members in at least four of the county's municipalities);
- {"kind": "any_of", "rules": [...]}: at least one of the rules holds;
- {"kind": "amount_between", "field": "amount_applied", "min": "20000", "max": "50000"}: an
  amount within bounds (either may be left out);
- {"kind": "co_financing", "grant_field": "amount_applied", "money_field": "co_financing_money",
  "hours_fields": ["paid_hours", "voluntary_hours"], "hour_value": "330", "ratio": "1"}: money
  plus hours of paid or voluntary work at `hour_value` kronor an hour is at least `ratio` times
  the grant.

`parse` checks the document (a configuration error names the rule); `explain` gives the sentences
that tell an applicant the rules; `reasons` why an application does not meet them (empty: it does).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Facts = Mapping[str, Any]
Labels = Mapping[str, str]


class RuleError(ValueError):
    """The rules document is not valid; the message names the rule (for staff)."""


def _amount(value: Any, where: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise RuleError(f"{where}: {value!r} is not an amount") from exc
    if not result.is_finite() or result < 0:
        raise RuleError(f"{where}: {value!r} is not an amount")
    return result


def kronor(value: Decimal) -> str:
    """An amount in whole kronor with a space between thousands, as Swedish writes it."""
    whole = int(value.quantize(Decimal(1)))
    return f"{whole:,}".replace(",", "\u00a0")


def _number(facts: Facts, key: str) -> Decimal | None:
    value = facts.get(key)
    if value is None or value == "":
        return None
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


def _label(labels: Labels, key: str) -> str:
    return labels.get(key, key)


@dataclass(frozen=True)
class MinCount:
    field: str
    min: int

    def explain(self, labels: Labels) -> str:
        return _("%(field)s: minst %(min)s.") % {"field": _label(labels, self.field), "min": self.min}

    def holds(self, facts: Facts) -> bool:
        return len(set(facts.get(self.field) or ())) >= self.min

    def reasons(self, facts: Facts, labels: Labels) -> list[str]:
        if self.holds(facts):
            return []
        count = len(set(facts.get(self.field) or ()))
        return [
            ngettext(
                "%(field)s: %(count)s angiven, minst %(min)s behövs.",
                "%(field)s: %(count)s angivna, minst %(min)s behövs.",
                count,
            )
            % {"field": _label(labels, self.field), "count": count, "min": self.min}
        ]


@dataclass(frozen=True)
class AmountBetween:
    field: str
    min: Decimal | None
    max: Decimal | None

    def explain(self, labels: Labels) -> str:
        name = _label(labels, self.field)
        if self.min is not None and self.max is not None:
            return _("%(field)s: %(min)s–%(max)s kronor.") % {
                "field": name,
                "min": kronor(self.min),
                "max": kronor(self.max),
            }
        if self.min is not None:
            return _("%(field)s: minst %(min)s kronor.") % {"field": name, "min": kronor(self.min)}
        return _("%(field)s: högst %(max)s kronor.") % {"field": name, "max": kronor(self.max or Decimal(0))}

    def holds(self, facts: Facts) -> bool:
        value = _number(facts, self.field)
        if value is None:
            return False
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def reasons(self, facts: Facts, labels: Labels) -> list[str]:
        if self.holds(facts):
            return []
        value = _number(facts, self.field)
        if value is None:
            return [_("%(field)s saknas.") % {"field": _label(labels, self.field)}]
        return [
            _("%(field)s är %(value)s kronor. %(rule)s")
            % {"field": _label(labels, self.field), "value": kronor(value), "rule": self.explain(labels)}
        ]


@dataclass(frozen=True)
class CoFinancing:
    grant_field: str
    money_field: str
    hours_fields: tuple[str, ...]
    hour_value: Decimal
    ratio: Decimal

    def explain(self, labels: Labels) -> str:
        if self.ratio == 1:
            text = _("Medfinansieringen ska vara minst lika stor som bidraget.")
        else:
            text = _("Medfinansieringen ska vara minst %(ratio)s gånger bidraget.") % {"ratio": self.ratio.normalize()}
        if self.hours_fields:
            text += " " + _("En timmes betalt eller ideellt arbete räknas som %(value)s kronor.") % {
                "value": kronor(self.hour_value)
            }
        return text

    def total(self, facts: Facts) -> tuple[Decimal, Decimal, Decimal]:
        """(money, hours, the co-financing in kronor)."""
        money = _number(facts, self.money_field) or Decimal(0)
        hours = sum((_number(facts, key) or Decimal(0) for key in self.hours_fields), Decimal(0))
        return money, hours, money + hours * self.hour_value

    def holds(self, facts: Facts) -> bool:
        grant = _number(facts, self.grant_field)
        return grant is not None and self.total(facts)[2] >= grant * self.ratio

    def reasons(self, facts: Facts, labels: Labels) -> list[str]:
        if self.holds(facts):
            return []
        grant = _number(facts, self.grant_field)
        if grant is None:
            return [_("%(field)s saknas.") % {"field": _label(labels, self.grant_field)}]
        money, hours, total = self.total(facts)
        return [
            _(
                "Medfinansieringen är %(total)s kronor (%(money)s kronor och %(hours)s timmar à %(value)s kronor) "
                "men ska vara minst %(needed)s kronor."
            )
            % {
                "total": kronor(total),
                "money": kronor(money),
                "hours": format(hours.normalize(), "f") if hours else 0,
                "value": kronor(self.hour_value),
                "needed": kronor(grant * self.ratio),
            }
        ]


@dataclass(frozen=True)
class AnyOf:
    rules: tuple[Rule, ...] = field(default_factory=tuple)

    def explain(self, labels: Labels) -> str:
        parts = [_("(%(n)s) %(rule)s") % {"n": n, "rule": r.explain(labels)} for n, r in enumerate(self.rules, 1)]
        return _("Minst ett av följande: %(rules)s") % {"rules": " ".join(parts)}

    def holds(self, facts: Facts) -> bool:
        return any(rule.holds(facts) for rule in self.rules)

    def reasons(self, facts: Facts, labels: Labels) -> list[str]:
        if self.holds(facts):
            return []
        return [
            _("Inget av villkoren är uppfyllt: %(reasons)s")
            % {"reasons": " ".join(reason for rule in self.rules for reason in rule.reasons(facts, labels))}
        ]


Rule = MinCount | AmountBetween | CoFinancing | AnyOf


def _parse_rule(item: Any, where: str) -> Rule:
    if not isinstance(item, dict) or "kind" not in item:
        raise RuleError(f"{where}: a rule is an object with a kind")
    kind = item["kind"]
    try:
        if kind == "min_count":
            minimum = item["min"]
            if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1:
                raise RuleError(f"{where}: min is a whole number from 1")
            return MinCount(field=str(item["field"]), min=minimum)
        if kind == "amount_between":
            low = None if item.get("min") is None else _amount(item["min"], where)
            high = None if item.get("max") is None else _amount(item["max"], where)
            if low is None and high is None:
                raise RuleError(f"{where}: amount_between needs min or max")
            if low is not None and high is not None and low > high:
                raise RuleError(f"{where}: min is above max")
            return AmountBetween(field=str(item["field"]), min=low, max=high)
        if kind == "co_financing":
            hours = item.get("hours_fields", [])
            if not isinstance(hours, list):
                raise RuleError(f"{where}: hours_fields is a list of field keys")
            return CoFinancing(
                grant_field=str(item.get("grant_field", "amount_applied")),
                money_field=str(item["money_field"]),
                hours_fields=tuple(str(h) for h in hours),
                hour_value=_amount(item.get("hour_value", 0), where),
                ratio=_amount(item.get("ratio", 1), where),
            )
        if kind == "any_of":
            rules = item["rules"]
            if not isinstance(rules, list) or len(rules) < 2:
                raise RuleError(f"{where}: any_of needs at least two rules")
            return AnyOf(tuple(_parse_rule(r, f"{where}.{n}") for n, r in enumerate(rules, 1)))
    except KeyError as exc:
        raise RuleError(f"{where}: {kind} needs {exc.args[0]}") from exc
    raise RuleError(f"{where}: unknown kind {kind!r}")


def parse(document: Any) -> tuple[Rule, ...]:
    """The rules of a programme, or RuleError. An empty list means anyone may apply."""
    if not isinstance(document, list):
        raise RuleError("the rules are a list")
    return tuple(_parse_rule(item, f"rule {n}") for n, item in enumerate(document, 1))


def fields_read(rules: Sequence[Rule]) -> frozenset[str]:
    """The facts (field keys) the rules read: a call's form must ask for them."""
    keys: set[str] = set()
    for rule in rules:
        if isinstance(rule, MinCount | AmountBetween):
            keys.add(rule.field)
        elif isinstance(rule, CoFinancing):
            keys |= {rule.grant_field, rule.money_field, *rule.hours_fields}
        elif isinstance(rule, AnyOf):
            keys |= fields_read(rule.rules)
    return frozenset(keys)


def explain(rules: Sequence[Rule], labels: Labels) -> list[str]:
    return [rule.explain(labels) for rule in rules]


def reasons(rules: Sequence[Rule], facts: Facts, labels: Labels) -> list[str]:
    """Why the application does not meet the rules, one sentence per failed rule; empty when it does."""
    return [reason for rule in rules for reason in rule.reasons(facts, labels)]
