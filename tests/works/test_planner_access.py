"""Who may see and do what on the works pages: the permission matrix, scoped by community."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.works.workflow import WorkStatus

from .conftest import make_work

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "resident",
    "grid_worker",
    "planner",
    "admin_here",
    "admin_other",
    "superuser",
]
# What each person gets on a page about a work of "here": 302 to sign in, 403 not a
# planner, 404 not in their communities, 200 fine.
PAGE = {
    "anonymous": 302,
    "resident": 403,
    "grid_worker": 403,
    "planner": 200,
    "admin_here": 200,
    "admin_other": 404,
    "superuser": 200,
}
LIST = {**PAGE, "admin_other": 200}  # the list itself is open to every planner
CHANGE = {**PAGE, "planner": 302, "admin_here": 302, "superuser": 302}  # done: back to the page


def client_for(world, who):
    client = Client()
    person = world.person(who)
    if person is not None:
        client.force_login(person)
    return client


@pytest.fixture
def work(world):
    return make_work(world.here, status=WorkStatus.PROPOSED, name="这里的工程")


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("url_name", ["works:planner", "works:export-csv", "works:export-geojson"])
def test_the_works_list_and_its_exports_are_for_planners_and_community_admins(
    world, work, who, url_name
):
    response = client_for(world, who).get(reverse(url_name))
    assert response.status_code == LIST[who]
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", PEOPLE)
def test_a_works_page_is_open_to_the_planners_of_its_community(world, work, who):
    response = client_for(world, who).get(reverse("works:detail", args=[work.pk]))
    assert response.status_code == PAGE[who]
    if PAGE[who] == 200:
        assert "这里的工程" in response.content.decode()


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_planners_of_its_community_can_move_a_work(world, work, who):
    response = client_for(world, who).post(
        reverse("works:transition", args=[work.pk]), {"action": "approve"}
    )
    assert response.status_code == CHANGE[who]
    work.refresh_from_db()
    expected = (
        WorkStatus.APPROVED if CHANGE[who] == 302 and who != "anonymous" else WorkStatus.PROPOSED
    )
    assert work.status == expected


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_planners_of_its_community_can_record_progress(world, work, who):
    response = client_for(world, who).post(
        reverse("works:progress", args=[work.pk]), {"on": "2024-07-01", "percent": "40"}
    )
    assert response.status_code == CHANGE[who]
    recorded = work.progress_updates.filter(percent=40).exists()
    assert recorded == (CHANGE[who] == 302 and who != "anonymous")


def test_a_community_admin_of_another_community_does_not_see_the_work_listed(world, work):
    other = make_work(world.other, name="那边的工程")
    page = client_for(world, "admin_other").get(reverse("works:planner")).content.decode()
    assert "那边的工程" in page and "这里的工程" not in page
    assert other.pk


def test_a_resident_is_told_why_the_page_is_closed_in_their_language(world):
    client = client_for(world, "resident")
    response = client.get(reverse("works:planner"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "planners and community admins" in response.content.decode()


def test_pages_that_change_things_refuse_get(world, work):
    response = client_for(world, "planner").get(reverse("works:transition", args=[work.pk]))
    assert response.status_code == 405
