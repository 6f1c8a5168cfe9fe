"""Patrol plans through /api/v1/planning/plans/: save, regenerate, archive and check for
conflicts — who may, what is recorded, what is refused (in the caller's language)."""

from __future__ import annotations

import pytest

from apps.accounts.roles import Role
from apps.patrols.models import PatrolPlan
from tests.patrols.conftest import X0, Y0, plan_around_now

from .patrol_town import REFUSED, SPOT, signed_in, town_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/planning/plans/"


def plan_body(town, **overrides) -> dict:
    """A weekly plan in 2031 (no clash with today's patrol): W1 and a two-point route."""
    body = {
        "community": town.community.pk,
        "name": "周末夜巡",
        "grids": [town.west.pk],
        "route": {"type": "LineString", "coordinates": [[X0 + 0.001, Y0 + 0.001], [*SPOT]]},
        "checkpoints": [{"name": "东门", "lat": SPOT[1], "lng": SPOT[0]}],
        "team": [{"person": town.worker.pk, "role": Role.GRID_WORKER}],
        "start_time": "20:00",
        "end_time": "22:00",
        "recurrence": "weekly",
        "weekdays": [5, 6],
        "starts_on": "2031-03-03",
        "until": "2031-03-16",
        # W1 has no night patrol this week (a night-gap conflict); saved anyway unless a
        # test looks at the conflicts.
        "accept_conflicts": True,
    }
    body.update(overrides)
    return body


# --- plans -----------------------------------------------------------------------------


def test_an_admin_saves_a_plan_with_its_route_checkpoints_and_weekly_patrols(api, openapi, town):
    response = signed_in(api, town.admin).post(PLANS, plan_body(town), format="json")

    openapi.check("post", PLANS, response)
    assert response.status_code == 201
    plan = PatrolPlan.objects.get(pk=response.json()["id"])
    assert (plan.name, plan.weekdays, plan.route.num_points) == ("周末夜巡", [5, 6], 2)
    assert [c["name"] for c in response.json()["checkpoints"]] == ["东门"]
    # Saturdays and Sundays between 3 and 16 March 2031: 8, 9, 15 and 16 March.
    assert plan.instances.count() == 4


@pytest.mark.parametrize("who", ["worker", "resident"])
def test_only_community_staff_may_save_plans(api, openapi, town, who):
    response = signed_in(api, getattr(town, who)).post(PLANS, plan_body(town), format="json")

    openapi.check("post", PLANS, response)
    assert response.status_code == 403
    assert response.json()["detail"] == "Only community staff plan patrols."


def test_another_communitys_admin_cannot_plan_for_ours(api, openapi, town):
    response = signed_in(api, town.outsider).post(PLANS, plan_body(town), format="json")

    openapi.check("post", PLANS, response)
    assert response.status_code == 400
    assert "community" in response.json()["errors"]
    assert not PatrolPlan.objects.filter(name="周末夜巡").exists()


def test_a_plan_without_grids_or_route_is_refused_field_by_field(api, openapi, town):
    body = plan_body(town, grids=[], route=None)
    response = signed_in(api, town.admin).post(PLANS, body, format="json")

    openapi.check("post", PLANS, response)
    assert response.status_code == 400
    assert response.json()["errors"]["grids"] == [
        "Choose at least one grid, or draw a route on the map."
    ]


def test_a_plan_double_booking_the_team_is_refused_with_its_conflicts(api, openapi, town):
    today = plan_around_now(town)
    clash = plan_body(
        town,
        recurrence="once",
        weekdays=[],
        starts_on=today.starts_on.isoformat(),
        until=today.until.isoformat(),
        start_time=today.start_time.strftime("%H:%M"),
        end_time=today.end_time.strftime("%H:%M"),
        accept_conflicts=False,
    )
    response = signed_in(api, town.admin).post(PLANS, clash, format="json")

    openapi.check("post", PLANS, response)
    assert response.status_code == 409
    assert any("is already on" in m for m in response.json()["errors"]["conflicts"])
    assert not PatrolPlan.objects.filter(name="周末夜巡").exists()
    saved = api.post(PLANS, {**clash, "accept_conflicts": True}, format="json")
    assert saved.status_code == 201


def test_the_conflicts_check_lists_what_the_page_shows_and_saves_nothing(api, openapi, town):
    today = plan_around_now(town)
    draft = plan_body(
        town,
        recurrence="once",
        weekdays=[],
        starts_on=today.starts_on.isoformat(),
        until=today.until.isoformat(),
        start_time=today.start_time.strftime("%H:%M"),
        end_time=today.end_time.strftime("%H:%M"),
    )
    path = f"{PLANS}conflicts/"
    response = signed_in(api, town.admin).post(path, draft, format="json")

    openapi.check("post", path, response)
    assert response.status_code == 200
    assert response.json()["patrols"] == 1
    kinds = [c["kind"] for c in response.json()["conflicts"]]
    assert "double_booking" in kinds
    assert not PatrolPlan.objects.filter(name="周末夜巡").exists()


@pytest.mark.parametrize(("who", "status"), REFUSED)
def test_the_conflicts_check_is_for_staff_only(api, openapi, town, who, status):
    path = f"{PLANS}conflicts/"
    body = plan_body(town, id=town.plan.pk)
    response = signed_in(api, getattr(town, who)).post(path, body, format="json")

    openapi.check("post", path, response)
    assert response.status_code == status


def test_an_admin_renames_a_plan_with_put(api, openapi, town):
    path = f"{PLANS}{town.plan.pk}/"
    response = signed_in(api, town.admin).put(path, plan_body(town, name="新名字"), format="json")

    openapi.check("put", path, response)
    assert response.status_code == 200
    town.plan.refresh_from_db()
    assert town.plan.name == "新名字"


@pytest.mark.parametrize("step", ["generate", "archive"])
@pytest.mark.parametrize(("who", "status"), REFUSED)
def test_others_may_not_regenerate_or_archive_a_plan(api, openapi, town, step, who, status):
    path = f"{PLANS}{town.plan.pk}/{step}/"
    response = signed_in(api, getattr(town, who)).post(path)

    openapi.check("post", path, response)
    assert response.status_code == status
    town.plan.refresh_from_db()
    assert town.plan.is_active


def test_generating_again_changes_nothing(api, openapi, town):
    path = f"{PLANS}{town.plan.pk}/generate/"
    response = signed_in(api, town.admin).post(path)

    openapi.check("post", path, response)
    assert response.json() == {"created": 0, "updated": 0, "cancelled": 0, "restored": 0}


def test_archiving_a_plan_stops_it(api, openapi, town):
    path = f"{PLANS}{town.plan.pk}/archive/"
    response = signed_in(api, town.admin).post(path)

    openapi.check("post", path, response)
    assert response.status_code == 200
    assert response.json()["is_active"] is False
