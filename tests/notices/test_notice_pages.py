"""Who may open the notice pages and take which action (the permission matrix)."""

import pytest

from apps.notices.models import Notice
from apps.notices.services import notice_create, notice_transition

from .conftest import client_for

PEOPLE = [
    "anonymous",
    "resident",
    "property_staff",
    "community_admin",
    "other_community_admin",
    "grid_worker",
]


def submitted(world):
    notice = notice_create(
        actor=world.grid_worker,
        community=world.community,
        section="party",
        title="党员活动日",
        body="7月1日。",
    )
    return notice_transition(notice=notice, action="submit", actor=world.grid_worker)


@pytest.mark.parametrize("who", PEOPLE)
def test_the_boards_and_feeds_are_open_to_everyone(world, who):
    client = client_for(world.people()[who])
    code = world.community.code
    for url in (
        "/notices/",
        f"/notices/{code}/",
        f"/notices/{code}/rss/",
        f"/notices/{code}/atom/",
    ):
        assert client.get(url).status_code == 200, url


# who → (GET /notices/desk/, POST a new draft)
DESK = {
    "anonymous": (302, 302),
    "resident": (403, 403),
    "property_staff": (200, 302),
    "community_admin": (200, 302),
    "other_community_admin": (200, 400),  # has a desk, but not for this community
    "grid_worker": (200, 302),
}


@pytest.mark.parametrize(("who", "statuses"), DESK.items())
def test_the_communitys_staff_draft_notices(world, who, statuses):
    client = client_for(world.people()[who])
    assert client.get("/notices/desk/").status_code == statuses[0]
    response = client.post(
        "/notices/desk/new/",
        {"community": world.community.pk, "section": "party", "title": "草稿", "body": "正文"},
    )
    assert response.status_code == statuses[1]
    assert Notice.objects.filter(title="草稿").exists() == (
        statuses[1] == 302 and who != "anonymous"
    )


# who → (GET the submitted notice at the desk, POST "approve", public page afterwards)
APPROVE = {
    "anonymous": (302, 302, 404),
    "resident": (404, 404, 404),
    "property_staff": (200, 403, 404),
    "community_admin": (200, 302, 200),
    "other_community_admin": (404, 404, 404),
    "grid_worker": (200, 403, 404),
}


@pytest.mark.parametrize(("who", "statuses"), APPROVE.items())
def test_only_the_communitys_admin_approves_and_only_then_is_it_public(world, who, statuses):
    notice = submitted(world)
    client = client_for(world.people()[who])
    assert client.get(f"/notices/desk/{notice.pk}/").status_code == statuses[0]
    assert (
        client.post(f"/notices/desk/{notice.pk}/change/", {"action": "approve"}).status_code
        == (statuses[1])
    )
    public = client_for(None).get(f"/notices/{world.community.code}/{notice.pk}/")
    assert public.status_code == statuses[2]


def test_staff_see_their_communitys_draft_on_its_public_address_residents_do_not(world):
    notice = submitted(world)
    url = f"/notices/{world.community.code}/{notice.pk}/"
    assert client_for(world.admin).get(url).status_code == 200
    assert client_for(world.resident).get(url).status_code == 404


def test_a_notice_under_another_communitys_code_is_a_404(world):
    notice = submitted(world)
    notice_transition(notice=notice, action="approve", actor=world.admin)
    assert (
        client_for(None).get(f"/notices/{world.other_community.code}/{notice.pk}/").status_code
        == 404
    )


def test_an_unknown_section_is_a_400(world):
    assert (
        client_for(None).get(f"/notices/{world.community.code}/?section=sports").status_code == 400
    )


def test_the_board_reads_a_constant_number_of_queries(world, django_assert_max_num_queries):
    for n in range(25):
        notice = notice_create(
            actor=world.grid_worker,
            community=world.community,
            section="government",
            title=f"通知 {n}",
            body="正文",
        )
        notice_transition(notice=notice, action="submit", actor=world.grid_worker)
        notice_transition(notice=notice, action="approve", actor=world.admin)
    with django_assert_max_num_queries(6):
        response = client_for(None).get(f"/notices/{world.community.code}/")
    assert response.content.decode().count('data-section="government"') == 20  # one page


# who → status of POSTing an attachment to the grid worker's draft
ATTACH = {
    "anonymous": 302,
    "resident": 404,
    "property_staff": 403,  # staff here, but not the author
    "community_admin": 302,
    "other_community_admin": 404,
    "grid_worker": 302,  # the author
}


@pytest.mark.parametrize(("who", "status"), ATTACH.items())
def test_the_author_and_the_admin_attach_files_to_a_draft(world, who, status):
    from django.core.files.uploadedfile import SimpleUploadedFile

    notice = notice_create(
        actor=world.grid_worker,
        community=world.community,
        section="party",
        title="草稿",
        body="正文",
    )
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
    response = client_for(world.people()[who]).post(
        f"/notices/desk/{notice.pk}/attach/", {"attachments": [pdf]}
    )
    assert response.status_code == status
    assert notice.attachments.exists() == (status == 302 and who != "anonymous")
