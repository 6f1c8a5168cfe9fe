"""Reads of the public facility map: the nearest open facility of a kind, coming sites.

The nearest facility is found in two steps, both in PostGIS. Candidates come from the
GiST index on facilities.geom with the KNN operator (`geom <-> point`, an index-ordered scan
that stops after CANDIDATES rows); they are then ranked by the geodesic distance
`ST_Distance(geom::geography, point::geography)` in metres. Degrees are not metres (at 28° N
a degree of longitude is 12 % shorter than one of latitude), so the planar KNN order is only
a shortlist; CANDIDATES is generous enough that the true nearest is always on it unless
twenty sites of one kind crowd closer in degrees, which the demo and real cities don't do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.db.models.functions import AsGeoJSON, GeoFunc, GeometryDistance
from django.contrib.gis.geos import Point
from django.db import models
from django.db.models import Subquery

from apps.core.geojson import COORDINATE_PRECISION
from apps.facilities.models import Facility

CANDIDATES = 20


class GeodesicDistance(GeoFunc):
    """ST_Distance(a::geography, b::geography): metres on the WGS 84 spheroid."""

    function = "ST_Distance"
    template = "%(function)s((%(expressions)s)::geography)"
    arg_joiner = ")::geography, ("
    geom_param_pos = (0, 1)
    output_field = models.FloatField()


class ShortestLine(GeoFunc):
    """ST_ShortestLine(a, b): the straight line from the nearest point of a to b."""

    function = "ST_ShortestLine"
    geom_param_pos = (0, 1)


@dataclass(frozen=True)
class NearestFacility:
    facility: Facility
    distance_m: float
    line: dict[str, Any]  # GeoJSON LineString from the facility's nearest point to "here"


def nearest_candidates(kind: str, here: Point) -> models.QuerySet:
    """Ids of the CANDIDATES open facilities of `kind` nearest to `here` in degrees (KNN)."""
    return (
        Facility.objects.filter(kind=kind, status=Facility.Status.IN_SERVICE)
        .annotate(knn=GeometryDistance("geom", here))
        .order_by("knn")
        .values("pk")[:CANDIDATES]
    )


def nearest_facility(*, kind: str, lon: float, lat: float) -> NearestFacility | None:
    """The open facility of `kind` nearest to (lon, lat), with the geodesic straight-line
    distance in metres (0 inside an area) and the line to draw; None if there is none."""
    here = Point(lon, lat, srid=4326)
    best = (
        Facility.objects.filter(pk__in=Subquery(nearest_candidates(kind, here)))
        .select_related("community")
        .annotate(
            distance_m=GeodesicDistance("geom", here),
            line_json=AsGeoJSON(ShortestLine("geom", here), precision=COORDINATE_PRECISION),
        )
        .order_by("distance_m", "pk")
        .first()
    )
    if best is None:
        return None
    return NearestFacility(
        facility=best, distance_m=best.distance_m, line=json.loads(best.line_json)
    )
