"""People on grids: assignments, the duty roster, and who is on duty now."""

import datetime as dt

import pytest

from apps.accounts.models import Membership
from apps.accounts.roles import Role
from apps.patrols.errors import ForbiddenError, PatrolError
from apps.patrols.models import DutyShift, GridAssignmentChange
from apps.patrols.selectors import grid_duty_worker
from apps.patrols.services import duty_shift_create, grid_assignment_change, grid_assignment_set
from tests.factories import make_building, make_grid, make_member, make_user

from .conftest import local, logged_in_client


def grids_of(user, community):
    return set(
        Membership.objects.filter(user=user, community=community).values_list(
            "grids__code", flat=True
        )
    ) - {None}


def test_staff_place_a_person_on_several_grids_and_each_change_is_logged(area):
    grid_assignment_set(
        community=area.community,
        person=area.property,
        grid_ids=[area.west.pk, area.east.pk],
        by=area.admin,
    )
    grid_assignment_change(
        community=area.community, person=area.property, remove=[area.west.pk], by=area.admin
    )

    assert grids_of(area.property, area.community) == {"E1"}
    log = list(
        GridAssignmentChange.objects.filter(membership__user=area.property)
        .order_by("pk")
        .values_list("grid__code", "action", "by")
    )
    assert sorted(log[:2]) == [("E1", "added", area.admin.pk), ("W1", "added", area.admin.pk)]
    assert log[2] == ("W1", "removed", area.admin.pk)


def test_a_grid_can_have_several_people(area):
    grid_assignment_change(
        community=area.community, person=area.party, add=[area.west.pk], by=area.admin
    )
    people = set(
        Membership.objects.filter(grids=area.west).values_list("user__display_name", flat=True)
    )
    assert people == {"网格员甲", "党员丁"}


def test_a_building_head_without_a_membership_gets_a_resident_one_carrying_the_grid(area):
    head = make_user(display_name="楼栋长")
    make_building(area.community, building_head=head)

    grid_assignment_set(
        community=area.community, person=head, grid_ids=[area.west.pk], by=area.admin
    )

    membership = Membership.objects.get(user=head, community=area.community)
    assert membership.role == Role.RESIDENT and list(
        membership.grids.values_list("code", flat=True)
    ) == ["W1"]


def test_grids_of_another_community_are_refused(area):
    foreign = make_grid()
    with pytest.raises(PatrolError):
        grid_assignment_set(
            community=area.community, person=area.worker, grid_ids=[foreign.pk], by=area.admin
        )
    assert grids_of(area.worker, area.community) == {"W1"}


def test_only_the_communitys_staff_assign(area):
    with pytest.raises(ForbiddenError):
        grid_assignment_set(
            community=area.community, person=area.party, grid_ids=[area.east.pk], by=area.worker
        )


def test_the_assignment_map_flags_grids_without_a_grid_worker(area):
    data = (
        logged_in_client(area.admin)
        .get(f"/patrols/api/assignments/?community={area.community.pk}")
        .json()
    )
    flags = {
        f["properties"]["code"]: f["properties"]["unassigned"] for f in data["grids"]["features"]
    }
    assert flags == {"W1": False, "E1": True}
    assert {p["name"] for p in data["people"]} >= {"网格员甲", "物业乙", "民警丙", "党员丁"}


def test_assigning_on_the_map_answers_with_the_new_coverage(area):
    response = logged_in_client(area.admin).post(
        "/patrols/api/assignments/",
        {"community": area.community.pk, "person": area.worker.pk, "add": [area.east.pk]},
        "application/json",
    )
    assert response.status_code == 200
    flags = {
        f["properties"]["code"]: f["properties"]["unassigned"]
        for f in response.json()["grids"]["features"]
    }
    assert flags == {"W1": False, "E1": False}


def test_assigning_with_no_grid_selected_says_so(area):
    response = logged_in_client(area.admin).post(
        "/patrols/api/assignments/",
        {"community": area.community.pk, "person": area.worker.pk},
        "application/json",
    )
    assert response.status_code == 400 and response.json()["detail"]


# --- who is on duty -------------------------------------------------------------------------


@pytest.fixture
def second_worker(area):
    return make_member(area.community, role=Role.GRID_WORKER, staff=False).user


