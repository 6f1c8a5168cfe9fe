"""What the planning form checks before a plan is saved. Conflicts are only real overlaps in
time of the same people or the same grids, from now on; missing roles are a warning; the
preview lists the coming patrols from the first that has not ended. Unless a test says
otherwise it is Monday 3 March 2031, noon (passed to the services as `now`)."""

import datetime as dt

import pytest

from apps.accounts.roles import Role
from apps.patrols.conflicts import (
    future_patrol_count,
    patrol_plan_check,
    patrol_plan_warnings,
    plan_upcoming,
)
from apps.patrols.models import PatrolPlan
from apps.patrols.services import PlanData, TeamSeat, patrol_plan_save, patrol_settings_set

from .conftest import X0, Y0, local, logged_in_client, plan_data

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


def test_a_day_plan_never_conflicts_with_the_night_plan_of_the_same_people_and_grids(area, nightly):
    # 09:00–17:00 every day on the same grid with the same team: the nights run 22:00–06:00.
    day = plan_data(area, name="白天巡查", start_time=dt.time(9), end_time=dt.time(17))

    assert patrol_plan_check(data=day, now=NOW) == []


def test_a_shift_crossing_midnight_conflicts_with_the_night_it_overlaps_after_midnight(
    area, nightly
):
    # 05:00–07:00 on Thursday overlaps the tail of Wednesday's night (22:00–06:00).
    early = plan_data(
        area,
        name="清晨巡查",
        grids=[area.east],
        recurrence="once",
        starts_on=dt.date(2031, 3, 6),
        until=dt.date(2031, 3, 6),
        start_time=dt.time(5),
        end_time=dt.time(7),
        team=[TeamSeat(area.police, Role.POLICE_OFFICER)],
    )

    (found,) = patrol_plan_check(data=early, now=NOW)

    assert (found.kind, found.details["person"]) == ("double_booking", area.police.pk)
    assert "2031-03-05 22:00–06:00" in found.message


def test_a_grid_another_plan_patrols_at_the_same_time_is_a_conflict(area, nightly):
    # Other people on the same grid, 23:00–01:00 on Wednesday and Thursday.
    extra = plan_data(
        area,
        name="加密巡逻",
        recurrence="daily",
        starts_on=dt.date(2031, 3, 5),
        until=dt.date(2031, 3, 6),
        start_time=dt.time(23),
        end_time=dt.time(1),
        team=[TeamSeat(area.admin, Role.COMMUNITY_ADMIN)],
    )

    (found,) = patrol_plan_check(data=extra, now=NOW)

    assert found.kind == "grid_overlap"
    assert (found.details["grid"], found.details["plan"]) == (area.west.pk, nightly.pk)
    assert len(found.details["instances"]) == 2
    assert "W1" in found.message and "夜间联合巡逻" in found.message
    assert "2031-03-05 22:00–06:00" in found.message and "2031-03-06 22:00–06:00" in found.message


def test_a_grid_only_crossed_by_another_plans_route_is_a_conflict_too(area, nightly):
    from django.contrib.gis.geos import LineString

    # The nightly plan walks through the east grid as well (about 200 m inside it).
    nightly_with_route = plan_data(
        area, route=LineString((X0 + 0.0035, Y0 + 0.002), (X0 + 0.0045, Y0 + 0.002), srid=4326)
    )
    patrol_plan_save(data=nightly_with_route, by=area.admin, plan=nightly)
    east = plan_data(
        area,
        name="东网格",
        grids=[area.east],
        recurrence="once",
        starts_on=dt.date(2031, 3, 7),
        until=dt.date(2031, 3, 7),
        team=[TeamSeat(area.admin, Role.COMMUNITY_ADMIN)],
    )

    (found,) = patrol_plan_check(data=east, now=NOW)

    assert (found.kind, found.details["grid"]) == ("grid_overlap", area.east.pk)


def test_occurrences_that_have_ended_never_conflict(area, nightly):
    # Friday noon: the nights of Monday to Thursday are over.
    friday_noon = local(2031, 3, 7, 12)
    earlier = plan_data(area, name="补录", until=dt.date(2031, 3, 6))

    assert patrol_plan_check(data=earlier, now=friday_noon) == []


def test_in_the_small_hours_the_night_still_running_counts(area, nightly):
    # 03:00 on Thursday: Wednesday's night (22:00–06:00) runs until 06:00.
    small_hours = local(2031, 3, 6, 3)
    overlapping = plan_data(
        area,
        name="凌晨加巡",
        recurrence="once",
        starts_on=dt.date(2031, 3, 6),
        until=dt.date(2031, 3, 6),
        start_time=dt.time(4),
        end_time=dt.time(5),
        team=[TeamSeat(area.admin, Role.COMMUNITY_ADMIN)],
    )

    assert kinds(patrol_plan_check(data=overlapping, now=small_hours)) == ["grid_overlap"]


