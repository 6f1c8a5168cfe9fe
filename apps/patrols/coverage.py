"""Coverage, computed in PostGIS: what a patrol covered, and how well grids are watched.

Per patrol: checkpoints visited on site, distance walked (geodesic length of the track),
share of the planned route within 30 m of the track (measured on geography), buildings
passed within 30 m. Per grid and week: patrol hours, night hours (22:00–06:00 local),
second-half-of-the-night hours (00:00–06:00), nights covered, last patrolled.

A patrol covers the grids of its plan's area, the grids its route crosses and the grids
its track crosses.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import PatrolInstance
from .workflow import Status

# "Passed" and "covered" mean within this many metres of the track.
NEAR_TRACK_M = 30.0
# A night's second half (00:00–06:00) counts as watched with a patrol under way this long.
SECOND_HALF_MIN_HOURS = 3
# Degrees of latitude per metre, rounded down (1° ≥ 110,574 m anywhere): used to widen a
# bounding box so the building index can pre-select candidates before the exact test.
_DEG_PER_M = 1 / 110_000


@dataclass(frozen=True)
class PatrolCoverage:
    checkpoints: int
    checkpoints_visited: int
    remote_checkins: int
    distance_m: float
    route_length_m: float | None
    route_covered_m: float | None
    buildings_passed: list[str]

    @property
    def checkpoints_pct(self) -> float | None:
        if not self.checkpoints:
            return None
        return 100.0 * self.checkpoints_visited / self.checkpoints

    @property
    def route_pct(self) -> float | None:
        if not self.route_length_m or self.route_covered_m is None:
            return None
        return 100.0 * self.route_covered_m / self.route_length_m


_PATROL_SQL = """
WITH i AS (
    SELECT i.id, i.plan_id, i.community_id, i.track, p.route
    FROM patrols_patrolinstance AS i JOIN patrols_patrolplan AS p ON p.id = i.plan_id
    WHERE i.id = %(instance)s
)
SELECT
    (SELECT count(*) FROM patrols_checkpoint AS c WHERE c.plan_id = i.plan_id),
    (SELECT count(DISTINCT ci.checkpoint_id) FROM patrols_checkin AS ci
      WHERE ci.instance_id = i.id AND ci.on_site),
    (SELECT count(*) FROM patrols_checkin AS ci WHERE ci.instance_id = i.id AND NOT ci.on_site),
    -- Distance walked: each person's lines added up; the team walked as far as its
    -- furthest-walking member (members walking side by side are not counted twice).
    COALESCE((
        SELECT max(walked) FROM (
            SELECT sum(ST_Length(seg.line::geography)) AS walked FROM (
                SELECT p.person_id,
                       ST_RemoveRepeatedPoints(ST_MakeLine(p.location ORDER BY p.id)) AS line
                FROM patrols_patroltrackpoint AS p WHERE p.instance_id = i.id
                GROUP BY p.person_id, p.upload_id, p.segment
            ) AS seg WHERE ST_IsValid(seg.line) GROUP BY seg.person_id
        ) AS people
    ), 0),
    ST_Length(i.route::geography),
    CASE WHEN i.route IS NULL THEN NULL
         WHEN i.track IS NULL THEN 0
         ELSE COALESCE(ST_Length(ST_Intersection(
             i.route::geography, ST_Buffer(i.track::geography, %(near)s)
         )), 0)
    END,
    ARRAY(
        SELECT b.number FROM regions_building AS b
        WHERE i.track IS NOT NULL
          -- Any community's buildings: a patrol along a border passes its neighbour's too.
          -- The widened box lets the footprint's GiST index pick candidates; ST_DWithin on
          -- geography then decides in metres on the spheroid.
          AND b.footprint && ST_Expand(
                i.track, %(deg)s / cos(radians(LEAST(89, GREATEST(abs(ST_YMin(i.track)),
                                                                   abs(ST_YMax(i.track)))))),
                %(deg)s)
          AND ST_DWithin(b.footprint::geography, i.track::geography, %(near)s)
        ORDER BY b.number
    )
