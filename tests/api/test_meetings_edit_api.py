"""Editing a joint meeting, removing a decision or an outcome photo through /api/v1/meetings/
(the rules of the meeting page: community admins only, and not once the outcome is public)."""

# `world`, `meeting`... are fixtures imported from the app's tests: parameters shadow them.
# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.meetings import services
from apps.meetings.models import JointMeeting, MeetingDecision, MeetingOutcomePhoto
from tests.factories import make_organisation
from tests.meetings.conftest import developer, meeting, png_bytes, report, world  # noqa: F401

pytestmark = pytest.mark.django_db

LIST = "/api/v1/meetings/"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _decision(meeting, world, text="物业清理垃圾"):
    services.meeting_decision_add(meeting=meeting, actor=world.admin_here, text=text)
    return MeetingDecision.objects.get(meeting=meeting, text=text)


def _photo(meeting, world) -> MeetingOutcomePhoto:
    photo = SimpleUploadedFile("wall.png", png_bytes(), content_type="image/png")
    services.meeting_outcome_save(
        meeting=meeting, actor=world.admin_here, text="围墙三月底前修好。", photos=[photo]
    )
    return MeetingOutcomePhoto.objects.get(outcome__meeting=meeting)


def test_an_admin_edits_the_meeting_and_a_later_read_shows_it(api, openapi, world, meeting):
    school = make_organisation(name="测试小学", kind="school")
    api.force_authenticate(world.admin_here)
    url = f"{LIST}{meeting.pk}/"
    body = {"title": "二季度联席会议", "place": "社区会议室", "organisations": [school.pk]}
    response = api.patch(url, body, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 200
    later = api.get(url).json()
    assert (later["title"], later["place"], later["organisations"]) == (
        "二季度联席会议",
        "社区会议室",
        [school.pk],
    )
    saved = JointMeeting.objects.get(pk=meeting.pk)
    assert saved.date == meeting.date and saved.status == "draft"  # untouched


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "  "}, "title"),
        ({"organisations": [987654]}, "organisations"),
        ({"date": "x"}, "date"),
    ],
)
def test_bad_values_are_refused_by_field_and_nothing_changes(
    api, openapi, world, meeting, body, field
):
    api.force_authenticate(world.admin_here)
    url = f"{LIST}{meeting.pk}/"
    response = api.patch(url, body, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 400 and field in response.json()["errors"]
    assert JointMeeting.objects.get(pk=meeting.pk).title == meeting.title


@pytest.mark.parametrize(("who", "expected"), [("planner", 403), ("admin_other", 404)])
def test_planners_and_other_communities_cannot_edit(api, openapi, world, meeting, who, expected):
    api.force_authenticate(world.person(who))
    url = f"{LIST}{meeting.pk}/"
    response = api.patch(url, {"title": "改了"}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == expected
    assert JointMeeting.objects.get(pk=meeting.pk).title == meeting.title


def _publish(meeting, world):
    services.meeting_transition(meeting=meeting, actor=world.admin_here, action="hold")
    if not hasattr(JointMeeting.objects.get(pk=meeting.pk), "outcome"):
        services.meeting_outcome_save(meeting=meeting, actor=world.admin_here, text="已协商。")
    services.meeting_transition(meeting=meeting, actor=world.admin_here, action="publish")


def test_a_published_meeting_is_not_edited_until_withdrawn(api, openapi, world, meeting):
    _publish(meeting, world)
    api.force_authenticate(world.admin_here)
    url = f"{LIST}{meeting.pk}/"
    response = api.patch(url, {"title": "改了"}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 409 and "withdraw it first" in response.json()["detail"]


def test_a_decision_is_removed_and_gone_from_the_meeting(api, openapi, world, meeting):
    decision = _decision(meeting, world)
    kept = _decision(meeting, world, text="街道协调资金")
    api.force_authenticate(world.admin_here)
    url = f"{LIST}{meeting.pk}/decisions/{decision.pk}/"
    response = api.delete(url)
    openapi.check("delete", url, response)
    assert response.status_code == 204
    texts = [d["text"] for d in api.get(f"{LIST}{meeting.pk}/").json()["decisions"]]
    assert texts == [kept.text]
    assert not MeetingDecision.objects.filter(pk=decision.pk).exists()


def test_removing_a_decision_is_refused_to_planners_after_publishing_and_elsewhere(
    api, openapi, world, meeting
):
    decision = _decision(meeting, world)
    url = f"{LIST}{meeting.pk}/decisions/{decision.pk}/"
    api.force_authenticate(world.planner)
    response = api.delete(url)
    openapi.check("delete", url, response)
    assert response.status_code == 403
    api.force_authenticate(world.admin_here)
    missing = f"{LIST}{meeting.pk}/decisions/987654/"
    response = api.delete(missing)
    openapi.check("delete", missing, response)
    assert response.status_code == 404
    _publish(meeting, world)
    response = api.delete(url)
    openapi.check("delete", url, response)
    assert response.status_code == 409
    assert MeetingDecision.objects.filter(pk=decision.pk).exists()


def test_an_outcome_photo_is_removed_with_its_files(
    api, openapi, world, meeting, settings, django_capture_on_commit_callbacks
):
    photo = _photo(meeting, world)
    files = [
        Path(settings.MEDIA_ROOT) / photo.file.name,
        Path(settings.MEDIA_ROOT) / photo.thumbnail.name,
    ]
    assert all(f.exists() for f in files)
    api.force_authenticate(world.admin_here)
    url = f"{LIST}{meeting.pk}/outcome/photos/{photo.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(url)
    openapi.check("delete", url, response)
    assert response.status_code == 204
    assert api.get(f"{LIST}{meeting.pk}/").json()["outcome"]["photos"] == []
    assert not MeetingOutcomePhoto.objects.filter(pk=photo.pk).exists()
    assert not any(f.exists() for f in files)


def test_removing_a_photo_is_refused_to_planners_and_once_published(api, openapi, world, meeting):
    photo = _photo(meeting, world)
    url = f"{LIST}{meeting.pk}/outcome/photos/{photo.pk}/"
    api.force_authenticate(world.planner)
    response = api.delete(url)
    openapi.check("delete", url, response)
    assert response.status_code == 403
    _publish(meeting, world)
    api.force_authenticate(world.admin_here)
    response = api.delete(url)
    openapi.check("delete", url, response)
    assert response.status_code == 409
    assert MeetingOutcomePhoto.objects.filter(pk=photo.pk).exists()
