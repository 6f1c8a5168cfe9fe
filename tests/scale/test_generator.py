"""`generate_city`: the counts asked for, grids that tile their community exactly, reports
inside their grid, statuses whose timestamps and history agree, the same city for a seed."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from apps.core.citygen import CitySpec, generate_city
from apps.facilities.models import Facility
from apps.regions.models import Building, Community, Compound, Grid
from apps.reports.models import Report, ReportTransition
from apps.works.models import Work, WorkStatusChange

from .conftest import CITY

pytestmark = pytest.mark.django_db

CITY_COMMUNITIES = {"community__code__startswith": f"{CITY.prefix}-"}


def scalar(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_the_city_has_the_counts_it_was_asked_for():
    assert Community.objects.filter(code__startswith=f"{CITY.prefix}-").count() == CITY.communities
    assert Grid.objects.filter(**CITY_COMMUNITIES).count() == CITY.grids
    assert Compound.objects.filter(**CITY_COMMUNITIES).count() == CITY.compounds
    assert Building.objects.filter(**CITY_COMMUNITIES).count() == CITY.buildings
    assert Facility.objects.filter(**CITY_COMMUNITIES).count() == CITY.facilities
    assert Work.objects.filter(**CITY_COMMUNITIES).count() == CITY.works
    assert Report.objects.filter(**CITY_COMMUNITIES).count() == CITY.reports


def test_grids_tile_each_community_exactly():
    # The union of a community's grids is its boundary, and their areas add up to it
    # (so no two grids overlap).
    mismatched = scalar(
        """
        SELECT count(*) FROM regions_community c
        JOIN LATERAL (SELECT ST_Union(g.boundary) AS u, sum(ST_Area(g.boundary)) AS a
                      FROM regions_grid g WHERE g.community_id = c.id) grids ON TRUE
        WHERE c.code LIKE %s
          AND (NOT ST_Equals(c.boundary, grids.u)
               OR abs(grids.a - ST_Area(c.boundary)) > 1e-12)
        """,
        [f"{CITY.prefix}-%"],
    )
    assert mismatched == 0
    overlapping = scalar(
        """
        SELECT count(*) FROM regions_grid a JOIN regions_grid b
          ON a.id < b.id AND a.boundary && b.boundary
         AND ST_Area(ST_Intersection(a.boundary, b.boundary)) > 0
        JOIN regions_community c ON c.id = a.community_id WHERE c.code LIKE %s
        """,
        [f"{CITY.prefix}-%"],
    )
    assert overlapping == 0


def test_communities_do_not_overlap_and_lie_around_changsha():
    overlapping = scalar(
        """
        SELECT count(*) FROM regions_community a JOIN regions_community b
          ON a.id < b.id AND a.boundary && b.boundary
         AND ST_Area(ST_Intersection(a.boundary, b.boundary)) > 0
        WHERE a.code LIKE %s AND b.code LIKE %s
        """,
        [f"{CITY.prefix}-%"] * 2,
    )
    assert overlapping == 0
    centre = scalar(
        "SELECT ST_AsText(ST_Centroid(ST_Collect(boundary))) FROM regions_community "
        "WHERE code LIKE %s",
        [f"{CITY.prefix}-%"],
    )
    lon, lat = (float(v) for v in centre[len("POINT(") : -1].split())
    # 五一广场 is at 112.977, 28.196; a 12-community city is a few km across.
    assert lon == pytest.approx(112.977, abs=0.05)
    assert lat == pytest.approx(28.196, abs=0.05)


def test_every_report_lies_in_its_grid_and_its_grid_in_its_community():
    outside = scalar(
        """
        SELECT count(*) FROM reports_report r
        JOIN regions_grid g ON g.id = r.grid_id
        JOIN regions_community c ON c.id = r.community_id
        WHERE c.code LIKE %s
          AND (g.community_id <> r.community_id OR NOT ST_Contains(g.boundary, r.location))
        """,
        [f"{CITY.prefix}-%"],
    )
    assert outside == 0
    assert not Report.objects.filter(**CITY_COMMUNITIES, grid__isnull=True).exists()


def test_buildings_and_compounds_lie_in_their_community():
    outside = scalar(
        """
        SELECT count(*) FROM regions_building b
        JOIN regions_community c ON c.id = b.community_id
        LEFT JOIN regions_compound p ON p.id = b.compound_id
        WHERE c.code LIKE %s AND (NOT ST_Contains(c.boundary, b.footprint)
              OR (p.id IS NOT NULL AND (p.community_id <> b.community_id
                                        OR NOT ST_Contains(p.boundary, b.footprint))))
        """,
        [f"{CITY.prefix}-%"],
    )
    assert outside == 0


def test_report_timestamps_follow_their_status():
    reports = Report.objects.filter(**CITY_COMMUNITIES)
    # Every status occurs, closed ones are the most common.
    statuses = dict(
        reports.order_by().values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    assert set(statuses) >= {
        "submitted",
        "accepted",
        "dispatched",
        "in_progress",
        "handled",
        "verified",
        "closed",
        "rejected",
    }
    assert max(statuses, key=statuses.get) == "closed"
    assert not reports.filter(status="closed", closed_at__isnull=True).exists()
    assert not reports.filter(status="submitted", accepted_at__isnull=False).exists()
    assert not reports.filter(status="rejected", accepted_at__isnull=False).exists()
    assert not reports.exclude(status__in=["closed"]).filter(closed_at__isnull=False).exists()
    assert not reports.filter(
        status__in=["handled", "verified", "closed"], handled_at__isnull=True
    ).exists()
    # Steps happen in order and none after "now".
    disordered = scalar(
        """
        SELECT count(*) FROM reports_report r JOIN regions_community c ON c.id = r.community_id
        WHERE c.code LIKE %s AND (r.accepted_at < r.submitted_at OR r.dispatched_at < r.accepted_at
              OR r.handled_at < r.dispatched_at OR r.closed_at < r.handled_at
              OR r.confirmed_at < r.closed_at
              OR greatest(r.submitted_at, r.accepted_at, r.dispatched_at, r.handled_at,
                          r.closed_at, r.confirmed_at) > %s)
        """,
        [f"{CITY.prefix}-%", CITY.now],
    )
    assert disordered == 0
    # The SLA due times are the category's hours after submission.
    wrong_due = scalar(
        """
        SELECT count(*) FROM reports_report r JOIN reports_category k ON k.id = r.category_id
        JOIN regions_community c ON c.id = r.community_id
        WHERE c.code LIKE %s
          AND (r.handle_due <> r.submitted_at + k.handle_hours * interval '1 hour'
               OR r.accept_due <> r.submitted_at + k.accept_hours * interval '1 hour')
        """,
        [f"{CITY.prefix}-%"],
    )
    assert wrong_due == 0
    # Dates cover the past year, by day more than by night (Beijing time).
    first = reports.order_by("submitted_at").first()
    assert CITY.now - first.submitted_at > datetime.timedelta(days=350)
    by_day = scalar(
        "SELECT count(*) FROM reports_report r JOIN regions_community c ON c.id = r.community_id "
        "WHERE c.code LIKE %s AND extract(hour FROM r.submitted_at AT TIME ZONE 'Asia/Shanghai') "
        "BETWEEN 9 AND 10",
        [f"{CITY.prefix}-%"],
    )
    by_night = scalar(
        "SELECT count(*) FROM reports_report r JOIN regions_community c ON c.id = r.community_id "
        "WHERE c.code LIKE %s AND extract(hour FROM r.submitted_at AT TIME ZONE 'Asia/Shanghai') "
        "BETWEEN 3 AND 4",
        [f"{CITY.prefix}-%"],
    )
    assert by_day > 5 * by_night


def test_each_report_history_leads_to_its_status():
    # The last transition of every report ends in the report's status, and each report
    # starts with its submission.
    mismatched = scalar(
        """
        SELECT count(*) FROM reports_report r JOIN regions_community c ON c.id = r.community_id
        JOIN LATERAL (SELECT t.to_status FROM reports_reporttransition t
                      WHERE t.report_id = r.id ORDER BY t.at DESC, t.id DESC LIMIT 1) last ON TRUE
        WHERE c.code LIKE %s AND last.to_status <> r.status
        """,
        [f"{CITY.prefix}-%"],
    )
    assert mismatched == 0
    transitions = ReportTransition.objects.filter(**CITY_COMMUNITIES)
    assert transitions.filter(action="submit").count() == CITY.reports
    # Each step starts where the one before it ended.
    broken = scalar(
        """
        SELECT count(*) FROM (
          SELECT t.from_status,
                 lag(t.to_status) OVER (PARTITION BY t.report_id ORDER BY t.at, t.id) AS before
          FROM reports_reporttransition t JOIN regions_community c ON c.id = t.community_id
          WHERE c.code LIKE %s) steps
        WHERE steps.before IS NOT NULL AND steps.before <> steps.from_status
        """,
        [f"{CITY.prefix}-%"],
    )
    assert broken == 0


def test_each_work_history_leads_to_its_status():
    works = Work.objects.filter(**CITY_COMMUNITIES)
    assert works.values("status").distinct().count() >= 6
    for work in works[:40]:
        changes = list(WorkStatusChange.objects.filter(work=work).order_by("changed_at", "pk"))
        assert changes[0].action == "create"
        assert changes[-1].to_status == work.status
        if work.actual_end:
            assert work.actual_start and work.actual_end >= work.actual_start


def test_tracking_codes_are_unique_and_readable():
    codes = Report.objects.filter(**CITY_COMMUNITIES).values_list("code", flat=True)
    assert len(set(codes)) == CITY.reports
    assert all(len(code) == 8 and not set(code) & set("01ILOUV") for code in codes[:500])


def test_the_same_seed_gives_the_same_city():
    # (Tracking codes too, in an empty database; here the second city must not reuse the
    # first one's codes, so they differ.)
    small = {
        "communities": 3,
        "grids": 20,
        "buildings": 150,
        "compounds": 5,
        "facilities": 10,
        "works": 6,
        "reports": 800,
        "seed": 11,
        "now": CITY.now,
    }
    generate_city(CitySpec(**small, prefix="SA"))
    generate_city(CitySpec(**small, prefix="SB"))
    generate_city(CitySpec(**{**small, "seed": 12}, prefix="SC"))

    def fingerprint(prefix):
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT md5(string_agg(ST_AsText(r.location) || r.status || r.submitted_at::text,
                                      ',' ORDER BY r.id)),
                       (SELECT md5(string_agg(ST_AsText(g.boundary), ',' ORDER BY g.id))
                        FROM regions_grid g JOIN regions_community c2 ON c2.id = g.community_id
                        WHERE c2.code LIKE %s)
                FROM reports_report r JOIN regions_community c ON c.id = r.community_id
                WHERE c.code LIKE %s
                """,
                [f"{prefix}-%", f"{prefix}-%"],
            )
            return cursor.fetchone()

    assert fingerprint("SA") == fingerprint("SB")
    assert fingerprint("SA") != fingerprint("SC")


def test_the_command_refuses_impossible_counts_with_a_clear_message():
    with pytest.raises(CommandError, match="grids ≥ communities"):
        call_command(
            "generate_city", communities=10, grids=5, stdout=io.StringIO(), stderr=io.StringIO()
        )
    with pytest.raises(CommandError, match="already holds a city"):
        call_command("generate_city", scale=0.001, stdout=io.StringIO(), stderr=io.StringIO())


def test_the_command_prints_timings_and_a_progress_bar():
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "generate_city",
        communities=2,
        grids=4,
        buildings=20,
        compounds=1,
        facilities=2,
        works=2,
        reports=100,
        prefix="CMD",
        now="2026-11-01T00:00",
        stdout=out,
        stderr=err,
    )
    assert "reports" in out.getvalue() and "Done in" in out.getvalue()
    assert "[########################] 100/100 100%" in err.getvalue()
    assert Report.objects.filter(community__code__startswith="CMD-").count() == 100
