"""“My area” (/me/): a grid worker's grids, buildings, open reports and tonight's patrols."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.core.geojson import feature_collection
from apps.regions.models import Grid

from .. import selectors
from ..trackfiles import TrackFileError, check_position
from ..workflow import Status
from .common import api, json_response


def _report_url(report) -> str:
    try:
        return reverse("reports:detail", args=[report.pk])
    except NoReverseMatch:
        return ""


@login_required
@require_safe
def me(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    grids = list(selectors.my_grids(user))
    grid_ids = [grid.pk for grid in grids]
    buildings = list(selectors.buildings_in_grids(grid_ids))
    reports = selectors.open_reports_in_grids(grid_ids)
    start, end = selectors.today_and_tonight(now)
    patrols = list(selectors.my_patrols_between(user, start, end))
    community_ids = {grid.community_id for grid in grids}
    others = Grid.objects.filter(community_id__in=community_ids).exclude(pk__in=grid_ids)
    map_data = {
        "mine": json.loads(
            feature_collection(
                Grid.objects.filter(pk__in=grid_ids),
                geometry_field="boundary",
                fields=("code", "name"),
            )
        ),
        "others": json.loads(
            feature_collection(others, geometry_field="boundary", fields=("code",))
        ),
        "buildings": json.loads(
            feature_collection(
                selectors.buildings_in_grids(grid_ids),
                geometry_field="footprint",
                fields=("number", "head_name", "households", "grid_code"),
            )
        ),
    }
    context = {
        "grids": grids,
        "buildings": buildings,
        "households": sum(b.households or 0 for b in buildings),
        "reports": [(report, _report_url(report), report.next_due < now) for report in reports],
        "patrols": patrols,
        "active_statuses": (Status.PLANNED, Status.IN_PROGRESS),
        "map_data": map_data,
        "strings": {
            "locating": _("Finding where you are…"),
            "no_geolocation": _("This browser cannot tell where you are."),
            "denied": _("Location is off or not allowed: allow it in the browser to use this."),
            "failed": _("Could not find where you are. Try again outdoors."),
            "inside_mine": _("You are in your grid %(code)s."),
            "inside_other": _("You are in grid %(code)s (not yours)."),
            "outside": _("You are outside every grid."),
            "nearest": _("Your nearest grid is %(code)s, %(distance)s m away."),
            "you": _("You are here"),
        },
        "config": {"locate_url": reverse("patrols:locate")},
    }
    return render(request, "patrols/me.html", context)


@api
@require_safe
def locate(request: HttpRequest) -> HttpResponse:
    """Where ?lat=&lng= stands relative to the user's grids (PostGIS)."""
    try:
        lon, lat = check_position(request.GET.get("lng"), request.GET.get("lat"), _("Position"))
    except TrackFileError as error:
        return json_response({"detail": error.message}, status=400)
    return json_response(selectors.locate(request.user, lon, lat))
