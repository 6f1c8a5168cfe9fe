"""The coverage map: grids shaded by night patrol coverage in a week."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..coverage import grid_week_coverage, last_finished_night
from ..errors import PatrolError
from ..schedule import iso_week, local_zone, parse_week, week_bounds
from .common import api, chosen_community, json_response, managed_communities


def _default_day() -> dt.date:
    # By default the week of the last night that is over: on a Monday morning, the whole
    # past week; in the small hours, the night under way does not count yet, so a Tuesday
    # at 04:00 still shows the past week (whose nights are all over), not a week with none.
    return last_finished_night(timezone.now(), local_zone())


def _monday(request: HttpRequest) -> dt.date:
    try:
        return parse_week(request.GET.get("week"), _default_day())
    except ValueError:
        raise PatrolError(
            _("“%(week)s” is not a week: use the form 2031-W10.")
            % {"week": request.GET.get("week")}
        ) from None


@login_required
@require_safe
def coverage_page(request: HttpRequest) -> HttpResponse:
    communities = managed_communities(request)
    community = chosen_community(request, communities)
    if community is None:
        raise Http404
    try:
        monday = _monday(request)
    except PatrolError as error:
        messages.error(request, error.message)
        monday = week_bounds(_default_day())[0]
    rows = grid_week_coverage(community_id=community.pk, monday=monday)
    config = {
        "geojson": {"type": "FeatureCollection", "features": [row.as_feature() for row in rows]},
        "strings": {
            "nights": _("%(n)s of %(over)s nights so far watched after midnight"),
            "hours": _("%(night)s night hours, %(second)s after midnight"),
            "never": _("never patrolled"),
        },
    }
    context = {
        "community": community,
        "communities": communities,
        "rows": rows,
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "week": iso_week(monday),
        "previous": iso_week(monday - dt.timedelta(days=7)),
        "next": iso_week(monday + dt.timedelta(days=7)),
        "config": config,
        "geojson_url": reverse("patrols:api-coverage"),
    }
    return render(request, "patrols/coverage.html", context)


@api
@require_safe
def coverage_geojson(request: HttpRequest) -> HttpResponse:
    """?community=&week=: the community's grids with their night coverage of that week."""
    communities = managed_communities(request)
    community = next((c for c in communities if str(c.pk) == request.GET.get("community")), None)
    if community is None:
        return json_response({"detail": _("Choose one of the communities you manage.")}, status=404)
    monday = _monday(request)
    rows = grid_week_coverage(community_id=community.pk, monday=monday)
    return json_response(
        {
            "type": "FeatureCollection",
            "week": iso_week(monday),
            "features": [r.as_feature() for r in rows],
        }
    )
