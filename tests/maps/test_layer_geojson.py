"""GeoJSON layer endpoints: RFC 7946 output built by PostGIS, bbox filters, clear errors."""

import json
from decimal import Decimal

import geojson_validator
import pytest
from django.contrib.gis.geos import LineString, Polygon
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pyproj import Geod
from shapely.geometry import shape

from apps.accounts.models import User
from apps.core.geo import GeodesicArea, GeodesicLength
from apps.core.layers import registry
from apps.facilities.models import Facility, FacilityKind
from apps.regions.models import Community, Grid
from tests.factories import (
    make_building,
    make_community,
    make_compound,
    make_facility,
    make_grid,
    make_member,
    make_user,
    square,
)

pytestmark = pytest.mark.django_db
LAYERS = ["communities", "grids", "compounds", "buildings", "facilities"]
WGS84 = Geod(ellps="WGS84")


def get_layer(client, name, **params):
    response = client.get(f"/api/layers/{name}.geojson", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


@pytest.fixture
def world():
    """One community with a clockwise grid, a building with a head, and three facilities."""
    community = make_community(x=112.50, y=27.50)
    # Drawn clockwise on purpose: the API must return it counter-clockwise.
    clockwise = Polygon(
        ((112.501, 27.501), (112.501, 27.504), (112.504, 27.504), (112.504, 27.501),
         (112.501, 27.501)),
        srid=4326,
    )  # fmt: skip
    grid = make_grid(community, code="T-CW", boundary=clockwise)
    far_grid = make_grid(community, code="T-FAR", boundary=square(112.507, 27.507, 0.002))
    head = make_user(
        username="13912345678", display_name="王楼长", phone="13800138000",
        email="head@example.org",
    )  # fmt: skip
    compound = make_compound(community, boundary=square(112.5012, 27.5012, 0.001))
    building = make_building(
        community, compound=compound, number="T-1栋", floors=18, households=72, building_head=head,
        footprint=square(112.5015, 27.5015, 0.0003),
    )  # fmt: skip
    corridor = make_facility(
        community, kind=FacilityKind.CULTURE_CORRIDOR, name="测试文化长廊",
        geom=LineString((112.5012, 27.5025), (112.5038, 27.5025), srid=4326),
    )  # fmt: skip
    court = make_facility(
        community, kind=FacilityKind.FITNESS_COURT, geom=square(112.5020, 27.5020, 0.0004)
    )
    station = make_facility(community, kind=FacilityKind.GARBAGE_STATION)
    return locals()


@pytest.mark.parametrize("name", LAYERS)
def test_every_layer_is_valid_rfc7946_geojson(client, world, name):
    collection = get_layer(client, name)

    assert collection["type"] == "FeatureCollection"
    assert collection["features"], f"{name} returned no features"
    assert geojson_validator.validate_structure(collection, check_crs=True) == {}
    report = geojson_validator.validate_geometries(collection)
    assert report["invalid"] == {}, report
    assert "excessive_coordinate_precision" not in report["problematic"], report
    for feature in collection["features"]:
        assert isinstance(feature["id"], int)
        assert set(feature["properties"]) == set(registry.get(name).fields)


@pytest.mark.parametrize("name", LAYERS)
def test_every_layer_has_lon_lat_ccw_rings_and_six_decimals(client, world, name):
    response = client.get(f"/api/layers/{name}.geojson")
    # Parse numbers as Decimal to see the digits PostGIS wrote.
    collection = json.loads(response.content, parse_float=Decimal)
    for feature in collection["features"]:
        geom = feature["geometry"]
        for lon, lat in _positions(geom["coordinates"]):
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert max(_decimals(lon), _decimals(lat)) <= 6, (lon, lat)
        polygons = {"Polygon": [geom["coordinates"]], "MultiPolygon": geom["coordinates"]}
        for rings in polygons.get(geom["type"], []):
            shell = shape({"type": "Polygon", "coordinates": _floats([rings[0]])})
            assert shell.exterior.is_ccw, f"{name} {feature['id']}: exterior ring is clockwise"


def test_coordinates_are_longitude_then_latitude(client, world):
    features = get_layer(client, "grids", community=world["community"].pk)["features"]
    lon, lat = features[0]["geometry"]["coordinates"][0][0]
    # The test community lies at about 112.5° E, 27.5° N: x first, y second.
    assert 112 < lon < 113 and 27 < lat < 28


def test_a_dongrui_facility_lies_at_about_113_east_28_north(client):
    # Demo data: the Dongrui community is in Furong district, Changsha.
    dongrui = Community.objects.get(code="DR")
    features = get_layer(client, "facilities", community=dongrui.pk)["features"]
    (station,) = [f for f in features if f["properties"]["kind"] == "service_station"]
    lon, lat = station["geometry"]["coordinates"]
    assert lon == pytest.approx(113.03, abs=0.05) and lat == pytest.approx(28.19, abs=0.05)


def test_a_clockwise_grid_comes_back_counter_clockwise(client, world):
    features = get_layer(client, "grids", community=world["community"].pk)["features"]
    (cw,) = [f for f in features if f["id"] == world["grid"].pk]
    assert shape(cw["geometry"]).exterior.is_ccw


def test_bbox_returns_the_features_in_the_box_and_not_those_outside(client, world):
    grids = get_layer(client, "grids", bbox="112.500,27.500,112.505,27.505")
    ids = {f["id"] for f in grids["features"]}
    assert world["grid"].pk in ids
    assert world["far_grid"].pk not in ids
    assert grids["numberReturned"] == len(grids["features"])


def test_bbox_far_from_everything_returns_an_empty_collection(client, world):
    collection = get_layer(client, "facilities", bbox="-10,-10,-9,-9")
    assert collection == {"type": "FeatureCollection", "numberReturned": 0, "features": []}


def test_community_filter_keeps_that_communitys_rows(client, world):
    other = make_grid(make_community(x=112.60, y=27.60))
    ids = {f["id"] for f in get_layer(client, "grids", community=other.community_id)["features"]}
    assert ids == {other.pk}


def test_community_mine_keeps_the_rows_of_the_users_own_communities(client, world):
    client.force_login(make_member(world["community"]).user)
    ids = {
        f["properties"]["community_id"]
        for f in get_layer(client, "grids", community="mine")["features"]
    }
    assert ids == {world["community"].pk}
    client.logout()
    assert get_layer(client, "grids", community="mine")["features"] == []


def test_limit_caps_the_number_of_features(client, world):
    collection = get_layer(client, "grids", limit=1)
    assert len(collection["features"]) == 1 == collection["numberReturned"]


def test_grid_area_is_geodesic_square_metres_from_postgis(client, world):
    (feature,) = get_layer(client, "grids", bbox="112.5011,27.5011,112.5039,27.5039")["features"]
    postgis = Grid.objects.annotate(a=GeodesicArea("boundary")).get(pk=world["grid"].pk).a
    # Independent check: the same ring on the WGS 84 ellipsoid with pyproj's Geod.
    geod_area, _ = WGS84.geometry_area_perimeter(shape(feature["geometry"]))
    assert feature["properties"]["area_m2"] == pytest.approx(postgis, abs=0.1)
    assert feature["properties"]["area_m2"] == pytest.approx(abs(geod_area), rel=1e-3)
    assert feature["properties"]["area_m2"] > 1000  # ~98,000 m², not square degrees


def test_facility_length_and_area_are_geodesic_and_only_where_they_apply(client, world):
    features = {f["id"]: f["properties"] for f in get_layer(client, "facilities")["features"]}
    corridor = features[world["corridor"].pk]
    court = features[world["court"].pk]
    station = features[world["station"].pk]
    length = Facility.objects.annotate(m=GeodesicLength("geom")).get(pk=world["corridor"].pk).m
    # pyproj: 0.0026° of longitude along 27.5025° N on the WGS 84 ellipsoid, about 257 m.
    geod_length = WGS84.line_length([112.5012, 112.5038], [27.5025, 27.5025])

    assert corridor["length_m"] == pytest.approx(length, abs=0.1)
    assert corridor["length_m"] == pytest.approx(geod_length, rel=1e-3)
    assert corridor["area_m2"] is None
    assert court["area_m2"] > 1000 and court["length_m"] is None
    assert station["area_m2"] is None and station["length_m"] is None


def test_building_head_is_shown_by_display_name_and_nothing_private_leaks(client, world):
    (building,) = [
        f["properties"]
        for f in get_layer(client, "buildings")["features"]
        if f["id"] == world["building"].pk
    ]
    assert building["building_head_name"] == "王楼长"
    assert building["floors"] == 18 and building["households"] == 72
    secrets = {"13800138000", "13912345678", "head@example.org", "pbkdf2", "md5$"}
    # Every private phone and e-mail in the database, the demo's building heads' too.
    for phone, email in User.objects.values_list("phone", "email"):
        secrets |= {value for value in (phone, email) if value}
    for name in LAYERS:
        text = client.get(f"/api/layers/{name}.geojson").content.decode()
        for secret in secrets:
            assert secret not in text, f"{secret} leaked in {name}"


@pytest.mark.parametrize("name", LAYERS)
def test_a_whole_layer_is_one_query_however_many_rows(client, world, name):
    with CaptureQueriesContext(connection) as few:
        client.get(f"/api/layers/{name}.geojson")
    for i in range(10):
        make_grid(world["community"], code=f"T-MORE-{i}")
        make_facility(world["community"])
    with CaptureQueriesContext(connection) as more:
        client.get(f"/api/layers/{name}.geojson")
    assert len(few) == len(more) == 1


def test_the_bbox_query_is_answered_from_the_gist_index(world):
    # Enough grids for the planner to prefer the index on its own (no enable_seqscan tricks).
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO regions_grid (community_id, code, name, name_en, boundary)
            SELECT %s, 'T-IDX-' || i, '', '',
                   ST_MakeEnvelope(100 + (i %% 100) * 0.01, 20 + (i / 100) * 0.01,
                                   100.009 + (i %% 100) * 0.01, 20.009 + (i / 100) * 0.01, 4326)
            FROM generate_series(0, 4999) AS i
            """,
            [world["community"].pk],
        )
        cursor.execute("ANALYZE regions_grid")
        from apps.core.geojson import feature_collection_sql

        layer = registry.get("grids")
        sql, params = feature_collection_sql(
            layer.rows(None, bbox=(100.1, 20.1, 100.12, 20.12)),
            geometry_field=layer.geometry_field,
            fields=layer.fields,
        )
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "grid_boundary_gist" in plan, plan


def test_layer_list_names_every_layer_with_its_url_and_geometry_type(client):
    response = client.get("/api/layers/")
    layers = {layer["name"]: layer for layer in response.json()["layers"]}
    assert list(layers)[:5] == LAYERS
    assert layers["grids"]["url"] == "/api/layers/grids.geojson"
    assert layers["grids"]["geometry_type"] == "Polygon"
    assert layers["buildings"]["min_zoom"] == 15
    assert layers["grids"]["label_field"] == "code"


def test_layer_titles_follow_the_users_language(client):
    zh = client.get("/api/layers/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["layers"][1]
    en = client.get("/api/layers/", HTTP_ACCEPT_LANGUAGE="en").json()["layers"][1]
    assert (zh["title"], en["title"]) == ("网格", "Grids")


def _positions(coordinates):
    if coordinates and isinstance(coordinates[0], Decimal):
        yield coordinates
        return
    for part in coordinates:
        yield from _positions(part)


def _decimals(number: Decimal) -> int:
    return max(0, -number.as_tuple().exponent)


def _floats(value):
    if isinstance(value, list):
        return [_floats(v) for v in value]
    return float(value)
