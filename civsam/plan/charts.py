"""Server-drawn SVG charts for the follow-up pages and the report. No database, no JavaScript.

Readable in greyscale: actual values are solid bars with their number written on them, targets
a dashed line with square markers and the word for target in the legend; progress bars carry
their percentage as text. Each chart has a <title> and <desc>, and the page prints the numbers
behind it as a table beside it (docs/adr/0009-pdf-reports.md).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from civsam.core.charts import GRID, INK, svg_root
from civsam.core.charts import fmt as core_fmt

BAR = "#3d4652"
TRACK = "#e6e9ed"


def fmt(value: Decimal | float | None, decimals: int = 0) -> str:
    """Whole numbers unless asked otherwise: the follow-up pages show counts and percentages."""
    return core_fmt(value, decimals)


def _text(parent, x, y, text, **attrs) -> None:
    attributes = {"x": f"{x:.1f}", "y": f"{y:.1f}", "fill": INK}
    attributes.update({k.replace("_", "-"): v for k, v in attrs.items()})
    ET.SubElement(parent, "text", attributes).text = text


def _done(root: ET.Element) -> SafeString:
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308 - built from escaped ElementTree nodes


def indicator_chart(
    *,
    chart_id: str,
    title: str,
    years: Sequence[int],
    actual: Sequence[Decimal | None],
    target: Sequence[Decimal | None],
    decimals: int = 0,
    unit: str = "",
) -> SafeString:
    """Bars for the actual values, a dashed line with square markers for the targets."""
    width, height = 560, 240
    left, right, top, bottom = 56, 16, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    numbers = [float(v) for v in (*actual, *target) if v is not None]
    high = max([*numbers, 0.0]) or 1.0
    low = min([*numbers, 0.0])
    span = (high - low) or 1.0
    description = "; ".join(
        f"{y}: {_('utfall')} {fmt(a, decimals)}, {_('mål')} {fmt(t, decimals)}"
        for y, a, t in zip(years, actual, target, strict=True)
    )
    root = svg_root(chart_id, width, height, title, f"{unit}. {description}" if unit else description, font_size=12)

    def y_of(value: float) -> float:
        return top + plot_h - (value - low) / span * plot_h

    for step in range(5):
        value = low + span * step / 4
        y = y_of(value)
        ET.SubElement(
            root,
            "line",
            {"x1": str(left), "x2": str(width - right), "y1": f"{y:.1f}", "y2": f"{y:.1f}", "stroke": GRID},
        )
        _text(root, left - 6, y + 4, fmt(value, decimals), text_anchor="end")
    n = max(len(years), 1)
    slot = plot_w / n
    bar_w = slot * 0.5
    points = []
    for i, (year, a, t) in enumerate(zip(years, actual, target, strict=True)):
        cx = left + slot * i + slot / 2
        _text(root, cx, height - bottom + 16, str(year), text_anchor="middle")
        if a is not None:
            y = y_of(float(a))
            base = y_of(max(low, 0.0))
            ET.SubElement(
                root,
                "rect",
                {
                    "x": f"{cx - bar_w / 2:.1f}",
                    "y": f"{min(y, base):.1f}",
                    "width": f"{bar_w:.1f}",
                    "height": f"{abs(base - y):.1f}",
                    "fill": BAR,
                },
            )
            _text(root, cx, min(y, base) - 4, fmt(a, decimals), text_anchor="middle", font_weight="600")
        if t is not None:
            points.append((cx, y_of(float(t))))
    if points:
        ET.SubElement(
            root,
            "polyline",
            {
                "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                "fill": "none",
                "stroke": INK,
                "stroke-width": "2",
                "stroke-dasharray": "6 4",
            },
        )
        for x, y in points:
            ET.SubElement(
                root,
                "rect",
                {
                    "x": f"{x - 4:.1f}",
                    "y": f"{y - 4:.1f}",
                    "width": "8",
                    "height": "8",
                    "fill": "#ffffff",
                    "stroke": INK,
                    "stroke-width": "2",
                },
            )
    # Legend: the marks differ by shape and line style, not by colour.
    ET.SubElement(root, "rect", {"x": str(left), "y": "8", "width": "14", "height": "10", "fill": BAR})
    _text(root, left + 20, 17, pgettext("indicator value", "Utfall"))
    ET.SubElement(
        root,
        "line",
        {
            "x1": str(left + 90),
            "x2": str(left + 120),
            "y1": "13",
            "y2": "13",
            "stroke": INK,
            "stroke-width": "2",
            "stroke-dasharray": "6 4",
        },
    )
    ET.SubElement(
        root,
        "rect",
        {
            "x": str(left + 101),
            "y": "9",
            "width": "8",
            "height": "8",
            "fill": "#ffffff",
            "stroke": INK,
            "stroke-width": "2",
        },
    )
    _text(root, left + 126, 17, pgettext("indicator target", "Mål"))
    return _done(root)


def progress_chart(*, chart_id: str, title: str, rows: Sequence[tuple[str, float | None]]) -> SafeString:
    """Horizontal bars 0–100 %, each labelled with its percentage (or 'no data')."""
    label_w, bar_w, row_h = 300, 300, 26
    width, height = label_w + bar_w + 70, row_h * len(rows) + 16
    description = "; ".join(f"{label}: {fmt(v) + ' %' if v is not None else _('inga insatser')}" for label, v in rows)
    root = svg_root(chart_id, width, height, title, description, font_size=12)
    for i, (label, value) in enumerate(rows):
        y = 8 + i * row_h
        short = label if len(label) <= 46 else label[:45] + "…"
        _text(root, 0, y + 15, short)
        ET.SubElement(
            root,
            "rect",
            {"x": str(label_w), "y": str(y + 3), "width": str(bar_w), "height": "16", "fill": TRACK, "stroke": GRID},
        )
        if value is not None:
            ET.SubElement(
                root,
                "rect",
                {
                    "x": str(label_w),
                    "y": str(y + 3),
                    "width": f"{bar_w * value / 100:.1f}",
                    "height": "16",
                    "fill": BAR,
                },
            )
        _text(root, label_w + bar_w + 8, y + 16, f"{fmt(value)} %" if value is not None else _("inga data"))
    return _done(root)
