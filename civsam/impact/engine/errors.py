"""Errors in an impact map or an account as the engine reports them: each names its field by a JSON
path (``outcomes[0].dropOff``) and says what is wrong in Swedish."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .i18n import _


@dataclass(frozen=True)
class FieldError:
    path: str
    message: str


class ImpactMapError(ValueError):
    """The impact map could not be read; each error names its field and says why in Swedish."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.path}: {e.message}" if e.path else e.message for e in errors))


def error_path(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as a JSON path: ("outcomes", 0, "dropOff") -> "outcomes[0].dropOff"."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _limit(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def swedish_message(error: Mapping[str, Any]) -> str:
    """One pydantic error as a Swedish sentence."""
    kind = error.get("type", "")
    ctx = {key: _limit(value) for key, value in (error.get("ctx") or {}).items()}
    if kind == "missing":
        return _("Fältet krävs.")
    if kind == "extra_forbidden":
        return _("Okänt fält.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Måste vara ett heltal.")
    if kind in ("float_parsing", "float_type"):
        return _("Måste vara ett tal.")
    if kind == "finite_number":
        return _("Måste vara ett ändligt tal.")
    if kind == "greater_than_equal":
        return _("Måste vara minst %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "greater_than":
        return _("Måste vara större än %(limit)s.") % {"limit": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("Får vara högst %(limit)s.") % {"limit": ctx.get("le")}
    if kind == "less_than":
        return _("Måste vara mindre än %(limit)s.") % {"limit": ctx.get("lt")}
    if kind == "string_type":
        return _("Måste vara en text.")
    if kind == "string_too_short":
        return _("Får inte vara tomt.")
    if kind == "string_too_long":
        return _("Får vara högst %(limit)s tecken.") % {"limit": ctx.get("max_length")}
    if kind == "string_pattern_mismatch":
        if error.get("loc", ())[-1:] == ("currency",):
            return _("Måste vara en valutakod med tre versaler, till exempel SEK.")
        return _("Får bara innehålla bokstäver, siffror, bindestreck och understreck.")
    if kind == "list_type":
        return _("Måste vara en lista.")
    if kind == "too_short":
        return _("Antalet poster måste vara minst %(limit)s.") % {"limit": ctx.get("min_length")}
    if kind == "too_long":
        return _("Antalet poster får vara högst %(limit)s.") % {"limit": ctx.get("max_length")}
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Måste vara ett objekt.")
    if kind == "literal_error":
        choices = str(ctx.get("expected", "")).replace("'", "").replace(" or ", _(" eller "))
        return _("Måste vara ett av: %(choices)s.") % {"choices": choices}
    if kind == "json_invalid":
        return _("Ogiltig JSON.")
    if kind == "object_type":
        return _("Måste vara ett objekt.")
    if kind in ("json_type", "json_item_type"):
        # The strict request bodies (civsam.core.apitools.InSchema): a value, or a list's value, of
        # another JSON kind than the field documents.
        json_kind = str(ctx.get("kind", ""))
        if kind == "json_item_type":
            return {
                "int": _("Varje värde i listan måste vara ett heltal."),
                "number": _("Varje värde i listan måste vara ett tal."),
                "str": _("Varje värde i listan måste vara en text."),
            }.get(json_kind, _("Listan har ett värde av fel typ."))
        return {
            "int": _("Måste vara ett heltal."),
            "number": _("Måste vara ett tal."),
            "decimal": _("Måste vara ett tal."),
            "str": _("Måste vara en text."),
            "bool": _("Måste vara true eller false."),
            "list": _("Måste vara en lista."),
            "object": _("Måste vara ett objekt."),
        }.get(json_kind, _("Ogiltigt värde."))
    return _("Ogiltigt värde.")
