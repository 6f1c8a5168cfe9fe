"""Query parameters of the layer endpoints, refused with messages a person can act on."""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _

from apps.core.geo import LAT_RANGE, LON_RANGE
from apps.core.layers import communities_for

DEFAULT_LIMIT = 5000
MAX_LIMIT = 10000


class BadParameterError(ValueError):
    """A query parameter that cannot be used; `message` is translated and shown as is."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """`minlon,minlat,maxlon,maxlat` in WGS 84 degrees, or None when not given."""
    if value is None or value.strip() == "":
        return None
    parts = [part.strip() for part in value.split(",")]
    if len(parts) != 4:
        raise BadParameterError(
            "bbox",
            _(
                "bbox must be four comma-separated numbers, minlon,minlat,maxlon,maxlat; "
                "got %(count)d value(s)."
            )
            % {"count": len(parts)},
        )
    numbers = []
    for part in parts:
        try:
            number = float(part)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise BadParameterError(
                "bbox",
                _("bbox must contain only numbers: “%(value)s” is not one.") % {"value": part},
            )
        numbers.append(number)
    min_lon, min_lat, max_lon, max_lat = numbers
    if not all(LON_RANGE[0] <= lon <= LON_RANGE[1] for lon in (min_lon, max_lon)):
        raise BadParameterError(
            "bbox",
            _(
                "bbox longitudes must be between -180 and 180 (the order is "
                "minlon,minlat,maxlon,maxlat: are longitude and latitude swapped?)."
            ),
        )
    if not all(LAT_RANGE[0] <= lat <= LAT_RANGE[1] for lat in (min_lat, max_lat)):
        raise BadParameterError(
            "bbox",
            _(
                "bbox latitudes must be between -90 and 90 (the order is "
                "minlon,minlat,maxlon,maxlat: are longitude and latitude swapped?)."
            ),
        )
    if min_lon > max_lon:
        raise BadParameterError(
            "bbox",
            _("bbox minimum longitude %(min)s is greater than its maximum %(max)s.")
            % {"min": part_text(min_lon), "max": part_text(max_lon)},
        )
    if min_lat > max_lat:
        raise BadParameterError(
            "bbox",
            _("bbox minimum latitude %(min)s is greater than its maximum %(max)s.")
            % {"min": part_text(min_lat), "max": part_text(max_lat)},
        )
    return min_lon, min_lat, max_lon, max_lat


def part_text(number: float) -> str:
    return f"{number:g}"


def parse_limit(value: str | None) -> int:
    """How many features at most: DEFAULT_LIMIT when not given, never above MAX_LIMIT."""
    if value is None or value.strip() == "":
        return DEFAULT_LIMIT
    try:
        limit = int(value.strip())
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise BadParameterError(
            "limit",
            _("limit must be a whole number from 1 to %(max)d; got “%(value)s”.")
            % {"max": MAX_LIMIT, "value": value},
        )
    return limit


def parse_community(value: str | None, user: Any) -> Any:
    """Community ids to keep: one id, "mine" (the user's own communities), or None for all."""
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if value == "mine":
        return communities_for(user)
    if value.isascii() and value.isdigit() and int(value) < 2**63:
        return [int(value)]
    raise BadParameterError(
        "community",
        _("community must be a community id (a whole number) or “mine”; got “%(value)s”.")
        % {"value": value},
    )
