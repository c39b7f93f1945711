"""What the statistics pages pass to their map of the municipalities (choropleth.py draws it)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from civsam.core.charts import fmt

from . import choropleth


def municipality_map(
    *, comparison: Sequence[dict[str, Any]], rated: bool, year: int, current: str | None
) -> dict[str, Any] | None:
    """The map, its legend and its source for the year's comparison rows (dicts with "row", a stored
    Figure per municipality, and "per_1000"); None without rows."""
    if not comparison:
        return None
    decimals = 2 if rated else 0
    values: dict[str, Decimal | int | None] = {}
    texts: dict[str, str] = {}
    for entry in comparison:
        row = entry["row"]
        value = entry["per_1000"] if rated else row.value
        values[row.key] = value
        if value is None:
            texts[row.key] = _("uppgift saknas")
        elif rated:
            texts[row.key] = _("%(rate)s organisationer per 1 000 invånare") % {"rate": fmt(value, 2)}
        else:
            texts[row.key] = _("%(count)s organisationer") % {"count": fmt(value, 0)}
    map_classes = choropleth.classes(list(values.values()))
    unit = _("organisationer per 1 000 invånare") if rated else _("organisationer")
    title = (
        _("Karta: organisationer per 1 000 invånare %(year)s per kommun")
        if rated
        else _("Karta: organisationer %(year)s per kommun")
    ) % {"year": year}
    boundaries = choropleth.boundaries()
    names = {shape.code: shape.name for shape in boundaries.shapes}
    description = _("Länets tolv kommuner i %(count)s gråskaleklasser, mörkare betyder fler %(unit)s. ") % {
        "count": len(map_classes),
        "unit": unit,
    } + "; ".join(f"{names.get(code, code)}: {texts[code]}" for code in sorted(texts, key=lambda c: names.get(c, c)))
    svg = choropleth.draw(
        map_id="municipality-map",
        title=title,
        description=description,
        values=values,
        links={code: reverse("stats:area", args=[code]) + f"?ar={year}" for code in names},
        value_text=texts,
        map_classes=map_classes,
        current=current,
        shapes=boundaries,
    )
    return {
        "svg": svg,
        "title": title,
        "legend": choropleth.legend(map_classes, decimals),
        "missing": any(v is None for v in values.values()) or len(values) < len(names),
        "unit": unit,
    }