FROM i
"""


def patrol_coverage(instance: PatrolInstance | int) -> PatrolCoverage:
    """What one patrol covered; one SQL query."""
    instance_id = instance.pk if isinstance(instance, PatrolInstance) else instance
    params = {"instance": instance_id, "near": NEAR_TRACK_M, "deg": NEAR_TRACK_M * _DEG_PER_M}
    with connection.cursor() as cursor:
        cursor.execute(_PATROL_SQL, params)
        row = cursor.fetchone()
    checkpoints, visited, remote, distance, route_length, route_covered, buildings = row
    return PatrolCoverage(
        checkpoints=checkpoints,
        checkpoints_visited=visited,
        remote_checkins=remote,
        distance_m=float(distance),
        route_length_m=float(route_length) if route_length is not None else None,
        route_covered_m=float(route_covered) if route_covered is not None else None,
        buildings_passed=list(buildings),
    )


# The grids each patrol covers: its plan's area, and the grids its route or its track runs
# through for at least 30 m (a line grazing a grid's edge does not patrol it).
# ST_Intersects lets the grid boundary's GiST index pick the candidates.
INSTANCE_GRIDS_SQL = """
    SELECT i.id AS instance_id, pg.grid_id
    FROM patrols_patrolinstance AS i
    JOIN patrols_patrolplan_grids AS pg ON pg.patrolplan_id = i.plan_id
    UNION
    SELECT i.id, g.id
    FROM patrols_patrolinstance AS i
    JOIN patrols_patrolplan AS p ON p.id = i.plan_id
    JOIN regions_grid AS g ON g.community_id = i.community_id AND ST_Intersects(g.boundary, p.route)
    WHERE ST_Length(ST_Intersection(g.boundary, p.route)::geography) >= 30
    UNION
    SELECT i.id, g.id
    FROM patrols_patrolinstance AS i
    JOIN regions_grid AS g ON g.community_id = i.community_id AND ST_Intersects(g.boundary, i.track)
    WHERE ST_Length(ST_Intersection(g.boundary, i.track)::geography) >= 30
"""

# Per grid of the community, for the week [monday, monday + 7): hours patrolled (actual
# start to end of completed patrols and those under way, clipped to the week), night hours
# (clipped to the nights starting Monday to Sunday, 22:00–06:00 local), second-half hours
# (00:00–06:00 of those nights), how many of the 7 nights had any patrol at all, and on how
# many a patrol was under way for at least half of the second half (3 of its 6 hours).
# nights_over counts the week's nights that have ended. last_patrolled is the end of the
# latest completed patrol ever.
_WEEK_SQL = """
WITH covers AS ({instance_grids}),
done AS (
    SELECT c.grid_id,
           tstzrange(i.started_at, COALESCE(i.ended_at, LEAST(%(now)s::timestamptz, i.ends_at)))
               AS span
    FROM covers AS c JOIN patrols_patrolinstance AS i ON i.id = c.instance_id
    WHERE i.community_id = %(community)s AND i.status IN %(done)s AND i.started_at IS NOT NULL
      AND i.started_at < COALESCE(i.ended_at, %(now)s::timestamptz)
),
nights AS (
    SELECT d::date AS night,
           tstzrange((d + time '22:00') AT TIME ZONE %(tz)s,
                     (d + interval '1 day' + time '06:00') AT TIME ZONE %(tz)s) AS whole,
           tstzrange((d + interval '1 day') AT TIME ZONE %(tz)s,
                     (d + interval '1 day' + time '06:00') AT TIME ZONE %(tz)s) AS second_half
    FROM generate_series(%(monday)s::timestamp, %(monday)s::timestamp + interval '6 days',
                         interval '1 day') AS d
),
week AS (
    SELECT tstzrange(%(monday)s::timestamp AT TIME ZONE %(tz)s,
                     (%(monday)s::timestamp + interval '7 days') AT TIME ZONE %(tz)s) AS span
),
per_night AS (
    SELECT done.grid_id, nights.night,
           sum(extract(epoch FROM upper(done.span * nights.whole)
                                - lower(done.span * nights.whole))) AS night_s,
           sum(COALESCE(extract(epoch FROM upper(done.span * nights.second_half)
                                         - lower(done.span * nights.second_half)), 0))
               AS second_s
    FROM done JOIN nights ON done.span && nights.whole
    GROUP BY done.grid_id, nights.night
),
hours AS (
    SELECT done.grid_id,
           sum(extract(epoch FROM upper(done.span * week.span) - lower(done.span * week.span)))
               AS patrol_s
    FROM done JOIN week ON done.span && week.span
    GROUP BY done.grid_id
),
last AS (
    SELECT c.grid_id, max(i.ended_at) AS last_patrolled
    FROM covers AS c JOIN patrols_patrolinstance AS i ON i.id = c.instance_id
    WHERE i.status = %(completed)s
    GROUP BY c.grid_id
)
SELECT g.id, g.code, g.name,
       (COALESCE(hours.patrol_s, 0) / 3600.0)::float8,
       (COALESCE((SELECT sum(n.night_s) FROM per_night AS n WHERE n.grid_id = g.id), 0)
        / 3600.0)::float8,
       (COALESCE((SELECT sum(n.second_s) FROM per_night AS n WHERE n.grid_id = g.id), 0)
        / 3600.0)::float8,
       (SELECT count(*) FROM per_night AS n WHERE n.grid_id = g.id AND n.night_s > 0),
       (SELECT count(*) FROM per_night AS n
         WHERE n.grid_id = g.id AND n.second_s >= %(second_half_min)s),
       (SELECT count(*) FROM nights WHERE upper(nights.whole) <= %(now)s::timestamptz),
       last.last_patrolled,
       ST_AsGeoJSON(ST_ForcePolygonCCW(g.boundary), 6)
