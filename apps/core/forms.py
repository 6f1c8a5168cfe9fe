"""Form pieces shared by the apps: a geometry field whose errors say what to fix."""

from __future__ import annotations

from typing import Any

from django.contrib.gis import forms as gis_forms
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import (
    GEOSGeometry,
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from leaflet import admin as leaflet_admin

from .geo import describe_unreadable_geometry

# What a person is asked to draw, by OGC type name (upper case, as form fields keep it).
GEOMETRY_TYPE_LABELS = {
    "POINT": _("a point"),
    "MULTIPOINT": _("one or more points"),
    "LINESTRING": _("a line"),
    "MULTILINESTRING": _("one or more lines"),
    "POLYGON": _("a polygon (an area)"),
    "MULTIPOLYGON": _("one or more polygons"),
    "GEOMETRYCOLLECTION": _("a collection of shapes"),
}

# A single part drawn into a multi-part field is what the person meant: promote it.
PROMOTIONS: dict[str, tuple[type[GEOSGeometry], type[GEOSGeometry]]] = {
    "MULTIPOLYGON": (Polygon, MultiPolygon),
    "MULTILINESTRING": (LineString, MultiLineString),
    "MULTIPOINT": (Point, MultiPoint),
}


class GeometryFormField(gis_forms.GeometryField):
    """GeoDjango's geometry form field with messages a person can act on.

    Unreadable input says why (an unclosed ring, too few points, not GeoJSON at all), and a
    wrong type names what to draw instead. Validity, range and per-kind types are the
    model's `clean()` (apps.core.geo.validate_geometry), so the admin and the API agree.
    """

    default_error_messages = {
        "required": _("Draw the shape on the map."),
        "wrong_geom_type": _("Draw %(expected)s here, not %(got)s."),
    }

    def to_python(self, value: Any) -> GEOSGeometry | None:
        try:
            geom = super().to_python(value)
        except ValidationError:
            raise ValidationError(
                describe_unreadable_geometry(value), code="invalid_geom"
            ) from None
        promotion = PROMOTIONS.get(self.geom_type)
        if geom is not None and promotion and isinstance(geom, promotion[0]):
            geom = promotion[1](geom, srid=geom.srid)
        return geom

    def validate(self, value: GEOSGeometry | None) -> None:
        # GeometryField.clean() checks the type after this with a bare "Invalid geometry
        # type."; checking here first gives the person the expected and the drawn type.
        super().validate(value)
        if value is None or self.geom_type == "GEOMETRY":
            return
        got = str(value.geom_type).upper()
        if got != self.geom_type:
            raise ValidationError(
                self.error_messages["wrong_geom_type"],
                code="invalid_geom_type",
                params={
                    "expected": GEOMETRY_TYPE_LABELS.get(self.geom_type, self.geom_type),
                    "got": GEOMETRY_TYPE_LABELS.get(got, value.geom_type),
                },
            )


class LeafletAdminWidget(leaflet_admin.LeafletAdminWidget):
    """django-leaflet's admin map widget, safe to re-render with unreadable input."""

    def deserialize(self, value: Any) -> GEOSGeometry | None:
        # Django's widget catches GEOS errors here but not GDAL's (GeoJSON such as
        # {"type": "Polygon", "coordinates": []}), which would turn a form error into a 500.
        try:
            return super().deserialize(value)
        except GDALException:
            return None
