"""The demo Open311 key files reports in Dongrui, as README's example shows."""

import pytest

from apps.open311.demo import DEMO_KEY, load_demo_data
from apps.reports.models import Report

pytestmark = pytest.mark.django_db


def test_the_demo_key_files_a_report_at_a_dongrui_building(client):
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": DEMO_KEY,
            "service_code": "elevator",
            "address_string": "中交中央公园D4 D4-2栋",
            "description": "2号电梯异响。",
            "attribute[building]": "D4-2栋",
            "attribute[people_trapped]": "no",
        },
    )
    assert response.status_code == 201
    report = Report.objects.get(pk=int(response.json()[0]["service_request_id"]))
    assert (report.community.code, report.building.number) == ("DR", "D4-2栋")
    assert report.grid is not None


def test_loading_the_demo_key_again_changes_nothing():
    assert load_demo_data() == {"ApiKey": 1}
