"""/collections and /collections/{id}: every registry layer, extents from PostGIS, scopes."""

import datetime as dt

import pytest
from django.contrib.gis.db.models import Extent
from django.db.models import Max, Min

from apps.core.layers import Scope, registry
from apps.facilities.models import Facility
from apps.regions.models import Grid
from tests.factories import make_facility, make_member, make_superuser
from tests.ogcapi.helpers import get_json

pytestmark = pytest.mark.django_db
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def test_every_public_layer_of_the_registry_is_a_feature_collection(client):
    collections = get_json(client, "/ogcapi/collections")["collections"]
    public = [layer.name for layer in registry if layer.scope is Scope.PUBLIC]
    assert [c["id"] for c in collections] == public
    assert {"communities", "grids", "compounds", "buildings", "facilities"} <= set(public)
    assert all(c["itemType"] == "feature" and c["crs"] == [CRS84] for c in collections)


def test_a_collection_links_its_items_as_geojson_and_html(client):
    grids = get_json(client, "/ogcapi/collections/grids")
    items = {link["type"]: link["href"] for link in grids["links"] if link["rel"] == "items"}
    assert items["application/geo+json"].endswith("/ogcapi/collections/grids/items?f=json")
    assert items["text/html"].endswith("/ogcapi/collections/grids/items?f=html")
    assert grids["title"] == "网格"


def test_the_spatial_extent_is_the_postgis_extent_of_the_rows(client):
    extent = get_json(client, "/ogcapi/collections/grids")["extent"]["spatial"]
    # Computed independently with the ORM's Extent aggregate (ST_Extent).
    expected = Grid.objects.aggregate(e=Extent("boundary"))["e"]
    assert extent["bbox"][0] == pytest.approx(list(expected), abs=1e-9)
    assert extent["crs"] == CRS84


def test_the_temporal_extent_spans_the_layers_dates(client):
    interval = get_json(client, "/ogcapi/collections/facilities")["extent"]["temporal"]["interval"]
    span = Facility.objects.aggregate(first=Min("completed_on"), last=Max("completed_on"))
    # A date is the start of that day in Asia/Shanghai, given in UTC: 16:00 the day before.
    start = dt.datetime.combine(span["first"] - dt.timedelta(days=1), dt.time(16))
    end = dt.datetime.combine(span["last"] - dt.timedelta(days=1), dt.time(16))
    assert interval == [[f"{start.isoformat()}Z", f"{end.isoformat()}Z"]]


def test_a_layer_without_a_time_has_no_temporal_extent(client):
    assert "temporal" not in get_json(client, "/ogcapi/collections/grids")["extent"]


def test_the_collection_list_costs_one_query_for_all_extents(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        client.get("/ogcapi/collections")


def test_an_unknown_collection_is_a_404_naming_the_collections(client):
    error = get_json(client, "/ogcapi/collections/nowhere", status=404)
    assert error["code"] == "NotFound"
    assert "nowhere" in error["description"] and "grids" in error["description"]


def test_members_only_layers_are_not_collections_for_anonymous_visitors(client, members_layer):
    ids = [c["id"] for c in get_json(client, "/ogcapi/collections")["collections"]]
    assert members_layer.name not in ids
    get_json(client, f"/ogcapi/collections/{members_layer.name}", status=404)
    get_json(client, f"/ogcapi/collections/{members_layer.name}/items", status=404)


def test_a_members_extent_covers_only_their_communitys_rows(client, members_layer):
    facility = make_facility(kind="fitness_court")  # in a new community, south of Changsha
    client.force_login(make_member(facility.community).user)
    extent = get_json(client, f"/ogcapi/collections/{members_layer.name}")["extent"]
    x, y = facility.geom.coords
    assert extent["spatial"]["bbox"] == [[x, y, x, y]]
    start, end = extent["temporal"]["interval"][0]
    assert start == end and start.endswith("Z")


def test_a_superuser_sees_every_layer_as_a_collection(client, members_layer):
    client.force_login(make_superuser())
    ids = [c["id"] for c in get_json(client, "/ogcapi/collections")["collections"]]
    assert ids == [layer.name for layer in registry]


def test_the_collections_page_lists_them_with_links(client):
    html = client.get("/ogcapi/collections", {"f": "html"}).content.decode()
    assert 'href="/ogcapi/collections/grids?f=html"' in html and "网格" in html
