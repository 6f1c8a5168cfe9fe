"""Joint meetings through /api/v1/meetings/: who sees and runs them, the agenda, decisions,
the outcome with photos, and the hold/publish steps (through apps.meetings.services)."""

# `world`, `meeting`... are fixtures imported from the app's tests: parameters shadow them.
# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.meetings.models import AgendaItem, JointMeeting, MeetingDecision, MeetingStatusChange
from tests.meetings.conftest import developer, meeting, png_bytes, report, world  # noqa: F401

pytestmark = pytest.mark.django_db

LIST = "/api/v1/meetings/"


@pytest.mark.parametrize(
    ("who", "listed", "status"),
    [
        ("admin_here", True, 200),
        ("planner", True, 200),
        ("admin_other", False, 404),
        ("grid_worker", False, 404),
        ("resident", False, 404),
    ],
)
def test_meetings_are_seen_by_the_communitys_admins_and_planners_only(
    api, openapi, world, meeting, who, listed, status
):
    api.force_authenticate(world.person(who))
    response = api.get(LIST)
    openapi.check("get", LIST, response)
    titles = [row["title"] for row in response.json()["results"]]
    assert titles == (["测试季度联席会议"] if listed else [])
    detail = api.get(f"{LIST}{meeting.pk}/")
    openapi.check("get", f"{LIST}{meeting.pk}/", detail)
    assert detail.status_code == status


def test_a_meeting_shows_its_agenda_and_organisations(api, openapi, world, meeting, report):
    api.force_authenticate(world.admin_here)
    response = api.get(f"{LIST}{meeting.pk}/")
    body = response.json()
    assert [item["report_code"] for item in body["agenda"]] == [report.code]
    assert body["status"] == "draft" and len(body["organisations"]) == 1 and body["outcome"] is None


def test_an_admin_creates_a_meeting_and_its_creation_is_recorded(api, openapi, world, developer):
    api.force_authenticate(world.admin_here)
    payload = {
        "community": world.here.code,
        "title": "三月联席会议",
        "date": "2024-03-20",
        "organisations": [developer.pk],
    }
    response = api.post(LIST, payload, format="json")
    openapi.check("post", LIST, response)
    assert response.status_code == 201 and response.json()["title"] == "三月联席会议"
    created = JointMeeting.objects.get(pk=response.json()["id"])
    assert MeetingStatusChange.objects.filter(meeting=created, action="create").exists()


def test_a_planner_may_not_create_a_meeting_and_nothing_is_saved(api, openapi, world):
    api.force_authenticate(world.planner)
    payload = {"community": world.here.code, "title": "会议", "date": "2024-03-20"}
    response = api.post(LIST, payload, format="json")
    openapi.check("post", LIST, response)
    assert response.status_code == 403 and "admins" in response.json()["detail"]
    assert not JointMeeting.objects.filter(title="会议").exists()


def test_a_report_goes_on_the_agenda_once(api, openapi, world, meeting, report):
    api.force_authenticate(world.admin_here)
    path = f"{LIST}{meeting.pk}/agenda/"
    response = api.post(path, {"report": report.pk}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 400
    assert "on the agenda already" in response.json()["errors"]["report"][0]


def test_an_agenda_item_is_removed(api, openapi, world, meeting):
    item = meeting.agenda_items.get()
    api.force_authenticate(world.admin_here)
    path = f"{LIST}{meeting.pk}/agenda/{item.pk}/"
    response = api.delete(path)
    openapi.check("delete", path, response)
    assert response.status_code == 204 and not AgendaItem.objects.filter(pk=item.pk).exists()


def test_a_decision_records_who_pays_how_much(api, openapi, world, meeting, report, developer):
    api.force_authenticate(world.admin_here)
    path = f"{LIST}{meeting.pk}/decisions/"
    payload = {
        "text": "开发商修复围墙",
        "report": report.pk,
        "payer": developer.pk,
        "amount": "12000.50",
    }
    response = api.post(path, payload, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 201
    [decision] = response.json()["decisions"]
    assert (decision["payer_id"], decision["amount"]) == (developer.pk, "12000.50")
    assert MeetingDecision.objects.get(meeting=meeting).created_by == world.admin_here


def test_the_outcome_is_saved_with_its_photos(api, openapi, world, meeting):
    api.force_authenticate(world.admin_here)
    path = f"{LIST}{meeting.pk}/outcome/"
    photo = SimpleUploadedFile("wall.png", png_bytes(), content_type="image/png")
    response = api.post(path, {"text": "围墙三月底前修好。", "photos": [photo]}, format="multipart")
    openapi.check("post", path, response)
    assert response.status_code == 200
    outcome = response.json()["outcome"]
    assert outcome["text"] == "围墙三月底前修好。" and len(outcome["photos"]) == 1


def test_holding_then_publishing_moves_the_meeting_and_records_each_step(
    api, openapi, world, meeting
):
    api.force_authenticate(world.admin_here)
    path = f"{LIST}{meeting.pk}/transitions/"
    assert api.post(path, {"action": "hold"}, format="json").json()["status"] == "held"
    api.post(f"{LIST}{meeting.pk}/outcome/", {"text": "已协商。"}, format="multipart")
    response = api.post(path, {"action": "publish"}, format="json")
    openapi.check("post", path, response)
    assert response.json()["status"] == "published"
    actions = list(meeting.status_changes.order_by("pk").values_list("action", flat=True))
    assert actions == ["create", "hold", "publish"]


def test_publishing_a_draft_is_a_conflict_and_changes_nothing(api, openapi, world, meeting):
    api.force_authenticate(world.admin_here)
    path = f"{LIST}{meeting.pk}/transitions/"
    response = api.post(path, {"action": "publish"}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 409 and "cannot be done now" in response.json()["detail"]
    assert JointMeeting.objects.get(pk=meeting.pk).status == "draft"


def test_the_meeting_list_takes_a_fixed_number_of_queries(
    api, world, meeting, django_assert_max_num_queries
):
    api.force_authenticate(world.admin_here)
    with django_assert_max_num_queries(6):
        assert api.get(LIST).status_code == 200
