"""What the holder of a tracking code sees and does through /api/v1/tracking/, "me too" on
reports, and the report categories."""

from __future__ import annotations

import pytest

from apps.reports.models import Category
from apps.reports.states import Action, Status
from tests.reports.report_helpers import perform

pytestmark = pytest.mark.django_db

TRACKING = "/api/v1/tracking/"


def test_the_timeline_names_roles_and_organisations_never_people(api, openapi, area, make_report):
    report = make_report(Status.SUBMITTED)
    perform(Action.ACCEPT, report, area.people.worker, area, note="内部备注")
    perform(Action.DISPATCH, report, area.people.admin, area)
    url = f"{TRACKING}{report.code}/timeline/"
    response = api.get(url)
    openapi.check("get", url, response)
    steps = {step["action"]: step for step in response.json()}
    assert steps["accept"]["role_label"] == "Grid worker"
    assert steps["dispatch"]["target"] == "测试物业公司"
    assert steps["accept"]["note"] == ""  # notes of internal steps stay internal
    body = response.content.decode()
    for person in vars(area.people).values():
        assert person.username not in body
        if person.display_name:
            assert person.display_name not in body


def test_an_unknown_tracking_code_is_not_found(api, openapi, db):
    url = f"{TRACKING}NOPE1234/"
    response = api.get(url)
    openapi.check("get", url, response)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_resident_confirms_a_handled_fix_which_verifies_it(api, openapi, make_report):
    report = make_report(Status.HANDLED)
    url = f"{TRACKING}{report.code}/confirm/"
    response = api.post(url, {"note": "谢谢"})
    openapi.check("post", url, response)
    assert response.status_code == 200
    assert response.json()["status"] == Status.VERIFIED
    assert response.json()["status_label"] == "Verified"


def test_confirming_a_report_nobody_has_handled_is_a_conflict(api, openapi, make_report):
    report = make_report(Status.SUBMITTED)
    url = f"{TRACKING}{report.code}/confirm/"
    response = api.post(url)
    openapi.check("post", url, response)
    assert response.status_code == 409
    assert "cannot be done from there" in response.json()["detail"]
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_the_resident_disputes_a_handled_fix_and_it_goes_back_for_rework(api, openapi, make_report):
    report = make_report(Status.HANDLED)
    url = f"{TRACKING}{report.code}/dispute/"
    response = api.post(url, {"note": "还是不亮"})
    openapi.check("post", url, response)
    assert response.json()["status"] == Status.DISPATCHED
    report.refresh_from_db()
    assert report.rework_count == 1


def test_a_dispute_without_a_reason_is_refused_and_changes_nothing(api, openapi, make_report):
    report = make_report(Status.HANDLED)
    url = f"{TRACKING}{report.code}/dispute/"
    response = api.post(url, {"note": " "})
    openapi.check("post", url, response)
    assert response.status_code == 400
    assert response.json()["detail"] == "Write a note for this step: it is required."
    report.refresh_from_db()
    assert report.status == Status.HANDLED


def test_me_too_counts_once_per_person(api, openapi, area, make_report):
    report = make_report(Status.ACCEPTED)
    url = f"/api/v1/reports/{report.pk}/me-too/"
    api.force_authenticate(area.people.resident)
    first = api.post(url)
    openapi.check("post", url, first)
    assert first.json() == {"id": report.pk, "me_too_count": 1, "counted": True}
    again = api.post(url)
    assert again.json() == {"id": report.pk, "me_too_count": 1, "counted": False}


def test_me_too_on_a_closed_report_is_a_conflict(api, openapi, make_report):
    report = make_report(Status.CLOSED)
    url = f"/api/v1/reports/{report.pk}/me-too/"
    response = api.post(url)
    openapi.check("post", url, response)
    assert response.status_code == 409
    assert response.json()["detail"] == "This report is “Closed” and no longer takes “me too”s."


def test_report_categories_list_the_active_ones_in_form_order(
    api, openapi, db, django_assert_max_num_queries
):
    Category.objects.filter(code="repair").update(is_active=False)
    url = "/api/v1/report-categories/"
    with django_assert_max_num_queries(3):
        response = api.get(url)
    openapi.check("get", url, response)
    codes = [row["code"] for row in response.json()["results"]]
    expected = Category.objects.filter(is_active=True).order_by("sort_order", "pk")
    assert codes == list(expected.values_list("code", flat=True)) and "repair" not in codes
