"""Works through /api/v1/works/: who sees which works, the planner's steps and progress."""

# `world` is a fixture imported from the app's tests: test parameters shadow it by design.
# ruff: noqa: F811

from __future__ import annotations

import datetime

import pytest

from apps.works.models import WorkProgress, WorkStatusChange
from apps.works.workflow import WorkStatus
from tests.works.conftest import make_work, world  # noqa: F401 - shared fixture

pytestmark = pytest.mark.django_db

LIST = "/api/v1/works/"


def _ids(response) -> set[int]:
    return {feature["id"] for feature in response.json()["features"]}


def test_anonymous_visitors_see_decided_works_but_not_proposals(api, openapi, world):
    decided = make_work(world.here, status=WorkStatus.UNDER_CONSTRUCTION)
    proposal = make_work(world.here, status=WorkStatus.PROPOSED)
    url = f"{LIST}?community={world.here.pk}"
    response = api.get(url)
    openapi.check("get", url, response)
    assert decided.pk in _ids(response) and proposal.pk not in _ids(response)
    feature = next(f for f in response.json()["features"] if f["id"] == decided.pk)
    assert feature["properties"]["status_label"] == "Under construction"


def test_planners_also_see_their_communitys_proposals_but_not_others(api, openapi, world):
    ours = make_work(world.here, status=WorkStatus.PROPOSED)
    theirs = make_work(world.other, status=WorkStatus.PROPOSED)
    api.force_authenticate(world.planner)
    for community, work, shown in ((world.here, ours, True), (world.other, theirs, False)):
        url = f"{LIST}?community={community.pk}"
        response = api.get(url)
        openapi.check("get", url, response)
        assert (work.pk in _ids(response)) is shown


def test_the_works_list_takes_a_fixed_number_of_queries(api, world, django_assert_max_num_queries):
    for _ in range(5):
        make_work(world.here, status=WorkStatus.APPROVED)
    api.force_authenticate(world.planner)
    with django_assert_max_num_queries(4):
        response = api.get(f"{LIST}?community={world.here.pk}")
    assert len(response.json()["features"]) == 5


def test_a_planner_approves_a_proposal_and_the_change_is_recorded(api, openapi, world):
    work = make_work(world.here, status=WorkStatus.PROPOSED)
    api.force_authenticate(world.planner)
    url = f"{LIST}{work.pk}/transitions/"
    response = api.post(url, {"action": "approve", "note": "预算已批"}, format="json")
    openapi.check("post", url, response)
    assert response.json() == {"id": work.pk, "status": "approved", "action": "approve"}
    change = WorkStatusChange.objects.get(work=work, action="approve")
    assert (change.from_status, change.to_status) == ("proposed", "approved")
    assert change.changed_by == world.planner and change.role == "planner"
    assert change.note == "预算已批"


def test_a_step_the_works_status_does_not_allow_is_a_conflict(api, openapi, world):
    work = make_work(world.here, status=WorkStatus.PROPOSED)
    api.force_authenticate(world.planner)
    url = f"{LIST}{work.pk}/transitions/"
    response = api.post(url, {"action": "complete"}, format="json")
    openapi.check("post", url, response)
    assert response.status_code == 409
    assert response.json()["detail"].startswith(
        "A work that is “Proposed” cannot “Mark completed”. Possible now:"
    )
    work.refresh_from_db()
    assert work.status == WorkStatus.PROPOSED
    assert not WorkStatusChange.objects.filter(work=work, action="complete").exists()


def test_another_communitys_admin_cannot_move_a_work(api, openapi, world):
    work = make_work(world.here, status=WorkStatus.APPROVED)
    api.force_authenticate(world.admin_other)
    url = f"{LIST}{work.pk}/transitions/"
    response = api.post(url, {"action": "start"}, format="json")
    openapi.check("post", url, response)
    assert response.status_code in (403, 404)
    work.refresh_from_db()
    assert work.status == WorkStatus.APPROVED


def test_a_planner_records_progress_on_a_work(api, openapi, world):
    work = make_work(world.here, status=WorkStatus.UNDER_CONSTRUCTION)
    api.force_authenticate(world.planner)
    url = f"{LIST}{work.pk}/progress/"
    day = datetime.date.today() - datetime.timedelta(days=1)
    body = {"on": day.isoformat(), "percent": 40, "text": "主体完成"}
    response = api.post(url, body, format="json")
    openapi.check("post", url, response)
    assert response.status_code == 201
    assert response.json()["percent"] == 40 and response.json()["text"] == "主体完成"
    assert WorkProgress.objects.get(work=work).recorded_by == world.planner


def test_progress_on_a_cancelled_work_is_refused(api, openapi, world):
    work = make_work(world.here, status=WorkStatus.CANCELLED)
    api.force_authenticate(world.planner)
    url = f"{LIST}{work.pk}/progress/"
    day = datetime.date.today() - datetime.timedelta(days=1)
    response = api.post(url, {"on": day.isoformat(), "percent": 50}, format="json")
    openapi.check("post", url, response)
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This work was cancelled: no more progress can be recorded."
    )


def test_every_demo_work_matches_the_schema_multi_part_sites_included(api, openapi):
    # The demo's D4 elevator overhaul is sited at several lifts: a MultiPoint.
    url = f"{LIST}?page_size=500"
    response = api.get(url)
    openapi.check("get", url, response)
    types = {feature["geometry"]["type"] for feature in response.json()["features"]}
    assert "MultiPoint" in types
