"""The map page: every registered layer over an optional basemap."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.core.layers import communities_for, registry
from apps.dataio.views import export_config
from apps.facilities.models import Facility
from apps.regions.models import Community

from .api.params import DEFAULT_LIMIT, MAX_LIMIT
from .api.views import layer_summary
from .basemaps import tile_layers
from .symbols import facility_kinds


def initial_extent(user: Any) -> list[float] | None:
    """[minlon, minlat, maxlon, maxlat] of the user's communities, else of all communities."""
    mine = Community.objects.filter(pk__in=communities_for(user)).aggregate(e=Extent("boundary"))
    extent = mine["e"] or Community.objects.aggregate(e=Extent("boundary"))["e"]
    return list(extent) if extent else None


def map_strings() -> dict[str, str]:
    """Every text the page's JavaScript shows, translated here (no JS catalogue needed)."""
    return {
        "legend": _("Legend"),
        "facility_kinds": _("Facility kinds"),
        "loading": _("Loading map data…"),
        "load_failed": _(
            "Could not load “%(layer)s”. Check the connection and move the map to retry."
        ),
        "zoom_in": _("Zoom in to see: %(layers)s"),
        "truncated": _("“%(layer)s” shows the first %(count)s features here; zoom in to see all."),
        "area": _("Area"),
        "length": _("Length"),
        "code": _("Code"),
        "community": _("Community"),
        "subdistrict": _("Subdistrict"),
        "compound": _("Compound"),
        "property_company": _("Property company"),
        "building_head": _("Building head"),
        "floors": _("Floors"),
        "households": _("Households"),
        "population": _("Population"),
        "service_hall_hours": _("Service hall hours"),
        "kind": _("Kind"),
        "status": _("Status"),
        "opening_hours": _("Opening hours"),
        "capacity": _("Capacity"),
        "completed_on": _("Completed on"),
        "managed_by": _("Managed by"),
        "grid": _("Grid"),
        "building": _("Building"),
        "unit_m": _("m"),
        "unit_m2": _("m²"),
        "unit_km2": _("km²"),
        "export": _("Export"),
        "export_layer": _("Layer"),
        "export_format": _("Format"),
        "export_download": _("Download the features in view"),
    }


# Past this many features in view a layer is lighter as vector tiles; it also bounds the
# GeoJSON request that finds out (a city view of buildings or reports would otherwise send
# the whole 5,000-feature limit just to learn that it is too many).
TILE_THRESHOLD = 1000


def tile_threshold() -> int:
    """GRIDMAP_MAP_TILE_THRESHOLD, else TILE_THRESHOLD; kept below MAX_LIMIT so
    the page can ask for one feature more than the threshold to see it was exceeded."""
    value = int(getattr(settings, "GRIDMAP_MAP_TILE_THRESHOLD", TILE_THRESHOLD))
    return max(1, min(value, MAX_LIMIT - 1))


def map_page(request: HttpRequest) -> HttpResponse:
    language = get_language() or "zh-hans"
    config = {
        "language": language,
        "extent": initial_extent(request.user),
        "layers": [layer_summary(layer) for layer in registry],
        "feature_limit": DEFAULT_LIMIT,
        # Past this many features in view, layers flagged `tiles` switch to vector tiles.
        "tile_threshold": tile_threshold(),
        "basemap": tile_layers(language),
        "kinds": facility_kinds(),
        "statuses": {status.value: str(status.label) for status in Facility.Status},
        "export": export_config(),
    }
    context = {"map_config": config, "map_strings": map_strings()}
    return render(request, "maps/map.html", context)
