"""After signing in, each person lands where their work is; a safe ?next= wins."""

import pytest

from apps.accounts.home import home_url_for
from apps.accounts.models import Membership, User
from apps.accounts.roles import Role
from apps.regions.models import Community
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "gridmap-demo"  # the demo accounts' password (README, "Demo logins")

# Demo login → the page of their work.
HOMES = [
    ("gridworker", "/me/"),  # what was sent to her, her grids, tonight's patrol
    ("communityadmin", "/reports/"),  # the queue
    ("planner", "/works/"),  # works and programmes
    ("property", "/me/"),  # what is dispatched to them, and the joint patrols
    ("police", "/me/"),
    ("partymember", "/me/"),
    ("admin", "/reports/"),  # a superuser oversees every community's reports
    ("resident", "/my/reports/"),  # the demo resident has filed reports
]


def sign_in(client, username: str, **extra):
    return client.post(
        "/accounts/login/", {"username": username, "password": DEMO_PASSWORD, **extra}
    )


@pytest.mark.parametrize(("username", "home"), HOMES)
def test_each_role_lands_on_the_page_of_its_work_after_signing_in(client, username, home):
    response = sign_in(client, username)
    assert response.status_code == 302
    assert response["Location"] == home
    assert client.get(home).status_code == 200  # and that page opens for them


@pytest.mark.parametrize(("username", "home"), HOMES)
def test_the_home_function_names_the_same_page_for_each_demo_login(username, home):
    assert home_url_for(User.objects.get(username=username)) == home


def test_a_resident_without_reports_lands_on_the_report_form_and_after_one_on_their_reports():
    from apps.reports.models import Report

    person = make_user(display_name="新居民")
    make_member(Community.objects.get(code="DR"), user=person, role=Role.RESIDENT, staff=False)
    assert home_url_for(person) == "/report/"

    Report.objects.filter(pk=Report.objects.order_by("pk").first().pk).update(reporter=person)
    assert home_url_for(person) == "/my/reports/"


def test_a_person_with_no_role_at_all_lands_on_the_report_form():
    assert home_url_for(make_user(display_name="刚注册")) == "/report/"


def test_a_community_admin_who_also_plans_lands_on_the_queue():
    person = make_user(display_name="兼职")
    community = Community.objects.get(code="DR")
    make_member(community, user=person, role=Role.PLANNER)
    make_member(community, user=person, role=Role.COMMUNITY_ADMIN)
    assert home_url_for(person) == "/reports/"


def test_an_ended_membership_no_longer_decides_the_home():
    person = User.objects.get(username="gridworker")
    Membership.objects.filter(user=person, role=Role.GRID_WORKER).update(is_active=False)
    assert home_url_for(person) != "/me/"


def test_anonymous_visitors_have_the_map_as_their_home():
    from django.contrib.auth.models import AnonymousUser

    assert home_url_for(AnonymousUser()) == "/map/"


def test_a_same_site_next_wins_over_the_role_home(client):
    response = sign_in(client, "gridworker", next="/patrols/calendar/?week=2")
    assert response["Location"] == "/patrols/calendar/?week=2"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "https:///evil.example",
    ],
)
def test_a_next_leading_off_the_site_is_ignored_and_the_role_home_is_used(client, next_url):
    response = sign_in(client, "gridworker", next=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/me/"


def test_a_next_from_the_sign_in_link_in_the_header_brings_a_person_back(client):
    page = client.get("/facilities/").content.decode()
    assert "/accounts/login/?next=/facilities/" in page
    response = sign_in(client, "planner", next="/facilities/")
    assert response["Location"] == "/facilities/"


def test_a_wrong_password_still_shows_the_sign_in_page_and_lands_nowhere(client):
    response = client.post("/accounts/login/", {"username": "gridworker", "password": "no"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_front_door_is_the_map_for_visitors_and_the_work_page_for_a_grid_worker(client):
    assert client.get("/")["Location"] == "/map/"
    client.login(username="gridworker", password=DEMO_PASSWORD)
    assert client.get("/")["Location"] == "/me/"
