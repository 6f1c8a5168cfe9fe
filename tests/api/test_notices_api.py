"""The notice board through /api/v1/notices/: public reads, drafting and approval steps."""

# `world` is a fixture imported from the app's tests: test parameters shadow it by design.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from apps.notices import services
from apps.notices.models import Notice, NoticeEvent
from tests.notices.conftest import media_in_tmp, world  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notices/"


def _notice(world, *, section="government", title="停水通知", status="draft") -> Notice:
    """A notice drafted by the grid worker and moved through the service up to `status`."""
    notice = services.notice_create(
        actor=world.grid_worker,
        community=world.community,
        section=section,
        title=title,
        body="明天 9:00–12:00 停水。",
    )
    if status in ("submitted", "published"):
        notice = services.notice_transition(notice=notice, action="submit", actor=world.grid_worker)
    if status == "published":
        notice = services.notice_transition(notice=notice, action="approve", actor=world.admin)
    return notice


def _transition(api, notice, action, note=""):
    return api.post(f"{LIST}{notice.pk}/transitions/", {"action": action, "note": note})


def test_anyone_reads_a_communitys_published_notices_but_not_its_drafts(api, openapi, world):
    published = _notice(world, status="published")
    draft = _notice(world, title="草稿")
    url = f"{LIST}?community={world.community.code}"
    response = api.get(url)
    openapi.check("get", url, response)
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [published.pk] and draft.pk not in {r["id"] for r in rows}
    assert rows[0]["title"] == "停水通知" and rows[0]["status_label"] == "Published"


def test_the_notice_list_filters_by_section(api, openapi, world):
    _notice(world, status="published")
    finance = _notice(world, section="finance", title="财务公开", status="published")
    url = f"{LIST}?community={world.community.code}&section=finance"
    response = api.get(url)
    openapi.check("get", url, response)
    assert [r["id"] for r in response.json()["results"]] == [finance.pk]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Give a community code."),
        ("?community=NOPE", "There is no community with that code."),
    ],
)
def test_listing_notices_without_a_known_community_says_what_is_missing(
    api, openapi, world, query, message
):
    response = api.get(f"{LIST}{query}")
    openapi.check("get", f"{LIST}{query}", response)
    assert response.status_code == 400
    assert response.json()["errors"]["community"] == [message]


def test_the_notice_list_takes_a_fixed_number_of_queries(api, world, django_assert_max_num_queries):
    for n in range(5):
        _notice(world, title=f"通知 {n}", status="published")
    with django_assert_max_num_queries(4):
        response = api.get(f"{LIST}?community={world.community.code}")
    assert len(response.json()["results"]) == 5


def test_a_draft_is_hidden_from_residents_and_open_to_the_communitys_staff(api, openapi, world):
    draft = _notice(world)
    url = f"{LIST}{draft.pk}/"
    api.force_authenticate(world.resident)
    response = api.get(url)
    openapi.check("get", url, response)
    assert response.status_code == 404
    api.force_authenticate(world.property_staff)
    response = api.get(url)
    openapi.check("get", url, response)
    assert response.json()["status"] == "draft"


def test_a_grid_worker_drafts_a_notice_and_the_draft_is_recorded(api, openapi, world):
    api.force_authenticate(world.grid_worker)
    body = {
        "community": world.community.code,
        "section": "party",
        "title": " 党员活动 ",
        "body": "周六上午集中学习。",
    }
    response = api.post(LIST, body, format="json")
    openapi.check("post", LIST, response)
    assert response.status_code == 201
    notice = Notice.objects.get(pk=response.json()["id"])
    assert notice.title == "党员活动" and notice.status == "draft"
    assert NoticeEvent.objects.filter(notice=notice, action="create").exists()


def test_a_resident_may_not_draft_a_notice_and_nothing_is_saved(api, openapi, world):
    api.force_authenticate(world.resident)
    body = {"community": world.community.code, "section": "party", "title": "x", "body": "y"}
    response = api.post(LIST, body, format="json")
    openapi.check("post", LIST, response)
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the community's staff draft notices."
    assert not Notice.objects.filter(community=world.community).exists()


def test_a_notice_without_a_title_is_refused_with_the_fields_message(api, openapi, world):
    api.force_authenticate(world.grid_worker)
    body = {"community": world.community.code, "section": "party", "title": " ", "body": "y"}
    response = api.post(LIST, body, format="json")
    openapi.check("post", LIST, response)
    assert response.status_code == 400
    assert "title" in response.json()["errors"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 403),
        ("resident", 404),
        ("grid_worker", 403),
        ("property_staff", 403),
        ("other_community_admin", 404),
        ("community_admin", 200),
    ],
)
def test_only_the_communitys_admin_approves_a_submitted_notice(api, openapi, world, who, expected):
    notice = _notice(world, status="submitted")
    person = world.people()[who]
    if person is not None:
        api.force_authenticate(person)
    response = _transition(api, notice, "approve")
    openapi.check("post", f"{LIST}{notice.pk}/transitions/", response)
    assert response.status_code == expected
    notice.refresh_from_db()
    assert notice.status == ("published" if expected == 200 else "submitted")


def test_approving_publishes_the_notice_and_records_who_did_it(api, openapi, world):
    notice = _notice(world, status="submitted")
    api.force_authenticate(world.admin)
    response = _transition(api, notice, "approve")
    openapi.check("post", f"{LIST}{notice.pk}/transitions/", response)
    assert response.json() == {"id": notice.pk, "status": "published", "action": "approve"}
    event = NoticeEvent.objects.get(notice=notice, action="approve")
    assert event.actor == world.admin and event.actor_role == "community_admin"


def test_approving_a_published_notice_again_is_a_conflict(api, openapi, world):
    notice = _notice(world, status="published")
    api.force_authenticate(world.admin)
    response = _transition(api, notice, "approve")
    openapi.check("post", f"{LIST}{notice.pk}/transitions/", response)
    assert response.status_code == 409
    assert response.json()["detail"] == "This cannot be done any more: it is now “Published”."


def test_withdrawing_a_notice_needs_a_note(api, openapi, world):
    notice = _notice(world, status="published")
    api.force_authenticate(world.admin)
    response = _transition(api, notice, "withdraw")
    openapi.check("post", f"{LIST}{notice.pk}/transitions/", response)
    assert response.status_code == 400
    assert response.json()["detail"] == "Add a note saying why."
    response = _transition(api, notice, "withdraw", note="内容有误")
    assert response.json()["status"] == "withdrawn"
