"""The patrol demo for Dongrui: assignments, rosters, the nightly joint patrol with a few
completed nights, and coverage that shows them. Loaded once per session (tests/conftest)."""

import datetime as dt

import pytest
from django.apps import apps as django_apps
from django.db.models import Max
from django.utils import timezone

from apps.accounts.models import Membership
from apps.patrols.coverage import grid_week_coverage, patrol_coverage
from apps.patrols.demo import load_demo_data
from apps.patrols.models import CheckIn, PatrolInstance, PatrolPlan
from apps.patrols.schedule import local_zone, week_bounds
from apps.patrols.selectors import grid_duty_worker
from apps.patrols.workflow import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def night():
    return PatrolPlan.objects.get(community__code="DR", name="东瑞社区夜间联合巡逻")


def test_the_night_joint_patrol_runs_2200_to_0600_with_four_organisations(night):
    assert (night.start_time, night.end_time, night.recurrence) == (
        dt.time(22),
        dt.time(6),
        "daily",
    )
    roles = set(night.team.values_list("role", flat=True))
    assert roles == {"grid_worker", "property_staff", "police_officer", "party_member"}
    assert len({m.organisation_id for m in night.team.exclude(organisation=None)}) == 3
    assert night.checkpoints.count() == 5 and night.route is not None


def test_past_nights_have_tracks_check_ins_and_one_remote_check_in(night):
    completed = night.instances.filter(status=Status.COMPLETED)
    assert completed.count() >= 3
    assert all(instance.track is not None for instance in completed)
    checkins = CheckIn.objects.filter(instance__plan=night)
    assert checkins.filter(on_site=True).count() >= 10
    assert checkins.filter(on_site=False).count() == 1
    assert night.instances.filter(status=Status.MISSED).count() == 1
    full = patrol_coverage(completed.order_by("starts_at").last())
    assert full.route_pct == pytest.approx(100, abs=1) and full.distance_m > 1000


def test_dongruis_grids_have_people_and_a_duty_roster():
    heads = Membership.objects.filter(
        community__code="DR", role="resident", user__headed_buildings__isnull=False
    )
    assert heads.filter(grids__code="DR-01").exists()
    assert Membership.objects.filter(user__username="property-dr2", grids__code="DR-05").exists()
    grid = django_apps.get_model("regions", "Grid").objects.get(community__code="DR", code="DR-03")
    monday_10 = dt.datetime(2031, 3, 3, 10, tzinfo=local_zone())
    assert grid_duty_worker(grid, at=monday_10).username == "gridworker-dr2"


def test_the_coverage_of_last_week_shows_the_unpatrolled_grids(night):
    last_night = timezone.localtime(timezone.now(), local_zone()).date() - dt.timedelta(days=1)
    rows = {
        r.code: r
        for r in grid_week_coverage(
            community_id=night.community_id,
            monday=week_bounds(last_night - dt.timedelta(days=3))[0],
        )
    }
    assert rows["DR-03"].night_hours == 0 and rows["DR-05"].night_hours == 0
    assert rows["DR-01"].night_hours > 0


def _snapshot():
    models = list(django_apps.get_app_config("patrols").get_models())
    counts = {m.__name__: m.objects.count() for m in models}
    counts["Membership"] = Membership.objects.count()
    latest = PatrolPlan.objects.aggregate(latest=Max("updated_at"))["latest"]
    return (
        counts,
        latest,
        list(PatrolInstance.objects.order_by("pk").values_list("status", "track")),
    )


def test_loading_the_demo_again_changes_nothing():
    before = _snapshot()
    load_demo_data()
    assert _snapshot() == before
