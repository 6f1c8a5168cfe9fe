"""“My area” (/me/): what was sent to me, my grids' open reports, tonight's patrols, my
grids and their buildings."""

from __future__ import annotations

import json
from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.accounts.models import Membership, User
from apps.accounts.roles import Role
from apps.core.geojson import feature_collection
from apps.regions.models import Grid

from .. import my_work, selectors
from ..trackfiles import TrackFileError, check_position
from ..workflow import Status
from .common import api, json_response


def _report_url(report) -> str:
    try:
        return reverse("reports:detail", args=[report.pk])
    except NoReverseMatch:
        return ""


def _report_rows(reports, now) -> list[dict]:
    return [
        {"report": report, "url": _report_url(report), "overdue": report.next_due < now}
        for report in reports
    ]


@login_required
@require_safe
def me(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required: a signed-in User
    now = timezone.now()
    grids = list(selectors.my_grids(user))
    grid_ids = [grid.pk for grid in grids]
    buildings = list(selectors.buildings_in_grids(grid_ids))
    # What was sent to me comes first, wherever it is; my grids' other open reports below
    # it, without repeating one listed above.
    sent = my_work.reports_sent_to_me(user)
    in_grids = my_work.open_reports_in_my_grids(grid_ids, leave_out=[r.pk for r in sent])
    patrols = [
        (patrol, my_work.patrol_when(patrol, now))
        for patrol in my_work.my_patrols_now_and_tonight(user, now)
    ]
    is_grid_worker = Membership.objects.filter(
        user=user, is_active=True, role=Role.GRID_WORKER
    ).exists()
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
        "is_grid_worker": is_grid_worker,
        "buildings": buildings,
        "households": sum(b.households or 0 for b in buildings),
        "sent": _report_rows(sent, now),
        "reports": _report_rows(in_grids, now),
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
