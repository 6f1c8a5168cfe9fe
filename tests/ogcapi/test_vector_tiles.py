"""Vector tiles (ST_AsMVT) decoded with mapbox-vector-tile, their TileJSON and caching."""

import json
import math

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Polygon

from apps.core.layers import Layer, Scope, registry
from apps.facilities.models import Facility
from apps.regions.models import Grid
from tests.factories import make_facility, make_member
from tests.ogcapi.helpers import get_json

pytestmark = pytest.mark.django_db
EXTENT, BUFFER = 4096, 64
# As a renderer reads them: y grows downwards from the tile's top edge.
RAW = {"y_coord_down": True, "geojson": False}


def tile_of(lon, lat, z):
    """(x, y, px, py): the Web Mercator tile holding lon/lat and the point's position in it
    on a 4096 grid — the slippy-map formulas, worked here in Python, not in PostGIS."""
    n = 2**z
    fx = (lon + 180.0) / 360.0 * n
    fy = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    x, y = int(fx), int(fy)
    return x, y, (fx - x) * EXTENT, (fy - y) * EXTENT


def tile_bounds(x, y, z, margin=0.0):
    """lon/lat box of a tile, grown by `margin` tiles on each side."""

    def lon(fx):
        return fx / 2**z * 360.0 - 180.0

    def lat(fy):
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * fy / 2**z))))

    return (lon(x - margin), lat(y + 1 + margin), lon(x + 1 + margin), lat(y - margin))


