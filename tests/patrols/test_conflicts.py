"""Conflicts shown before a plan is saved: double bookings, nights without a patrol,
missing roles. It is Monday 3 March 2031, noon; the coming week is the nights of the 3rd
to the 9th."""

import datetime as dt

import pytest

from apps.accounts.roles import Role
from apps.patrols.conflicts import patrol_plan_check
from apps.patrols.models import PatrolPlan
from apps.patrols.services import TeamSeat, patrol_plan_save, patrol_settings_set

from .conftest import local, logged_in_client, plan_data

NOW = local(2031, 3, 3, 12)


def kinds(conflicts):
    return [c.kind for c in conflicts]


def of_kind(conflicts, kind):
    return [c for c in conflicts if c.kind == kind]


@pytest.fixture
def nightly(area):
    """Every night of the week on the west grid, 22:00–06:00, all four organisations."""
    return patrol_plan_save(data=plan_data(area), by=area.admin)


def test_a_person_already_on_an_overlapping_patrol_is_a_conflict(area, nightly):
    # Wednesday 23:00–02:00 overlaps Wednesday's 22:00–06:00 night patrol.
    extra = plan_data(
        area,
        name="临时加巡",
        recurrence="once",
        starts_on=dt.date(2031, 3, 5),
        until=dt.date(2031, 3, 5),
        start_time=dt.time(23),
        end_time=dt.time(2),
        team=[
            TeamSeat(area.police, Role.POLICE_OFFICER),
            TeamSeat(area.property, Role.PROPERTY_STAFF),
        ],
    )

    found = of_kind(patrol_plan_check(data=extra, now=NOW), "double_booking")

    assert {c.details["person"] for c in found} == {area.police.pk, area.property.pk}
    message = next(c.message for c in found if c.details["person"] == area.police.pk)
    assert str(area.police) in message and "夜间联合巡逻" in message and "2031-03-05" in message


def test_back_to_back_patrols_are_not_a_double_booking(area, nightly):
    morning = plan_data(
        area,
        name="早巡",
        recurrence="once",
        starts_on=dt.date(2031, 3, 4),
        until=dt.date(2031, 3, 4),
        start_time=dt.time(6),
        end_time=dt.time(8),
    )
    assert not of_kind(patrol_plan_check(data=morning, now=NOW), "double_booking")


def test_a_plan_does_not_conflict_with_its_own_patrols(area, nightly):
    edited = plan_data(area, start_time=dt.time(23))
    assert not of_kind(patrol_plan_check(data=edited, plan=nightly, now=NOW), "double_booking")


def test_cancelled_patrols_hold_nobody(area, nightly):
    from apps.patrols.services import patrol_cancel

    patrol_cancel(
        instance=nightly.instances.get(service_date=dt.date(2031, 3, 5)), by=area.admin, note="停巡"
    )
    extra = plan_data(
        area,
        name="补巡",
        recurrence="once",
        starts_on=dt.date(2031, 3, 5),
        until=dt.date(2031, 3, 5),
    )
    assert not of_kind(patrol_plan_check(data=extra, now=NOW), "double_booking")


def test_grids_left_without_a_night_patrol_in_the_coming_week_are_listed_night_by_night(area):
    # Mondays, Wednesdays and Fridays on the west grid only.
    data = plan_data(area, recurrence="weekly", weekdays=[0, 2, 4])

    gaps = {
        c.details["grid"]: c for c in of_kind(patrol_plan_check(data=data, now=NOW), "night_gap")
    }

    assert gaps[area.west.pk].details["nights"] == [
        "2031-03-04",
        "2031-03-06",
        "2031-03-08",
        "2031-03-09",
    ]
    assert len(gaps[area.east.pk].details["nights"]) == 7
    assert "W1" in gaps[area.west.pk].message


def test_other_plans_fill_the_nights_this_plan_leaves(area, nightly):
    weekend_east = plan_data(
        area,
        name="东网格周末",
        grids=[area.east],
        recurrence="weekly",
        weekdays=[5, 6],
        team=[TeamSeat(area.party, Role.PARTY_MEMBER)],
    )
    gaps = {
        c.details["grid"]: c.details["nights"]
        for c in of_kind(patrol_plan_check(data=weekend_east, now=NOW), "night_gap")
    }

    assert area.west.pk not in gaps  # the nightly plan covers every night
    assert gaps[area.east.pk] == [
        "2031-03-03",
        "2031-03-04",
        "2031-03-05",
        "2031-03-06",
        "2031-03-07",
    ]


