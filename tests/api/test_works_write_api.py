"""Recording and correcting works and programmes through /api/v1/ (apps.works.services)."""

# `world` is a fixture imported from the app's tests: test parameters shadow it by design.
# ruff: noqa: F811

from __future__ import annotations

import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.accounts.models import Organisation
from apps.works.models import Programme, Work, WorkStatusChange
from apps.works.workflow import WorkStatus
from tests.factories import make_organisation
from tests.works.conftest import make_programme, make_work, world  # noqa: F401 - shared fixture

pytestmark = pytest.mark.django_db

WORKS = "/api/v1/works/"
PROGRAMMES = "/api/v1/programmes/"


def _site(community, dx=0.003, dy=0.003) -> dict:
    xmin, ymin, _xmax, _ymax = community.boundary.extent
    return {"type": "Point", "coordinates": [xmin + dx, ymin + dy]}


def _new_work(world, **extra) -> dict:
    return {
        "community": world.here.pk,
        "name": "健身步道新建",
        "work_type": "new_build",
        "geom": _site(world.here),
        "budget": "150000.00",
        "planned_start": "2024-04-01",
        "planned_end": "2024-06-30",
        **extra,
    }


def test_a_planner_records_a_work_and_its_history_starts_with_who_and_when(api, openapi, world):
    api.force_authenticate(world.planner)
    response = api.post(WORKS, _new_work(world), format="json")
    openapi.check("post", WORKS, response)
    assert response.status_code == 201, response.json()
    feature = response.json()
    assert feature["properties"]["status"] == "proposed"
    assert feature["properties"]["budget"] == "150000.00"
    work = Work.objects.get(pk=feature["id"])
    assert work.community == world.here and work.geom.geom_type == "Point"
    [created] = WorkStatusChange.objects.filter(work=work)
    assert (created.action, created.to_status) == ("create", "proposed")
    assert created.changed_by == world.planner and created.role == "planner"
    # The planner finds it on a later read (a proposal: planners only).
    detail = api.get(f"{WORKS}{work.pk}/")
    assert detail.json()["properties"]["name"] == "健身步道新建"


def test_a_multi_part_site_is_accepted_and_a_bad_shape_refused_by_field(api, openapi, world):
    api.force_authenticate(world.planner)
    xmin, ymin, _x, _y = world.here.boundary.extent
    lifts = {
        "type": "MultiPoint",
        "coordinates": [[xmin + 0.001, ymin + 0.001], [xmin + 0.002, ymin + 0.001]],
    }
    response = api.post(WORKS, _new_work(world, name="电梯改造", geom=lifts), format="json")
    openapi.check("post", WORKS, response)
    assert response.status_code == 201
    assert response.json()["geometry"]["type"] == "MultiPoint"

    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [
                [xmin, ymin],
                [xmin + 0.002, ymin + 0.002],
                [xmin + 0.002, ymin],
                [xmin, ymin + 0.002],
                [xmin, ymin],
            ]
        ],
    }
    response = api.post(WORKS, _new_work(world, name="坏形状", geom=bowtie), format="json")
    openapi.check("post", WORKS, response)
    assert response.status_code == 400
    assert "geom" in response.json()["errors"]
    assert not Work.objects.filter(name="坏形状").exists()


def test_work_dates_out_of_order_are_refused_in_the_users_language(world, openapi):
    zh = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    zh.force_authenticate(world.planner)
    body = _new_work(world, planned_start="2024-06-30", planned_end="2024-04-01")
    response = zh.post(WORKS, body, format="json")
    openapi.check("post", WORKS, response)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    message = response.json()["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message  # Chinese, as asked
    assert not Work.objects.filter(name="健身步道新建").exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 403), ("admin_other", 403), ("grid_worker", 403), ("resident", 403)],
)
def test_only_the_communitys_planners_and_admins_record_works(api, openapi, world, who, expected):
    person = world.person(who)
    if person is not None:
        api.force_authenticate(person)
    response = api.post(WORKS, _new_work(world), format="json")
    openapi.check("post", WORKS, response)
    assert response.status_code in (expected, 401)
    assert not Work.objects.filter(name="健身步道新建").exists()


