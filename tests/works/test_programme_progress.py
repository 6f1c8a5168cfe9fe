"""Programme arithmetic against a fixed "today": done of target, days left, the linear
forecast, overdue, and the sites at risk. Every expected number is worked out by hand in the
comments (calendar days counted month by month)."""

import datetime

import pytest

from apps.works.selectors import programme_progress, programme_sites_at_risk
from apps.works.workflow import WorkStatus

from .conftest import make_programme, make_work

pytestmark = pytest.mark.django_db
D = datetime.date
S = WorkStatus


@pytest.fixture
def programme(world):
    # 15 sites from 2024-03-01, due 2024-09-30.
    return make_programme(world.here, target_count=15)


def add_sites(programme, community, status, count, **kwargs):
    return [
        make_work(community, status=status, programme=programme, **kwargs) for _ in range(count)
    ]


@pytest.fixture
def five_of_fifteen(world, programme):
    """5 done (2 completed, 2 accepted, 1 open), 8 under construction, 1 proposed, 1 cancelled."""
    add_sites(programme, world.here, S.COMPLETED, 2, actual_end=D(2024, 6, 1))
    add_sites(programme, world.here, S.ACCEPTED, 2, actual_end=D(2024, 6, 20))
    add_sites(programme, world.other, S.OPEN_TO_PUBLIC, 1, actual_end=D(2024, 7, 10))
    add_sites(programme, world.other, S.UNDER_CONSTRUCTION, 8)
    add_sites(programme, world.here, S.PROPOSED, 1)
    add_sites(programme, world.here, S.CANCELLED, 1)
    return programme


def test_five_of_fifteen_sites_done_is_a_third(five_of_fifteen):
    progress = programme_progress(five_of_fifteen, today=D(2024, 7, 15))
    assert (progress.done, progress.target, progress.remaining) == (5, 15, 10)
    assert progress.percent == 33  # 5/15 = 33.3 %, rounded down
    assert (progress.in_progress, progress.cancelled) == (9, 1)


def test_days_left_count_calendar_days_to_the_deadline(five_of_fifteen):
    # 15 Jul → 15 Aug (31) → 15 Sep (31) → 30 Sep (15) = 77 days.
    progress = programme_progress(five_of_fifteen, today=D(2024, 7, 15))
    assert progress.days_left == 77
    assert progress.elapsed_days == 136  # 1 Mar → 15 Jul: 31 + 30 + 31 + 30 + 14


def test_the_forecast_at_the_pace_so_far_misses_the_deadline(five_of_fifteen):
    # 5 sites in 136 days; the other 10 take ceil(10 × 136 / 5) = 272 days:
    # 15 Jul 2024 + 169 days = 31 Dec 2024, + 103 days = 13 Apr 2025.
    progress = programme_progress(five_of_fifteen, today=D(2024, 7, 15))
    assert progress.projected_completion == D(2025, 4, 13)
    assert progress.on_track is False
    assert progress.overdue is False
    assert progress.needed_per_week == 0.9  # 10 sites × 7 / 77 days = 0.909…


def test_a_fast_enough_pace_is_forecast_to_meet_the_deadline(world, programme):
    add_sites(programme, world.here, S.COMPLETED, 10, actual_end=D(2024, 7, 1))
    # 10 sites in 136 days; the other 5 take ceil(5 × 136 / 10) = 68 days → 21 Sep 2024.
    progress = programme_progress(programme, today=D(2024, 7, 15))
    assert progress.projected_completion == D(2024, 9, 21)
    assert progress.on_track is True


def test_there_is_no_forecast_before_the_first_site_is_done(world, programme):
    add_sites(programme, world.here, S.UNDER_CONSTRUCTION, 3)
    progress = programme_progress(programme, today=D(2024, 7, 15))
    assert progress.done == 0
    assert progress.projected_completion is None and progress.on_track is None


def test_past_the_deadline_with_sites_missing_the_programme_is_overdue(five_of_fifteen):
    progress = programme_progress(five_of_fifteen, today=D(2024, 10, 1))
    assert progress.overdue is True
    assert progress.days_left == -1
    assert progress.needed_per_week is None


def test_on_the_deadline_day_itself_the_programme_is_not_yet_overdue(five_of_fifteen):
    progress = programme_progress(five_of_fifteen, today=D(2024, 9, 30))
    assert progress.days_left == 0 and progress.overdue is False