def test_a_team_without_the_required_roles_is_a_conflict(area):
    data = plan_data(area, team=[TeamSeat(area.police, Role.POLICE_OFFICER)])

    (missing,) = of_kind(patrol_plan_check(data=data, now=NOW), "missing_roles")

    # By default a community requires a grid worker and property staff.
    assert missing.details["roles"] == [Role.GRID_WORKER, Role.PROPERTY_STAFF]


def test_each_community_sets_the_roles_it_requires(area):
    patrol_settings_set(
        community=area.community, required_roles=[Role.POLICE_OFFICER], by=area.admin
    )
    with_police = plan_data(area, team=[TeamSeat(area.police, Role.POLICE_OFFICER)])
    without = plan_data(area, team=[TeamSeat(area.worker, Role.GRID_WORKER)])

    assert not of_kind(patrol_plan_check(data=with_police, now=NOW), "missing_roles")
    assert of_kind(patrol_plan_check(data=without, now=NOW), "missing_roles")[0].details[
        "roles"
    ] == [Role.POLICE_OFFICER]


def payload(area, **overrides):
    values = {
        "community": area.community.pk,
        "name": "夜巡",
        "grids": [area.west.pk, area.east.pk],
        "route": None,
        "checkpoints": [],
        "team": [
            {"person": area.worker.pk, "role": "grid_worker"},
            {"person": area.property.pk, "role": "property_staff"},
        ],
        "start_time": "22:00",
        "end_time": "06:00",
        "recurrence": "daily",
        "weekdays": [],
        "starts_on": "2031-03-03",
        "until": "2031-03-09",
        "notes": "",
    }
    values.update(overrides)
    return values


def test_checking_a_plan_saves_nothing_and_says_how_many_patrols(area):
    response = logged_in_client(area.admin).post(
        "/patrols/api/plans/check/", payload(area), "application/json"
    )
    assert response.status_code == 200
    assert response.json()["patrols"] == 7
    assert not PatrolPlan.objects.filter(community=area.community).exists()


def test_saving_with_conflicts_answers_409_until_they_are_accepted(area):
    client = logged_in_client(area.admin)
    clashing = payload(area, team=[{"person": area.police.pk, "role": "police_officer"}])

    refused = client.post("/patrols/api/plans/", clashing, "application/json")
    assert refused.status_code == 409
    assert "missing_roles" in [c["kind"] for c in refused.json()["conflicts"]]
    assert not PatrolPlan.objects.filter(community=area.community).exists()

    accepted = client.post(
        "/patrols/api/plans/", {**clashing, "accept_conflicts": True}, "application/json"
    )
    assert accepted.status_code == 201
    assert PatrolPlan.objects.get(community=area.community).instances.count() >= 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"grids": [], "route": None}, "grids"),
        ({"end_time": "22:00"}, "end_time"),
        ({"recurrence": "weekly", "weekdays": []}, "weekdays"),
        ({"until": "2031-03-01"}, "until"),
        ({"until": "2033-03-01"}, "until"),
        ({"team": [{"person": 0, "role": "grid_worker"}]}, "team"),
        ({"route": {"type": "LineString", "coordinates": [[112.8, 27.8]]}}, "route"),
        ({"route": {"type": "Point", "coordinates": [112.8, 27.8]}}, "route"),
        ({"checkpoints": [{"name": "", "lat": 27.8, "lng": 112.8}]}, "checkpoints"),
        ({"checkpoints": [{"name": "门", "lat": 127.8, "lng": 112.8}]}, "checkpoints"),
    ],
)
def test_bad_plan_fields_are_refused_with_a_message_beside_each(area, change, field):
    response = logged_in_client(area.admin).post(
        "/patrols/api/plans/check/", payload(area, **change), "application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][field]


def test_a_team_member_in_a_role_they_do_not_hold_is_refused(area):
    response = logged_in_client(area.admin).post(
        "/patrols/api/plans/check/",
        payload(area, team=[{"person": area.worker.pk, "role": "police_officer"}]),
        "application/json",
    )
    assert response.status_code == 400 and "team" in response.json()["errors"]
