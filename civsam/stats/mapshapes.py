"""Turning municipal boundaries into SVG paths: WKB decoding, projection and simplification.

Pure: no database and no third-party library. Used once, by the command that regenerates the
committed map file (manage.py build_municipality_map); the pages only read that file (ADR 0127).
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]  # the outer ring first, then any holes

WKB_POLYGON = 3
WKB_MULTIPOLYGON = 6


class ShapeError(ValueError):
    """A geometry the map cannot use."""


def _reader(data: bytes, offset: int) -> tuple[str, int, int]:
    """(struct byte-order prefix, geometry type, offset after the header) of a WKB geometry."""
    if offset + 5 > len(data):
        raise ShapeError("WKB ends inside a geometry header")
    order = "<" if data[offset] == 1 else ">"
    (kind,) = struct.unpack_from(f"{order}I", data, offset + 1)
    return order, kind, offset + 5


def _polygon(data: bytes, order: str, offset: int) -> tuple[Polygon, int]:
    (ring_count,) = struct.unpack_from(f"{order}I", data, offset)
    offset += 4
    rings: Polygon = []
    for _ in range(ring_count):
        (point_count,) = struct.unpack_from(f"{order}I", data, offset)
        offset += 4
        if offset + point_count * 16 > len(data):
            raise ShapeError("WKB ends inside a ring")
        values = struct.unpack_from(f"{order}{point_count * 2}d", data, offset)
        offset += point_count * 16
        rings.append([(values[i], values[i + 1]) for i in range(0, len(values), 2)])
    return rings, offset


def polygons_from_wkb(data: bytes) -> list[Polygon]:
    """The polygons of a 2D WKB Polygon or MultiPolygon, coordinates as (x, y) = (longitude, latitude)."""
    order, kind, offset = _reader(data, 0)
    if kind == WKB_POLYGON:
        polygon, _end = _polygon(data, order, offset)
        return [polygon]
    if kind != WKB_MULTIPOLYGON:
        raise ShapeError(f"not a polygon or multipolygon (WKB type {kind})")
    (count,) = struct.unpack_from(f"{order}I", data, offset)
    offset += 4
    polygons = []
    for _ in range(count):
        inner_order, inner_kind, offset = _reader(data, offset)
        if inner_kind != WKB_POLYGON:
            raise ShapeError(f"a multipolygon holding WKB type {inner_kind}")
        polygon, offset = _polygon(data, inner_order, offset)
        polygons.append(polygon)
    return polygons


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker: drop the points closer than tolerance to the line their neighbours keep."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        far, far_index = 0.0, -1
        for index in range(first + 1, last):
            distance = _segment_distance(points[index], points[first], points[last])
            if distance > far:
                far, far_index = distance, index
        if far_index != -1 and far > tolerance:
            keep[far_index] = True
            stack.append((first, far_index))
            stack.append((far_index, last))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: Ring, tolerance: float) -> Ring:
    """A closed ring simplified; split at its farthest point from the start so both halves keep a
    corner, and never reduced below a triangle (then the ring is returned as it was)."""
    if len(ring) < 5:
        return list(ring)
    start = ring[0]
    split = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - start[0], ring[i][1] - start[1]))
    simplified = simplify(ring[: split + 1], tolerance)[:-1] + simplify(ring[split:], tolerance)
    return simplified if len(simplified) >= 4 else list(ring)


class Projection:
    """Longitude and latitude to SVG units: an equirectangular projection around the map's middle
    latitude (good to a few per cent over one county), north up, scaled to the given width."""

    def __init__(self, bounds: tuple[float, float, float, float], width: float, margin: float = 4.0):
        west, south, east, north = bounds
        self.west, self.north, self.margin = west, north, margin
        self.x_scale = math.cos(math.radians((south + north) / 2))
        span = (east - west) * self.x_scale
        self.factor = (width - 2 * margin) / span
        self.width = width
        self.height = (north - south) * self.factor + 2 * margin

    def __call__(self, point: Point) -> Point:
        lon, lat = point
        return (
            self.margin + (lon - self.west) * self.x_scale * self.factor,
            self.margin + (self.north - lat) * self.factor,
        )


def bounds(polygons: Sequence[Polygon]) -> tuple[float, float, float, float]:
    xs = [x for polygon in polygons for ring in polygon for x, _y in ring]
    ys = [y for polygon in polygons for ring in polygon for _x, y in ring]
    if not xs:
        raise ShapeError("no coordinates")
    return min(xs), min(ys), max(xs), max(ys)


def svg_path(polygons: Sequence[Polygon], decimals: int = 1) -> str:
    """An SVG path's d attribute: one closed subpath per ring (holes drawn with fill-rule evenodd)."""
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring
            if len(points) < 3:
                continue
            coords = " ".join(f"{x:.{decimals}f},{y:.{decimals}f}" for x, y in points)
            parts.append(f"M{coords}Z")
    return "".join(parts)
