"""The answers to a call's application form, as stored (JSON) and as read (typed). Pure Python.

A form is a list of fields (CallField rows: key, label, kind, required, choices). Answers are kept
as one JSON object by field key, each value in a plain JSON shape for its kind, so that a form can
change between calls without a migration and last year's answers can be offered again.

| kind           | stored as                | read as        |
|----------------|--------------------------|----------------|
| text, textarea | string                   | str            |
| integer        | number (whole)           | int            |
| amount         | string "12500.00"        | Decimal        |
| date           | string "2026-03-31"      | date           |
| yesno          | true / false             | bool           |
| choice         | string (one of choices)  | str            |
| multichoice    | list of strings          | list[str]      |
| municipalities | list of municipality codes | list[str]    |
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

TEXT, TEXTAREA, INTEGER, AMOUNT, DATE, YESNO, CHOICE, MULTICHOICE, MUNICIPALITIES = (
    "text",
    "textarea",
    "integer",
    "amount",
    "date",
    "yesno",
    "choice",
    "multichoice",
    "municipalities",
)
KINDS = (TEXT, TEXTAREA, INTEGER, AMOUNT, DATE, YESNO, CHOICE, MULTICHOICE, MUNICIPALITIES)
LISTS = (MULTICHOICE, MUNICIPALITIES)
MAX_TEXT = 10_000
MAX_AMOUNT = Decimal("1000000000")


class AnswerError(ValueError):
    """An answer does not fit its field; the message says why, in Swedish."""


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = field(default_factory=tuple)  # for choice and multichoice; codes for municipalities


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def to_stored(kind: str, value: Any) -> Any:
    """A typed value (as a Django form cleans it) in its stored JSON shape; None when empty."""
    if is_empty(value):
        return None
    if kind == AMOUNT:
        return str(Decimal(value).quantize(Decimal("0.01")))
    if kind == DATE:
        return value.isoformat()
    if kind == INTEGER:
        return int(value)
    if kind == YESNO:
        return bool(value)
    if kind in LISTS:
        return sorted(str(v) for v in value)
    return str(value)


def from_stored(kind: str, value: Any) -> Any:
    """A stored value typed for reading (rules, forms); None when empty or not of its kind."""
    if is_empty(value):
        return None
    try:
        if kind == AMOUNT:
            return Decimal(str(value))
        if kind == DATE:
            return datetime.date.fromisoformat(str(value))
        if kind == INTEGER:
            return int(value)
        if kind == YESNO:
            return bool(value)
        if kind in LISTS:
            return [str(v) for v in value] if isinstance(value, list) else None
    except (ValueError, TypeError, InvalidOperation):
        return None
    return str(value)


def parse_json(spec: FieldSpec, raw: Any) -> Any:
    """An answer sent as JSON (the API), checked against its field and returned in its stored shape
    (None when empty). Raises AnswerError."""
    if is_empty(raw):
        return None
    kind = spec.kind
    if kind in (TEXT, TEXTAREA, CHOICE):
        if not isinstance(raw, str):
            raise AnswerError(_("ska vara en text"))
        if len(raw) > MAX_TEXT or (kind == TEXT and len(raw) > 500):
            raise AnswerError(_("är för lång"))
        if kind == CHOICE and raw not in spec.choices:
            raise AnswerError(_("ska vara ett av: %(choices)s") % {"choices": ", ".join(spec.choices)})
        return raw
    if kind == INTEGER:
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 10_000_000:
            raise AnswerError(_("ska vara ett heltal från 0"))
        return raw
    if kind == AMOUNT:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise AnswerError(_("ska vara ett belopp i kronor"))
        try:
            amount = Decimal(str(raw))
        except InvalidOperation as exc:
            raise AnswerError(_("ska vara ett belopp i kronor")) from exc
        if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
            raise AnswerError(_("ska vara ett belopp i kronor, från 0 och med högst två decimaler"))
        return to_stored(AMOUNT, amount)
    if kind == DATE:
        message = _("ska vara ett datum, ÅÅÅÅ-MM-DD")
        if not isinstance(raw, str) or len(raw) != 10:
            raise AnswerError(message)
        try:
            return datetime.date.fromisoformat(raw).isoformat()
        except ValueError as exc:
            raise AnswerError(message) from exc
    if kind == YESNO:
        if not isinstance(raw, bool):
            raise AnswerError(_("ska vara true eller false"))
        return raw
    if kind in LISTS:
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise AnswerError(_("ska vara en lista med texter"))
        unknown = sorted(set(raw) - set(spec.choices))
        if unknown:
            raise AnswerError(_("okända värden: %(values)s") % {"values": ", ".join(unknown)})
        return sorted(set(raw))
    raise AnswerError(_("okänd fälttyp"))


def missing(specs: Iterable[FieldSpec], answers: Mapping[str, Any]) -> list[FieldSpec]:
    """The required fields without an answer."""
    return [spec for spec in specs if spec.required and is_empty(answers.get(spec.key))]


def facts(specs: Iterable[FieldSpec], answers: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """The answers typed by their fields, plus `extra` (amount_applied, years): what rules read."""
    result = {spec.key: from_stored(spec.kind, answers.get(spec.key)) for spec in specs}
    result.update(extra)
    return result


def carried_over(specs: Iterable[FieldSpec], previous: Mapping[str, Any]) -> dict[str, Any]:
    """Last time's answers that still fit this form (same key, same kind of value, a choice still
    offered): what a new application starts from when the applicant takes them up."""
    kept: dict[str, Any] = {}
    for spec in specs:
        value = previous.get(spec.key)
        if is_empty(value):
            continue
        try:
            kept[spec.key] = parse_json(spec, value)
        except AnswerError:
            continue
    return {key: value for key, value in kept.items() if value is not None}