FROM regions_grid AS g
LEFT JOIN hours ON hours.grid_id = g.id
LEFT JOIN last ON last.grid_id = g.id
WHERE g.community_id = %(community)s
ORDER BY g.code
"""


@dataclass(frozen=True)
class GridWeek:
    grid_id: int
    code: str
    name: str
    patrol_hours: float
    night_hours: float
    second_half_hours: float
    nights_covered: int
    second_half_nights: int
    nights_over: int
    last_patrolled: dt.datetime | None
    geometry: str  # GeoJSON text

    def as_feature(self) -> dict[str, Any]:
        return {
            "type": "Feature",
            "id": self.grid_id,
            "geometry": json.loads(self.geometry),
            "properties": {
                "code": self.code,
                "name": self.name,
                "patrol_hours": round(self.patrol_hours, 2),
                "night_hours": round(self.night_hours, 2),
                "second_half_hours": round(self.second_half_hours, 2),
                "nights_covered": self.nights_covered,
                "second_half_nights": self.second_half_nights,
                "nights_over": self.nights_over,
                "last_patrolled": self.last_patrolled.isoformat() if self.last_patrolled else None,
            },
        }


# A night is 22:00 on its day to this hour of the next (local time), as in _WEEK_SQL.
NIGHT_ENDS = dt.time(6)


def last_finished_night(now: dt.datetime, zone: dt.tzinfo) -> dt.date:
    """The day the latest night that is over began on: at 07:00 on Tuesday, Monday's night
    (it ended at 06:00); at 04:27 on Tuesday, Sunday's (Monday's is still under way)."""
    local = timezone.localtime(now, zone)
    back = 1 if local.time() >= NIGHT_ENDS else 2
    return local.date() - dt.timedelta(days=back)


def grid_week_coverage(
    *, community_id: int, monday: dt.date, now: dt.datetime | None = None
) -> list[GridWeek]:
    """Coverage of every grid of the community in the week starting `monday`; one query.
    Patrols still under way count up to `now`."""
    params: dict[str, Any] = {
        "now": now or timezone.now(),
        "community": community_id,
        "monday": monday.isoformat(),
        "tz": settings.TIME_ZONE,
        "done": (Status.COMPLETED, Status.IN_PROGRESS),
        "completed": Status.COMPLETED,
        "second_half_min": SECOND_HALF_MIN_HOURS * 3600,
    }
    with connection.cursor() as cursor:
        cursor.execute(_WEEK_SQL.format(instance_grids=INSTANCE_GRIDS_SQL), params)
        return [GridWeek(*row) for row in cursor.fetchall()]
