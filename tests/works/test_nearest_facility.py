""" "Nearest … to me": the right facility, its straight-line distance in metres checked
against pyproj's geodesic (Karney) on WGS 84, and the index that finds the candidates."""

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.db import connection
from django.urls import reverse
from pyproj import Geod

from apps.facilities.models import Facility, FacilityKind
from apps.works.facility_map import nearest_candidates, nearest_facility
from tests.factories import make_community, make_facility

pytestmark = pytest.mark.django_db
GEOD = Geod(ellps="WGS84")
# PostGIS computes geography distances on the spheroid as well; a centimetre covers the
# difference between its algorithm and Karney's.
TOLERANCE_M = 0.01
HERE = (112.6000, 27.6000)  # open country, far from the demo and the other tests


def geodesic_m(a, b):
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


@pytest.fixture
def courts(db):
    """Two fitness courts: one 0.0030° east of HERE, one 0.0028° north (more degrees east,
    fewer metres: at 27.6° N a degree of longitude is 98.7 km, of latitude 110.8 km), and a
    closed one right beside HERE."""
    community = make_community(x=112.595, y=27.595)
    east = make_facility(
        community, name="东边球场", geom=Point(HERE[0] + 0.0030, HERE[1], srid=4326)
    )
    north = make_facility(
        community, name="北边球场", geom=Point(HERE[0], HERE[1] + 0.0028, srid=4326)
    )
    make_facility(
        community,
        name="已关闭球场",
        status=Facility.Status.CLOSED,
        geom=Point(HERE[0] + 0.0001, HERE[1], srid=4326),
    )
    return {"community": community, "east": east, "north": north}


def test_the_nearest_is_chosen_by_metres_not_by_degrees(courts):
    # By hand on WGS 84 at 27.6° N: a degree of longitude is π/180 · a·cosφ / √(1 − e²sin²φ)
    # = 98.721 km, so east is 0.0030 × 98 721 = 296.2 m; a degree of latitude is
    # π/180 · a(1 − e²) / (1 − e²sin²φ)^1.5 = 110.813 km, so north is 0.0028 × 110 813 = 310.3 m.
    east_m = geodesic_m(HERE, (HERE[0] + 0.0030, HERE[1]))
    north_m = geodesic_m(HERE, (HERE[0], HERE[1] + 0.0028))
    assert east_m < north_m  # the premise: east is nearer on the ground
    answer = nearest_facility(kind=FacilityKind.FITNESS_COURT, lon=HERE[0], lat=HERE[1])
    assert answer.facility == courts["east"]
    assert answer.distance_m == pytest.approx(east_m, abs=TOLERANCE_M)
    assert answer.distance_m == pytest.approx(296.2, abs=0.1)  # the hand-worked figure


def test_closed_facilities_and_other_kinds_are_never_the_answer(courts):
    make_facility(
        courts["community"],
        kind=FacilityKind.PUBLIC_TOILET,
        geom=Point(HERE[0] + 0.0002, HERE[1], srid=4326),
    )
    answer = nearest_facility(kind=FacilityKind.FITNESS_COURT, lon=HERE[0], lat=HERE[1])
    assert answer.facility == courts["east"]  # not the closed court 10 m away, not the toilet


def test_the_distance_to_an_area_is_to_its_nearest_corner(courts):
    # A square court whose south-west corner is 0.001° east and 0.001° north of HERE: seen
    # from HERE (diagonally outside), the nearest point is that corner.
    x, y = HERE[0] + 0.001, HERE[1] + 0.001
    square = Polygon(
        ((x, y), (x + 0.001, y), (x + 0.001, y + 0.001), (x, y + 0.001), (x, y)), srid=4326
    )
    court = make_facility(courts["community"], name="方形球场", geom=square)
    answer = nearest_facility(kind=FacilityKind.FITNESS_COURT, lon=HERE[0], lat=HERE[1])
    assert answer.facility == court
    assert answer.distance_m == pytest.approx(geodesic_m(HERE, (x, y)), abs=TOLERANCE_M)
    # The line drawn runs from that corner to HERE.
    assert answer.line["type"] == "LineString"
    (x0, y0), (x1, y1) = answer.line["coordinates"]
    assert (x0, y0, x1, y1) == pytest.approx((x, y, *HERE), abs=1e-9)


def test_inside_an_area_the_distance_is_zero(courts):
    x, y = HERE[0] - 0.0005, HERE[1] - 0.0005
    square = Polygon(
        ((x, y), (x + 0.001, y), (x + 0.001, y + 0.001), (x, y + 0.001), (x, y)), srid=4326
    )
    court = make_facility(courts["community"], name="脚下的球场", geom=square)
    answer = nearest_facility(kind=FacilityKind.FITNESS_COURT, lon=HERE[0], lat=HERE[1])
    assert (answer.facility, answer.distance_m) == (court, 0)


def test_the_candidates_come_from_the_gist_index_with_knn_ordering(courts):
    sql, params = nearest_candidates(
        FacilityKind.FITNESS_COURT, Point(*HERE, srid=4326)
    ).query.sql_with_params()
    with connection.cursor() as cursor:
        # A table this small is cheaper to scan and sort whole; forbid both to see the plan a
        # big table gets: the GiST index handing rows over in KNN order, no sort.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using facility_geom_gist" in plan
    assert "Order By: (geom <->" in plan


def test_the_endpoint_answers_with_the_facility_distance_and_line(client, courts):
    response = client.get(
        reverse("works:nearest"), {"kind": "fitness_court", "lon": HERE[0], "lat": HERE[1]}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["facility"]["name"] == "东边球场"
    expected = geodesic_m(HERE, (HERE[0] + 0.0030, HERE[1]))
    assert body["distance_m"] == pytest.approx(expected, abs=0.05)  # rounded to 0.1 m
    assert body["line"]["coordinates"][-1] == list(HERE)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"kind": "castle", "lon": "112.6", "lat": "27.6"}, "kind"),
        ({"kind": "fitness_court", "lon": "east", "lat": "27.6"}, "lon"),
        ({"kind": "fitness_court", "lon": "112.6", "lat": "95"}, "lat"),
        ({"kind": "fitness_court", "lon": "nan", "lat": "27.6"}, "lon"),
        ({"kind": "fitness_court"}, "lon"),
    ],
)
def test_bad_questions_get_a_400_saying_what_to_fix(client, query, parameter):
    response = client.get(reverse("works:nearest"), query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_a_kind_with_nothing_open_is_a_404_saying_so(client):
    Facility.objects.filter(kind=FacilityKind.SCHOOL).update(status=Facility.Status.CLOSED)
    response = client.get(
        reverse("works:nearest"),
        {"kind": "school", "lon": "112.6", "lat": "27.6"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 404
    assert "School" in response.json()["detail"]


def test_the_demo_has_a_nearest_fitness_court_for_a_dongrui_resident(client):
    square = Facility.objects.get(name="东瑞社区健身广场")
    lon, lat = square.geom.x + 0.001, square.geom.y  # ≈ 98 m east of it
    body = client.get(
        reverse("works:nearest"), {"kind": "fitness_court", "lon": lon, "lat": lat}
    ).json()
    assert body["facility"]["name"] == "东瑞社区健身广场"
    assert body["distance_m"] == pytest.approx(geodesic_m((lon, lat), square.geom.coords), abs=0.05)
