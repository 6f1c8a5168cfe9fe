"""What the planning form shows before a plan is saved (its "check").

Conflicts are real overlaps in time, and nothing else:
1. a team member already on another patrol whose shift overlaps one of this plan's;
2. a grid of this plan already patrolled by another plan at an overlapping time (its
   chosen grids, or the grids its route crosses for at least 30 m).
Only occurrences that have not ended yet count: past days are never generated, so they
cannot clash. Overlaps are tested in SQL on tstzrange (half-open, so back-to-back shifts do
not overlap; a shift crossing midnight is one interval, e.g. 22:00 to 06:00 the next day).

Warnings (a team without the roles the community requires) are shown beside the conflicts
but do not stop a save. The preview lists the plan's next occurrences, starting with the
first one that has not ended (at 03:00, the night shift that began at 22:00 yesterday).

Reads only: nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.roles import Role

from .models import PatrolPlan
from .schedule import local_zone
from .selectors import required_roles
from .services.plans import PlanData
from .workflow import ACTIVE_STATUSES

# How many coming patrols the form previews, and how many clashing times one conflict names.
PREVIEW_LENGTH = 7
TIMES_NAMED = 3


@dataclass(frozen=True)
class PlanConflict:
    kind: str  # "double_booking" | "grid_overlap" (conflicts) or "missing_roles" (warning)
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "details": self.details}


def interval_text(starts: dt.datetime, ends: dt.datetime) -> str:
    """The interval as "2031-03-05 22:00–06:00 (next day)", in local time."""
    zone = local_zone()
    local_start, local_end = timezone.localtime(starts, zone), timezone.localtime(ends, zone)
    out = f"{date_format(local_start, 'Y-m-d H:i')}–{date_format(local_end, 'H:i')}"
    days = (local_end.date() - local_start.date()).days
    if days == 1:
        out += " " + _("(next day)")
    elif days > 1:
        out = f"{date_format(local_start, 'Y-m-d H:i')}–{date_format(local_end, 'Y-m-d H:i')}"
    return out


def _future_windows(data: PlanData, now: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(s, e) for _day, s, e in data.windows() if e > now]


def _times_text(times: list[tuple[dt.datetime, dt.datetime]]) -> str:
    named = "; ".join(interval_text(s, e) for s, e in times[:TIMES_NAMED])
    more = len(times) - TIMES_NAMED
    if more > 0:
        named += " " + ngettext("and %(n)d more time", "and %(n)d more times", more) % {"n": more}
    return named


# One row per (person, other patrol) whose times overlap one of this plan's future windows.
_DOUBLE_BOOKING_SQL = """
SELECT DISTINCT m.person_id, p.id, p.name, i.id, i.starts_at, i.ends_at
FROM unnest(%(starts)s::timestamptz[], %(ends)s::timestamptz[]) AS w(starts, ends)
JOIN patrols_patrolinstance AS i
  ON tstzrange(i.starts_at, i.ends_at) && tstzrange(w.starts, w.ends)
JOIN patrols_patrolteammember AS m ON m.plan_id = i.plan_id
JOIN patrols_patrolplan AS p ON p.id = i.plan_id
WHERE m.person_id = ANY(%(people)s) AND i.status IN %(active)s AND i.plan_id <> %(plan)s
  AND i.ends_at > %(now)s
ORDER BY m.person_id, p.id, i.starts_at
"""


def double_bookings(
    data: PlanData, plan: PatrolPlan | None, now: dt.datetime
) -> list[PlanConflict]:
    """Team members already on another patrol at an overlapping time, one conflict per
    person and other plan, naming the clashing times."""
    windows = _future_windows(data, now)
    people = {seat.person.pk: seat.person for seat in data.team}
    if not windows or not people:
        return []
    params: dict[str, Any] = {
        "starts": [s for s, _e in windows],
        "ends": [e for _s, e in windows],
        "people": list(people),
        "active": ACTIVE_STATUSES,
        "plan": plan.pk if plan else 0,
        "now": now,
    }
    with connection.cursor() as cursor:
        cursor.execute(_DOUBLE_BOOKING_SQL, params)
        rows = cursor.fetchall()
    grouped: dict[tuple[int, int], dict[str, Any]] = {}
    for person_id, other_plan, other_name, instance_id, starts, ends in rows:
        entry = grouped.setdefault(
            (person_id, other_plan), {"name": other_name, "times": [], "instances": []}
        )
        entry["times"].append((starts, ends))
        entry["instances"].append(instance_id)
    conflicts = []
    for (person_id, other_plan), entry in grouped.items():
        conflicts.append(
            PlanConflict(
                "double_booking",
                _("%(person)s is already on “%(other)s” at the same time: %(times)s.")
                % {
                    "person": people[person_id],
                    "other": entry["name"],
                    "times": _times_text(entry["times"]),
                },
                {
                    "person": person_id,
                    "plan": other_plan,
                    "instances": entry["instances"],
                    "times": [[s.isoformat(), e.isoformat()] for s, e in entry["times"]],
                },
            )
        )
    return conflicts


# The grids this plan covers: those chosen, and those its route crosses for >= 30 m.
_ROUTE_GRIDS_SQL = """
SELECT g.id FROM regions_grid AS g
CROSS JOIN (SELECT ST_GeomFromEWKT(%(route)s) AS geom) AS route
WHERE g.community_id = %(community)s AND ST_Intersects(g.boundary, route.geom)
  AND ST_Length(ST_Intersection(g.boundary, route.geom)::geography) >= 30