def test_a_programme_that_reached_its_target_is_never_overdue(world, programme):
    add_sites(programme, world.here, S.OPEN_TO_PUBLIC, 15, actual_end=D(2024, 9, 20))
    progress = programme_progress(programme, today=D(2024, 12, 1))
    assert progress.complete and not progress.overdue
    assert progress.finished_on == D(2024, 9, 20) and progress.on_track is True
    assert progress.percent == 100


def at_risk_names(programme, today):
    return set(programme_sites_at_risk(programme, today=today).values_list("name", flat=True))


def test_a_site_past_its_planned_end_and_not_built_is_at_risk(world, programme):
    make_work(
        world.here,
        status=S.UNDER_CONSTRUCTION,
        programme=programme,
        name="late",
        planned_start=D(2024, 5, 1),
        planned_end=D(2024, 7, 14),
    )
    make_work(
        world.here,
        status=S.COMPLETED,
        programme=programme,
        name="late but done",
        planned_start=D(2024, 5, 1),
        planned_end=D(2024, 7, 14),
    )
    make_work(
        world.here,
        status=S.CANCELLED,
        programme=programme,
        name="cancelled",
        planned_start=D(2024, 5, 1),
        planned_end=D(2024, 7, 14),
    )
    assert at_risk_names(programme, D(2024, 7, 15)) == {"late"}


def test_a_site_whose_progress_trails_its_schedule_is_at_risk(world, programme):
    # 1 Jun → 1 Sep is 92 days; on 15 Jul 44 have passed: expected 44 × 100 / 92 = 47 %.
    # Behind means more than 20 points short: 20 % is behind, 30 % is not.
    behind = make_work(
        world.here,
        status=S.UNDER_CONSTRUCTION,
        programme=programme,
        name="behind",
        planned_start=D(2024, 6, 1),
        planned_end=D(2024, 9, 1),
    )
    fine = make_work(
        world.here,
        status=S.UNDER_CONSTRUCTION,
        programme=programme,
        name="fine",
        planned_start=D(2024, 6, 1),
        planned_end=D(2024, 9, 1),
    )
    behind.progress_updates.create(on=D(2024, 7, 10), percent=20)
    fine.progress_updates.create(on=D(2024, 7, 1), percent=10)
    fine.progress_updates.create(on=D(2024, 7, 10), percent=30)  # the latest counts
    assert at_risk_names(programme, D(2024, 7, 15)) == {"behind"}
    row = programme_sites_at_risk(programme, today=D(2024, 7, 15)).get()
    assert (row.expected_percent, row.progress_percent) == (47, 20)
    assert row.is_behind and not row.is_overdue


def test_a_site_planned_to_end_after_the_programme_deadline_is_at_risk(world, programme):
    make_work(
        world.here,
        status=S.APPROVED,
        programme=programme,
        name="too late",
        planned_start=D(2024, 9, 1),
        planned_end=D(2024, 10, 15),
    )
    rows = programme_sites_at_risk(programme, today=D(2024, 7, 15))
    assert [(r.name, r.misses_deadline, r.is_overdue) for r in rows] == [("too late", True, False)]


def test_a_site_without_planned_dates_is_not_flagged(world, programme):
    make_work(world.here, status=S.PROPOSED, programme=programme, name="undated")
    assert at_risk_names(programme, D(2024, 12, 1)) == set()


def test_the_progress_of_several_programmes_matches_each_ones_own(world, five_of_fifteen):
    # The planner's scope joins districts, communities and works: with two communities of
    # the district in scope, a careless join counts every work twice.
    from apps.accounts.roles import Role
    from apps.works.selectors import programmes_for, programmes_progress
    from tests.factories import make_community, make_member

    neighbour = make_community(x=112.94, y=27.90, subdistrict=world.here.subdistrict)
    make_member(neighbour, user=world.planner, role=Role.PLANNER)
    make_work(world.here, status=S.COMPLETED, programme=None)
    [many] = programmes_progress(programmes_for(world.planner), today=D(2024, 7, 15))
    one = programme_progress(five_of_fifteen, today=D(2024, 7, 15))
    assert (many.done, many.in_progress, many.cancelled) == (
        one.done,
        one.in_progress,
        one.cancelled,
    )
    assert many.done == 5
