"""Conflicts shown before a plan is saved (the planning form's "check").

1. A team member booked on another patrol at an overlapping time.
2. A grid of the community left without any night patrol (22:00–06:00) on a night of the
   coming week, counting this plan as it would be saved.
3. A team without the roles the community requires (PatrolSettings).

Reads only: nothing is saved. Time overlaps are tested in SQL on tstzrange; the grids a
route crosses are found with ST_Intersects on the grid index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.accounts.roles import Role
from apps.regions.models import Grid

from .coverage import INSTANCE_GRIDS_SQL
from .models import PatrolPlan
from .schedule import local_zone
from .selectors import required_roles
from .services.plans import PlanData
from .workflow import ACTIVE_STATUSES

LOOKAHEAD_NIGHTS = 7


@dataclass(frozen=True)
class PlanConflict:
    kind: str  # "double_booking" | "night_gap" | "missing_roles"
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "details": self.details}


_DOUBLE_BOOKING_SQL = """
SELECT DISTINCT ON (m.person_id, w.starts)
       m.person_id, w.starts, w.ends, i.id, p.name, i.starts_at, i.ends_at
FROM unnest(%(starts)s::timestamptz[], %(ends)s::timestamptz[]) AS w(starts, ends)
JOIN patrols_patrolinstance AS i
  ON tstzrange(i.starts_at, i.ends_at) && tstzrange(w.starts, w.ends)
JOIN patrols_patrolteammember AS m ON m.plan_id = i.plan_id
JOIN patrols_patrolplan AS p ON p.id = i.plan_id
WHERE m.person_id = ANY(%(people)s) AND i.status IN %(active)s AND i.plan_id <> %(plan)s
ORDER BY m.person_id, w.starts, i.starts_at
"""


def _local_text(value: dt.datetime) -> str:
    return date_format(timezone.localtime(value, local_zone()), "Y-m-d H:i")


def double_bookings(
    data: PlanData, plan: PatrolPlan | None, now: dt.datetime
) -> list[PlanConflict]:
    windows = [(s, e) for _day, s, e in data.windows() if e > now]
    people = {seat.person.pk: seat.person for seat in data.team}
    if not windows or not people:
        return []
    params: dict[str, Any] = {
        "starts": [s for s, _e in windows],
        "ends": [e for _s, e in windows],
        "people": list(people),
        "active": ACTIVE_STATUSES,
        "plan": plan.pk if plan else 0,
    }
    with connection.cursor() as cursor:
        cursor.execute(_DOUBLE_BOOKING_SQL, params)
        rows = cursor.fetchall()
    conflicts = []
    for person_id, starts, _ends, other_id, other_name, other_starts, other_ends in rows:
        person = people[person_id]
        conflicts.append(
            PlanConflict(
                "double_booking",
                _(
                    "%(person)s is already on “%(other)s” from %(from)s to %(to)s, which "
                    "overlaps this patrol on %(day)s."
                )
                % {
                    "person": person,
                    "other": other_name,
                    "from": _local_text(other_starts),
                    "to": _local_text(other_ends),
                    "day": date_format(timezone.localtime(starts, local_zone()), "Y-m-d"),
                },
                {"person": person_id, "instance": other_id},
            )
        )
    return conflicts


_ROUTE_GRIDS_SQL = """
SELECT g.id FROM regions_grid AS g
CROSS JOIN (SELECT ST_GeomFromEWKT(%(route)s) AS geom) AS route
WHERE g.community_id = %(community)s AND ST_Intersects(g.boundary, route.geom)
  AND ST_Length(ST_Intersection(g.boundary, route.geom)::geography) >= 30
