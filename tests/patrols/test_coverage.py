"""Coverage computed in PostGIS, against geometry whose answers are worked out by hand.

The route runs 200 m due east; positions come from pyproj's geodesic on WGS 84 (the
spheroid PostGIS measures on), so lengths agree to well under a centimetre.
"""

import datetime as dt

import pytest
from django.contrib.gis.geos import LineString, Point, Polygon
from django.db import connection

from apps.patrols.coverage import _PATROL_SQL, grid_week_coverage, patrol_coverage
from apps.patrols.models import PatrolTrackPoint
from apps.patrols.services import (
    CheckpointData,
    patrol_check_in,
    patrol_instance_transition,
    patrol_plan_save,
    patrol_track_append,
    patrol_track_rebuild,
)
from apps.patrols.workflow import Actor, Status
from tests.factories import make_building

from .conftest import X0, Y0, local, offset, plan_data, started

R0 = (X0 + 0.002, Y0 + 0.005)  # the route's west end, north of both grids


def along(metres: float, north: float = 0.0) -> tuple[float, float]:
    """The point `metres` east along the route, then `north` metres north (south if < 0)."""
    point = offset(*R0, azimuth=90.0, metres=metres) if metres else R0
    if north:
        point = offset(*point, azimuth=0.0 if north > 0 else 180.0, metres=abs(north))
    return point


def footprint(centre: tuple[float, float], half: float = 5.0) -> Polygon:
    """A 10 m × 10 m square around `centre`."""
    west = offset(*centre, azimuth=270.0, metres=half)[0]
    east = offset(*centre, azimuth=90.0, metres=half)[0]
    south = offset(*centre, azimuth=180.0, metres=half)[1]
    north = offset(*centre, azimuth=0.0, metres=half)[1]
    return Polygon(
        ((west, south), (east, south), (east, north), (west, north), (west, south)), srid=4326
    )


@pytest.fixture
def walked(area):
    """A patrol of a 200 m route with checkpoints at 0, 60, 120 and 180 m, whose track
    followed the first 90 m only."""
    checkpoints = [CheckpointData(f"CP{m}", Point(*along(m), srid=4326)) for m in (0, 60, 120, 180)]
    route = LineString(R0, along(200), srid=4326)
    plan = patrol_plan_save(
        data=plan_data(area, route=route, checkpoints=checkpoints), by=area.admin
    )
    instance = started(plan, area.worker)
    points = [{"lng": lon, "lat": lat} for lon, lat in (R0, along(45), along(90))]
    patrol_track_append(instance=instance, person=area.worker, points=points)
    return instance


def test_the_share_of_the_route_within_30_m_of_the_track_counts_the_buffers_round_end(walked):
    coverage = patrol_coverage(walked)

    assert coverage.route_length_m == pytest.approx(200.0, abs=0.01)
    # The track covers the route's first 90 m, and its 30 m buffer reaches 30 m beyond the
    # track's end: 120 m of 200 m = 60 %. (The buffer polygon has a vertex straight ahead
    # of the track, so the cut lands at 120 m up to the projection's ~mm distortion.)
    assert coverage.route_covered_m == pytest.approx(120.0, abs=0.05)
    assert coverage.route_pct == pytest.approx(60.0, abs=0.05)


def test_the_distance_walked_is_the_geodesic_length_of_the_track(walked):
    assert patrol_coverage(walked).distance_m == pytest.approx(90.0, abs=0.01)


def test_team_members_walking_side_by_side_are_not_counted_twice(area, walked):
    # The property staff walked the whole 200 m beside the grid worker's 90 m.
    points = [{"lng": lon, "lat": lat} for lon, lat in (R0, along(200))]
    patrol_track_append(instance=walked, person=area.property, points=points)

    coverage = patrol_coverage(walked)
    assert coverage.distance_m == pytest.approx(200.0, abs=0.01)  # the furthest walker
    assert coverage.route_pct == pytest.approx(100.0, abs=0.01)