def test_a_planner_corrects_a_works_facts_but_not_its_status(api, openapi, world):
    work = make_work(world.here, status=WorkStatus.UNDER_CONSTRUCTION)
    contractor = make_organisation(kind=Organisation.Kind.CONTRACTOR)
    api.force_authenticate(world.planner)
    url = f"{WORKS}{work.pk}/"
    body = {
        "budget": "98000.50",
        "contractor": contractor.pk,
        "planned_end": "2024-12-31",
        "geom": {"type": "LineString", "coordinates": _line(world.here)},
        "status": "completed",  # not a field here: ignored, the status has its own steps
    }
    response = api.patch(url, body, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 200, response.json()
    assert response.json()["properties"]["budget"] == "98000.50"
    work.refresh_from_db()
    assert work.status == WorkStatus.UNDER_CONSTRUCTION
    assert work.contractor == contractor and work.geom.geom_type == "LineString"
    assert str(work.planned_end) == "2024-12-31"
    later = api.get(url).json()["properties"]
    assert later["planned_end"] == "2024-12-31" and later["budget"] == "98000.50"


def _line(community) -> list:
    xmin, ymin, _x, _y = community.boundary.extent
    return [[xmin + 0.001, ymin + 0.001], [xmin + 0.004, ymin + 0.002]]


def test_a_negative_budget_is_refused_and_the_work_keeps_its_values(api, openapi, world):
    work = make_work(world.here, status=WorkStatus.APPROVED, budget="5000.00")
    api.force_authenticate(world.admin_here)
    url = f"{WORKS}{work.pk}/"
    response = api.patch(url, {"budget": "-1.00", "name": "改名"}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 400
    assert response.json()["detail"] == "Budget and cost cannot be negative."
    work.refresh_from_db()
    assert str(work.budget) == "5000.00" and work.name != "改名"


def test_another_communitys_admin_cannot_edit_a_work(api, openapi, world):
    public = make_work(world.here, status=WorkStatus.APPROVED)
    proposal = make_work(world.here, status=WorkStatus.PROPOSED)
    api.force_authenticate(world.admin_other)
    for work, expected in ((public, 403), (proposal, 404)):
        url = f"{WORKS}{work.pk}/"
        response = api.patch(url, {"name": "别人的工程"}, format="json")
        openapi.check("patch", url, response)
        assert response.status_code == expected
        assert Work.objects.get(pk=work.pk).name != "别人的工程"
    assert api.put(f"{WORKS}{public.pk}/", {}, format="json").status_code == 405


def test_token_authentication_works_and_session_writes_need_the_csrf_token(world):
    token = Token.objects.create(user=world.planner)
    by_token = APIClient(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert by_token.post(WORKS, _new_work(world), format="json").status_code == 201

    session = APIClient(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    session.force_login(world.planner)
    work = Work.objects.get(name="健身步道新建")
    response = session.patch(f"{WORKS}{work.pk}/", {"name": "无令牌"}, format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert Work.objects.get(pk=work.pk).name == "健身步道新建"


def _new_programme(world, **extra) -> dict:
    owner = make_organisation(kind=Organisation.Kind.GOVERNMENT)
    return {
        "name": "口袋公园三年计划",
        "district": world.here.subdistrict.district_id,
        "owner": owner.pk,
        "target_count": 12,
        "start_date": "2024-01-01",
        "deadline": "2026-12-31",
        "budget": "3000000.00",
        **extra,
    }


def test_a_planner_creates_and_edits_a_programme_of_their_district(api, openapi, world):
    api.force_authenticate(world.planner)
    response = api.post(PROGRAMMES, _new_programme(world), format="json")
    openapi.check("post", PROGRAMMES, response)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["target"] == 12 and created["done"] == 0
    url = f"{PROGRAMMES}{created['id']}/"
    response = api.patch(url, {"target_count": 20, "deadline": "2027-06-30"}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 200
    later = api.get(url)
    openapi.check("get", url, later)
    assert (later.json()["target"], later.json()["deadline"]) == (20, "2027-06-30")
    programme = Programme.objects.get(pk=created["id"])
    assert programme.target_count == 20 and programme.deadline == datetime.date(2027, 6, 30)


def test_a_programme_deadline_before_its_start_is_refused(api, openapi, world):
    programme = make_programme(world.here)
    api.force_authenticate(world.planner)
    url = f"{PROGRAMMES}{programme.pk}/"
    response = api.patch(url, {"deadline": "2023-01-01"}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 400
    assert response.json()["detail"] == "The deadline must not be before the start date."
    programme.refresh_from_db()
    assert programme.deadline == datetime.date(2024, 9, 30)


def test_people_outside_the_district_cannot_plan_its_programmes(api, openapi, world):
    programme = make_programme(world.here)
    for who in ("grid_worker", "resident"):
        api.force_authenticate(world.person(who))
        url = f"{PROGRAMMES}{programme.pk}/"
        response = api.patch(url, {"target_count": 99}, format="json")
        openapi.check("patch", url, response)
        assert response.status_code == 403
        response = api.post(PROGRAMMES, _new_programme(world), format="json")
        openapi.check("post", PROGRAMMES, response)
        assert response.status_code == 403
    assert Programme.objects.get(pk=programme.pk).target_count == 15
    assert not Programme.objects.filter(name="口袋公园三年计划").exists()
