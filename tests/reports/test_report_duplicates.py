"""The 30 m duplicate check and "me too": geodesic distances, index use, one vote each."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from pyproj import Geod

from apps.reports.errors import TransitionNotAllowedError
from apps.reports.models import Category, MeToo, Report
from apps.reports.selectors import nearby_open_reports
from apps.reports.services import report_me_too
from apps.reports.states import Status

pytestmark = pytest.mark.django_db
GEOD = Geod(ellps="WGS84")


def offset(lonlat, metres, azimuth=60.0):
    """The point `metres` away on the WGS 84 ellipsoid (pyproj's geodesic forward problem)."""
    lon, lat, _back = GEOD.fwd(lonlat[0], lonlat[1], azimuth, metres)
    return lon, lat


def nearby(client, lonlat, category=None):
    params = {"lon": lonlat[0], "lat": lonlat[1]}
    if category is not None:
        params["category"] = category.pk
    return client.get("/report/nearby/", params, HTTP_ACCEPT_LANGUAGE="en").json()["reports"]


@pytest.mark.parametrize(("metres", "found"), [(29.0, True), (31.0, False)])
def test_an_open_report_of_the_same_category_counts_within_30_m(
    client, area, make_report, category, metres, found
):
    report = make_report(Status.ACCEPTED)
    here = offset(area.west, metres)

    rows = nearby(client, here, category)

    assert [r["id"] for r in rows] == ([report.pk] if found else [])
    if found:
        # PostGIS measures on the same spheroid as pyproj: the distance comes back as placed.
        assert rows[0]["distance_m"] == pytest.approx(metres, abs=0.1)


@pytest.mark.parametrize("azimuth", [0.0, 90.0, 180.0, 270.0])
def test_the_30_m_radius_is_geodesic_in_every_direction(area, make_report, category, azimuth):
    # A degree of longitude is 11 % shorter than one of latitude here: degrees would fail.
    report = make_report(Status.SUBMITTED)
    inside = Point(*offset(area.west, 29.5, azimuth), srid=4326)
    outside = Point(*offset(area.west, 30.5, azimuth), srid=4326)
    assert list(nearby_open_reports(inside, category_id=category.pk)) == [report]
    assert list(nearby_open_reports(outside, category_id=category.pk)) == []


def test_reports_of_another_category_or_no_longer_open_are_not_offered(
    client, area, make_report, category
):
    make_report(Status.SUBMITTED, category=Category.objects.get(code="noise"))
    for status in (Status.HANDLED, Status.CLOSED, Status.REJECTED):
        make_report(status)
    assert nearby(client, area.west, category) == []


def test_nearby_reports_never_show_a_phone_number_or_an_address(
    client, area, make_report, category
):
    make_report(Status.SUBMITTED, description="漏水了 请打13912345678 或写 a.b@example.com")
    excerpt = nearby(client, area.west, category)[0]["excerpt"]
    assert "13912345678" not in excerpt and "example.com" not in excerpt
    assert excerpt.startswith("漏水了")


def test_nearby_asks_for_coordinates_it_can_read(client, area):
    response = client.get("/report/nearby/", {"lon": "x", "lat": "28"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "lon and lat" in response.json()["detail"]


def test_the_30_m_query_uses_the_geography_index(area, category):
    # Enough open reports of one category spread over the test community that scanning them
    # would cost more than the index, as in a real city; then fresh statistics.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO reports_report (
                created_at, updated_at, code, community_id, category_id, description, location,
                status, source, is_anonymous, contact_phone, contact_email, submitted_at,
                accept_due, dispatch_due, handle_due, deferred_hours, rework_count,
                me_too_count)
            SELECT now(), now(), 'X' || lpad(i::text, 7, '0'), %s, %s, 'bulk', ST_SetSRID(
                       ST_MakePoint(%s + random() * 0.01, %s + random() * 0.01), 4326),
                   'submitted', 'web', true, '', '', now(), now(), now(), now(), 0, 0, 0
            FROM generate_series(1, 20000) AS i
            """,
            [area.community.pk, category.pk, area.west[0] - 0.0024, area.west[1] - 0.0024],
        )
        cursor.execute("ANALYZE reports_report")
    query = nearby_open_reports(Point(*area.west, srid=4326), category_id=category.pk)

    plan = query.explain()

    assert "report_location_geog_gist" in plan, plan


def test_me_too_counts_once_per_person_and_per_anonymous_client(area, make_report):
    report = make_report(Status.ACCEPTED)

    assert report_me_too(report=report, client_ip="10.0.0.1")[1] is True
    assert report_me_too(report=report, client_ip="10.0.0.1")[1] is False
    assert report_me_too(report=report, client_ip="10.0.0.2")[1] is True
    assert report_me_too(report=report, user=area.people.resident)[1] is True
    assert report_me_too(report=report, user=area.people.resident)[1] is False

    report.refresh_from_db()
    assert report.me_too_count == 3 == MeToo.objects.filter(report=report).count()


def test_a_closed_report_takes_no_more_me_toos(client, area, make_report):
    report = make_report(Status.CLOSED)
    with pytest.raises(TransitionNotAllowedError):
        report_me_too(report=report, client_ip="10.0.0.1")

    response = client.post(f"/report/{report.pk}/me-too/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "no longer takes" in response.json()["detail"]


def test_me_too_from_the_page_says_how_many_report_it(client, area, make_report):
    report = make_report(Status.SUBMITTED)
    response = client.post(f"/report/{report.pk}/me-too/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.json() == {
        "counted": True,
        "me_too_count": 1,
        "detail": "Thank you: your “me too” was added. 2 people now report this.",
    }
    assert Report.objects.get(pk=report.pk).me_too_count == 1
