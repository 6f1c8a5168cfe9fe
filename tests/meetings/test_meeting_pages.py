"""The meeting pages: who may see and do what, the 409 of a refused step, and the outcome
on the reports' tracking pages once published."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse

from apps.meetings import services
from apps.meetings.models import JointMeeting, MeetingStatus
from tests.figures.world import PEOPLE

from .conftest import png_bytes

pytestmark = pytest.mark.django_db

# 302: to sign in; 403: no meeting pages for them; 404: not in their communities.
LIST = {
    "anonymous": 302,
    "resident": 403,
    "grid_worker": 403,
    "planner": 200,
    "admin_here": 200,
    "admin_other": 200,
    "superuser": 200,
}
PAGE = {**LIST, "admin_other": 404}
# A change: done (302 back to the page) for the community's admins and superusers.
CHANGE = {**PAGE, "planner": 403, "admin_here": 302, "superuser": 302}


def test_the_meeting_list_shows_the_meetings_of_ones_communities(world, meeting):
    assert (
        "测试季度联席会议"
        in world.client("admin_here").get(reverse("meetings:index")).content.decode()
    )
    assert (
        "测试季度联席会议"
        not in world.client("admin_other").get(reverse("meetings:index")).content.decode()
    )


@pytest.mark.parametrize("who", PEOPLE)
def test_the_meeting_list_is_for_community_admins_and_planners(world, meeting, who):
    response = world.client(who).get(reverse("meetings:index"))
    assert response.status_code == LIST[who]
    if who == "anonymous":
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("who", PEOPLE)
def test_a_meeting_page_is_open_to_the_admins_and_planners_of_its_community(world, meeting, who):
    response = world.client(who).get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == PAGE[who]
    if PAGE[who] == 200:
        assert "测试季度联席会议" in response.content.decode()


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_communitys_admins_can_move_a_meeting(world, meeting, who):
    response = world.client(who).post(reverse("meetings:transition", args=[meeting.pk, "hold"]))
    assert response.status_code == CHANGE[who]
    meeting.refresh_from_db()
    expected = (
        MeetingStatus.HELD if CHANGE[who] == 302 and who != "anonymous" else MeetingStatus.DRAFT
    )
    assert meeting.status == expected


# Calling a meeting of "here": admin_other may only choose their own community (400).
CREATE = {**CHANGE, "admin_other": 400}


@pytest.mark.parametrize("who", PEOPLE)
def test_only_community_admins_can_call_a_meeting(world, who):
    data = {"community": world.here.pk, "title": "新的会议", "date": "2024-05-20"}
    response = world.client(who).post(reverse("meetings:index"), data)
    assert response.status_code == CREATE[who]
    created = JointMeeting.objects.filter(title="新的会议").first()
    if who in ("admin_here", "superuser"):
        assert created is not None and created.community == world.here
    else:
        assert created is None


def test_an_admin_cannot_call_a_meeting_of_another_community(world):
    data = {"community": world.other.pk, "title": "别处的会", "date": "2024-05-20"}
    response = world.client("admin_here").post(reverse("meetings:index"), data)
    assert response.status_code == 400
    assert not JointMeeting.objects.filter(title="别处的会").exists()


def test_a_step_the_table_refuses_is_a_409_with_a_message(world, meeting):
    response = world.client("admin_here").post(
        reverse("meetings:transition", args=[meeting.pk, "publish"])
    )
    assert response.status_code == 409
    assert "草稿" in response.content.decode() or "Draft" in response.content.decode()


def test_agenda_search_finds_reports_by_words_and_adds_one(world, meeting):
    from tests.figures.world import file_report

    other = file_report(meeting.created_at, description="牛津街停车位不够。")
    client = world.client("admin_here")
    page = client.get(reverse("meetings:detail", args=[meeting.pk]), {"q": "停车位"})
    assert other.code in page.content.decode()
    response = client.post(
        reverse("meetings:agenda-add", args=[meeting.pk]), {"report": other.pk, "note": "车位"}
    )
    assert response.status_code == 302
    assert meeting.agenda_items.filter(report=other, note="车位").exists()


def test_a_decision_with_a_bad_amount_is_a_400_that_keeps_what_was_typed(world, meeting):
    response = world.client("admin_here").post(
        reverse("meetings:decision-add", args=[meeting.pk]),
        {"text": "物业出资大修电梯。", "amount": "-5"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "物业出资大修电梯。" in content
    assert 'role="alert"' in content
    assert not meeting.decisions.exists()


def _publish_through_the_pages(client, meeting, report, developer):
    client.post(
        reverse("meetings:decision-add", args=[meeting.pk]),
        {
            "text": "开发商出资重建围墙。",
            "report": report.pk,
            "payer": developer.pk,
            "amount": "2000000",
            "due_date": "2024-06-30",
        },
    )
    client.post(
        reverse("meetings:outcome", args=[meeting.pk]),
        {
            "text": "联席会议议定：围墙由开发商出资重建。",
            "caption": "会议现场",
            "photos": [SimpleUploadedFile("meeting.png", png_bytes())],
        },
    )
    client.post(reverse("meetings:transition", args=[meeting.pk, "hold"]))
    return client.post(reverse("meetings:transition", args=[meeting.pk, "publish"]))


def test_a_published_outcome_appears_on_the_reports_tracking_page(
    world, meeting, report, developer, client
):
    track = reverse("reports:track", args=[report.code])
    response = _publish_through_the_pages(world.client("admin_here"), meeting, report, developer)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED
    page = client.get(track).content.decode()
    assert "联席会议议定：围墙由开发商出资重建。" in page
    assert "开发商出资重建围墙。" in page
    assert "2,000,000" in page and developer.name in page
    photo = meeting.outcome.photos.get()
    assert reverse("meetings:photo", args=[photo.pk, "thumb"]) in page
    assert client.get(reverse("meetings:photo", args=[photo.pk, "thumb"])).status_code == 200


def test_an_unpublished_outcome_stays_off_the_tracking_page_and_its_photos_private(
    world, meeting, report, client
):
    services.meeting_outcome_save(
        meeting=meeting,
        actor=world.admin_here,
        text="草拟的结果，尚未公布。",
        photos=[SimpleUploadedFile("draft.png", png_bytes())],
    )
    page = client.get(reverse("reports:track", args=[report.code])).content.decode()
    assert "草拟的结果" not in page
    photo = meeting.outcome.photos.get()
    url = reverse("meetings:photo", args=[photo.pk, "full"])
    assert client.get(url).status_code == 404
    assert world.client("admin_here").get(url).status_code == 200


def test_the_tracking_page_takes_few_queries_for_the_outcomes(
    world, meeting, report, developer, client, django_assert_max_num_queries
):
    _publish_through_the_pages(world.client("admin_here"), meeting, report, developer)
    track = reverse("reports:track", args=[report.code])
    client.get(track)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(track)
    ours = [q for q in queries.captured_queries if "meetings_" in q["sql"]]
    assert len(ours) <= 4  # meetings, organisations, decisions, photos


def test_the_history_shows_who_moved_the_meeting_in_which_role(world, meeting):
    world.client("admin_here").post(reverse("meetings:transition", args=[meeting.pk, "hold"]))
    page = world.client("planner").get(reverse("meetings:detail", args=[meeting.pk]))
    content = page.content.decode()
    assert str(world.admin_here) in content
    # Planners follow meetings read-only: no buttons to change them.
    assert 'data-action="publish"' not in content
    assert "outcome-form" not in content


def test_the_meeting_list_takes_the_same_queries_for_one_meeting_or_many(
    world, meeting, django_assert_max_num_queries
):
    client = world.client("admin_here")
    client.get(reverse("meetings:index"))
    for n in range(8):
        services.meeting_create(
            actor=world.admin_here, community=world.here, title=f"会议 {n}", date=meeting.date
        )
    # Session, user, messages, roles (x3), count and page of meetings, community choices.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("meetings:index"))
    assert response.content.decode().count("data-meeting-id") == 9
