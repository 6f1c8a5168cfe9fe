"""Place search and "what is here" over our own map data (apps.maps.search). Thin: parse,
ask, answer JSON; bad input is a 400 naming the parameter, in the user's language."""

from __future__ import annotations

import math

from django.contrib.gis.geos import Point
from django.http import HttpRequest, JsonResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.core.geo import LAT_RANGE, LON_RANGE

from ..search import DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_LENGTH, place_at, place_search
from .params import BadParameterError
from .views import READABLE


def _bad(error: BadParameterError) -> JsonResponse:
    return JsonResponse(
        {"parameter": error.parameter, "detail": error.message},
        status=400,
        json_dumps_params=READABLE,
    )


def _number(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        return math.nan
    return number


def parse_point(lon_text: str | None, lat_text: str | None, *, parameter: str) -> Point:
    """A WGS 84 point from two decimal-degree strings, or BadParameterError."""
    lon, lat = _number((lon_text or "").strip()), _number((lat_text or "").strip())
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise BadParameterError(
            parameter,
            _("Give lon and lat as decimal degrees, e.g. lon=112.98&lat=28.19."),
        )
    if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
        raise BadParameterError(
            parameter,
            _(
                "Longitude must be between -180 and 180 and latitude between -90 and 90 "
                "(are they swapped?)."
            ),
        )
    return Point(lon, lat, srid=4326)


@require_safe
def search(request: HttpRequest) -> JsonResponse:
    """Places matching `q` (compounds, buildings, facilities, roads and works, communities,
    grids), best first. `limit` 1..20 (default 8); `near=lon,lat` puts nearer ones first."""
    query = request.GET.get("q", "").strip()
    try:
        if not query:
            raise BadParameterError(
                "q", _("Type a name to search for, e.g. a compound, a building or a road.")
            )
        if len(query) > MAX_QUERY_LENGTH:
            raise BadParameterError(
                "q",
                _("Search for at most %(max)d characters; got %(count)d.")
                % {"max": MAX_QUERY_LENGTH, "count": len(query)},
            )
        limit_text = request.GET.get("limit", "").strip()
        limit = DEFAULT_LIMIT
        if limit_text:
            limit = int(limit_text) if limit_text.isascii() and limit_text.isdigit() else 0
            if not 1 <= limit <= MAX_LIMIT:
                raise BadParameterError(
                    "limit",
                    _("limit must be a whole number from 1 to %(max)d; got “%(value)s”.")
                    % {"max": MAX_LIMIT, "value": limit_text},
                )
        near = None
        near_text = request.GET.get("near", "").strip()
        if near_text:
            parts = near_text.split(",")
            near = parse_point(parts[0], parts[1] if len(parts) == 2 else None, parameter="near")
    except BadParameterError as error:
        return _bad(error)
    results = place_search(
        query, user=request.user, language=get_language() or "", near=near, limit=limit
    )
    return JsonResponse({"query": query, "results": results}, json_dumps_params=READABLE)


@require_safe
def place(request: HttpRequest) -> JsonResponse:
    """What is at lon/lat: the community, grid, compound and nearby building, named in words;
    outside every community, the nearest one."""
    try:
        point = parse_point(request.GET.get("lon"), request.GET.get("lat"), parameter="lon")
    except BadParameterError as error:
        return _bad(error)
    return JsonResponse(place_at(point, language=get_language() or ""), json_dumps_params=READABLE)
