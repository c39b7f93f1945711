"""The map of the municipalities: the committed boundaries cover every municipality of the county,
the SVG is valid and accessible, and the classes are readable (ADR 0127)."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civsam.core.models import Municipality
from civsam.stats import choropleth, mapshapes
from civsam.stats.tests.test_pages import computed  # noqa: F401 - the fixture

SVG = "{http://www.w3.org/2000/svg}"
# An SVG path as the map writes it: subpaths of M, coordinate pairs, Z.
PATH = re.compile(r"^(M\d+\.\d,\d+\.\d( \d+\.\d,\d+\.\d){2,}Z)+$")
# Statistics Sweden's municipality codes for Örebro län (SCB, kommunkoder).
COUNTY_CODES = {"1814", "1860", "1861", "1862", "1863", "1864", "1880", "1881", "1882", "1883", "1884", "1885"}


def test_every_municipality_of_the_county_has_a_shape():
    shapes = choropleth.boundaries().shapes
    assert {s.code for s in shapes} == COUNTY_CODES
    assert len(shapes) == len(COUNTY_CODES)
    assert all(PATH.match(s.path) for s in shapes), [s.code for s in shapes if not PATH.match(s.path)]
    assert "SCB" in choropleth.boundaries().source


@pytest.mark.django_db
def test_the_shapes_are_the_reference_datas_municipalities(reference_data):
    names = dict(Municipality.objects.filter(code__startswith="18").values_list("code", "name"))
    assert names == {s.code: s.name for s in choropleth.boundaries().shapes}


def test_the_shapes_lie_inside_the_view_box_and_do_not_overlap_much():
    data = choropleth.boundaries()
    boxes = {}
    for shape in data.shapes:
        numbers = [float(n) for n in re.findall(r"\d+\.\d", shape.path)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert min(xs) >= 0 and max(xs) <= data.width
        assert min(ys) >= 0 and max(ys) <= data.height
        boxes[shape.code] = (min(xs), min(ys), max(xs), max(ys))
    # North up: Ljusnarsberg (north) lies above Askersund (south); Karlskoga west of Örebro.
    assert boxes["1864"][1] < boxes["1882"][1]
    assert boxes["1883"][0] < boxes["1880"][0]


def _draw(values, current=None):
    codes = [s.code for s in choropleth.boundaries().shapes]
    return choropleth.draw(
        map_id="m",
        title="Karta",
        description="Beskrivning",
        values=values,
        links={c: f"/statistik/{c}/" for c in codes},
        value_text={c: f"{values.get(c)} st" for c in codes},
        map_classes=choropleth.classes(list(values.values())),
        current=current,
    )


def test_the_svg_is_valid_and_every_municipality_is_a_named_link():
    values = {s.code: n for n, s in enumerate(choropleth.boundaries().shapes)}
    values["1864"] = None
    root = ET.fromstring(str(_draw(values, current="1881")))  # noqa: S314 - markup made by the code under test
    assert root.tag == f"{SVG}svg"
    assert root.get("aria-labelledby") == "m-title m-desc"
    assert root.find(f"{SVG}title").text == "Karta" and root.find(f"{SVG}desc").text == "Beskrivning"
    links = root.findall(f"{SVG}a")
    assert len(links) == 12
    for link in links:
        path = link.find(f"{SVG}path")
        code = path.get("data-code")
        assert link.get("href") == f"/statistik/{code}/"
        assert link.get("aria-label").endswith(f"{values[code]} st")
        assert link.find(f"{SVG}title").text == link.get("aria-label")
    fills = {link.find(f"{SVG}path").get("data-code"): link.find(f"{SVG}path").get("fill") for link in links}
    assert fills["1864"] == "url(#m-no-value)"
    assert root.find(f".//{SVG}pattern").get("id") == "m-no-value"
    assert set(fills.values()) - {"url(#m-no-value)"} <= set(choropleth.SHADES)
    assert links[-1].find(f"{SVG}path").get("data-code") == "1881"  # the current one drawn on top


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], []),
        ([None, None], []),
        ([5, 5, 5], [(5.0, 5.0)]),
        ([1, 2], [(1.0, 2.0)]),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [(1.0, 3.0), (3.0, 6.0), (6.0, 9.0), (9.0, 12.0)]),
        ([Decimal("0.5"), Decimal("1.5"), None, Decimal("2.5")], [(0.5, 1.5), (1.5, 2.5)]),
    ],
)
def test_classes(values, expected):
    assert [(c.low, c.high) for c in choropleth.classes(values)] == expected


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=10_000)), min_size=1, max_size=12))
def test_every_value_has_one_class_and_more_is_never_lighter(values):
    map_classes = choropleth.classes(values)
    known = sorted(v for v in values if v is not None)
    if not known:
        assert map_classes == []
        return
    shades = list(choropleth.SHADES)
    previous = -1
    for value in known:
        found = choropleth.class_of(value, map_classes)
        assert found is not None and found.low <= value <= found.high
        darkness = shades.index(found.shade)
        assert darkness >= previous
        previous = darkness
    assert choropleth.class_of(None, map_classes) is None


def test_the_legend_says_where_each_class_starts():
    legend = choropleth.legend(choropleth.classes([1, 2, 3, 4, 5, 6, 7, 8]), decimals=0)
    assert [(e["low"], e["high"], e["above"]) for e in legend] == [
        ("1", "2", False),
        ("2", "4", True),
        ("4", "6", True),
        ("6", "8", True),
    ]


def _wkb_polygon(rings, order="<"):
    out = struct.pack(f"{order}BII", 1 if order == "<" else 0, 3, len(rings))
    for ring in rings:
        out += struct.pack(f"{order}I", len(ring)) + b"".join(struct.pack(f"{order}dd", *p) for p in ring)
    return out


@pytest.mark.parametrize("order", ["<", ">"])
def test_wkb_polygons_and_multipolygons_are_read_in_either_byte_order(order):
    square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
    hole = [(0.2, 0.2), (0.4, 0.2), (0.4, 0.4), (0.2, 0.2)]
    assert mapshapes.polygons_from_wkb(_wkb_polygon([square, hole], order)) == [[square, hole]]
    multi = struct.pack(f"{order}BII", 1 if order == "<" else 0, 6, 2) + _wkb_polygon([square], order) * 2
    assert mapshapes.polygons_from_wkb(multi) == [[square], [square]]


def test_wkb_that_is_not_a_polygon_is_refused():
    point = struct.pack("<BIdd", 1, 1, 1.0, 2.0)
    with pytest.raises(mapshapes.ShapeError):
        mapshapes.polygons_from_wkb(point)
    with pytest.raises(mapshapes.ShapeError):
        mapshapes.polygons_from_wkb(_wkb_polygon([[(0.0, 0.0)] * 4])[:-8])


@pytest.mark.parametrize(
    ("points", "tolerance", "expected"),
    [
        ([(0, 0), (1, 0.01), (2, 0)], 0.1, [(0, 0), (2, 0)]),
        ([(0, 0), (1, 0.5), (2, 0)], 0.1, [(0, 0), (1, 0.5), (2, 0)]),
        ([(0, 0), (1, 0), (2, 0), (3, 0)], 0.0, [(0, 0), (3, 0)]),
        ([(0, 0), (1, 1)], 5.0, [(0, 0), (1, 1)]),
    ],
)
def test_simplify(points, tolerance, expected):
    assert mapshapes.simplify(points, tolerance) == expected


def test_a_ring_keeps_its_corners_and_never_collapses():
    ring = [(0, 0), (1, 0), (2, 0), (2, 1), (2, 2), (1, 2), (0, 2), (0, 1), (0, 0)]
    assert mapshapes.simplify_ring(ring, 0.1) == [(0, 0), (2, 0), (2, 2), (0, 2), (0, 0)]
    assert len(mapshapes.simplify_ring(ring, 100.0)) >= 4


def test_the_projection_puts_north_up_and_fills_the_width():
    projection = mapshapes.Projection((14.0, 58.0, 16.0, 60.0), width=100, margin=0)
    assert projection((14.0, 60.0)) == pytest.approx((0.0, 0.0))
    east, south = projection((16.0, 58.0))
    assert east == pytest.approx(100.0) and south == pytest.approx(projection.height)
    assert projection.height > 100  # two degrees of latitude are longer than two of longitude here


@pytest.mark.django_db
def test_the_county_page_shows_the_map_with_a_legend_and_the_numbers_beneath(client, computed):  # noqa: F811
    html = client.get(reverse("stats:county") + "?ar=2023").content.decode()
    assert html.count('class="chart choropleth"') == 1
    assert "Teckenförklaring" in html and "Kommungränser: SCB" in html
    for code in COUNTY_CODES:
        assert f'href="{reverse("stats:area", args=[code])}?ar=2023"' in html
    assert 'aria-label="Örebro: ' in html and "organisationer per 1 000 invånare" in html
    assert html.index("choropleth") < html.index("Organisationer per kommun 2023")  # the table beneath


@pytest.mark.django_db
def test_a_municipality_page_outlines_its_municipality(client, computed):  # noqa: F811
    html = client.get(reverse("stats:area", args=["1881"]) + "?ar=2023").content.decode()
    svg = re.search(r"<svg[^>]*choropleth.*?</svg>", html, re.S).group(0)
    root = ET.fromstring(svg)  # noqa: S314 - markup made by the code under test
    last = root.findall(f"{SVG}a")[-1].find(f"{SVG}path")
    assert last.get("data-code") == "1881" and last.get("stroke-width") == "2.5"
