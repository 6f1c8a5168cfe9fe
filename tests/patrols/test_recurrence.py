"""Recurrence: shifts across midnight and weeks, in Asia/Shanghai, regenerated idempotently.

Expected datetimes are worked out by hand: Asia/Shanghai is UTC+8 all year (no DST), so
22:00 local is 14:00 UTC the same day and 06:00 local is 22:00 UTC the day before.
"""

import datetime as dt

import pytest

from apps.patrols.models import PatrolInstance, PatrolTransition
from apps.patrols.schedule import occurrence_days, shift_window
from apps.patrols.services import patrol_plan_generate, patrol_plan_save
from apps.patrols.workflow import Status

from .conftest import local, plan_data

UTC = dt.UTC


def test_a_night_shift_ends_on_the_next_morning_in_shanghai_time():
    starts, ends = shift_window(dt.date(2031, 3, 3), dt.time(22), dt.time(6))
    assert starts == dt.datetime(2031, 3, 3, 14, 0, tzinfo=UTC)
    assert ends == dt.datetime(2031, 3, 3, 22, 0, tzinfo=UTC)  # 2031-03-04 06:00 local
    assert ends - starts == dt.timedelta(hours=8)


def test_a_day_shift_stays_on_its_day():
    starts, ends = shift_window(dt.date(2031, 3, 3), dt.time(8, 30), dt.time(11))
    assert (starts, ends) == (local(2031, 3, 3, 8, 30), local(2031, 3, 3, 11))


def test_the_new_years_eve_night_shift_ends_in_the_new_year():
    starts, ends = shift_window(dt.date(2031, 12, 31), dt.time(22), dt.time(6))
    assert starts == dt.datetime(2031, 12, 31, 14, tzinfo=UTC)
    assert ends == local(2032, 1, 1, 6) == dt.datetime(2031, 12, 31, 22, tzinfo=UTC)


def test_chosen_weekdays_repeat_across_weeks_until_the_last_day():
    # Mondays, Wednesdays and Saturdays from Monday 3 March 2031 to Sunday 16 March.
    days = occurrence_days(
        recurrence="weekly",
        starts_on=dt.date(2031, 3, 3),
        until=dt.date(2031, 3, 16),
        weekdays=[0, 2, 5],
    )
    assert days == [dt.date(2031, 3, d) for d in (3, 5, 8, 10, 12, 15)]


def test_a_once_plan_runs_on_its_first_day_only():
    days = occurrence_days(
        recurrence="once", starts_on=dt.date(2031, 3, 3), until=dt.date(2031, 3, 9)
    )
    assert days == [dt.date(2031, 3, 3)]


def test_saving_a_daily_night_plan_generates_one_patrol_per_night_ending_next_morning(area):
    plan = patrol_plan_save(data=plan_data(area), by=area.admin)

    windows = list(plan.instances.order_by("starts_at").values_list("starts_at", "ends_at"))
    assert len(windows) == 7
    assert windows[0] == (local(2031, 3, 3, 22), local(2031, 3, 4, 6))
    # The Sunday night shift crosses into Monday of the next week.
    assert windows[-1] == (local(2031, 3, 9, 22), local(2031, 3, 10, 6))
    assert windows[-1][1] == dt.datetime(2031, 3, 9, 22, tzinfo=UTC)


def test_every_generated_patrol_records_how_it_was_planned(area):
    plan = patrol_plan_save(data=plan_data(area), by=area.admin)

    first = PatrolTransition.objects.filter(instance__plan=plan).order_by("at", "pk").first()
    assert (first.from_status, first.to_status, first.by) == ("", Status.PLANNED, area.admin)
    assert PatrolTransition.objects.filter(instance__plan=plan).count() == 7


def test_regenerating_an_unchanged_plan_changes_nothing(area):
    plan = patrol_plan_save(data=plan_data(area), by=area.admin)
    before = list(PatrolInstance.objects.filter(plan=plan).values())

    counts = patrol_plan_generate(plan=plan, by=area.admin)

    assert counts == {"created": 0, "updated": 0, "cancelled": 0, "restored": 0}
    assert list(PatrolInstance.objects.filter(plan=plan).values()) == before


def test_moving_the_shift_moves_the_planned_patrols_too(area):
    plan = patrol_plan_save(data=plan_data(area), by=area.admin)

    patrol_plan_save(
        data=plan_data(area, start_time=dt.time(23, 30), end_time=dt.time(5)),
        by=area.admin,
        plan=plan,
    )

    first = plan.instances.order_by("starts_at").first()
    assert (first.starts_at, first.ends_at) == (local(2031, 3, 3, 23, 30), local(2031, 3, 4, 5))
    assert plan.instances.count() == 7


def test_dropping_days_cancels_their_patrols_with_a_record_and_adding_them_back_restores_them(area):
    plan = patrol_plan_save(data=plan_data(area), by=area.admin)
    weekends = plan_data(area, recurrence="weekly", weekdays=[5, 6])

    patrol_plan_save(data=weekends, by=area.admin, plan=plan)

    statuses = dict(plan.instances.values_list("service_date", "status"))
    assert statuses[dt.date(2031, 3, 3)] == Status.CANCELLED  # Monday: not kept, not deleted
    assert statuses[dt.date(2031, 3, 8)] == statuses[dt.date(2031, 3, 9)] == Status.PLANNED
    assert list(statuses.values()).count(Status.CANCELLED) == 5
    cancel = PatrolTransition.objects.get(
        instance__plan=plan, instance__service_date=dt.date(2031, 3, 3), to_status=Status.CANCELLED
    )
    assert cancel.actor == "system" and cancel.note and cancel.by is None

    patrol_plan_save(data=plan_data(area), by=area.admin, plan=plan)
    assert set(plan.instances.values_list("status", flat=True)) == {Status.PLANNED}


def test_days_already_over_are_not_generated(area):
    plan = patrol_plan_save(data=plan_data(area, until=dt.date(2031, 3, 3)), by=area.admin)
    plan.until = dt.date(2031, 3, 9)
    plan.save()
    plan.instances.all().delete()

    # On Thursday 6 March at noon, the nights of the 3rd to the 5th are over.
    patrol_plan_generate(plan=plan, now=local(2031, 3, 6, 12))

    days = sorted(plan.instances.values_list("service_date", flat=True))
    assert days == [dt.date(2031, 3, d) for d in (6, 7, 8, 9)]


def test_the_night_under_way_is_still_generated(area):
    plan = patrol_plan_save(data=plan_data(area, until=dt.date(2031, 3, 3)), by=area.admin)
    plan.instances.all().delete()
    plan.until = dt.date(2031, 3, 5)
    plan.save()

    # 02:00 on the 4th: the night shift of the 3rd runs until 06:00.
    patrol_plan_generate(plan=plan, now=local(2031, 3, 4, 2))

    assert sorted(plan.instances.values_list("service_date", flat=True))[0] == dt.date(2031, 3, 3)


@pytest.mark.parametrize("until", [dt.date(2031, 3, 2)])
def test_a_plan_ending_before_it_starts_is_refused(area, until):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        patrol_plan_save(data=plan_data(area, until=until), by=area.admin)
