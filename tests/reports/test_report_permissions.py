"""Who may take which step, and open which page: each role × each action and page.

The report lies in grid G1 of the test community and, for the steps after dispatch, is
dispatched to the property company, so property staff are its assignee.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from apps.reports.states import Action, Status
from tests.reports.report_helpers import perform

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "worker",  # grid worker of the report's grid
    "worker_east",  # grid worker of the other grid
    "property",  # property staff of the company the report is dispatched to
    "police",
    "party",
    "planner",
    "admin",  # community admin
    "outsider",  # community admin of another community
    "superuser",
]
# The status each staff action is taken from in this matrix.
FROM = {
    Action.ACCEPT: Status.SUBMITTED,
    Action.REJECT: Status.SUBMITTED,
    Action.DISPATCH: Status.ACCEPTED,
    Action.START: Status.DISPATCHED,
    Action.HANDLE: Status.IN_PROGRESS,
    Action.VERIFY: Status.HANDLED,
    Action.FAIL_VERIFICATION: Status.HANDLED,
    Action.CLOSE: Status.VERIFIED,
    Action.DEFER: Status.IN_PROGRESS,
}
OVERSEERS = {"worker", "admin", "superuser"}
ALLOWED = {
    Action.ACCEPT: OVERSEERS,
    Action.REJECT: OVERSEERS,
    Action.DISPATCH: OVERSEERS,
    Action.START: {"property", "admin", "superuser"},
    Action.HANDLE: {"property", "admin", "superuser"},
    Action.VERIFY: OVERSEERS,
    Action.FAIL_VERIFICATION: OVERSEERS,
    Action.CLOSE: {"admin", "superuser"},
    Action.DEFER: {"admin", "superuser"},
}
MATRIX = [(action, role) for action in FROM for role in ROLES]


def person(area, role):
    if role == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return getattr(area.people, role)


@pytest.mark.parametrize(("action", "role"), MATRIX)
def test_each_role_may_take_only_its_own_steps(area, make_report, action, role):
    report = make_report(FROM[action])
    actor = person(area, role)

    if role in ALLOWED[action]:
        assert perform(action, report, actor, area).status != FROM[action] or action in (
            Action.DEFER,
        )
    else:
        with pytest.raises(PermissionDenied):
            perform(action, report, actor, area)
        report.refresh_from_db()
        assert report.status == FROM[action]
        assert not report.transitions.exists()


def test_property_staff_cannot_start_work_dispatched_to_someone_else(area, make_report):
    report = make_report(Status.DISPATCHED, dispatched_to_organisation=area.police_station)
    with pytest.raises(PermissionDenied):
        perform(Action.START, report, area.people.property, area)


def test_the_police_officer_may_handle_what_is_dispatched_to_them(area, make_report):
    report = make_report(
        Status.DISPATCHED, dispatched_to_organisation=None, dispatched_to_user=area.people.police
    )
    assert perform(Action.HANDLE, report, area.people.police, area).status == Status.HANDLED


def test_whoever_handled_a_report_cannot_verify_it_themselves(area, make_report):
    report = make_report(
        Status.DISPATCHED, dispatched_to_organisation=None, dispatched_to_user=area.people.worker
    )
    perform(Action.HANDLE, report, area.people.worker, area)

    with translation.override("en"), pytest.raises(PermissionDenied, match="someone else"):
        perform(Action.VERIFY, report, area.people.worker, area)
    assert perform(Action.VERIFY, report, area.people.admin, area).status == Status.VERIFIED


# --- pages ---------------------------------------------------------------------------------

# Expected status of each page per role: 200 shown, 302 sent to sign in, 403 refused,
# 404 not in their scope.
PAGES = {
    "report": dict.fromkeys(ROLES, 200),
    "track": dict.fromkeys(ROLES, 200),
    "mine": {**dict.fromkeys(ROLES, 200), "anonymous": 302},
    "notifications": {**dict.fromkeys(ROLES, 200), "anonymous": 302},
    "console": {
        **dict.fromkeys(ROLES, 200),
        "anonymous": 302,
        "resident": 403,
    },
    # The report is dispatched to the property company; others see it by area.
    "detail": {
        "anonymous": 302,
        "resident": 403,
        "worker": 200,
        "worker_east": 404,
        "property": 200,
        "police": 404,
        "party": 404,
        "planner": 200,
        "admin": 200,
        "outsider": 404,
        "superuser": 200,
    },
}


def page_url(name, report):
    if name == "track":
        return reverse("reports:track", args=[report.code])
    if name == "detail":
        return reverse("reports:detail", args=[report.pk])
    return reverse(f"reports:{name}")


@pytest.mark.parametrize(("page", "role"), [(p, r) for p in PAGES for r in ROLES])
def test_each_role_sees_the_pages_meant_for_it(client, area, make_report, page, role):
    report = make_report(Status.DISPATCHED)
    if role != "anonymous":
        client.force_login(person(area, role))

    response = client.get(page_url(page, report), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == PAGES[page][role]
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
    if page == "console" and role == "resident":
        assert "for community staff" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_parties_can_post_a_step_from_the_console(client, area, make_report, role):
    report = make_report(Status.SUBMITTED)
    if role != "anonymous":
        client.force_login(person(area, role))

    response = client.post(
        reverse("reports:act", args=[report.pk, Action.ACCEPT]), HTTP_ACCEPT_LANGUAGE="en"
    )

    expected = {
        "anonymous": 302,
        "resident": 403,
        "worker": 302,
        "worker_east": 404,
        "property": 404,
        "police": 404,
        "party": 404,
        "planner": 403,  # sees the report, may not act on it
        "admin": 302,
        "outsider": 404,
        "superuser": 302,
    }[role]
    assert response.status_code == expected
    report.refresh_from_db()
    accepted = role in OVERSEERS
    assert report.status == (Status.ACCEPTED if accepted else Status.SUBMITTED)
    if accepted:
        assert response["Location"] == reverse("reports:detail", args=[report.pk])
