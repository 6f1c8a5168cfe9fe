"""Reads about people on grids and a person's own area. Spatial work is SQL.

`grid_duty_worker(grid, at=...)` is the entry point other apps use (reports assigns a
new report to the grid's duty grid worker).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.contrib.gis.db.models import GeometryField
from django.db import connection
from django.db.models import Case, Exists, F, Func, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import NullIf
from django.utils import timezone

from apps.accounts.models import Membership, User
from apps.accounts.roles import Role
from apps.regions.models import Building, Grid

from .models import DutyShift, PatrolInstance, PatrolSettings, PatrolTeamMember
from .models.people import default_required_roles
from .schedule import local_zone


def point_on_surface(expression: Any) -> Func:
    """ST_PointOnSurface of an outer reference (GeoDjango's own function cannot take one):
    the point that places a building in exactly one grid."""
    return Func(expression, function="ST_PointOnSurface", output_field=GeometryField(srid=4326))


def _local(at: dt.datetime | None) -> dt.datetime:
    return (at or timezone.now()).astimezone(local_zone())


def _covering(day_field: str, day: Any, prev_day: Any, time: dt.time) -> Q:
    """Shifts of `day` running at `time`, and overnight shifts of `prev_day` still running."""
    same_day = Q(**{day_field: day}) & (
        Q(start_time__lt=F("end_time"), start_time__lte=time, end_time__gt=time)
        | Q(start_time__gt=F("end_time"), start_time__lte=time)
    )
    overnight = Q(**{day_field: prev_day}, start_time__gt=F("end_time"), end_time__gt=time)
    return same_day | overnight


def duty_shifts_at(grid: Grid | int, at: dt.datetime | None = None) -> QuerySet[DutyShift]:
    """The grid's duty shifts running at `at` (now by default), dated ones first.

    A dated shift on a day replaces the weekly roster of that day: when any dated shift of
    the grid covers `at`, weekly ones are not returned.
    """
    local = _local(at)
    day, time = local.date(), local.time()
    yesterday = day - dt.timedelta(days=1)
    grid_id = grid.pk if isinstance(grid, Grid) else grid
    shifts = DutyShift.objects.filter(grid_id=grid_id, person__is_active=True)
    dated = shifts.filter(_covering("on_date", day, yesterday, time))
    if dated.exists():
        return dated.order_by("start_time", "pk")
    weekly = shifts.filter(_covering("weekday", day.weekday(), yesterday.weekday(), time))
    return weekly.order_by("start_time", "pk")


def grid_duty_worker(grid: Grid | int, at: dt.datetime | None = None) -> User | None:
    """The grid worker on duty for `grid` at `at` (now by default), or None.

    Whoever holds a duty shift covering that moment and is an active grid worker of the
    grid's community (dated shifts before weekly ones, earliest shift first). With nobody
    rostered, the grid's assigned grid worker (the longest-standing active membership
    covering it); None when the grid has no grid worker at all.
    """
    grid_id = grid.pk if isinstance(grid, Grid) else grid
    grid_workers = Membership.objects.filter(
        user=OuterRef("person_id"),
        community=OuterRef("community_id"),
        role=Role.GRID_WORKER,
        is_active=True,
    )
    shift = (
        duty_shifts_at(grid_id, at).filter(Exists(grid_workers)).select_related("person").first()
    )
    if shift is not None:
        return shift.person
    membership = (
        Membership.objects.filter(
            grids=grid_id, role=Role.GRID_WORKER, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def required_roles(community_id: int) -> list[str]:
    """The roles every patrol team of the community needs (the default when unset)."""
    roles = (
        PatrolSettings.objects.filter(community_id=community_id)
        .values_list("required_roles", flat=True)
        .first()
    )
    return list(roles) if roles is not None else default_required_roles()


def grid_of_building() -> Subquery:
    """Subquery: the code of the grid a building stands in (its point on surface)."""
    return Subquery(
        Grid.objects.filter(
            community=OuterRef("community_id"),
            boundary__covers=point_on_surface(OuterRef("footprint")),
        )
        .order_by("code")
        .values("code")[:1]
    )


# --- my area -----------------------------------------------------------------------------


def my_grids(user: Any) -> QuerySet[Grid]:
    """Grids `user` covers through any active membership."""
    if not getattr(user, "is_authenticated", False):
        return Grid.objects.none()
    return (
        Grid.objects.filter(memberships__user=user, memberships__is_active=True)
        .distinct()
        .select_related("community")
        .order_by("community__code", "code")
    )


def buildings_in_grids(grid_ids: Any) -> QuerySet[Building]:
    """Buildings standing in the given grids, with `grid_code`, `head_name` and the
    building head's public work phone. One query; the grid test is ST_Covers in SQL."""
    in_grid = Grid.objects.filter(
        pk__in=grid_ids,
        community=OuterRef("community_id"),
        boundary__covers=point_on_surface(OuterRef("footprint")),
    )
    return (
        Building.objects.filter(Exists(in_grid))
        .annotate(
            grid_code=Subquery(in_grid.order_by("code").values("code")[:1]),
            head_name=NullIf(F("building_head__display_name"), Value("")),
            head_work_phone=NullIf(F("building_head__work_phone"), Value("")),
        )
        .select_related("compound")
        .order_by("grid_code", "number")
    )