"""

# Nights of the coming week on which each grid already has a patrol (other plans, and this
# plan's own patrols that stay as they are: started or finished ones).
_NIGHTS_COVERED_SQL = """
WITH covers AS ({instance_grids}),
nights AS (
    SELECT d::date AS night,
           tstzrange((d + time '22:00') AT TIME ZONE %(tz)s,
                     (d + interval '1 day' + time '06:00') AT TIME ZONE %(tz)s) AS whole
    FROM generate_series(%(first)s::timestamp, %(first)s::timestamp + interval '6 days',
                         interval '1 day') AS d
)
SELECT DISTINCT c.grid_id, nights.night
FROM covers AS c
JOIN patrols_patrolinstance AS i ON i.id = c.instance_id
JOIN nights ON tstzrange(i.starts_at, i.ends_at) && nights.whole
WHERE i.community_id = %(community)s AND i.status IN %(counted)s
  AND (i.plan_id <> %(plan)s OR i.status <> 'planned')
"""


def night_gaps(data: PlanData, plan: PatrolPlan | None, now: dt.datetime) -> list[PlanConflict]:
    zone = local_zone()
    local_now = timezone.localtime(now, zone)
    # Tonight counts when it has not yet ended (before 06:00 the night of yesterday runs).
    first = local_now.date() - dt.timedelta(days=1 if local_now.hour < 6 else 0)
    nights = [first + dt.timedelta(days=n) for n in range(LOOKAHEAD_NIGHTS)]
    community_id = data.community.pk
    covered: set[tuple[int, dt.date]] = set()
    with connection.cursor() as cursor:
        cursor.execute(
            _NIGHTS_COVERED_SQL.format(instance_grids=INSTANCE_GRIDS_SQL),
            {
                "tz": settings.TIME_ZONE,
                "first": first.isoformat(),
                "community": community_id,
                "counted": ("planned", "in_progress", "completed"),
                "plan": plan.pk if plan else 0,
            },
        )
        covered |= {(grid_id, night) for grid_id, night in cursor.fetchall()}
        plan_grids = {grid.pk for grid in data.grids}
        if data.route is not None:
            cursor.execute(_ROUTE_GRIDS_SQL, {"community": community_id, "route": data.route.ewkt})
            plan_grids |= {grid_id for (grid_id,) in cursor.fetchall()}
    for _day, starts, ends in data.windows():
        for night in nights:
            night_start = dt.datetime.combine(night, dt.time(22), tzinfo=zone)
            night_end = night_start + dt.timedelta(hours=8)
            if starts < night_end and ends > night_start and ends > now:
                covered |= {(grid_id, night) for grid_id in plan_grids}
    conflicts = []
    for grid in Grid.objects.filter(community_id=community_id).order_by("code"):
        missing = [night for night in nights if (grid.pk, night) not in covered]
        if not missing:
            continue
        conflicts.append(
            PlanConflict(
                "night_gap",
                _(
                    "Grid %(grid)s has no night patrol on %(count)d of the coming %(total)d "
                    "nights: %(nights)s."
                )
                % {
                    "grid": grid.code,
                    "count": len(missing),
                    "total": len(nights),
                    "nights": ", ".join(date_format(night, "n/j D") for night in missing),
                },
                {"grid": grid.pk, "nights": [night.isoformat() for night in missing]},
            )
        )
    return conflicts


def missing_roles(data: PlanData) -> list[PlanConflict]:
    needed = required_roles(data.community.pk)
    present = {seat.role for seat in data.team}
    missing = [role for role in needed if role not in present]
    if not missing:
        return []
    labels = ", ".join(str(Role(role).label) for role in missing)
    return [
        PlanConflict(
            "missing_roles",
            _("The team has no %(roles)s; %(community)s requires every patrol to have one.")
            % {"roles": labels, "community": data.community},
            {"roles": missing},
        )
    ]


def patrol_plan_check(
    *, data: PlanData, plan: PatrolPlan | None = None, now: dt.datetime | None = None
) -> list[PlanConflict]:
    """Every conflict the plan would have if saved as `data` (nothing is saved)."""
    now = now or timezone.now()
    return [*missing_roles(data), *double_bookings(data, plan, now), *night_gaps(data, plan, now)]
