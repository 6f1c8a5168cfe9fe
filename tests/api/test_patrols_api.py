"""Patrols through /api/v1/: who sees which plans and patrols, and the team's writes.

Positions for check-ins are placed by geodesic offset (pyproj.Geod on WGS 84, the spheroid
PostGIS measures on), so the distances the API reports are known to the centimetre.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.gis.geos import Point

from apps.accounts.roles import Role
from apps.patrols.models import CheckIn, PatrolTrackPoint, PatrolTransition
from apps.patrols.services import CheckpointData, TeamSeat, patrol_plan_save
from apps.patrols.workflow import Status
from tests.factories import make_community, make_grid, make_member, make_user, square
from tests.patrols.conftest import X0, Y0, offset, plan_around_now

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/patrol-plans/"
PATROLS = "/api/v1/patrols/"
GATE = (X0 + 0.002, Y0 + 0.002)  # inside the west grid


@pytest.fixture
def town() -> SimpleNamespace:
    """Our patrol community (two grids, one person per team role, an admin), another
    community's admin, a joint patrol with the police officer on it and one without."""
    community = make_community(x=X0, y=Y0)
    west = make_grid(community, code="W1", boundary=square(X0 + 0.001, Y0 + 0.001, 0.002))
    people = {}
    for role in (
        Role.COMMUNITY_ADMIN,
        Role.GRID_WORKER,
        Role.PROPERTY_STAFF,
        Role.POLICE_OFFICER,
        Role.PARTY_MEMBER,
    ):
        user = make_user(display_name=str(role))
        make_member(
            community,
            user=user,
            role=role,
            grids=[west] if role == Role.GRID_WORKER else [],
            staff=role == Role.COMMUNITY_ADMIN,
        )
        people[role.value] = user
    other = make_community(x=X0 + 0.05, y=Y0)
    outsider = make_user(display_name="其他社区管理员")
    make_member(other, user=outsider, role=Role.COMMUNITY_ADMIN, staff=True)
    town = SimpleNamespace(
        community=community,
        west=west,
        admin=people["community_admin"],
        worker=people["grid_worker"],
        property=people["property_staff"],
        police=people["police_officer"],
        party=people["party_member"],
        outsider=outsider,
    )
    gate = [CheckpointData("东门", Point(*GATE, srid=4326))]
    joint = patrol_plan_save(data=plan_around_now(town, checkpoints=gate), by=town.admin)
    property_only = plan_around_now(
        town,
        name="物业巡查",
        team=[
            TeamSeat(town.worker, Role.GRID_WORKER),
            TeamSeat(town.property, Role.PROPERTY_STAFF),
        ],
    )
    town.joint_plan = joint
    town.property_plan = patrol_plan_save(data=property_only, by=town.admin)
    town.joint = joint.instances.get()
    town.property_patrol = town.property_plan.instances.get()
    return town


def _ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def _start(api, town, user=None):
    api.force_authenticate(user or town.worker)
    path = f"{PATROLS}{town.joint.pk}/start/"
    return path, api.post(path, format="json")


@pytest.mark.parametrize("path", [PLANS, PATROLS])
def test_anonymous_callers_see_no_patrols_at_all(api, openapi, town, path):
    response = api.get(path)
    openapi.check("get", path, response)
    assert response.status_code in (401, 403)


@pytest.mark.parametrize(
    ("who", "sees_joint", "sees_property"),
    [("police", True, False), ("admin", True, True), ("outsider", False, False)],
)
def test_patrols_are_listed_to_their_team_and_their_communitys_staff(
    api, openapi, town, who, sees_joint, sees_property
):
    api.force_authenticate(getattr(town, who))
    response = api.get(PATROLS)
    openapi.check("get", PATROLS, response)
    ids = _ids(response)
    assert (town.joint.pk in ids, town.property_patrol.pk in ids) == (sees_joint, sees_property)


@pytest.mark.parametrize(
    ("who", "sees_joint", "sees_property"),
    [("police", True, False), ("admin", True, True), ("outsider", False, False)],
)
def test_plans_are_listed_to_their_team_and_their_communitys_staff(
    api, openapi, town, who, sees_joint, sees_property
):
    api.force_authenticate(getattr(town, who))
    response = api.get(PLANS)
    openapi.check("get", PLANS, response)
    ids = _ids(response)
    assert (town.joint_plan.pk in ids, town.property_plan.pk in ids) == (sees_joint, sees_property)


def test_a_plan_shows_its_checkpoints_with_their_position(api, openapi, town):
    api.force_authenticate(town.police)
    path = f"{PLANS}{town.joint_plan.pk}/"
    response = api.get(path)
    openapi.check("get", path, response)
    [gate] = response.json()["checkpoints"]
    assert gate["name"] == "东门"
    assert (gate["lng"], gate["lat"]) == pytest.approx(GATE)


def test_another_communitys_patrol_is_not_found(api, openapi, town):
    api.force_authenticate(town.outsider)
    path = f"{PATROLS}{town.joint.pk}/"
    response = api.get(path)
    openapi.check("get", path, response)
    assert response.status_code == 404


def test_patrol_lists_take_a_fixed_number_of_queries(api, town, django_assert_max_num_queries):
    for day in range(3):
        patrol_plan_save(
            data=plan_around_now(town, name=f"巡逻 {day}", until=town.joint_plan.until),
            by=town.admin,
        )
    api.force_authenticate(town.admin)
    with django_assert_max_num_queries(6):
        assert len(api.get(PATROLS).json()["results"]) == 5
    with django_assert_max_num_queries(7):
        assert len(api.get(PLANS).json()["results"]) == 5


