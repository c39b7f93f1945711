"""Building blocks shared by the server-drawn SVG charts of the plan, meetings and impact apps.

The charts themselves live in each app; what is common is the look (ink, grid, font), numbers
written the way the active language writes them, and an accessible <svg> root: role="img" named by
its <title> and described by its <desc>, the text alternative the pages also print as a table.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.safestring import SafeString

INK = "#1b1f24"
MUTED = "#4a5260"
GRID = "#c9d0d8"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    title: str
    description: str


def fmt(value: Decimal | float | None, decimals: int = 2) -> str:
    """A number as the active language writes it: 3,45 in Swedish; a dash for no value."""
    if value is None:
        return "–"
    return number_format(round(float(value), decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)


def svg_root(
    chart_id: str, width: int, height: int, title: str, description: str, *, font_size: int = 13
) -> ET.Element:
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width} {height}",
            "width": str(width),
            "height": str(height),
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "class": "chart",
            "font-family": FONT,
            "font-size": str(font_size),
        },
    )
    ET.SubElement(root, "title", {"id": f"{chart_id}-title"}).text = title
    ET.SubElement(root, "desc", {"id": f"{chart_id}-desc"}).text = description
    return root