def test_checkpoints_visited_count_on_site_check_ins_once_each(area, walked):
    cp0, cp60, _cp120, cp180 = walked.plan.checkpoints.order_by("position")
    for checkpoint, where, person in [
        (cp0, R0, area.worker),
        (cp0, R0, area.property),  # the same checkpoint again: still one visited
        (cp60, along(60, north=10), area.worker),
        (cp180, along(180, north=100), area.worker),  # remote: 100 m away
    ]:
        patrol_check_in(
            instance=walked, checkpoint=checkpoint, person=person, lon=where[0], lat=where[1]
        )

    coverage = patrol_coverage(walked)
    assert (coverage.checkpoints, coverage.checkpoints_visited, coverage.remote_checkins) == (
        4,
        2,
        1,
    )
    assert coverage.checkpoints_pct == 50.0


def test_buildings_passed_are_those_within_30_m_of_the_track(area, walked):
    for number, centre in [
        ("A", along(45, north=20)),  # nearest edge 15 m from the track: passed
        ("B", along(45, north=45)),  # 40 m: not passed
        ("C", along(170, north=15)),  # beside the route, but 75 m past the track's end
        ("D", along(90, north=-25)),  # 20 m south of the track's end: passed
    ]:
        make_building(area.community, number=number, footprint=footprint(centre))

    assert patrol_coverage(walked).buildings_passed == ["A", "D"]


def test_the_buildings_query_can_use_the_footprint_index(walked):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN " + _PATROL_SQL, {"instance": walked.pk, "near": 30.0, "deg": 30 / 110_000}
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "building_footprint_gist" in plan


def test_a_patrol_without_a_track_covered_none_of_its_route(area):
    route = LineString(R0, along(200), srid=4326)
    plan = patrol_plan_save(data=plan_data(area, route=route), by=area.admin)
    coverage = patrol_coverage(started(plan, area.worker))
    assert (coverage.route_pct, coverage.distance_m, coverage.buildings_passed) == (0.0, 0.0, [])


def test_standing_still_draws_no_line(area, walked):
    PatrolTrackPoint.objects.filter(instance=walked).delete()
    patrol_track_append(
        instance=walked, person=area.worker, points=[{"lng": R0[0], "lat": R0[1]}] * 3
    )
    patrol_track_rebuild(instance=walked)
    walked.refresh_from_db()
    assert walked.track is None


# --- per grid and week --------------------------------------------------------------------


def done(
    area, *, start: dt.datetime, end: dt.datetime, began: dt.datetime, ended: dt.datetime, grids
):
    plan = patrol_plan_save(
        data=plan_data(
            area,
            name=f"巡逻 {start:%m%d%H}",
            recurrence="once",
            starts_on=start.date(),
            until=start.date(),
            start_time=start.time(),
            end_time=end.time(),
            grids=grids,
        ),
        by=area.admin,
    )
    instance = plan.instances.get()
    patrol_instance_transition(
        instance=instance, to_status=Status.IN_PROGRESS, by=area.worker, actor=Actor.TEAM, at=began
    )
    patrol_instance_transition(
        instance=instance, to_status=Status.COMPLETED, by=area.worker, actor=Actor.TEAM, at=ended
    )
    return instance