def open_reports_in_grids(grid_ids: Any, *, limit: int = 50) -> list[Any]:
    """Open reports of those grids, the soonest due first (the deadline of the stage each
    is waiting for). Empty when the reports app has no Report model."""
    try:
        report_model = apps.get_model("reports", "Report")
        from apps.reports.states import OPEN_STATUSES, Status
    except (LookupError, ImportError):
        return []
    next_due = Case(
        When(status=Status.SUBMITTED, then=F("accept_due")),
        When(status=Status.ACCEPTED, then=F("dispatch_due")),
        default=F("handle_due"),
    )
    return list(
        report_model.objects.filter(grid__in=grid_ids, status__in=OPEN_STATUSES)
        .annotate(next_due=next_due)
        .select_related("category", "grid")
        .order_by("next_due", "pk")[:limit]
    )


def my_patrols_between(user: Any, start: dt.datetime, end: dt.datetime) -> QuerySet:
    """Patrols the user's teams have that overlap [start, end), soonest first."""
    on_team = PatrolTeamMember.objects.filter(plan=OuterRef("plan_id"), person=user)
    return (
        PatrolInstance.objects.filter(Exists(on_team), starts_at__lt=end, ends_at__gt=start)
        .select_related("plan")
        .order_by("starts_at", "pk")
    )


def today_and_tonight(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """From today 00:00 to tomorrow 06:00, local: a night shift belongs to "tonight"."""
    local = _local(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + dt.timedelta(days=1, hours=6)


_LOCATE_SQL = """
WITH here AS (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS geom)
SELECT g.id, g.code, g.name, g.id = ANY(%(mine)s) AS mine,
       ST_Covers(g.boundary, here.geom) AS inside,
       ST_Distance(g.boundary::geography, here.geom::geography) AS distance_m
FROM {grid} AS g, here
WHERE g.id = ANY(%(mine)s) OR ST_Covers(g.boundary, here.geom)
ORDER BY inside DESC, distance_m, g.code
"""


def locate(user: Any, lon: float, lat: float) -> dict[str, Any]:
    """Where (lon, lat) stands relative to the user's grids, computed in PostGIS.

    `inside`: the grid covering the point (any community's, flagged `mine`), or None;
    `nearest_mine`: the user's grid nearest to the point with its geodesic distance in
    metres (0 when inside it); `mine`: every one of the user's grids with its distance.
    """
    mine = list(my_grids(user).values_list("pk", flat=True))
    sql = _LOCATE_SQL.format(grid=Grid._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"lon": lon, "lat": lat, "mine": mine})
        rows = [
            {
                "id": pk,
                "code": code,
                "name": name,
                "mine": is_mine,
                "inside": inside,
                "distance_m": round(distance, 1),
            }
            for pk, code, name, is_mine, inside, distance in cursor.fetchall()
        ]
    inside = next((row for row in rows if row["inside"]), None)
    mine_rows = sorted((row for row in rows if row["mine"]), key=lambda r: r["distance_m"])
    return {
        "inside": inside,
        "nearest_mine": mine_rows[0] if mine_rows else None,
        "mine": mine_rows,
    }
