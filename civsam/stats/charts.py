"""Server-drawn SVG charts of the sector statistics. No database, no JavaScript.

Readable in greyscale: one ink for every bar and column, each value written at its bar, and the
page prints the same numbers in a table beneath (core/charts.py has the accessible root)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

from civsam.core.charts import GRID, INK, fmt, svg_root

BAR = "#3d4652"
HIGHLIGHT = "#8a939e"  # the area the page is about, told apart by a label as well as the shade

Value = Decimal | int | float | None


def _svg(root: ET.Element) -> SafeString:
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308 - built from escaped ElementTree nodes


def columns(
    *, chart_id: str, title: str, rows: Sequence[tuple[str, Value]], unit: str, decimals: int = 0
) -> SafeString:
    """A trend: one column per (year, value), the value written above each column."""
    width, height, left, bottom, top = 640, 220, 8, 28, 24
    count = max(len(rows), 1)
    slot = (width - left * 2) / count
    bar_w = min(56.0, slot * 0.7)
    high = max([float(v) for _label, v in rows if v is not None] + [0.0]) or 1.0
    plot_h = height - top - bottom
    description = f"{unit}. " + "; ".join(f"{label}: {fmt(value, decimals)}" for label, value in rows)
    root = svg_root(chart_id, width, height, str(title), description, font_size=12)
    base = height - bottom
    ET.SubElement(root, "line", {"x1": "0", "x2": str(width), "y1": str(base), "y2": str(base), "stroke": GRID})
    for index, (label, value) in enumerate(rows):
        x = left + index * slot + (slot - bar_w) / 2
        size = 0.0 if value is None else max(float(value) / high * plot_h, 1.0 if value else 0.0)
        ET.SubElement(
            root,
            "rect",
            {"x": f"{x:.1f}", "y": f"{base - size:.1f}", "width": f"{bar_w:.1f}", "height": f"{size:.1f}", "fill": BAR},
        )
        middle = f"{x + bar_w / 2:.1f}"
        ET.SubElement(
            root, "text", {"x": middle, "y": f"{base - size - 5:.1f}", "text-anchor": "middle", "fill": INK}
        ).text = fmt(value, decimals)
        ET.SubElement(
            root, "text", {"x": middle, "y": str(height - 9), "text-anchor": "middle", "fill": INK}
        ).text = str(label)
    return _svg(root)


def bars(
    *,
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Value]],
    unit: str,
    decimals: int = 0,
    highlight: str | None = None,
) -> SafeString:
    """A comparison: one horizontal bar per (label, value) in the order given; the highlighted
    label is drawn lighter and marked with an arrow, so it stands out without colour."""
    width, label_w, value_w, bar_h, gap, top = 640, 200, 110, 18, 8, 8
    plot_w = width - label_w - value_w
    height = top * 2 + max(len(rows), 1) * (bar_h + gap)
    high = max([float(v) for _label, v in rows if v is not None] + [0.0]) or 1.0
    description = f"{unit}. " + "; ".join(f"{label}: {fmt(value, decimals)}" for label, value in rows)
    root = svg_root(chart_id, width, height, str(title), description, font_size=12)
    ET.SubElement(root, "line", {"x1": str(label_w), "x2": str(label_w), "y1": "0", "y2": str(height), "stroke": GRID})
    for index, (label, value) in enumerate(rows):
        label = str(label)
        y = top + index * (bar_h + gap)
        marked = highlight is not None and label == highlight
        text = label if len(label) <= 30 else label[:29] + "…"
        ET.SubElement(
            root, "text", {"x": str(label_w - 6), "y": f"{y + bar_h - 5}", "text-anchor": "end", "fill": INK}
        ).text = f"▶ {text}" if marked else text
        length = 0.0 if value is None else max(float(value) / high * plot_w, 1.0 if value else 0.0)
        ET.SubElement(
            root,
            "rect",
            {
                "x": str(label_w),
                "y": str(y),
                "width": f"{length:.1f}",
                "height": str(bar_h),
                "fill": HIGHLIGHT if marked else BAR,
                "stroke": INK if marked else "none",
            },
        )
        ET.SubElement(
            root, "text", {"x": f"{label_w + length + 6:.1f}", "y": f"{y + bar_h - 5}", "fill": INK}
        ).text = fmt(value, decimals)
    return _svg(root)