def test_the_preview_starts_with_the_night_still_running_in_the_small_hours():
    # 03:00 on Thursday 6 March: Wednesday's night started yesterday and runs until 06:00.
    small_hours = local(2031, 3, 6, 3)
    nightly = PlanData(
        community=None,
        name="夜巡",
        start_time=dt.time(22),
        end_time=dt.time(6),
        recurrence="daily",
        starts_on=dt.date(2031, 3, 1),
        until=dt.date(2031, 3, 31),
    )

    coming = plan_upcoming(data=nightly, now=small_hours)

    assert [c["day"] for c in coming] == [f"2031-03-{d:02d}" for d in range(5, 12)]
    assert coming[0]["running"] and not coming[1]["running"]
    assert all(dt.datetime.fromisoformat(c["ends"]) > small_hours for c in coming)
    assert future_patrol_count(data=nightly, now=small_hours) == 27  # the 5th to the 31st


def test_the_preview_never_lists_a_shift_that_has_ended():
    # 07:00 on Thursday: Wednesday's night ended at 06:00; the next is Thursday's.
    morning = local(2031, 3, 6, 7)
    nightly = PlanData(
        community=None,
        name="夜巡",
        start_time=dt.time(22),
        end_time=dt.time(6),
        recurrence="daily",
        starts_on=dt.date(2031, 3, 1),
        until=dt.date(2031, 3, 31),
    )

    coming = plan_upcoming(data=nightly, now=morning)

    assert coming[0]["day"] == "2031-03-06" and not coming[0]["running"]
    assert "2031-03-06 22:00–06:00" in coming[0]["label"]


def test_a_team_without_the_required_roles_is_a_warning_not_a_conflict(area):
    data = plan_data(area, team=[TeamSeat(area.police, Role.POLICE_OFFICER)])

    (missing,) = patrol_plan_warnings(data=data)

    # By default a community requires a grid worker and property staff.
    assert missing.kind == "missing_roles"
    assert missing.details["roles"] == [Role.GRID_WORKER, Role.PROPERTY_STAFF]
    assert patrol_plan_check(data=data, now=NOW) == []


def test_each_community_sets_the_roles_it_requires(area):
    patrol_settings_set(
        community=area.community, required_roles=[Role.POLICE_OFFICER], by=area.admin
    )
    with_police = plan_data(area, team=[TeamSeat(area.police, Role.POLICE_OFFICER)])
    without = plan_data(area, team=[TeamSeat(area.worker, Role.GRID_WORKER)])

    assert not patrol_plan_warnings(data=with_police)
    assert patrol_plan_warnings(data=without)[0].details["roles"] == [Role.POLICE_OFFICER]


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


def test_checking_a_plan_saves_nothing_and_lists_its_coming_patrols(area):
    response = logged_in_client(area.admin).post(
        "/patrols/api/plans/check/", payload(area), "application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["patrols"], body["conflicts"], body["warnings"]) == (7, [], [])
    assert [c["day"] for c in body["upcoming"]][:2] == ["2031-03-03", "2031-03-04"]
    assert not PatrolPlan.objects.filter(community=area.community).exists()


def test_a_plan_without_conflicts_saves_at_once_even_with_a_warning(area):
    # Only the police officer: the community asks for a grid worker and property staff.
    lone = payload(area, team=[{"person": area.police.pk, "role": "police_officer"}])

    saved = logged_in_client(area.admin).post("/patrols/api/plans/", lone, "application/json")

    assert saved.status_code == 201
    assert PatrolPlan.objects.get(community=area.community).instances.count() == 7


def test_saving_with_conflicts_answers_409_until_they_are_accepted(area):
    client = logged_in_client(area.admin)
    assert client.post("/patrols/api/plans/", payload(area), "application/json").status_code == 201
    clashing = payload(area, name="重复夜巡", grids=[area.west.pk])

    refused = client.post("/patrols/api/plans/", clashing, "application/json")
    assert refused.status_code == 409
    body = refused.json()
    assert {c["kind"] for c in body["conflicts"]} == {"double_booking", "grid_overlap"}
    assert body["upcoming"] and body["patrols"] == 7
    assert not PatrolPlan.objects.filter(name="重复夜巡").exists()

    for not_true in (False, "false", 0, None):
        again = {**clashing, "accept_conflicts": not_true}
        assert client.post("/patrols/api/plans/", again, "application/json").status_code == 409

    accepted = client.post(
        "/patrols/api/plans/", {**clashing, "accept_conflicts": True}, "application/json"
    )
    assert accepted.status_code == 201
    assert PatrolPlan.objects.get(name="重复夜巡").instances.count() == 7


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
