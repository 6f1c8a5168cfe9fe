"""SQL and HTML/JS payloads in free text and query parameters.

Text is stored and returned literally (nothing is stripped or executed), HTML pages show it
escaped, and a payload in a query parameter neither fails nor widens the answer nor touches
the schema.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client

from apps.open311.demo import DEMO_KEY
from apps.regions.models import Community
from apps.reports.models import Report

from .fuzzkit import HOSTILE_TEXTS, changed_tables, row_counts, token_for

pytestmark = pytest.mark.django_db


def _pin() -> tuple[str, str]:
    pin = Community.objects.get(code="DR").boundary.point_on_surface
    return f"{pin.x:.6f}", f"{pin.y:.6f}"


def _escaped_in_html(page: str, text: str) -> None:
    """The raw payload never appears in the page; its escaped form does."""
    from django.utils.html import escape

    assert text not in page or text == escape(text)
    assert escape(text) in page


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_a_hostile_report_description_round_trips_and_is_escaped(text):
    lon, lat = _pin()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/api/v1/reports/",
        {"category": "repair", "description": f"灯坏了 {text}", "lon": lon, "lat": lat},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    assert Report.objects.get(code=code).description == f"灯坏了 {text}"
    tracked = client.get(f"/api/v1/tracking/{code}/").json()
    assert tracked["description"] == f"灯坏了 {text}"
    page = client.get(f"/r/{code}/").content.decode()
    _escaped_in_html(page, text)


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_a_hostile_open311_description_round_trips_in_json_and_xml(text):
    lon, lat = _pin()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    form = {
        "api_key": DEMO_KEY,
        "service_code": "repair",
        "description": text,
        "long": lon,
        "lat": lat,
        "first_name": text,
        "address_string": text,
    }
    created = client.post("/open311/v2/requests.json", form)
    assert created.status_code == 201, created.content
    request_id = json.loads(created.content)[0]["service_request_id"]
    report = Report.objects.get(pk=request_id)
    assert report.description == text
    as_xml = client.get(f"/open311/v2/requests/{request_id}.xml", {"api_key": DEMO_KEY})
    root = ET.fromstring(as_xml.content)  # well-formed despite the payload
    assert root.findtext("request/description") == text


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_a_hostile_work_name_round_trips_and_the_planner_page_escapes_it(text):
    community = Community.objects.get(code="DR")
    pin = community.boundary.point_on_surface
    token = token_for("planner")
    api = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")
    body = {
        "community": community.pk,
        "name": text,
        "work_type": "repair",
        "description": text,
        "geom": {"type": "Point", "coordinates": [pin.x, pin.y]},
    }
    response = api.post("/api/v1/works/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    work_id = response.json()["id"]
    again = api.get(f"/api/v1/works/{work_id}/").json()
    assert again["properties"]["name"] == text
    from apps.accounts.models import User

    browser = Client(HTTP_ACCEPT_LANGUAGE="en")

    browser.force_login(User.objects.get(username="planner"))
    page = browser.get(f"/works/{work_id}/").content.decode()
    _escaped_in_html(page, text)


SQL_PAYLOADS = [
    "' OR '1'='1",
    "1; DROP TABLE reports_report; --",
    "1) OR (1=1",
    "repair' UNION SELECT username, password FROM accounts_user --",
    "%' OR 1=1 --",
]


@pytest.mark.parametrize("payload", SQL_PAYLOADS)
def test_sql_in_query_parameters_neither_fails_nor_widens_the_answer(payload):
    from apps.accounts.models import User

    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(User.objects.get(username="communityadmin"))
    before = row_counts()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    checks = [
        ("/api/v1/reports/", {"status": payload}),
        ("/api/v1/reports/", {"category": payload}),
        ("/api/v1/works/", {"status": payload, "community": payload}),
        ("/api/v1/grids/", {"in_bbox": payload}),
        ("/open311/v2/requests.json", {"service_code": payload}),
        ("/open311/v2/requests.json", {"service_request_id": payload}),
        ("/ogcapi/collections/grids/items", {"code": payload}),
        ("/ogcapi/collections/facilities/items", {"name": payload}),
        ("/ogcapi/collections/works/items", {"datetime": payload}),
        ("/report/nearby/", {"lon": payload, "lat": payload}),
    ]
    for url, params in checks:
        response = client.get(url, params)
        assert response.status_code < 500, (url, params)
        if response.status_code == 200 and "features" in response.content.decode()[:2000]:
            body = response.json()
            # An injected OR would return every row: a literal value matches none.
            assert body.get("features") == [] or body.get("numberMatched") == 0, (url, params)
    console = staff.get("/reports/", {"q": payload[:16], "status": payload})
    assert console.status_code in (200, 400)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('reports_report') IS NOT NULL")
        assert cursor.fetchone()[0]
    assert not changed_tables(before, row_counts())