def test_patrol_and_night_hours_per_grid_and_week_are_clipped_to_2200_0600(area):
    w = [area.west]
    # Monday 3 March 2031 (week 2031-W10): out 23:00–03:00 → 4 h, all at night, 3 h after
    # midnight (enough for the second half to count as watched).
    done(
        area,
        start=local(2031, 3, 3, 22),
        end=local(2031, 3, 4, 6),
        began=local(2031, 3, 3, 23),
        ended=local(2031, 3, 4, 3),
        grids=w,
    )
    # Wednesday: out 21:00–23:00 → 2 h, of which 1 h at night (22–23), none after midnight.
    done(
        area,
        start=local(2031, 3, 5, 20),
        end=local(2031, 3, 5, 23),
        began=local(2031, 3, 5, 21),
        ended=local(2031, 3, 5, 23),
        grids=w,
    )
    # Sunday night into Monday of the next week: out 23:30–05:30 → 0.5 h inside the week
    # (until Monday 00:00), but the whole 6 h belong to Sunday's night, 5.5 h after midnight.
    done(
        area,
        start=local(2031, 3, 9, 22),
        end=local(2031, 3, 10, 6),
        began=local(2031, 3, 9, 23, 30),
        ended=local(2031, 3, 10, 5, 30),
        grids=w,
    )

    rows = {
        row.code: row
        for row in grid_week_coverage(
            community_id=area.community.pk, monday=dt.date(2031, 3, 3), now=local(2031, 3, 12)
        )
    }

    west = rows["W1"]
    assert west.patrol_hours == pytest.approx(4 + 2 + 0.5)
    assert west.night_hours == pytest.approx(4 + 1 + 6)
    assert west.second_half_hours == pytest.approx(3 + 0 + 5.5)
    assert (west.nights_covered, west.second_half_nights, west.nights_over) == (3, 2, 7)
    assert west.last_patrolled == local(2031, 3, 10, 5, 30)
    east = rows["E1"]
    assert (east.patrol_hours, east.night_hours, east.second_half_nights, east.last_patrolled) == (
        0,
        0,
        0,
        None,
    )


def test_a_patrol_ending_at_0040_leaves_the_second_half_of_the_night_unwatched(area):
    done(
        area,
        start=local(2031, 3, 3, 22),
        end=local(2031, 3, 4, 6),
        began=local(2031, 3, 3, 22),
        ended=local(2031, 3, 4, 0, 40),
        grids=[area.west],
    )

    west = next(
        r
        for r in grid_week_coverage(
            community_id=area.community.pk, monday=dt.date(2031, 3, 3), now=local(2031, 3, 4, 12)
        )
        if r.code == "W1"
    )

    assert west.night_hours == pytest.approx(2 + 40 / 60)
    assert west.second_half_hours == pytest.approx(40 / 60)
    assert (west.nights_covered, west.second_half_nights, west.nights_over) == (1, 0, 1)


def test_a_route_counts_for_the_grids_it_runs_through_not_those_it_grazes(area):
    # One route runs 100 m through the middle of the east grid; another starts on the
    # shared edge and goes 10 m into the west grid (under the 30 m that make it count).
    east_mid = (X0 + 0.004, Y0 + 0.002)
    route = LineString(
        offset(*east_mid, azimuth=180, metres=50),
        offset(*east_mid, azimuth=0, metres=50),
        srid=4326,
    )
    graze = LineString(
        (X0 + 0.003, Y0 + 0.0015),
        offset(X0 + 0.003, Y0 + 0.0015, azimuth=270, metres=10),
        srid=4326,
    )
    for line in (route, graze):
        plan = patrol_plan_save(
            data=plan_data(
                area,
                name=f"路线 {line.length}",
                grids=[],
                route=line,
                recurrence="once",
                starts_on=dt.date(2031, 3, 3),
                until=dt.date(2031, 3, 3),
            ),
            by=area.admin,
        )
        instance = plan.instances.get()
        patrol_instance_transition(
            instance=instance,
            to_status=Status.IN_PROGRESS,
            by=area.worker,
            actor=Actor.TEAM,
            at=local(2031, 3, 3, 22),
        )
        patrol_instance_transition(
            instance=instance,
            to_status=Status.COMPLETED,
            by=area.worker,
            actor=Actor.TEAM,
            at=local(2031, 3, 4, 2),
        )

    rows = {
        r.code: r
        for r in grid_week_coverage(
            community_id=area.community.pk, monday=dt.date(2031, 3, 3), now=local(2031, 3, 5)
        )
    }
    assert rows["E1"].night_hours == pytest.approx(4)  # 22:00–02:00, the route through it
    assert rows["W1"].night_hours == 0  # grazed for 10 m: not patrolled