def get_tile(client, name, z, x, y, **headers):
    response = client.get(f"/tiles/{name}/{z}/{x}/{y}.pbf", **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return response


def test_a_tile_has_one_layer_named_after_the_collection_with_extent_4096(client):
    facility = Facility.objects.get(name="东瑞社区健身广场")
    x, y, _px, _py = tile_of(*facility.geom.coords, 15)
    layers = mapbox_vector_tile.decode(get_tile(client, "facilities", 15, x, y).content)
    assert list(layers) == ["facilities"]
    assert layers["facilities"]["extent"] == EXTENT


def test_a_point_lands_where_the_slippy_map_formulas_put_it(client):
    facility = Facility.objects.get(name="东瑞社区健身广场")  # a point, 113.0306048 28.1884997
    x, y, px, py = tile_of(*facility.geom.coords, 17)
    data = get_tile(client, "facilities", 17, x, y).content
    features = mapbox_vector_tile.decode(data, default_options=RAW)["facilities"]["features"]
    (found,) = [f for f in features if f["id"] == facility.pk]
    assert found["properties"]["name"] == "东瑞社区健身广场"
    gx, gy = found["geometry"]["coordinates"]
    # ST_AsMVTGeom snaps to the integer grid: within one unit of the exact position.
    assert gx == pytest.approx(px, abs=1) and gy == pytest.approx(py, abs=1)


def test_feature_ids_are_the_row_ids_of_the_features_touching_the_tile(client):
    grid = Grid.objects.get(code="DR-03")
    z = 15
    x, y, _px, _py = tile_of(*grid.boundary.centroid.coords, z)
    layer = mapbox_vector_tile.decode(get_tile(client, "grids", z, x, y).content)["grids"]
    ids = [feature["id"] for feature in layer["features"]]
    buffered = Polygon.from_bbox(tile_bounds(x, y, z, margin=BUFFER / EXTENT))
    expected = Grid.objects.filter(boundary__intersects=buffered).values_list("pk", flat=True)
    assert sorted(ids) == sorted(expected) and len(ids) == len(set(ids))
    codes = {feature["properties"]["code"] for feature in layer["features"]}
    assert "DR-03" in codes


def test_coordinates_stay_within_the_extent_and_its_buffer(client):
    grid = Grid.objects.get(code="DR-03")
    x, y, _px, _py = tile_of(*grid.boundary.centroid.coords, 17)  # grids overflow this tile
    layer = mapbox_vector_tile.decode(
        get_tile(client, "grids", 17, x, y).content, default_options=RAW
    )
    points = [
        point
        for feature in layer["grids"]["features"]
        for ring in feature["geometry"]["coordinates"]
        for point in ring
    ]
    assert points
    assert all(
        -BUFFER <= px <= EXTENT + BUFFER and -BUFFER <= py <= EXTENT + BUFFER for px, py in points
    )
    assert min(px for px, _py in points) == -BUFFER  # clipped at the buffer, not at the edge


def test_numbers_stay_numbers_in_the_tile(client):
    grid = Grid.objects.get(code="DR-03")
    x, y, _px, _py = tile_of(*grid.boundary.centroid.coords, 15)
    layer = mapbox_vector_tile.decode(get_tile(client, "grids", 15, x, y).content)["grids"]
    properties = next(
        f["properties"] for f in layer["features"] if f["properties"]["code"] == "DR-03"
    )
    assert isinstance(properties["area_m2"], float) and properties["area_m2"] > 1000
    assert isinstance(properties["community_id"], int)


def test_an_empty_tile_is_an_empty_200(client):
    assert get_tile(client, "grids", 12, 0, 0).content == b""


def test_a_tile_is_one_query(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        client.get("/tiles/buildings/16/53525/27405.pbf")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/tiles/grids/15/x/1.pbf", 400),
        ("/tiles/grids/15/40000/1.pbf", 400),  # x beyond 2^15 - 1
        ("/tiles/grids/3/1/1.pbf", 404),  # grids start at zoom 12
        ("/tiles/grids/23/1/1.pbf", 404),
        ("/tiles/nowhere/15/1/1.pbf", 404),
    ],
)
def test_bad_tile_addresses_are_refused_with_a_reason(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    error = json.loads(response.content)
    assert set(error) == {"code", "description"} and error["description"]


def test_public_tiles_may_be_cached_by_anyone_and_revalidated_by_etag(client):
    grid = Grid.objects.get(code="DR-03")
    x, y, _px, _py = tile_of(*grid.boundary.centroid.coords, 15)
    response = get_tile(client, "grids", 15, x, y)
    assert response["Cache-Control"] == "public, max-age=300"
    again = client.get(f"/tiles/grids/15/{x}/{y}.pbf", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["ETag"] == response["ETag"]


def test_scoped_tiles_are_private_and_keep_to_the_members_rows(client, members_layer):
    mine = make_facility(kind="fitness_court")
    other = make_facility(kind="fitness_court", community=None)
    client.force_login(make_member(mine.community).user)
    x, y, _px, _py = tile_of(*mine.geom.coords, 12)
    response = get_tile(client, members_layer.name, 12, x, y)
    assert response["Cache-Control"].startswith("private")
    ids = [
        f["id"] for f in mapbox_vector_tile.decode(response.content)[members_layer.name]["features"]
    ]
    assert ids == [mine.pk]
    assert other.pk not in ids


def test_anonymous_visitors_get_no_tiles_of_members_layers(client, members_layer):
    assert client.get(f"/tiles/{members_layer.name}/12/0/0.pbf").status_code == 404


def test_a_layer_with_its_own_row_rules_gets_private_tiles(client):
    refined = [
        layer
        for layer in registry
        if layer.scope is Scope.PUBLIC and type(layer).visible_rows is not Layer.visible_rows
    ]
    assert refined, "the works and reports layers refine their row rules"
    for layer in refined:  # e.g. works: planners see proposals that others do not
        response = client.get(f"/tiles/{layer.name}/{max(layer.min_zoom, 12)}/0/0.pbf")
        assert response["Cache-Control"].startswith("private"), layer.name


def test_tilejson_describes_the_tiles_of_a_collection(client):
    document = get_json(client, "/tiles/grids.json")
    assert document["tilejson"] == "3.0.0"
    assert document["tiles"] == ["http://testserver/tiles/grids/{z}/{x}/{y}.pbf"]
    assert document["minzoom"] == registry.get("grids").min_zoom and document["maxzoom"] == 22
    west, south, east, north = document["bounds"]
    assert west < 113.03 < east and south < 28.19 < north
    (vector_layer,) = document["vector_layers"]
    assert vector_layer["id"] == "grids"
    assert (
        vector_layer["fields"]["code"] == "String" and vector_layer["fields"]["area_m2"] == "Number"
    )


def test_tilejson_of_an_unknown_collection_is_a_404(client):
    assert client.get("/tiles/nowhere.json").status_code == 404
