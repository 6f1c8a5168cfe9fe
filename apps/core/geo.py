"""Geometry helpers: geodesic measures in PostGIS, validation with messages a person can act on."""

from __future__ import annotations

import json

from django.contrib.gis.db.models.functions import GeoFunc
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


class GeodesicArea(GeoFunc):
    """Area in square metres on the WGS 84 spheroid (geometry cast to geography)."""

    function = "ST_Area"
    template = "%(function)s(%(expressions)s::geography)"
    output_field = models.FloatField()


class GeodesicLength(GeoFunc):
    """Length in metres on the WGS 84 spheroid; 0 for polygons and points."""

    function = "ST_Length"
    template = "%(function)s(%(expressions)s::geography)"
    output_field = models.FloatField()


class GeodesicPerimeter(GeoFunc):
    """Perimeter of polygons in metres on the WGS 84 spheroid."""

    function = "ST_Perimeter"
    template = "%(function)s(%(expressions)s::geography)"
    output_field = models.FloatField()


class ValidGeometryConstraint(models.CheckConstraint):
    """ST_IsValid as a check constraint: the database refuses invalid shapes however they come.

    Model validation does not evaluate it: `validate_geometry()` in the model's clean() already
    says what is wrong and where, and Django cannot evaluate ST_IsValid on a blank optional
    geometry (it raises TypeError on NULL).
    """

    def validate(self, model, instance, exclude=None, using=None):  # type: ignore[no-untyped-def]
        return None


# WGS 84 longitude/latitude bounds; anything outside is a swapped axis or a typo.
LON_RANGE = (-180.0, 180.0)
LAT_RANGE = (-90.0, 90.0)


def validate_geometry(
    geom: GEOSGeometry | None, *, field: str, allowed_types: tuple[str, ...] = (), what: str = ""
) -> None:
    """Refuse empty, out-of-range, invalid or wrongly typed geometry with a clear message.

    Errors are keyed by `field` so that forms show them beside the map widget. `what` names
    the thing (e.g. "a culture corridor") in the wrong-type message.
    """
    try:
        _check_geometry(geom, allowed_types=allowed_types, what=what)
    except ValidationError as error:
        raise ValidationError({field: error}) from None


def _check_geometry(
    geom: GEOSGeometry | None, *, allowed_types: tuple[str, ...], what: str
) -> None:
    if geom is None:
        return
    if geom.empty:
        raise ValidationError(_("The geometry is empty: draw or upload a shape."), code="empty")
    if allowed_types and geom.geom_type not in allowed_types:
        if what:
            message = _("%(what)s must be drawn as %(expected)s, not as %(got)s.") % {
                "what": what,
                "expected": " / ".join(allowed_types),
                "got": geom.geom_type,
            }
        else:
            message = _("Wrong geometry type %(got)s: expected %(expected)s.") % {
                "got": geom.geom_type,
                "expected": " / ".join(allowed_types),
            }
        raise ValidationError(message, code="geometry_type")
    xmin, ymin, xmax, ymax = geom.extent
    if xmin < LON_RANGE[0] or xmax > LON_RANGE[1] or ymin < LAT_RANGE[0] or ymax > LAT_RANGE[1]:
        raise ValidationError(
            _(
                "Coordinates out of range: longitude must be within ±180 and latitude within ±90 "
                "(are longitude and latitude swapped?)."
            ),
            code="out_of_range",
        )
    if not geom.valid:
        raise ValidationError(_explain_invalid(geom.valid_reason), code="invalid")


def _explain_invalid(reason: str) -> str:
    """Turn GEOS's `valid_reason` ("Self-intersection[112.98 28.19]") into advice."""
    problem, _bracket, where = reason.partition("[")
    where = where.rstrip("]").replace(" ", ", ") or "?"
    if "Self-intersection" in problem:
        return _(
            "The outline crosses itself near (%(where)s): redraw it so that no edges cross "
            "(a bow-tie is two shapes, draw them separately)."
        ) % {"where": where}
    if "Hole lies outside shell" in problem:
        return _("A hole lies outside its outline near (%(where)s): redraw the hole inside.") % {
            "where": where
        }
    if "Too few points" in problem:
        return _("A part of the shape has too few points near (%(where)s).") % {"where": where}
    return _(
        "The geometry is not valid (%(reason)s). Fix self-intersections or unclosed rings."
    ) % {"reason": reason}


def describe_unreadable_geometry(text: object) -> str:
    """Why form input (GeoJSON or WKT) could not be read as a geometry, said for a person."""
    try:
        data = json.loads(text) if isinstance(text, str | bytes) else None
    except ValueError:
        data = None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or "coordinates" not in data:
        return _(
            "The shape could not be read: draw it on the map, or give GeoJSON or WKT "
            "such as POINT(112.98 28.19)."
        )
    kind, coords = data.get("type"), data.get("coordinates")
    if not coords:
        return _("The shape has no coordinates: draw it on the map.")
    rings = {"Polygon": [coords], "MultiPolygon": coords}.get(str(kind), [])
    for ring in (ring for polygon in rings for ring in polygon):
        if len(ring) < 4:
            return _(
                "A polygon ring needs at least four positions: three corners and the first "
                "corner again to close it."
            )
        if ring[0] != ring[-1]:
            return _("A polygon ring is not closed: its last position must repeat the first.")
    if kind == "LineString" and len(coords) < 2:
        return _("A line needs at least two positions.")
    return _(
        "The %(type)s could not be read: each position must be [longitude, latitude] in "
        "decimal degrees."
    ) % {"type": kind}
