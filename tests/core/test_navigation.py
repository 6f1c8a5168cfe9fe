"""The header offers each person the pages their roles use, and no page that would refuse them."""

import re

import pytest

pytestmark = pytest.mark.django_db

PUBLIC = {"/map/", "/report/", "/facilities/", "/station/", "/notices/"}


def nav_links(client) -> set[str]:
    page = client.get("/map/").content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', page, re.S)
    assert nav, "the page has no main navigation"
    return set(re.findall(r'href="([^"]+)"', nav.group(0)))


def test_anonymous_visitors_are_offered_the_public_pages_only(client):
    assert nav_links(client) == PUBLIC


def test_a_resident_gets_their_reports_but_no_staff_pages(client):
    client.login(username="resident", password="gridmap-demo")
    assert nav_links(client) == PUBLIC | {"/my/reports/"}


def test_a_grid_worker_gets_their_area_the_console_and_patrols(client):
    client.login(username="gridworker", password="gridmap-demo")
    links = nav_links(client)
    assert {"/me/", "/reports/", "/patrols/"} <= links
    assert "/figures/" not in links and "/works/" not in links


def test_a_community_admin_gets_the_management_pages(client):
    client.login(username="communityadmin", password="gridmap-demo")
    assert {"/reports/", "/works/", "/figures/", "/meetings/"} <= nav_links(client)


def test_every_page_offered_to_a_person_opens_for_them(client):
    for username in ("resident", "gridworker", "property", "police", "planner", "communityadmin"):
        client.logout()
        client.login(username=username, password="gridmap-demo")
        for url in nav_links(client):
            status = client.get(url).status_code
            assert status == 200, f"{username} is offered {url} but gets {status}"
