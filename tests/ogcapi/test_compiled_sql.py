"""Anonymous tiles and items pages reuse SQL compiled once (apps.ogcapi.compiled) and still
answer each request with its own features, language and rows rules."""

import json

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Polygon

from apps.ogcapi import compiled, tiles
from apps.regions.models import Building, Grid
from apps.reports.models import Report
from apps.reports.selectors import public_reports
from tests.factories import make_superuser
from tests.ogcapi.helpers import get_json
from tests.ogcapi.test_vector_tiles import tile_of

pytestmark = pytest.mark.django_db
ITEMS = "/ogcapi/collections/{}/items"


@pytest.fixture(autouse=True)
def fresh_templates():
    compiled.clear()
    yield
    compiled.clear()


@pytest.fixture
def tile_builds(monkeypatch):
    """How many times tile SQL is built through the ORM."""
    calls = []
    original = tiles.tile_sql

    def counting(*args, **kwargs):
        calls.append(args[2:])
        return original(*args, **kwargs)

    monkeypatch.setattr(tiles, "tile_sql", counting)
    return calls


def tile_ids(client, name, z, x, y, **headers):
    response = client.get(f"/tiles/{name}/{z}/{x}/{y}.pbf", **headers)
    assert response.status_code == 200, response.content[:300]
    layers = mapbox_vector_tile.decode(response.content)
    return {feature["id"] for feature in layers.get(name, {"features": []})["features"]}


def test_anonymous_tiles_build_their_sql_once_and_each_holds_its_own_buildings(
    client, tile_builds, django_assert_num_queries
):
    buildings = list(Building.objects.order_by("pk"))
    places = {tile_of(*b.footprint.centroid.coords, 17)[:2] for b in buildings}
    assert len(places) > 2, "the demo's buildings lie in several z17 tiles"
    for x, y in sorted(places):
        with django_assert_num_queries(1):
            got = tile_ids(client, "buildings", 17, x, y)
        inside = {
            b.pk for b in buildings if tile_of(*b.footprint.centroid.coords, 17)[:2] == (x, y)
        }
        assert inside <= got
    # Built once, with the sentinels: never for a request's own tile.
    assert tile_builds == [compiled.INT_SENTINELS]


def test_each_anonymous_bbox_page_has_the_features_of_its_own_bbox(client):
    boxes = [(113.02, 28.185, 113.03, 28.195), (112.9, 28.1, 113.1, 28.3), None]
    for bbox in boxes:
        params = {"bbox": ",".join(map(str, bbox))} if bbox else {}
        page = get_json(client, ITEMS.format("grids"), **params)
        expected = Grid.objects.all()
        if bbox:
            expected = expected.filter(boundary__intersects=Polygon.from_bbox(bbox))
        assert {f["id"] for f in page["features"]} == set(expected.values_list("pk", flat=True))
        assert page["numberMatched"] == expected.count()


def test_signed_in_staff_do_not_get_the_anonymous_rows_of_reports(client):
    public = set(public_reports().values_list("pk", flat=True))
    everything = set(Report.objects.values_list("pk", flat=True))
    assert public < everything, "the demo has reports not yet accepted"
    ids = {f["id"] for f in get_json(client, ITEMS.format("reports"))["features"]}
    assert ids == public
    client.force_login(make_superuser())
    ids = {f["id"] for f in get_json(client, ITEMS.format("reports"))["features"]}
    assert ids == everything
    client.logout()
    ids = {f["id"] for f in get_json(client, ITEMS.format("reports"))["features"]}
    assert ids == public


def test_anonymous_pages_keep_the_readers_language(client):
    def labels(language):
        response = client.get(ITEMS.format("reports"), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        return {f["properties"]["status_label"] for f in json.loads(response.content)["features"]}

    assert "Accepted" in labels("en")
    assert "已受理" in labels("zh-hans")
    assert "Accepted" in labels("en")


def test_an_anonymous_page_counts_and_picks_its_ids_in_the_same_one_query(
    client, django_assert_num_queries
):
    bbox = "112.9,28.1,113.1,28.3"
    get_json(client, ITEMS.format("buildings"), bbox=bbox, limit=5)  # builds the SQL
    expected = list(Building.objects.order_by("pk").values_list("pk", flat=True))
    seen = []
    for offset in range(0, len(expected), 5):
        with django_assert_num_queries(1):
            page = get_json(client, ITEMS.format("buildings"), bbox=bbox, limit=5, offset=offset)
        assert page["numberMatched"] == len(expected)
        seen += [f["id"] for f in page["features"]]
    assert seen == expected
    # Past the last page there is no row to carry the count: it is asked for on its own.
    past = get_json(client, ITEMS.format("buildings"), bbox=bbox, limit=5, offset=1000)
    assert past["numberMatched"] == len(expected) and past["features"] == []
