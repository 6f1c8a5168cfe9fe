"""Grid cover, the duty roster and a patrol's cancel, findings and track files through
/api/v1/planning/ — who may, what is recorded, what is refused (in the caller's language)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.models import Membership
from apps.patrols.models import DutyShift, PatrolTrackUpload, PatrolTransition
from apps.patrols.workflow import Status
from apps.reports.models import Category, Report
from tests.factories import make_community, make_grid
from tests.patrols.conftest import X0, Y0, started

from .patrol_town import REFUSED, SPOT, signed_in, town_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

ASSIGNMENTS = "/api/v1/planning/assignments/"
SHIFTS = "/api/v1/planning/duty-shifts/"
PATROLS = "/api/v1/planning/patrols/"


# --- who covers which grid ---------------------------------------------------------------


def test_the_admin_sees_who_covers_each_grid(api, openapi, town, django_assert_max_num_queries):
    path = f"{ASSIGNMENTS}?community={town.community.pk}"
    with django_assert_max_num_queries(8):
        response = signed_in(api, town.admin).get(path)

    openapi.check("get", path, response)
    cover = {row["code"]: [p["id"] for p in row["people"]] for row in response.json()}
    assert cover == {"E1": [], "W1": [town.worker.pk]}


@pytest.mark.parametrize(("who", "status"), REFUSED)
def test_only_the_communitys_staff_see_grid_cover(api, openapi, town, who, status):
    path = f"{ASSIGNMENTS}?community={town.community.pk}"
    response = signed_in(api, getattr(town, who)).get(path)

    openapi.check("get", path, response)
    assert response.status_code == status


def test_putting_a_worker_on_another_grid_is_recorded(api, openapi, town):
    body = {"community": town.community.pk, "person": town.worker.pk, "add": [town.east.pk]}
    response = signed_in(api, town.admin).post(ASSIGNMENTS, body, format="json")

    openapi.check("post", ASSIGNMENTS, response)
    assert response.status_code == 200
    membership = Membership.objects.get(user=town.worker, community=town.community)
    assert set(membership.grids.values_list("code", flat=True)) == {"W1", "E1"}


def test_a_grid_of_another_community_cannot_be_assigned(api, openapi, town):
    foreign = make_grid(make_community(x=X0 + 0.1, y=Y0))
    body = {"community": town.community.pk, "person": town.worker.pk, "add": [foreign.pk]}
    response = signed_in(api, town.admin).post(ASSIGNMENTS, body, format="json")

    openapi.check("post", ASSIGNMENTS, response)
    assert response.status_code == 400
    assert response.json()["detail"]
    membership = Membership.objects.get(user=town.worker, community=town.community)
    assert list(membership.grids.values_list("code", flat=True)) == ["W1"]


# --- duty roster -----------------------------------------------------------------------


def _shift_body(town, **overrides) -> dict:
    body = {
        "grid": town.west.pk,
        "person": town.worker.pk,
        "start_time": "08:00",
        "end_time": "12:00",
        "weekday": 0,
    }
    return {**body, **overrides}


def test_an_admin_adds_lists_and_removes_a_duty_shift(
    api, openapi, town, django_assert_max_num_queries
):
    created = signed_in(api, town.admin).post(SHIFTS, _shift_body(town), format="json")
    openapi.check("post", SHIFTS, created)
    assert created.status_code == 201
    shift = DutyShift.objects.get(pk=created.json()["id"])
    assert (shift.person, shift.weekday, shift.start_time) == (town.worker, 0, dt.time(8))

    with django_assert_max_num_queries(8):
        listed = api.get(SHIFTS)
    openapi.check("get", SHIFTS, listed)
    assert [row["grid_code"] for row in listed.json()["results"]] == ["W1"]

    path = f"{SHIFTS}{shift.pk}/"
    deleted = api.delete(path)
    openapi.check("delete", path, deleted)
    assert deleted.status_code == 204
    assert not DutyShift.objects.filter(pk=shift.pk).exists()


@pytest.mark.parametrize(("who", "status"), [("worker", 403), ("resident", 403), ("outsider", 400)])
def test_only_the_communitys_staff_add_duty_shifts(api, openapi, town, who, status):
    response = signed_in(api, getattr(town, who)).post(SHIFTS, _shift_body(town), format="json")

    openapi.check("post", SHIFTS, response)
    assert response.status_code == status
    assert not DutyShift.objects.filter(community=town.community).exists()


def test_a_shift_for_someone_outside_the_community_is_refused(api, openapi, town):
    body = _shift_body(town, person=town.outsider.pk)
    response = signed_in(api, town.admin).post(SHIFTS, body, format="json")

    openapi.check("post", SHIFTS, response)
    assert response.status_code == 400
    assert response.json()["errors"]["person"] == ["Choose someone of this community."]


# --- a patrol: cancel, findings, track files ---------------------------------------------


def test_an_admin_cancels_a_patrol_with_a_reason_and_it_is_recorded(api, openapi, town):
    path = f"{PATROLS}{town.patrol.pk}/cancel/"
    response = signed_in(api, town.admin).post(path, {"note": "暴雨预警"}, format="json")

    openapi.check("post", path, response)
    assert response.json()["status"] == Status.CANCELLED
    transition = PatrolTransition.objects.filter(instance=town.patrol).latest("pk")
    assert (transition.to_status, transition.note, transition.by) == (
        Status.CANCELLED,
        "暴雨预警",
        town.admin,
    )


def test_a_cancel_without_a_reason_is_refused(api, openapi, town):
    path = f"{PATROLS}{town.patrol.pk}/cancel/"
    response = signed_in(api, town.admin).post(path, {"note": " "}, format="json")

    openapi.check("post", path, response)
    assert response.status_code == 400
    assert response.json()["detail"] == "Say why the patrol is cancelled."


def test_a_cancelled_patrol_cannot_be_cancelled_again(api, openapi, town):
    path = f"{PATROLS}{town.patrol.pk}/cancel/"
    signed_in(api, town.admin).post(path, {"note": "暴雨预警"}, format="json")
    response = api.post(path, {"note": "again"}, format="json")

    openapi.check("post", path, response)
    assert response.status_code == 409
    assert response.json()["detail"]


@pytest.mark.parametrize(("who", "status"), [("worker", 403), ("resident", 404), ("outsider", 404)])
def test_only_the_communitys_staff_cancel_patrols(api, openapi, town, who, status):
    path = f"{PATROLS}{town.patrol.pk}/cancel/"
    response = signed_in(api, getattr(town, who)).post(path, {"note": "x"}, format="json")

    openapi.check("post", path, response)
    assert response.status_code == status
    town.patrol.refresh_from_db()
    assert town.patrol.status == Status.PLANNED


def test_a_finding_files_a_report_and_answers_its_tracking_code(api, openapi, town):
    patrol = started(town.plan, town.worker)
    path = f"{PATROLS}{patrol.pk}/findings/"
    body = {
        "category": Category.objects.filter(is_active=True).order_by("pk").first().pk,
        "description": "消防通道被占用",
        "lat": SPOT[1],
        "lng": SPOT[0],
    }
    response = signed_in(api, town.worker).post(path, body, format="multipart")

    openapi.check("post", path, response)
    assert response.status_code == 201
    report = Report.objects.get(code=response.json()["report"])
    assert (report.description, report.reporter) == ("消防通道被占用", town.worker)


@pytest.mark.parametrize(("who", "status"), [("resident", 404), ("outsider", 404)])
def test_people_off_the_patrol_record_no_findings(api, openapi, town, who, status):
    path = f"{PATROLS}{town.patrol.pk}/findings/"
    body = {"category": "x", "description": "y", "lat": SPOT[1], "lng": SPOT[0]}
    response = signed_in(api, getattr(town, who)).post(path, body, format="multipart")

    openapi.check("post", path, response)
    assert response.status_code == status
    assert not Report.objects.filter(description="y").exists()


GPX = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
    f'<trkpt lat="{SPOT[1]}" lon="{SPOT[0]}"></trkpt>'
    f'<trkpt lat="{SPOT[1] + 0.001}" lon="{SPOT[0]}"></trkpt>'
    "</trkseg></trk></gpx>"
).encode()


def _upload(api, patrol, content: bytes, name: str = "night.gpx"):
    path = f"{PATROLS}{patrol.pk}/track-files/"
    return path, api.post(path, {"file": SimpleUploadedFile(name, content)}, format="multipart")


def test_a_team_member_uploads_a_gpx_track(api, openapi, town):
    patrol = started(town.plan, town.worker)
    path, response = _upload(signed_in(api, town.worker), patrol, GPX)

    openapi.check("post", path, response)
    assert response.status_code == 201
    assert (response.json()["points"], response.json()["filename"]) == (2, "night.gpx")
    assert PatrolTrackUpload.objects.filter(instance=patrol).count() == 1


def test_a_broken_track_file_is_refused_with_its_reason_and_nothing_saved(api, openapi, town):
    patrol = started(town.plan, town.worker)
    path, response = _upload(signed_in(api, town.worker), patrol, b"<gpx><trk>", "broken.gpx")

    openapi.check("post", path, response)
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not PatrolTrackUpload.objects.filter(instance=patrol).exists()


def test_a_track_for_a_patrol_not_yet_started_is_refused(api, openapi, town):
    path, response = _upload(signed_in(api, town.worker), town.patrol, GPX)

    openapi.check("post", path, response)
    assert response.status_code == 409
    assert "under way or completed" in response.json()["detail"]
