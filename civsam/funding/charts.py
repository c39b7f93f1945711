"""Server-drawn SVG bar charts for the grant statistics. No database, no JavaScript.

Readable in greyscale: one solid ink for every bar, the value written beside each bar and the
category name before it, so that no meaning rests on colour; the page prints the same numbers
as a table beneath the chart (core/charts.py has the accessible root)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

from civsam.core.charts import GRID, INK, fmt, svg_root

BAR = "#3d4652"


def bar_chart(
    *, chart_id: str, title: str, rows: Sequence[tuple[str, Decimal | None]], unit: str, decimals: int = 0
) -> SafeString:
    """Horizontal bars, one per (label, value), in the order given."""
    width, label_w, value_w, bar_h, gap, top = 640, 210, 120, 18, 8, 8
    plot_w = width - label_w - value_w
    height = top * 2 + max(len(rows), 1) * (bar_h + gap)
    high = max([float(v) for _label, v in rows if v is not None] + [0.0]) or 1.0
    description = f"{unit}. " + "; ".join(f"{label}: {fmt(value, decimals)}" for label, value in rows)
    root = svg_root(chart_id, width, height, str(title), description, font_size=12)
    ET.SubElement(root, "line", {"x1": str(label_w), "x2": str(label_w), "y1": "0", "y2": str(height), "stroke": GRID})
    for index, (label, value) in enumerate(rows):
        label = str(label)
        y = top + index * (bar_h + gap)
        text = label if len(label) <= 32 else label[:31] + "…"
        ET.SubElement(
            root, "text", {"x": str(label_w - 6), "y": f"{y + bar_h - 5}", "text-anchor": "end", "fill": INK}
        ).text = text
        length = 0.0 if value is None else max(float(value) / high * plot_w, 1.0 if value else 0.0)
        ET.SubElement(
            root, "rect", {"x": str(label_w), "y": str(y), "width": f"{length:.1f}", "height": str(bar_h), "fill": BAR}
        )
        ET.SubElement(
            root, "text", {"x": f"{label_w + length + 6:.1f}", "y": f"{y + bar_h - 5}", "fill": INK}
        ).text = fmt(value, decimals)
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308 - built from escaped ElementTree nodes
