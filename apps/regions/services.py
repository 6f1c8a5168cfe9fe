"""Services for administrative areas: checking that a community's grids tile it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from .models import Community, Grid

# Slivers below this many m² are floating-point noise from shared edges, not real gaps.
MIN_REPORTED_AREA_M2 = 0.01
# A community is tiled when gaps, overlaps and spill-over each add up to less than this.
COVERAGE_TOLERANCE_M2 = 1.0


class CoverageGap(NamedTuple):
    geom: GEOSGeometry
    area_m2: float


class GridOverlap(NamedTuple):
    grid_code_a: str
    grid_code_b: str
    geom: GEOSGeometry
    area_m2: float


class GridOutside(NamedTuple):
    grid_code: str
    geom: GEOSGeometry
    area_m2: float


@dataclass(frozen=True)
class GridCoverage:
    """How a community's grids cover it. Areas are geodesic m² computed in PostGIS."""

    community: Community
    gaps: list[CoverageGap] = field(default_factory=list)
    overlaps: list[GridOverlap] = field(default_factory=list)
    outside: list[GridOutside] = field(default_factory=list)  # grid parts beyond the boundary

    @property
    def gap_area_m2(self) -> float:
        return sum(gap.area_m2 for gap in self.gaps)

    @property
    def overlap_area_m2(self) -> float:
        return sum(overlap.area_m2 for overlap in self.overlaps)

    @property
    def outside_area_m2(self) -> float:
        return sum(part.area_m2 for part in self.outside)

    @property
    def ok(self) -> bool:
        return max(self.gap_area_m2, self.overlap_area_m2, self.outside_area_m2) < (
            COVERAGE_TOLERANCE_M2
        )


# Parts of the community that no grid covers.
_GAPS_SQL = """
SELECT ST_AsEWKB(part.geom), part.area_m2 FROM (
    SELECT dumped.geom, ST_Area(dumped.geom::geography) AS area_m2
    FROM {community} AS c
    CROSS JOIN LATERAL (
        SELECT ST_Union(g.boundary) AS geom FROM {grid} AS g WHERE g.community_id = c.id
    ) AS covered
    CROSS JOIN LATERAL ST_Dump(ST_CollectionExtract(
        COALESCE(ST_Difference(c.boundary, covered.geom), c.boundary), 3
    )) AS dumped
    WHERE c.id = %(community)s
) AS part
WHERE part.area_m2 >= %(min_area)s
ORDER BY part.area_m2 DESC
"""

# Pairs of grids of the community whose interiors overlap. `&&` lets the GiST index on
# grid boundaries find candidate pairs; ST_Relate keeps only area (dimension 2) overlaps,
# so neighbours that merely share an edge are not intersected at all.
_OVERLAPS_SQL = """
SELECT part.code_a, part.code_b, ST_AsEWKB(part.geom), part.area_m2 FROM (
    SELECT a.code AS code_a, b.code AS code_b, shared.geom,
           ST_Area(shared.geom::geography) AS area_m2
    FROM {grid} AS a
    JOIN {grid} AS b
      ON b.community_id = a.community_id AND a.code < b.code AND a.boundary && b.boundary
    CROSS JOIN LATERAL (
        SELECT ST_CollectionExtract(ST_Intersection(a.boundary, b.boundary), 3) AS geom
    ) AS shared
    WHERE a.community_id = %(community)s AND ST_Relate(a.boundary, b.boundary, '2********')
) AS part
WHERE part.area_m2 >= %(min_area)s
ORDER BY part.code_a, part.code_b
"""

# Parts of the community's grids that lie outside its boundary.
_OUTSIDE_SQL = """
SELECT part.code, ST_AsEWKB(part.geom), part.area_m2 FROM (
    SELECT g.code, outside.geom, ST_Area(outside.geom::geography) AS area_m2
    FROM {grid} AS g
    JOIN {community} AS c ON c.id = g.community_id
    CROSS JOIN LATERAL (
        SELECT ST_CollectionExtract(ST_Difference(g.boundary, c.boundary), 3) AS geom
    ) AS outside
    WHERE g.community_id = %(community)s AND NOT ST_CoveredBy(g.boundary, c.boundary)
) AS part
WHERE part.area_m2 >= %(min_area)s
ORDER BY part.code
"""


def _query(sql: str, community: Community) -> list[tuple]:
    tables = {"community": Community._meta.db_table, "grid": Grid._meta.db_table}
    params = {"community": community.pk, "min_area": MIN_REPORTED_AREA_M2}
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**tables), params)
        return cursor.fetchall()


def _geometry(ewkb) -> GEOSGeometry:
    # GEOSGeometry reads a buffer as (E)WKB; bytes would be taken for WKT or HEX.
    return GEOSGeometry(memoryview(ewkb))


def community_grid_coverage(*, community: Community) -> GridCoverage:
    """Find the gaps between a community's grids, their overlaps, and grid parts outside it.

    All geometry work is done in PostGIS (three queries); areas are geodesic (geography).
    Grids tile their community when `GridCoverage.ok` is true.
    """
    gaps = [CoverageGap(_geometry(g), area) for g, area in _query(_GAPS_SQL, community)]
    overlaps = [
        GridOverlap(code_a, code_b, _geometry(g), area)
        for code_a, code_b, g, area in _query(_OVERLAPS_SQL, community)
    ]
    outside = [
        GridOutside(code, _geometry(g), area) for code, g, area in _query(_OUTSIDE_SQL, community)
    ]
    return GridCoverage(community=community, gaps=gaps, overlaps=overlaps, outside=outside)
