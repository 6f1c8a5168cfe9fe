"""Who sees and does what. A police officer sees the patrols they are on and no resident's
personal data; a grid worker edits only their own check-ins; anonymous sees nothing."""

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.roles import Role
from apps.patrols.services import (
    CheckpointData,
    patrol_check_in,
    patrol_plan_save,
    patrol_track_append,
)
from apps.patrols.workflow import Status
from tests.factories import make_community, make_member

from .conftest import X0, Y0, logged_in_client, plan_data, started

GATE = (X0 + 0.002, Y0 + 0.002)
RESIDENT_PHONE = "13900000000"


@pytest.fixture
def world(area):
    plan = patrol_plan_save(
        data=plan_data(area, checkpoints=[CheckpointData("东门", Point(*GATE, srid=4326))]),
        by=area.admin,
    )
    patrol = started(plan, area.worker)
    patrol_track_append(
        instance=patrol,
        person=area.worker,
        points=[{"lng": GATE[0], "lat": GATE[1]}, {"lng": GATE[0] + 0.001, "lat": GATE[1]}],
    )
    mine = patrol_check_in(
        instance=patrol,
        checkpoint=plan.checkpoints.get(),
        person=area.worker,
        lon=GATE[0],
        lat=GATE[1],
    )
    theirs = patrol_check_in(
        instance=patrol,
        checkpoint=plan.checkpoints.get(),
        person=area.property,
        lon=GATE[0],
        lat=GATE[1],
    )
    other_police = make_member(area.community, role=Role.POLICE_OFFICER, staff=False).user
    other_admin = make_member(make_community(x=X0 + 0.05, y=Y0), role=Role.COMMUNITY_ADMIN).user
    users = {
        "anonymous": None,
        "resident": area.resident,
        "police_on_team": area.police,
        "police_not_on_team": other_police,
        "grid_worker": area.worker,
        "community_admin": area.admin,
        "other_community_admin": other_admin,
    }
    return {
        "patrol": patrol,
        "plan": plan,
        "users": users,
        "mine": mine,
        "theirs": theirs,
        "area": area,
    }


def client_for(user) -> Client:
    return logged_in_client(user) if user else Client()


PAGE_MATRIX = {
    # who: (patrol page, patrol JSON, plan page, new-plan page, assign page)
    "anonymous": (302, 401, 302, 302, 302),
    "resident": (404, 404, 404, 404, 404),
    "police_on_team": (200, 200, 200, 404, 404),
    "police_not_on_team": (404, 404, 404, 404, 404),
    "grid_worker": (200, 200, 200, 404, 404),
    "community_admin": (200, 200, 200, 200, 200),
    "other_community_admin": (404, 404, 404, 200, 200),
}


@pytest.mark.parametrize("who", list(PAGE_MATRIX))
def test_who_may_open_a_patrol_and_the_planning_pages(world, who):
    client = client_for(world["users"][who])
    patrol, plan = world["patrol"], world["plan"]
    urls = [
        f"/patrols/{patrol.pk}/",
        f"/patrols/api/patrols/{patrol.pk}/",
        f"/patrols/plans/{plan.pk}/",
        "/patrols/plans/new/",
        "/patrols/assign/",
    ]
    assert tuple(client.get(url).status_code for url in urls) == PAGE_MATRIX[who]


LAYER_MATRIX = {
    "anonymous": 0,
    "resident": 0,
    "police_on_team": 1,
    "police_not_on_team": 0,
    "grid_worker": 1,
    "community_admin": 1,
    "other_community_admin": 0,
}


@pytest.mark.parametrize("who", list(LAYER_MATRIX))
def test_patrol_tracks_on_the_map_are_private_to_staff_and_the_team(world, who):
    response = client_for(world["users"][who]).get(
        f"/api/layers/patrols.geojson?community={world['area'].community.pk}"
    )
    features = response.json()["features"]
    assert len(features) == LAYER_MATRIX[who]
    if features:
        assert features[0]["geometry"]["type"] == "MultiLineString"
        assert features[0]["properties"]["status"] == Status.IN_PROGRESS


def test_the_patrols_layer_is_one_query_however_many_patrols(world, django_assert_num_queries):
    client = logged_in_client(world["area"].admin)
    with django_assert_num_queries(3):  # session, user, the layer
        client.get("/api/layers/patrols.geojson")


def test_a_police_officer_on_the_team_sees_no_residents_personal_data(world):
    client = logged_in_client(world["area"].police)
    patrol = world["patrol"]
    pages = [
        f"/patrols/{patrol.pk}/",
        f"/patrols/{patrol.pk}/run/",
        f"/patrols/{patrol.pk}/sheet/",
        f"/patrols/api/patrols/{patrol.pk}/",
        "/me/",
        "/patrols/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert RESIDENT_PHONE not in response.content.decode(), url
    assert "东门" in client.get(f"/patrols/{patrol.pk}/").content.decode()


EDIT_MATRIX = {"mine": 200, "theirs": 403}


@pytest.mark.parametrize("whose", list(EDIT_MATRIX))
def test_a_grid_worker_edits_only_their_own_check_ins(world, whose):
    checkin = world[whose]
    response = logged_in_client(world["area"].worker).post(
        f"/patrols/api/checkins/{checkin.pk}/", {"note": "巡查正常"}, "application/json"
    )
    assert response.status_code == EDIT_MATRIX[whose]
    checkin.refresh_from_db()
    assert (checkin.note == "巡查正常") is (whose == "mine")


def test_a_check_in_outside_ones_patrols_is_not_found(world):
    response = logged_in_client(world["users"]["police_not_on_team"]).post(
        f"/patrols/api/checkins/{world['mine'].pk}/", {"note": "x"}, "application/json"
    )
    assert response.status_code == 404


CANCEL_MATRIX = {"grid_worker": 403, "police_on_team": 403, "community_admin": 200}


@pytest.mark.parametrize("who", list(CANCEL_MATRIX))
def test_only_staff_cancel_a_patrol(world, who):
    response = client_for(world["users"][who]).post(
        f"/patrols/api/patrols/{world['patrol'].pk}/transition/",
        {"to": "cancelled", "note": "暴雨"},
        "application/json",
    )
    assert response.status_code == CANCEL_MATRIX[who]


@pytest.mark.parametrize("who", ["anonymous", "resident", "grid_worker", "police_on_team"])
def test_only_staff_save_plans(world, who):
    response = client_for(world["users"][who]).post(
        "/patrols/api/plans/", {"name": "x"}, "application/json"
    )
    assert response.status_code == (401 if who == "anonymous" else 403)


def test_the_plan_list_takes_as_many_queries_for_many_plans_as_for_one(
    world, django_assert_num_queries
):
    client = logged_in_client(world["area"].admin)
    with CaptureQueriesContext(connection) as one:
        client.get("/patrols/")
    for number in range(3):
        patrol_plan_save(
            data=plan_data(world["area"], name=f"计划{number}"), by=world["area"].admin
        )
    with django_assert_num_queries(len(one)):
        response = client.get("/patrols/")
    assert response.content.decode().count("/patrols/plans/") >= 4
