"""A finding on patrol is filed as a report at the spot, through the reports app, and
linked to the patrol; a refused report leaves no finding."""

import pytest

from apps.patrols.models import PatrolFinding
from apps.patrols.services import patrol_plan_save

from .conftest import X0, Y0, logged_in_client, plan_around_now

SPOT = (X0 + 0.0021, Y0 + 0.0019)  # in the west grid


@pytest.fixture
def running(area):
    patrol = patrol_plan_save(data=plan_around_now(area), by=area.admin).instances.get()
    client = logged_in_client(area.worker)
    client.post(
        f"/patrols/api/patrols/{patrol.pk}/transition/", {"to": "in_progress"}, "application/json"
    )
    return patrol, client


def category():
    from apps.reports.models import Category

    return Category.objects.filter(is_active=True).order_by("pk").first()


def test_a_finding_becomes_a_report_at_that_spot_linked_to_the_patrol(area, running):
    from apps.reports.models import Report

    patrol, client = running
    response = client.post(
        f"/patrols/api/patrols/{patrol.pk}/findings/",
        {
            "category": category().pk,
            "description": "消防通道被占用",
            "lat": SPOT[1],
            "lng": SPOT[0],
            "key": "finding-key-0001",
        },
    )

    assert response.status_code == 201
    finding = PatrolFinding.objects.get(instance=patrol)
    report = Report.objects.get(code=response.json()["report"])
    assert finding.report == report and report.patrol_findings.get() == finding
    assert (report.grid, report.reporter, report.source) == (
        area.west,
        area.worker,
        Report.Source.STAFF,
    )
    assert report.location.equals_exact(finding.location, tolerance=1e-9)
    assert report.description == "消防通道被占用"


def test_sending_the_same_finding_twice_files_one_report(area, running):
    patrol, client = running
    form = {
        "category": category().pk,
        "description": "路灯坏了",
        "lat": SPOT[1],
        "lng": SPOT[0],
        "key": "finding-key-0002",
    }
    first = client.post(f"/patrols/api/patrols/{patrol.pk}/findings/", form).json()
    second = client.post(f"/patrols/api/patrols/{patrol.pk}/findings/", form).json()
    assert first["report"] == second["report"]
    assert PatrolFinding.objects.filter(instance=patrol).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": ""}, "description"),
        ({"category": "no-such"}, "category"),
        ({"lat": "", "lng": ""}, "location"),
    ],
)
def test_a_finding_the_reports_app_refuses_is_not_kept(area, running, change, field):
    patrol, client = running
    form = {
        "category": category().pk,
        "description": "垃圾满溢",
        "lat": SPOT[1],
        "lng": SPOT[0],
        **change,
    }

    response = client.post(f"/patrols/api/patrols/{patrol.pk}/findings/", form)

    assert response.status_code == 400
    assert field in response.json().get("errors", {})
    assert not PatrolFinding.objects.filter(instance=patrol).exists()


def test_only_the_team_records_findings(area, running):
    patrol, _client = running
    response = logged_in_client(area.resident).post(
        f"/patrols/api/patrols/{patrol.pk}/findings/",
        {"category": category().pk, "description": "x", "lat": SPOT[1], "lng": SPOT[0]},
    )
    assert response.status_code == 404
