"""Pieces the patrol models share: the geography cast and the validity constraint."""

from __future__ import annotations

from django.contrib.gis.db.models import GeometryField
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from apps.core.geo import ValidGeometryConstraint


def geography(field: str) -> Cast:
    """`<field>::geography`: metric queries (ST_DWithin in metres) use this expression, and a
    GiST index is built on the very same expression so that they can use it."""
    return Cast(field, output_field=GeometryField(geography=True, srid=4326))


def valid_geometry(model: str, field: str) -> ValidGeometryConstraint:
    return ValidGeometryConstraint(
        condition=Q(**{f"{field}__isvalid": True}),
        name=f"patrols_{model}_{field}_valid",
        violation_error_message=_("The shape is not a valid geometry."),
    )
