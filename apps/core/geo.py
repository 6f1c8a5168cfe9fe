"""Geometry helpers: geodesic measures in PostGIS, validation with messages a person can act on."""

from __future__ import annotations

from django.contrib.gis.db.models.functions import GeoFunc
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
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


def _check_geometry(geom: GEOSGeometry | None, *, allowed_types: tuple[str, ...], what: str) -> None:
    if geom is None:
        return
    if geom.empty:
        raise ValidationError(_("The geometry is empty: draw or upload a shape."), code="empty")
    if allowed_types and geom.geom_type not in allowed_types:
        if what:
            message = _("%(what)s must be drawn as %(expected)s, not as %(got)s.") % {
                "what": what, "expected": " / ".join(allowed_types), "got": geom.geom_type,
            }
        else:
            message = _("Wrong geometry type %(got)s: expected %(expected)s.") % {
                "got": geom.geom_type, "expected": " / ".join(allowed_types),
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
        raise ValidationError(
            _("The geometry is not valid (%(reason)s). Fix self-intersections or unclosed rings.")
            % {"reason": geom.valid_reason},
            code="invalid",
        )


def as_multipolygon(geom: GEOSGeometry | None) -> GEOSGeometry | None:
    """A Polygon becomes a one-part MultiPolygon; anything else is returned unchanged."""
    if isinstance(geom, Polygon):
        multi = MultiPolygon(geom, srid=geom.srid)
        return multi
    return geom
