"""Reports through /api/v1/: scope, paging, bbox, the writes, and their schema."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from apps.reports.models import Report, ReportTransition
from apps.reports.states import Status
from tests.reports.conftest import X0, Y0

pytestmark = pytest.mark.django_db

LIST = "/api/v1/reports/"


def test_anonymous_visitors_see_accepted_public_reports_without_private_fields(
    api, openapi, make_report
):
    waiting = make_report(Status.SUBMITTED)
    accepted = make_report(Status.ACCEPTED)
    response = api.get(LIST)
    openapi.check("get", LIST, response)
    ids = {f["id"] for f in response.json()["features"]}
    assert accepted.pk in ids and waiting.pk not in ids
    properties = response.json()["features"][0]["properties"]
    assert "description" not in properties and "code" not in properties


def test_community_admins_see_their_whole_scope_with_console_columns(
    api, openapi, area, make_report
):
    waiting = make_report(Status.SUBMITTED)
    api.force_authenticate(area.people.admin)
    response = api.get(LIST)
    openapi.check("get", LIST, response)
    feature = next(f for f in response.json()["features"] if f["id"] == waiting.pk)
    assert feature["properties"]["code"] == waiting.code
    assert feature["properties"]["description"] == "测试：路灯不亮"


def test_outsiders_do_not_see_another_communitys_waiting_reports(api, area, make_report):
    waiting = make_report(Status.SUBMITTED)
    api.force_authenticate(area.people.outsider)
    ids = {f["id"] for f in api.get(LIST).json()["features"]}
    assert waiting.pk not in ids


def test_report_list_pages_and_filters_by_bbox(api, openapi, area, make_report):
    west = make_report(Status.ACCEPTED, lonlat=area.west)
    east = make_report(Status.ACCEPTED, lonlat=area.east)
    api.force_authenticate(area.people.admin)
    box = f"{X0},{Y0},{X0 + 0.005},{Y0 + 0.005}"
    response = api.get(f"{LIST}?in_bbox={box}")
    openapi.check("get", LIST, response)
    ids = {f["id"] for f in response.json()["features"]}
    assert west.pk in ids and east.pk not in ids
    paged = api.get(f"{LIST}?page_size=1&community={area.community.pk}").json()
    assert paged["count"] == 2 and len(paged["features"]) == 1 and paged["next"]


def test_report_list_takes_a_fixed_number_of_queries(
    api, area, make_report, django_assert_max_num_queries
):
    for _ in range(5):
        make_report(Status.ACCEPTED)
    api.force_authenticate(area.people.admin)
    with django_assert_max_num_queries(8):
        assert api.get(LIST).status_code == 200


def test_a_resident_submits_a_report_and_gets_a_tracking_code(api, openapi, area, category):
    lon, lat = area.west
    body = {"category": category.code, "description": "路灯不亮", "lon": lon, "lat": lat}
    response = api.post(LIST, body, format="json")
    openapi.check("post", LIST, response)
    assert response.status_code == 201
    report = Report.objects.get(code=response.json()["code"])
    assert report.grid == area.g1 and report.status == Status.SUBMITTED


def test_a_report_outside_the_served_area_is_refused_with_the_reason(api, openapi, category):
    body = {"category": category.code, "description": "x", "lon": 100.0, "lat": 20.0}
    response = api.post(LIST, body, format="json")
    openapi.check("post", LIST, response)
    assert response.status_code == 400
    assert "outside the communities" in response.json()["detail"]
    assert "location" in response.json()["errors"]


def test_the_same_idempotency_key_files_once(api, area, category):
    lon, lat = area.west
    body = {"category": category.code, "description": "d", "lon": lon, "lat": lat}
    body["idempotency_key"] = "k" * 20
    first = api.post(LIST, body, format="json")
    again = api.post(LIST, body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["code"] == again.json()["code"]


def test_anonymous_submissions_are_rate_limited_with_retry_after(
    api, openapi, area, category, settings
):
    settings.GRIDMAP_REPORT_RATE_LIMITS = {"client": (1, 3600), "phone": (1, 3600)}
    lon, lat = area.west
    body = {"category": category.code, "description": "d", "lon": lon, "lat": lat}
    assert api.post(LIST, body, format="json").status_code == 201
    response = api.post(LIST, body, format="json")
    openapi.check("post", LIST, response)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_an_illegal_transition_is_refused_with_409(api, openapi, area, make_report):
    report = make_report(Status.SUBMITTED)
    api.force_authenticate(area.people.admin)
    path = f"{LIST}{report.pk}/transitions/"
    response = api.post(path, {"action": "close"}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 409
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_a_permitted_transition_is_applied_and_recorded(api, openapi, area, make_report):
    report = make_report(Status.SUBMITTED)
    api.force_authenticate(area.people.admin)
    path = f"{LIST}{report.pk}/transitions/"
    response = api.post(path, {"action": "accept", "note": "收到"}, format="json")
    openapi.check("post", path, response)
    assert response.json()["status"] == Status.ACCEPTED
    step = ReportTransition.objects.get(report=report, action="accept")
    assert step.actor == area.people.admin and step.note == "收到"


def test_token_authentication_works(api, area, make_report):
    report = make_report(Status.SUBMITTED)
    token = Token.objects.create(user=area.people.admin)
    response = api.get(f"{LIST}{report.pk}/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["properties"]["code"] == report.code


def test_anonymous_transitions_need_a_sign_in(api, openapi, make_report):
    report = make_report(Status.SUBMITTED)
    path = f"{LIST}{report.pk}/transitions/"
    response = api.post(path, {"action": "accept"}, format="json")
    openapi.check("post", path, response)
    assert response.status_code in (401, 403)
