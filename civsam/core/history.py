"""The change history in words (ADR 0091): an audit entry's {field: [old, new]} as the field's label
and its values as people know them, for every history and timeline page.

"activity_classes: ['4']" becomes "Verksamhetsområden: Kultur och fritid": the label is the model
field's verbose_name, codes of reference data (activity classes, municipalities, legal forms,
roles, principles: anything with a ``code``) become their names, choices their display text,
booleans Ja/Nej, numbers a decimal comma, times local. A field the model no longer has keeps a
readable form of its name; a code no longer in the reference data stays as it was written.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _


def readable_changes(
    model: type[models.Model] | None, changes: Mapping[str, Any] | None, *, labels: Mapping[str, Any] | None = None
) -> list[tuple[str, str, str]]:
    """(label, old, new) for each change, in words; empty values as ""."""
    rows = []
    for name, pair in (changes or {}).items():
        field = _field(model, name)
        old, new = [*pair, None, None][:2] if isinstance(pair, (list, tuple)) else (None, pair)
        label = (labels or {}).get(name) or (field.verbose_name if field is not None else name.replace("_", " "))
        rows.append((capfirst(str(label)), value_in_words(field, old), value_in_words(field, new)))
    return rows


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if hasattr(field, "verbose_name") else None  # not a reverse relation


def value_in_words(field: Any, value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, (list, tuple)):
        names = _reference_names(field, value)
        return ", ".join(names.get(str(v), str(v)) for v in value)
    if isinstance(value, dict):  # {year: value} of a removed indicator
        return "; ".join(f"{key}: {value_in_words(None, item)}" for key, item in value.items())
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and (field.many_to_one or field.one_to_one) and not isinstance(value, str):
        return _reference_names(field, [value], by_pk=True).get(str(value), str(value))
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        return _local_time(value)
    if isinstance(value, (float, Decimal)) or (isinstance(value, str) and _DECIMAL.fullmatch(value)):
        return decimal_in_words(value)
    return str(value)


_DECIMAL = re.compile(r"-?\d+\.\d+")


def decimal_in_words(value: Any) -> str:
    """A stored decimal as Swedes write it: "7.0000" as "7", "50.80" as "50,8"."""
    number = Decimal(str(value))
    return format(number.normalize(), "f").replace(".", ",")


def _reference_names(field: Any, values: Iterable[Any], *, by_pk: bool = False) -> dict[str, str]:
    """{code (or pk): name} of the related model's rows with these codes."""
    related = getattr(field, "related_model", None) if field is not None else None
    if related is None:
        return {}
    key = "pk" if by_pk else "code"
    if not by_pk and not any(f.name == "code" for f in related._meta.get_fields()):
        key = "pk"
    wanted = [str(v) for v in values]
    try:
        found = related._default_manager.filter(**{f"{key}__in": wanted})
        return {str(getattr(obj, key)): str(obj) for obj in found}
    except (ValueError, TypeError):
        return {}


def _local_time(text: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return text
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%Y-%m-%d %H:%M}"
