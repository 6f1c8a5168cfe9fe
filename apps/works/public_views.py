"""The public facility map (/facilities/): what is open, what is coming, what is nearest.

Anonymous and phone-first. Open facilities come from the registry's "facilities" layer
endpoint, sites under way from the registry's "works" layer (its public rows), and the
nearest facility from an index-backed query (apps.works.facility_map).
"""

from __future__ import annotations

import math

from django.contrib.gis.db.models import Extent
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.core.geo import LAT_RANGE, LON_RANGE
from apps.core.geojson import feature_collection
from apps.core.layers import registry
from apps.facilities.models import Facility, FacilityKind
from apps.maps.basemaps import tile_layers
from apps.maps.symbols import facility_kinds
from apps.maps.views import map_strings
from apps.regions.models import Community

from .facility_map import nearest_facility
from .workflow import WorkStatus

READABLE = {"ensure_ascii": False}
# Works shown as "coming": decided and not yet built.
COMING_STATUSES = (WorkStatus.APPROVED, WorkStatus.UNDER_CONSTRUCTION, WorkStatus.SUSPENDED)
COMING_FIELDS = (
    "name",
    "name_en",
    "status",
    "site_kind",
    "facility_name",
    "planned_end",
    "progress_percent",
    "is_overdue",
    "community_name",
    "community_name_en",
)


def facility_strings() -> dict[str, str]:
    return {
        **map_strings(),
        "open_now": _("Open facilities"),
        "coming": _("Coming soon"),
        "expected_opening": _("Expected opening"),
        "delayed": _("Delayed: was planned for %(date)s"),
        "progress": _("Progress"),
        "nearest_to_me": _("Nearest to me"),
        "use_location": _("Use my location"),
        "tap_map": _("Tap the map"),
        "tap_hint": _("Tap the map where you are."),
        "locating": _("Finding your location…"),
        "searching": _("Looking for the nearest one…"),
        "no_location": _(
            "Your location is not available. Allow location access, or tap the map instead."
        ),
        "none_open": _("No %(kind)s is open yet."),
        "distance": _("%(name)s is %(distance)s away in a straight line."),
        "nearest_failed": _("Could not look up the nearest facility. Try again."),
        "you_are_here": _("You are here"),
        "unit_km": _("km"),
        "statuses_works": _("Status"),
    }


def kinds_for_nearest() -> list[dict[str, str]]:
    """Kinds with at least one open facility, in legend order (one query)."""
    open_kinds = set(
        Facility.objects.filter(status=Facility.Status.IN_SERVICE)
        .values_list("kind", flat=True)
        .distinct()
    )
    return [kind for kind in facility_kinds() if kind["code"] in open_kinds]


@require_safe
def facility_map(request: HttpRequest) -> HttpResponse:
    language = get_language() or "zh-hans"
    extent = Community.objects.aggregate(e=Extent("boundary"))["e"]
    config = {
        "language": language,
        "extent": list(extent) if extent else None,
        "kinds": facility_kinds(),
        "nearest_kinds": kinds_for_nearest(),
        "statuses": {status.value: str(status.label) for status in Facility.Status},
        "work_statuses": {status.value: str(status.label) for status in WorkStatus},
        "facilities_url": reverse("maps:layer-geojson", args=["facilities"]),
        "coming_url": reverse("works:coming"),
        "nearest_url": reverse("works:nearest"),
        "default_kind": FacilityKind.FITNESS_COURT.value,
        "basemap": tile_layers(language),
    }
    context = {"config": config, "strings": facility_strings()}
    return render(request, "works/facilities.html", context)


@require_safe
def coming(request: HttpRequest) -> HttpResponse:
    """Works under way that anybody may see, with their expected opening (planned end)."""
    layer = registry.get("works")
    rows = layer.rows(request.user).filter(Q(status__in=COMING_STATUSES))
    text = feature_collection(rows, geometry_field="geom", fields=COMING_FIELDS)
    return HttpResponse(text, content_type="application/geo+json")


def _bad(parameter: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {"parameter": parameter, "detail": detail}, status=400, json_dumps_params=READABLE
    )


def _coordinate(value: str | None, bounds: tuple[float, float]) -> float | None:
    try:
        number = float(value or "")
    except ValueError:
        return None
    if not math.isfinite(number) or not bounds[0] <= number <= bounds[1]:
        return None
    return number


@require_safe
def nearest(request: HttpRequest) -> JsonResponse:
    """?kind=<facility kind>&lon=<°E>&lat=<°N>: the nearest open facility of that kind, the
    straight-line geodesic distance in metres, and the line to draw."""
    kind = request.GET.get("kind", "")
    if kind not in FacilityKind.values:
        return _bad("kind", _("Choose a kind of facility from the list."))
    lon = _coordinate(request.GET.get("lon"), LON_RANGE)
    lat = _coordinate(request.GET.get("lat"), LAT_RANGE)
    if lon is None or lat is None:
        return _bad(
            "lon" if lon is None else "lat",
            _("Give your position as lon (−180 to 180) and lat (−90 to 90) in decimal degrees."),
        )
    answer = nearest_facility(kind=kind, lon=lon, lat=lat)
    label = str(FacilityKind(kind).label)
    if answer is None:
        return JsonResponse(
            {"detail": _("No %(kind)s is open yet.") % {"kind": label}},
            status=404,
            json_dumps_params=READABLE,
        )
    facility = answer.facility
    return JsonResponse(
        {
            "facility": {
                "id": facility.pk,
                "name": facility.name,
                "name_en": facility.name_en,
                "kind": facility.kind,
                "kind_label": label,
                "opening_hours": facility.opening_hours,
                "community_name": facility.community.name,
            },
            "distance_m": round(answer.distance_m, 1),
            "line": answer.line,
            "from": [lon, lat],
        },
        json_dumps_params=READABLE,
    )