"""

# Other plans' patrols at an overlapping time, and the grids each covers (chosen grids or
# grids its route crosses for >= 30 m), restricted to this plan's grids.
_GRID_OVERLAP_SQL = """
WITH others AS (
    SELECT DISTINCT i.id, i.plan_id, i.starts_at, i.ends_at
    FROM unnest(%(starts)s::timestamptz[], %(ends)s::timestamptz[]) AS w(starts, ends)
    JOIN patrols_patrolinstance AS i
      ON tstzrange(i.starts_at, i.ends_at) && tstzrange(w.starts, w.ends)
    WHERE i.community_id = %(community)s AND i.status IN %(active)s
      AND i.plan_id <> %(plan)s AND i.ends_at > %(now)s
),
covered AS (
    SELECT o.id, pg.grid_id
    FROM others AS o JOIN patrols_patrolplan_grids AS pg ON pg.patrolplan_id = o.plan_id
    UNION
    SELECT o.id, g.id
    FROM others AS o
    JOIN patrols_patrolplan AS p ON p.id = o.plan_id
    JOIN regions_grid AS g ON g.community_id = %(community)s AND ST_Intersects(g.boundary, p.route)
    WHERE ST_Length(ST_Intersection(g.boundary, p.route)::geography) >= 30
)
SELECT c.grid_id, g.code, p.id, p.name, o.id, o.starts_at, o.ends_at
FROM covered AS c
JOIN others AS o ON o.id = c.id
JOIN patrols_patrolplan AS p ON p.id = o.plan_id
JOIN regions_grid AS g ON g.id = c.grid_id
WHERE c.grid_id = ANY(%(grids)s)
ORDER BY g.code, p.id, o.starts_at
"""


def plan_grid_ids(data: PlanData) -> set[int]:
    """The grids the plan covers: chosen ones and those its route crosses for >= 30 m."""
    grids = {grid.pk for grid in data.grids}
    if data.route is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                _ROUTE_GRIDS_SQL, {"community": data.community.pk, "route": data.route.ewkt}
            )
            grids |= {grid_id for (grid_id,) in cursor.fetchall()}
    return grids


def grid_overlaps(data: PlanData, plan: PatrolPlan | None, now: dt.datetime) -> list[PlanConflict]:
    """Grids of this plan that another plan patrols at an overlapping time, one conflict
    per grid and other plan, naming the clashing times."""
    windows = _future_windows(data, now)
    grids = plan_grid_ids(data)
    if not windows or not grids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _GRID_OVERLAP_SQL,
            {
                "starts": [s for s, _e in windows],
                "ends": [e for _s, e in windows],
                "community": data.community.pk,
                "active": ACTIVE_STATUSES,
                "plan": plan.pk if plan else 0,
                "now": now,
                "grids": sorted(grids),
            },
        )
        rows = cursor.fetchall()
    grouped: dict[tuple[int, int], dict[str, Any]] = defaultdict(dict)
    for grid_id, code, other_plan, other_name, instance_id, starts, ends in rows:
        entry = grouped[(grid_id, other_plan)]
        entry.setdefault("code", code)
        entry.setdefault("name", other_name)
        entry.setdefault("times", []).append((starts, ends))
        entry.setdefault("instances", []).append(instance_id)
    return [
        PlanConflict(
            "grid_overlap",
            _("Grid %(grid)s is already patrolled by “%(other)s” at the same time: %(times)s.")
            % {"grid": entry["code"], "other": entry["name"], "times": _times_text(entry["times"])},
            {
                "grid": grid_id,
                "plan": other_plan,
                "instances": entry["instances"],
                "times": [[s.isoformat(), e.isoformat()] for s, e in entry["times"]],
            },
        )
        for (grid_id, other_plan), entry in grouped.items()
    ]


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
            _("The team has no %(roles)s; %(community)s asks every patrol to have one.")
            % {"roles": labels, "community": data.community},
            {"roles": missing},
        )
    ]


def patrol_plan_check(
    *, data: PlanData, plan: PatrolPlan | None = None, now: dt.datetime | None = None
) -> list[PlanConflict]:
    """The real conflicts the plan would have if saved as `data` (nothing is saved): the
    same people or the same grids at overlapping times, from `now` on."""
    now = now or timezone.now()
    return [*double_bookings(data, plan, now), *grid_overlaps(data, plan, now)]


def patrol_plan_warnings(*, data: PlanData) -> list[PlanConflict]:
    """What the planner should know but may save anyway (roles the community asks for)."""
    return missing_roles(data)


def plan_upcoming(
    *, data: PlanData, now: dt.datetime, limit: int = PREVIEW_LENGTH
) -> list[dict[str, Any]]:
    """The plan's next `limit` patrols that have not ended at `now`, the running one first."""
    out = []
    for day, starts, ends in data.windows():
        if ends <= now:
            continue
        out.append(
            {
                "day": day.isoformat(),
                "starts": starts.isoformat(),
                "ends": ends.isoformat(),
                "label": f"{date_format(day, 'D')} {interval_text(starts, ends)}",
                "running": starts <= now,
            }
        )
        if len(out) >= limit:
            break
    return out


def future_patrol_count(*, data: PlanData, now: dt.datetime) -> int:
    """How many patrols saving the plan makes: those of days whose shift has not ended."""
    return len(_future_windows(data, now))


def plan_check_json(
    *, data: PlanData, plan: PatrolPlan | None = None, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The planning form's check: conflicts, warnings, the coming patrols and their count."""
    now = now or timezone.now()
    return {
        "conflicts": [c.as_json() for c in patrol_plan_check(data=data, plan=plan, now=now)],
        "warnings": [w.as_json() for w in patrol_plan_warnings(data=data)],
        "upcoming": plan_upcoming(data=data, now=now),
        "patrols": future_patrol_count(data=data, now=now),
    }