def test_without_a_roster_the_grids_own_grid_worker_is_on_duty(area):
    assert grid_duty_worker(area.west, at=local(2031, 3, 3, 10)) == area.worker
    assert grid_duty_worker(area.east, at=local(2031, 3, 3, 10)) is None


def test_a_weekly_shift_puts_its_grid_worker_on_duty(area, second_worker):
    # Monday 3 March 2031, 08:00–18:00.
    duty_shift_create(
        grid=area.west,
        person=second_worker,
        weekday=0,
        start_time=dt.time(8),
        end_time=dt.time(18),
        by=area.admin,
    )

    assert grid_duty_worker(area.west, at=local(2031, 3, 3, 8)) == second_worker
    assert (
        grid_duty_worker(area.west, at=local(2031, 3, 3, 18)) == area.worker
    )  # the shift has ended
    assert grid_duty_worker(area.west, at=local(2031, 3, 4, 9)) == area.worker  # Tuesday


def test_an_overnight_shift_covers_the_small_hours_of_the_next_day(area, second_worker):
    # Sunday 22:00 until Monday 06:00.
    duty_shift_create(
        grid=area.west,
        person=second_worker,
        weekday=6,
        start_time=dt.time(22),
        end_time=dt.time(6),
        by=area.admin,
    )

    assert grid_duty_worker(area.west, at=local(2031, 3, 9, 23)) == second_worker  # Sunday night
    assert (
        grid_duty_worker(area.west, at=local(2031, 3, 10, 5, 59)) == second_worker
    )  # Monday, small hours
    assert grid_duty_worker(area.west, at=local(2031, 3, 10, 6)) == area.worker
    assert (
        grid_duty_worker(area.west, at=local(2031, 3, 9, 3)) == area.worker
    )  # Sunday's own small hours


def test_a_dated_shift_replaces_the_weekly_roster_that_day(area, second_worker):
    third = make_member(area.community, role=Role.GRID_WORKER, staff=False).user
    duty_shift_create(
        grid=area.west,
        person=second_worker,
        weekday=0,
        start_time=dt.time(8),
        end_time=dt.time(18),
        by=area.admin,
    )
    duty_shift_create(
        grid=area.west,
        person=third,
        on_date=dt.date(2031, 3, 3),
        start_time=dt.time(12),
        end_time=dt.time(14),
        by=area.admin,
    )

    assert grid_duty_worker(area.west, at=local(2031, 3, 3, 13)) == third
    assert grid_duty_worker(area.west, at=local(2031, 3, 10, 13)) == second_worker  # next Monday


def test_someone_rostered_who_is_not_a_grid_worker_is_not_the_duty_grid_worker(area):
    duty_shift_create(
        grid=area.west,
        person=area.property,
        weekday=0,
        start_time=dt.time(8),
        end_time=dt.time(18),
        by=area.admin,
    )
    assert grid_duty_worker(area.west, at=local(2031, 3, 3, 9)) == area.worker


def test_a_shift_ending_when_it_starts_is_refused(area):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        duty_shift_create(
            grid=area.west,
            person=area.worker,
            weekday=0,
            start_time=dt.time(8),
            end_time=dt.time(8),
            by=area.admin,
        )
    assert not DutyShift.objects.filter(grid=area.west).exists()


def test_the_roster_page_adds_a_shift_and_shows_who_is_on_duty(area):
    client = logged_in_client(area.admin)
    form = {
        "grid": area.east.pk,
        "person": area.worker.pk,
        "weekday": "",
        "on_date": "2031-03-03",
        "start_time": "22:00",
        "end_time": "06:00",
        "note": "夜班",
    }

    response = client.post(f"/patrols/roster/?community={area.community.pk}", form)

    assert response.status_code == 302
    shift = DutyShift.objects.get(grid=area.east)
    assert (shift.on_date, shift.crosses_midnight) == (dt.date(2031, 3, 3), True)
    page = client.get(f"/patrols/roster/?community={area.community.pk}").content.decode()
    assert "2031-03-03" in page and "夜班" in page


def test_the_roster_form_says_what_is_missing(area):
    response = logged_in_client(area.admin).post(
        f"/patrols/roster/?community={area.community.pk}",
        {
            "grid": area.east.pk,
            "person": area.worker.pk,
            "start_time": "22:00",
            "end_time": "06:00",
        },
    )
    assert response.status_code == 400
    assert not DutyShift.objects.filter(grid=area.east).exists()
