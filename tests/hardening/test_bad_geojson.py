"""Broken and hostile geometry, wherever a client sends one: each is a clear 4xx, data intact.

The geometries are the files of tests/data/bad/geojson/ (one case per file), sent as a
work's site through the REST API; bad points are sent as a report's pin through the web
form and Open311. The 10⁶-vertex polygon is made at test time.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from apps.open311.demo import DEMO_KEY
from apps.regions.models import Community
from apps.reports.models import Report
from apps.works.models import Work

from .fuzzkit import (
    changed_tables,
    corpus,
    refused_in_both_languages,
    rolled_back,
    row_counts,
    token_for,
)

pytestmark = pytest.mark.django_db
WORKS = "/api/v1/works/"


@pytest.fixture
def planner_api():
    token = token_for("planner")

    def post(body: str, language: str):
        return Client().post(
            WORKS,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
            HTTP_ACCEPT_LANGUAGE=language,
        )

    return post


def _work(geom_json: str) -> str:
    community = Community.objects.get(code="DR")
    head = json.dumps(
        {"community": community.pk, "name": "坏几何 bad geometry", "work_type": "repair"}
    )
    return head[:-1] + f', "geom": {geom_json}}}'


def test_a_good_site_is_accepted(planner_api):
    """The control: the same request with a valid square is saved (so refusals mean it)."""
    x0, y0, _x1, _y1 = Community.objects.get(code="DR").boundary.extent
    square = [[x0, y0], [x0 + 0.001, y0], [x0 + 0.001, y0 + 0.001], [x0, y0 + 0.001], [x0, y0]]
    with rolled_back():
        response = planner_api(
            _work(json.dumps({"type": "Polygon", "coordinates": [square]})), "en"
        )
        assert response.status_code == 201, response.content
        assert Work.objects.filter(pk=response.json()["id"]).exists()


@pytest.mark.parametrize(("path", "repaired"), corpus("geojson"))
def test_a_bad_site_geometry_is_refused_and_nothing_is_saved(planner_api, path, repaired):
    body = _work(path.read_bytes().decode("utf-8", "replace"))
    before = row_counts()
    if repaired:
        with rolled_back():
            assert planner_api(body, "en").status_code == 201
        return
    response, message = refused_in_both_languages(lambda language: planner_api(body, language))
    assert response.status_code == 400
    assert not changed_tables(before, row_counts())


def test_a_million_vertex_polygon_is_refused_without_a_server_error(planner_api):
    x0, y0 = 113.03, 28.18
    ring = [[x0 + (i % 1000) * 1e-6, y0 + (i // 1000) * 1e-6] for i in range(1_000_000)]
    ring.append(ring[0])
    body = _work(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    assert len(body) > 20_000_000
    before = row_counts()
    response, message = refused_in_both_languages(lambda language: planner_api(body, language))
    assert response.status_code in (400, 413)
    assert not changed_tables(before, row_counts())


# --- a report's pin: web form and Open311 --------------------------------------------------

BAD_PINS = [
    ("nan", "28.19"),
    ("113.03", "NaN"),
    ("inf", "28.19"),
    ("-Infinity", "28.19"),
    ("213.03", "28.19"),
    ("113.03", "98.19"),
    ("28.19", "113.03"),  # lat and lon swapped
    ("1e400", "28.19"),
    ("113,03", "28,19"),
    ("", ""),
    ("0x71", "0x1c"),
    ("113.03'; DROP TABLE reports_report; --", "28.19"),
]


@pytest.mark.parametrize(("lon", "lat"), BAD_PINS)
def test_a_bad_report_pin_is_refused_on_the_web_form(lon, lat):
    form = {"category": "repair", "description": "路灯坏了", "lon": lon, "lat": lat}
    before = Report.objects.count()
    response, message = refused_in_both_languages(
        lambda language: Client().post(
            "/report/", form, HTTP_ACCEPT=("application/json"), HTTP_ACCEPT_LANGUAGE=language
        )
    )
    assert response.status_code == 400
    assert "location" in response.json()["errors"]
    assert Report.objects.count() == before


@pytest.mark.parametrize(("lon", "lat"), BAD_PINS)
def test_a_bad_report_pin_is_refused_by_open311(lon, lat):
    form = {
        "api_key": DEMO_KEY,
        "service_code": "repair",
        "description": "路灯坏了",
        "long": lon,
        "lat": lat,
    }
    before = Report.objects.count()
    response, message = refused_in_both_languages(
        lambda language: Client().post(
            "/open311/v2/requests.json", form, HTTP_ACCEPT_LANGUAGE=language
        )
    )
    assert response.status_code == 400
    assert Report.objects.count() == before