def test_a_team_member_starts_a_patrol_and_the_change_is_recorded(api, openapi, town):
    path, response = _start(api, town)
    openapi.check("post", path, response)
    assert response.status_code == 200
    assert response.json()["status"] == Status.IN_PROGRESS
    step = PatrolTransition.objects.get(instance=town.joint, to_status=Status.IN_PROGRESS)
    assert step.by == town.worker and step.from_status == Status.PLANNED


def test_ending_a_patrol_that_never_started_is_refused_with_409(api, openapi, town):
    api.force_authenticate(town.worker)
    path = f"{PATROLS}{town.joint.pk}/end/"
    response = api.post(path, {"note": "完成"}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 409
    assert "cannot become" in response.json()["detail"]
    town.joint.refresh_from_db()
    assert town.joint.status == Status.PLANNED
    assert not PatrolTransition.objects.filter(instance=town.joint, to_status=Status.COMPLETED)


def test_a_started_patrol_ends_with_its_note_recorded(api, openapi, town):
    _start(api, town)
    path = f"{PATROLS}{town.joint.pk}/end/"
    response = api.post(path, {"note": "一切正常"}, format="json")
    openapi.check("post", path, response)
    assert response.json()["status"] == Status.COMPLETED
    step = PatrolTransition.objects.get(instance=town.joint, to_status=Status.COMPLETED)
    assert step.note == "一切正常" and step.by == town.worker


def test_a_police_officer_cannot_start_a_patrol_they_are_not_on(api, openapi, town):
    api.force_authenticate(town.police)
    path = f"{PATROLS}{town.property_patrol.pk}/start/"
    response = api.post(path, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 404


@pytest.mark.parametrize(("metres", "on_site"), [(0.0, True), (49.0, True), (120.0, False)])
def test_a_check_in_reports_on_site_or_remote_with_the_distance(
    api, openapi, town, metres, on_site
):
    _start(api, town)
    lng, lat = offset(*GATE, azimuth=37.0, metres=metres)
    checkpoint = town.joint_plan.checkpoints.get()
    path = f"{PATROLS}{town.joint.pk}/check-ins/"
    body = {"checkpoint": checkpoint.pk, "lat": lat, "lng": lng}
    response = api.post(path, body, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 201
    assert response.json()["on_site"] is on_site
    # PostGIS and pyproj both measure on WGS 84; the API rounds to 0.1 m.
    assert response.json()["distance_m"] == pytest.approx(metres, abs=0.06)
    assert CheckIn.objects.get(pk=response.json()["id"]).person == town.worker


def test_a_check_in_before_the_start_is_refused_with_409(api, openapi, town):
    api.force_authenticate(town.worker)
    checkpoint = town.joint_plan.checkpoints.get()
    path = f"{PATROLS}{town.joint.pk}/check-ins/"
    body = {"checkpoint": checkpoint.pk, "lat": GATE[1], "lng": GATE[0]}
    response = api.post(path, body, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 409
    assert "start it first" in response.json()["detail"]
    assert not CheckIn.objects.filter(instance=town.joint).exists()


def test_staff_who_are_not_on_the_team_cannot_check_in(api, openapi, town):
    _start(api, town)
    api.force_authenticate(town.admin)
    checkpoint = town.joint_plan.checkpoints.get()
    path = f"{PATROLS}{town.joint.pk}/check-ins/"
    body = {"checkpoint": checkpoint.pk, "lat": GATE[1], "lng": GATE[0]}
    response = api.post(path, body, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 403
    assert "team" in response.json()["detail"]


def test_a_check_in_at_another_plans_checkpoint_is_refused_field_by_field(api, openapi, town):
    _start(api, town)
    path = f"{PATROLS}{town.joint.pk}/check-ins/"
    response = api.post(path, {"checkpoint": 0, "lat": GATE[1], "lng": GATE[0]}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 400
    assert "checkpoint" in response.json()["errors"]


def test_track_points_are_recorded_during_a_patrol(api, openapi, town):
    _start(api, town)
    east = offset(*GATE, azimuth=90.0, metres=30.0)
    points = [
        {"lat": GATE[1], "lng": GATE[0], "time": "2031-03-03T22:05:00+08:00"},
        {"lat": east[1], "lng": east[0], "accuracy": 8},
    ]
    path = f"{PATROLS}{town.joint.pk}/track/"
    response = api.post(path, {"points": points}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 201 and response.json()["added"] == 2
    assert PatrolTrackPoint.objects.filter(instance=town.joint, person=town.worker).count() == 2


def test_track_points_for_a_patrol_not_under_way_are_refused_with_409(api, openapi, town):
    api.force_authenticate(town.worker)
    path = f"{PATROLS}{town.joint.pk}/track/"
    response = api.post(path, {"points": [{"lat": GATE[1], "lng": GATE[0]}]}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 409
    assert not PatrolTrackPoint.objects.filter(instance=town.joint).exists()


def test_a_position_off_the_globe_is_refused_with_the_reason(api, openapi, town):
    _start(api, town)
    path = f"{PATROLS}{town.joint.pk}/track/"
    response = api.post(path, {"points": [{"lat": 95.0, "lng": GATE[0]}]}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not PatrolTrackPoint.objects.filter(instance=town.joint).exists()
