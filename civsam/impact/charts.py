"""Charts for the report as inline SVG, drawn on the server: no JavaScript, no database.

Readable without colour: the two sides of a tornado bar differ by pattern (hatched and solid) and
every bar carries its number as text; reference lines differ by dash pattern and carry a label.
Each chart has a <title> and a <desc> (the text alternative), and the report prints the numbers
behind it as a table right after it.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from civsam.core.charts import GRID, INK, MUTED, Chart, fmt, svg_root

SOLID = MUTED
WIDTH = 720


def _text(parent: ET.Element, x: float, y: float, text: str, **attrs: str) -> ET.Element:
    attributes = {"x": f"{x:.1f}", "y": f"{y:.1f}", "fill": INK}
    attributes.update({key.replace("_", "-"): value for key, value in attrs.items()})
    element = ET.SubElement(parent, "text", attributes)
    element.text = text
    return element


def _line(parent: ET.Element, x1: float, y1: float, x2: float, y2: float, **attrs: str) -> None:
    attributes = {"x1": f"{x1:.1f}", "y1": f"{y1:.1f}", "x2": f"{x2:.1f}", "y2": f"{y2:.1f}", "stroke": INK}
    attributes.update({key.replace("_", "-"): value for key, value in attrs.items()})
    ET.SubElement(parent, "line", attributes)


def _rect(parent: ET.Element, x: float, y: float, width: float, height: float, **attrs: str) -> None:
    attributes = {"x": f"{x:.1f}", "y": f"{y:.1f}", "width": f"{max(width, 0.0):.1f}", "height": f"{height:.1f}"}
    attributes.update({key.replace("_", "-"): value for key, value in attrs.items()})
    ET.SubElement(parent, "rect", attributes)


def _hatch(root: ET.Element, pattern_id: str, angle: int = 45) -> None:
    defs = ET.SubElement(root, "defs")
    pattern = ET.SubElement(
        defs,
        "pattern",
        {
            "id": pattern_id,
            "patternUnits": "userSpaceOnUse",
            "width": "6",
            "height": "6",
            "patternTransform": f"rotate({angle})",
        },
    )
    _rect(pattern, 0, 0, 6, 6, fill="#ffffff")
    _line(pattern, 0, 0, 0, 6, stroke=INK, stroke_width="2.5")


def _serialise(root: ET.Element) -> SafeString:
    # ElementTree escapes every text and attribute value; the markup is ours alone.
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308


class _Scale:
    def __init__(self, low: float, high: float, left: float, right: float):
        if math.isclose(low, high):
            spread = abs(low) * 0.1 or 1.0
            low, high = low - spread, high + spread
        self.low, self.high, self.left, self.right = low, high, left, right

    def __call__(self, value: float) -> float:
        return self.left + (value - self.low) / (self.high - self.low) * (self.right - self.left)


# --- Tornado -------------------------------------------------------------------------------------


def tornado_rows(tornado: dict[str, Any], limit: int = 10) -> tuple[str, list[dict[str, Any]]]:
    """The bars to draw (widest first) and the measure: "ratio", or "npv" when there is no ratio."""
    measure = "ratio" if tornado.get("baseRatio") is not None else "npv"
    rows = []
    for bar in tornado.get("bars", [])[:limit]:
        if measure == "ratio":
            at_low, at_high = bar.get("ratioAtLow"), bar.get("ratioAtHigh")
            if at_low is None or at_high is None:
                continue
        else:
            at_low, at_high = bar["npvAtLow"], bar["npvAtHigh"]
        rows.append({**bar, "at_low": at_low, "at_high": at_high})
    return measure, rows


def tornado_chart(tornado: dict[str, Any], *, chart_id: str = "tornado", limit: int = 10) -> Chart | None:
    measure, rows = tornado_rows(tornado, limit)
    if not rows:
        return None
    base = tornado["baseRatio"] if measure == "ratio" else tornado["baseNpv"]
    decimals = 2 if measure == "ratio" else 0
    measure_label = _("SROI-kvoten") if measure == "ratio" else _("nettonuvärdet")
    title = _("Känslighet: hur %(measure)s ändras när ett antagande i taget ändras") % {"measure": measure_label}
    top = rows[:3]
    description = _(
        "Liggande stapeldiagram med %(count)s antaganden, det som påverkar mest överst. Grundvärdet är %(base)s. "
    ) % {"count": len(rows), "base": fmt(base, decimals)} + " ".join(
        _("%(label)s: %(low)s vid lågt värde, %(high)s vid högt värde.")
        % {"label": row["label"], "low": fmt(row["at_low"], decimals), "high": fmt(row["at_high"], decimals)}
        for row in top
    )

    row_height, legend_height, axis_height = 46, 44, 34
    height = legend_height + row_height * len(rows) + axis_height
    left, right = 70.0, WIDTH - 70.0
    values = [base] + [row["at_low"] for row in rows] + [row["at_high"] for row in rows]
    scale = _Scale(min(values), max(values), left, right)
    root = svg_root(chart_id, WIDTH, height, title, description)
    pattern_id = f"{chart_id}-hatch"
    _hatch(root, pattern_id)

    # Legend: the pattern, not the colour, tells the two sides apart.
    _rect(root, 0, 8, 18, 14, fill=f"url(#{pattern_id})", stroke=INK)
    _text(root, 24, 20, _("Lågt värde på antagandet"))
    _rect(root, 250, 8, 18, 14, fill=SOLID, stroke=INK)
    _text(root, 274, 20, _("Högt värde på antagandet"))

    plot_top = legend_height
    plot_bottom = legend_height + row_height * len(rows)
    x_base = scale(base)
    # The break-even line only when 1:1 lies inside the plotted range.
    x_one = None
    if measure == "ratio" and scale.low <= 1.0 <= scale.high and not math.isclose(scale(1.0), x_base, abs_tol=2):
        x_one = scale(1.0)
        _text(root, x_one, plot_bottom + 30, _("1:1"), text_anchor="middle")

    for index, row in enumerate(rows):
        y = plot_top + index * row_height
        _text(root, 0, y + 14, row["label"])
        bar_y, bar_height = y + 20, 16
        # Reference lines run through the bars only, never through the labels above them.
        _line(root, x_base, bar_y - 3, x_base, bar_y + bar_height + 3, stroke_width="2")
        if x_one is not None:
            _line(root, x_one, bar_y - 3, x_one, bar_y + bar_height + 3, stroke_dasharray="2 3", stroke_width="1.5")
        for value, fill in ((row["at_low"], f"url(#{pattern_id})"), (row["at_high"], SOLID)):
            x = scale(value)
            _rect(root, min(x, x_base), bar_y, abs(x - x_base), bar_height, fill=fill, stroke=INK)
            anchor = "end" if x < x_base else "start"
            offset = -4 if x < x_base else 4
            if math.isclose(x, x_base, abs_tol=0.5):
                continue
            _text(root, x + offset, bar_y + 12, fmt(value, decimals), text_anchor=anchor, font_size="12")

    _text(
        root,
        x_base,
        plot_bottom + 16,
        _("Grundvärde %(value)s") % {"value": fmt(base, decimals)},
        text_anchor="middle",
        font_weight="600",
    )
    return Chart(_serialise(root), title, description)


# --- Histogram -----------------------------------------------------------------------------------


def histogram_rows(histogram: dict[str, Any]) -> list[dict[str, Any]]:
    edges, counts = histogram["edges"], histogram["counts"]
    total = sum(counts) or 1
    return [
        {"low": edges[i], "high": edges[i + 1], "count": count, "percent": 100 * count / total}
        for i, count in enumerate(counts)
    ]


def histogram_chart(
    histogram: dict[str, Any], percentiles: dict[str, float], *, chart_id: str = "histogram"
) -> Chart | None:
    rows = histogram_rows(histogram)
    if not rows:
        return None
    edges = histogram["edges"]
    counts = [row["count"] for row in rows]
    p5, p50, p95 = percentiles.get("5"), percentiles.get("50"), percentiles.get("95")
    total = sum(counts)
    below_one = sum(row["count"] for row in rows if row["high"] <= 1.0)
    title = _("Osäkerhet: fördelningen av SROI-kvoten i %(draws)s dragningar") % {"draws": fmt(total, 0)}
    description = _(
        "Stapeldiagram över %(bins)s intervall av SROI-kvoten, från %(low)s till %(high)s. "
        "Medianen är %(p50)s; 90 procent av dragningarna ligger mellan %(p5)s och %(p95)s. "
        "Det högsta intervallet har %(max)s dragningar."
    ) % {
        "bins": len(rows),
        "low": fmt(edges[0]),
        "high": fmt(edges[-1]),
        "p50": fmt(p50),
        "p5": fmt(p5),
        "p95": fmt(p95),
        "max": fmt(max(counts), 0),
    }
    if below_one:
        description += " " + _("%(count)s dragningar ligger helt under 1:1.") % {"count": fmt(below_one, 0)}

    # Reference lines, told apart by dash pattern and label; each label gets its own row above the plot.
    markers = [
        (value, dash, label)
        for value, dash, label in (
            (p5, "6 4", _("5:e percentilen")),
            (p50, "", _("Median")),
            (p95, "6 4", _("95:e percentilen")),
            (1.0, "2 3", _("1:1")),
        )
        if value is not None and edges[0] <= value <= edges[-1]
    ]
    top = 30 + 16 * len(markers)
    bottom = top + 200
    height = bottom + 44
    left, right = 60.0, WIDTH - 20.0
    scale = _Scale(edges[0], edges[-1], left, right)
    tallest = max(counts) or 1
    root = svg_root(chart_id, WIDTH, height, title, description)

    _text(root, 0, 14, _("Antal dragningar"), font_size="12")
    for fraction in (0.0, 0.5, 1.0):
        y = bottom - fraction * (bottom - top)
        _line(root, left, y, right, y, stroke=GRID)
        _text(root, left - 6, y + 4, fmt(tallest * fraction, 0), text_anchor="end", font_size="12")
    for row in rows:
        x0, x1 = scale(row["low"]), scale(row["high"])
        bar_height = row["count"] / tallest * (bottom - top)
        _rect(root, x0, bottom - bar_height, x1 - x0, bar_height, fill="#9aa3ad", stroke=INK, stroke_width="0.75")
    _line(root, left, bottom, right, bottom)
    for edge in (edges[0], edges[len(edges) // 2], edges[-1]):
        _text(root, scale(edge), bottom + 16, fmt(edge), text_anchor="middle", font_size="12")
    _text(root, (left + right) / 2, bottom + 34, _("SROI-kvot"), text_anchor="middle", font_size="12")

    # Reference lines, told apart by dash pattern and label. Each label sits in its own row above
    # the bars (rows 30 + 16 i), so that labels of values close together never overlap the bars
    # or each other; the line runs from its label down to the axis.
    for row_index, (value, dash, label) in enumerate(markers):
        x = scale(value)
        label_y = 30 + 16 * row_index + 12
        attrs = {"stroke_width": "2"}
        if dash:
            attrs["stroke_dasharray"] = dash
        _line(root, x, label_y + 3, x, bottom, **attrs)
        anchor = "start" if x < (left + right) / 2 else "end"
        offset = 4 if anchor == "start" else -4
        _text(root, x + offset, label_y, f"{label} {fmt(value)}", text_anchor=anchor, font_size="12")
    return Chart(_serialise(root), title, description)


def ratio_range_from_tornado(tornado: dict[str, Any]) -> tuple[float, float] | None:
    """The lowest and highest ratio any one-at-a-time change gives: the range shown without Monte Carlo."""
    values: Sequence[float] = [
        value
        for bar in tornado.get("bars", [])
        for value in (bar.get("ratioAtLow"), bar.get("ratioAtHigh"))
        if value is not None
    ]
    if not values:
        return None
    return min(values), max(values)


# --- Socio-economic account: net per bearer and year ---------------------------------------------

# Four fills that differ in greyscale and without colour: solid dark, hatched one way, light, hatched
# the other way. Every bar has a dark outline, so that even the light fill stands out (WCAG 1.4.11).
_BAR_FILLS = ("solid", "hatch", "light", "cross")


def _bar_fill(kind: str, chart_id: str) -> str:
    return {
        "solid": SOLID,
        "hatch": f"url(#{chart_id}-hatch)",
        "light": "#e6e9ed",
        "cross": f"url(#{chart_id}-hatch2)",
    }[kind]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis values (1, 2 or 5 times a power of ten apart) covering low..high, zero among them
    whenever the range includes it."""
    if math.isclose(low, high):
        spread = abs(low) * 0.1 or 1.0
        low, high = low - spread, high + spread
    rough = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    first, last = math.floor(low / step), math.ceil(high / step)
    return [k * step for k in range(first, last + 1)]


