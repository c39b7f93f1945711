"""Building an impact map one row at a time, as the analysis's build page does. Pure: no database.

The map is the engine's JSON document (camelCase, docs/social-value-schema.md). These functions
return a changed copy; whether the result is a valid map is the engine's to say (the service runs
it through the same validation as an uploaded file). What only a step-by-step editor can get
wrong is refused here with a MapEditError: removing a stakeholder that inputs or outcomes still
name, or the last stakeholder or outcome (a map needs one of each).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any

from .engine.i18n import _

# The kinds of row the page edits: the document's list and the prefix of a new row's id.
KINDS = {"stakeholder": ("stakeholders", "s"), "input": ("inputs", "i"), "outcome": ("outcomes", "u")}


class MapEditError(ValueError):
    """A change the map cannot take, with a message for the user."""


def _list(kind: str) -> str:
    if kind not in KINDS:
        raise MapEditError(_("Okänd sorts rad: %(kind)s.") % {"kind": kind})
    return KINDS[kind][0]


def new_id(document: dict[str, Any] | None, kind: str) -> str:
    """The next free id of the kind: s1, s2, … for stakeholders, i1 … inputs, u1 … outcomes."""
    prefix = KINDS[kind][1]
    taken = {str(item.get("id")) for item in (document or {}).get(_list(kind), [])}
    numbers = [int(m.group(1)) for t in taken if (m := re.fullmatch(rf"{prefix}(\d+)", t))]
    number = max(numbers, default=0) + 1
    while f"{prefix}{number}" in taken:  # pragma: no cover - only with ids written by hand
        number += 1
    return f"{prefix}{number}"


def start(*, name: str, stakeholder: str, outcome: dict[str, Any]) -> dict[str, Any]:
    """A first map: its name, one stakeholder and one outcome for that stakeholder."""
    stakeholder_id = "s1"
    return {
        "name": name,
        "stakeholders": [{"id": stakeholder_id, "name": stakeholder}],
        "inputs": [],
        "outcomes": [{**outcome, "id": "u1", "stakeholder": stakeholder_id}],
    }


def find(document: dict[str, Any] | None, kind: str, item_id: str) -> tuple[int, dict[str, Any]]:
    """The position and row of an id; a MapEditError if the map has no such row."""
    for index, item in enumerate((document or {}).get(_list(kind), [])):
        if str(item.get("id")) == item_id:
            return index, item
    raise MapEditError(_("Raden finns inte längre i effektkartan."))


def put(
    document: dict[str, Any],
    kind: str,
    values: dict[str, Any],
    item_id: str | None = None,
    managed: Iterable[str] | None = None,
) -> tuple[dict[str, Any], int]:
    """The map with a row added (item_id None: it gets a new id) or replaced; and the row's position.

    Of the keys `managed` names (the fields a form shows), those left out of `values` are dropped
    from the row; keys the caller does not manage (distributions, justifications, a transfer mark,
    a derivation, set in a workbook or the API) are kept. Without `managed`, the row is `values`."""
    changed = copy.deepcopy(document)
    rows = changed.setdefault(_list(kind), [])
    if item_id is None:
        rows.append({**values, "id": new_id(changed, kind)})
        return changed, len(rows) - 1
    index, row = find(changed, kind, item_id)
    kept = {} if managed is None else {key: value for key, value in row.items() if key not in set(managed)}
    rows[index] = {**kept, **values, "id": item_id}
    return changed, index


def remove(document: dict[str, Any], kind: str, item_id: str) -> dict[str, Any]:
    """The map without the row; distributions on the row's assumptions go with it."""
    changed = copy.deepcopy(document)
    index, _row = find(changed, kind, item_id)
    name = _list(kind)
    if kind == "stakeholder":
        using = [
            row
            for other in ("inputs", "outcomes")
            for row in changed.get(other, [])
            if row.get("stakeholder") == item_id
        ]
        if using:
            raise MapEditError(
                _("Intressenten har %(n)s insatser eller utfall. Ta bort eller flytta dem först.") % {"n": len(using)}
            )
    if kind in ("stakeholder", "outcome") and len(changed[name]) == 1:
        if kind == "stakeholder":
            raise MapEditError(_("En effektkarta behöver minst en intressent."))
        raise MapEditError(_("En effektkarta behöver minst ett utfall."))
    del changed[name][index]
    prefix = f"{name}.{item_id}."
    if changed.get("distributions"):
        changed["distributions"] = [
            d for d in changed["distributions"] if not d.get("assumption", "").startswith(prefix)
        ]
    return changed


def field_of(path: str, kind: str, index: int) -> str | None:
    """The row field an engine error path names, when it is about this row: "outcomes[2].proxy" → "proxy"."""
    match = re.fullmatch(rf"{re.escape(_list(kind))}\[{index}\]\.(\w+)", path)
    return match.group(1) if match else None
