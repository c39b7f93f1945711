"""The knowledge chart of the results page: before and after per target group, as inline SVG.

No database. Readable in greyscale: "before" bars are hatched and "after" bars solid, every bar
carries its value as text, and the page prints the same numbers as a table next to the chart.
Suppressed groups (too few answers) are left out of the chart as they are out of the table.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from civsam.core.charts import INK, MUTED, Chart, fmt, svg_root

from .survey_stats import GroupChange

WIDTH, LABEL_W, BAR_H, GAP, TOP = 640, 170, 16, 14, 34
SCALE_MAX = 5.0


def _el(parent: ET.Element, tag: str, **attrs) -> ET.Element:
    return ET.SubElement(parent, tag, {k.replace("_", "-"): str(v) for k, v in attrs.items()})


def knowledge_chart(
    rows: Sequence[GroupChange], labels: dict[str, str], *, chart_id: str = "knowledge"
) -> Chart | None:
    shown = [r for r in rows if r.mean_before is not None or r.mean_after is not None]
    if not shown:
        return None
    title = _("Kunskap före och efter, per målgrupp")
    description = "; ".join(
        _("%(group)s: före %(before)s, efter %(after)s")
        % {"group": labels.get(r.group, r.group), "before": fmt(r.mean_before), "after": fmt(r.mean_after)}
        for r in shown
    )
    height = TOP + len(shown) * (2 * BAR_H + GAP) + 24
    root = svg_root(chart_id, WIDTH, height, title, description)
    pattern = _el(
        _el(root, "defs"),
        "pattern",
        id=f"{chart_id}-hatch",
        patternUnits="userSpaceOnUse",
        width=6,
        height=6,
        patternTransform="rotate(45)",
    )
    _el(pattern, "rect", x=0, y=0, width=6, height=6, fill="#ffffff")
    _el(pattern, "line", x1=0, y1=0, x2=0, y2=6, stroke=INK, stroke_width="2.5")
    span = WIDTH - LABEL_W - 60

    def x(value: float) -> float:
        return LABEL_W + value / SCALE_MAX * span

    for tick in range(6):
        _el(root, "line", x1=f"{x(tick):.1f}", y1=TOP - 6, x2=f"{x(tick):.1f}", y2=height - 20, stroke="#c9d0d8")
        _el(root, "text", x=f"{x(tick):.1f}", y=height - 6, fill=MUTED, text_anchor="middle").text = str(tick)
    legend = _el(root, "g")
    _el(legend, "rect", x=LABEL_W, y=6, width=14, height=12, fill=f"url(#{chart_id}-hatch)", stroke=INK)
    _el(legend, "text", x=LABEL_W + 20, y=17, fill=INK).text = _("Före")
    _el(legend, "rect", x=LABEL_W + 90, y=6, width=14, height=12, fill=INK)
    _el(legend, "text", x=LABEL_W + 110, y=17, fill=INK).text = _("Efter")
    y = TOP
    for row in shown:
        _el(root, "text", x=LABEL_W - 8, y=f"{y + BAR_H + 4:.1f}", fill=INK, text_anchor="end").text = labels.get(
            row.group, row.group
        )
        for offset, value, fill in ((0, row.mean_before, f"url(#{chart_id}-hatch)"), (BAR_H, row.mean_after, INK)):
            if value is None:
                continue
            _el(
                root,
                "rect",
                x=LABEL_W,
                y=f"{y + offset:.1f}",
                width=f"{x(value) - LABEL_W:.1f}",
                height=BAR_H - 2,
                fill=fill,
                stroke=INK,
            )
            _el(root, "text", x=f"{x(value) + 6:.1f}", y=f"{y + offset + BAR_H - 4:.1f}", fill=INK).text = fmt(value)
        y += 2 * BAR_H + GAP
    # ElementTree escapes every text and attribute value; the markup is ours alone.
    return Chart(mark_safe(ET.tostring(root, encoding="unicode")), title, description)  # noqa: S308
