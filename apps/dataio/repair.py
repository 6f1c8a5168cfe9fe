"""Geometry checks of imported rows: GCJ-02 shift, type adaptation, safe repair.

A repair is accepted only when it changes nothing a person would notice: shapely's
make_valid (structure method, collapsed parts dropped) must give the same geometry type and
the same area within 1 %. A bow-tie "polygon" becomes two triangles of a different area and
type, so it is refused with the reason instead of being guessed at.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from django.utils.translation import gettext as _

from apps.core.gcj02 import gcj02_to_wgs84

AREA_TOLERANCE = 0.01  # a repair may change the area by at most 1 %


def from_gcj02(geometries: list[Any]) -> list[Any]:
    """GCJ-02 (AMap-digitised) coordinates to WGS 84, vectorised over all coordinates."""
    present = [i for i, g in enumerate(geometries) if g is not None]
    if not present:
        return geometries

    def convert(xy: np.ndarray) -> np.ndarray:
        lon, lat = gcj02_to_wgs84(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    converted = shapely.transform(np.array([geometries[i] for i in present], dtype=object), convert)
    result = list(geometries)
    for i, geometry in zip(present, converted, strict=True):
        result[i] = geometry
    return result


def adapt_type(geometry: Any, target: str | None) -> Any:
    """A polygon as a one-part multipolygon, or a one-part multi as its single part, when
    the model takes the other; anything else unchanged (validation will say what is wrong)."""
    if target is None or geometry.geom_type == target:
        return geometry
    if target == f"Multi{geometry.geom_type}":
        return (
            shapely.multipolygons([geometry])
            if target == "MultiPolygon"
            else (
                shapely.multilinestrings([geometry])
                if target == "MultiLineString"
                else shapely.multipoints([geometry])
            )
        )
    if geometry.geom_type == f"Multi{target}" and len(geometry.geoms) == 1:
        return geometry.geoms[0]
    return geometry


def check_geometry(geometry: Any, target: str | None) -> tuple[Any, str | None, bool]:
    """(geometry to store, reason it was refused or None, whether it was repaired)."""
    if geometry is None:
        return None, _("the row has no geometry"), False
    if geometry.is_empty:
        return None, _("the geometry is empty"), False
    adapted = adapt_type(geometry, target)
    if target is not None and adapted.geom_type != target:
        # Storing a point in a polygon layer would fail in the ORM (TypeError): say so here.
        return (
            None,
            _("the geometry is a %(got)s, but this layer takes a %(expected)s")
            % {"got": adapted.geom_type, "expected": target},
            False,
        )
    xmin, ymin, xmax, ymax = adapted.bounds
    if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
        return (
            None,
            _(
                "the coordinates lie outside longitude -180…180, latitude -90…90: is the file "
                "in another coordinate system, or are longitude and latitude swapped?"
            ),
            False,
        )
    if shapely.is_valid(adapted):
        return adapted, None, False
    reason = shapely.is_valid_reason(adapted)
    fixed = adapt_type(
        shapely.make_valid(adapted, method="structure", keep_collapsed=False), target
    )
    same_type = fixed.geom_type == adapted.geom_type
    area = adapted.area
    same_area = (
        abs(fixed.area - area) <= AREA_TOLERANCE * max(fixed.area, area)
        if max(fixed.area, area) > 0
        else True
    )
    if same_type and same_area and shapely.is_valid(fixed) and not fixed.is_empty:
        return fixed, None, True
    return (
        None,
        _(
            "the geometry is invalid (%(reason)s) and cannot be repaired without changing its "
            "shape: redraw it"
        )
        % {"reason": reason},
        False,
    )