def grouped_bar_chart(
    *,
    groups: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    title: str,
    description: str,
    axis_label: str,
    value_label: str = "",
    chart_id: str = "bars",
) -> Chart | None:
    """Vertical bars, one group per label in `groups` (years), one bar per series (at most four),
    told apart by fill pattern and a legend; a zero line when values have both signs."""
    if not groups or not series or len(series) > len(_BAR_FILLS):
        return None
    values = [value for _label, points in series for value in points]
    ticks = nice_ticks(min(0.0, *values), max(0.0, *values))
    legend_height, top_pad, plot_height, axis_height = 28 * ((len(series) + 1) // 2), 30, 240, 48
    top = legend_height + top_pad
    bottom = top + plot_height
    left, right = 96.0, WIDTH - 10.0
    y = _Scale(ticks[0], ticks[-1], bottom, top)
    root = svg_root(chart_id, WIDTH, bottom + axis_height, title, description)
    _hatch(root, f"{chart_id}-hatch", 45)
    _hatch(root, f"{chart_id}-hatch2", -45)

    for index, (label, _points) in enumerate(series):
        x0, y0 = (index % 2) * 330, 6 + (index // 2) * 28
        _rect(root, x0, y0, 18, 16, fill=_bar_fill(_BAR_FILLS[index], chart_id), stroke=INK)
        _text(root, x0 + 24, y0 + 13, label)
    if value_label:
        _text(root, 0, top - 12, value_label, font_size="12")

    for value in ticks:
        _line(root, left, y(value), right, y(value), stroke=GRID)
        _text(root, left - 6, y(value) + 4, fmt(value, 0), text_anchor="end", font_size="12")
    group_width = (right - left) / len(groups)
    bar_width = group_width * 0.8 / len(series)
    zero = y(0.0)
    for g, group in enumerate(groups):
        x_group = left + g * group_width + group_width * 0.1
        for s, (_label, points) in enumerate(series):
            value = points[g]
            y_value = y(value)
            _rect(
                root,
                x_group + s * bar_width,
                min(y_value, zero),
                bar_width,
                abs(zero - y_value),
                fill=_bar_fill(_BAR_FILLS[s], chart_id),
                stroke=INK,
                stroke_width="0.75",
            )
        if len(groups) <= 15 or g % ((len(groups) + 14) // 15) == 0:
            _text(root, x_group + group_width * 0.4, bottom + 16, group, text_anchor="middle", font_size="12")
    _line(root, left, zero, right, zero, stroke_width="1.5")
    _text(root, (left + right) / 2, bottom + 38, axis_label, text_anchor="middle", font_size="12")
    return Chart(_serialise(root), title, description)
