"""/collections/{id}/items and /items/{featureId}: paging, filters, links, 400s, queries."""

import datetime as dt
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.gis.geos import Polygon
from django.utils import timezone

from apps.core.demo import demo_clock
from apps.facilities.models import Facility
from apps.regions.models import Building, Grid
from tests.factories import make_facility, make_member
from tests.ogcapi.helpers import get_json

pytestmark = pytest.mark.django_db
ITEMS = "/ogcapi/collections/{}/items"


def links(document):
    return {link["rel"]: link for link in document["links"]}


def query_of(href):
    return {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}


def test_items_are_a_geojson_feature_collection_with_exact_counts(client):
    response = client.get(ITEMS.format("grids"))
    assert response["Content-Type"] == "application/geo+json"
    page = json.loads(response.content)
    assert page["type"] == "FeatureCollection"
    assert page["numberMatched"] == Grid.objects.count() == page["numberReturned"]
    assert sorted(f["id"] for f in page["features"]) == sorted(
        Grid.objects.values_list("pk", flat=True)
    )
    assert page["timeStamp"].endswith("Z")
    feature = page["features"][0]
    assert feature["geometry"]["type"] == "Polygon"
    assert set(feature["properties"]) == {
        "code", "name", "name_en", "community_id", "community_name", "community_name_en", "area_m2",
    }  # fmt: skip


def test_a_page_is_one_query_whatever_the_filters(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(
            ITEMS.format("facilities"),
            {"limit": 3, "offset": 2, "bbox": "112.9,28.1,113.1,28.3", "kind": "fitness_court",
             "datetime": "2024-06-01/.."},
        )  # fmt: skip
    assert response.status_code == 200


def test_the_default_page_is_100_and_larger_limits_are_served_at_10000(client):
    default = get_json(client, ITEMS.format("buildings"))
    assert query_of(links(default)["self"]["href"])["limit"] == "100"
    huge = get_json(client, ITEMS.format("buildings"), limit=50000)
    assert query_of(links(huge)["self"]["href"])["limit"] == "10000"
    assert huge["numberReturned"] == Building.objects.count()


def test_next_and_prev_links_page_through_the_features_once_each(client):
    seen = []
    url, params = ITEMS.format("buildings"), {"limit": 7}
    pages = 0
    while url:
        page = get_json(client, url, **params)
        seen += [feature["id"] for feature in page["features"]]
        page_links = links(page)
        assert page_links["self"]["type"] == "application/geo+json"
        assert page_links["alternate"]["type"] == "text/html"
        if pages:
            assert page_links["prev"]["type"] == "application/geo+json"
        nxt = page_links.get("next")
        url, params = (urlsplit(nxt["href"]).path, query_of(nxt["href"])) if nxt else (None, {})
        pages += 1
    assert sorted(seen) == sorted(Building.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen))
    assert pages == -(-Building.objects.count() // 7)


def test_the_prev_link_of_the_second_page_goes_back_to_the_start(client):
    page = get_json(client, ITEMS.format("buildings"), limit=5, offset=5)
    assert query_of(links(page)["prev"]["href"]).get("offset", "0") == "0"


def test_an_offset_past_the_end_returns_no_features_but_the_true_count(client):
    page = get_json(client, ITEMS.format("grids"), offset=1000)
    assert page["numberReturned"] == 0 and page["features"] == []
    assert page["numberMatched"] == Grid.objects.count()
    assert "next" not in links(page)


def test_bbox_keeps_the_features_that_intersect_it(client):
    bbox = (113.02, 28.185, 113.03, 28.195)
    page = get_json(client, ITEMS.format("grids"), bbox=",".join(map(str, bbox)))
    expected = Grid.objects.filter(boundary__intersects=Polygon.from_bbox(bbox))
    assert {f["id"] for f in page["features"]} == set(expected.values_list("pk", flat=True))
    assert 0 < page["numberMatched"] < Grid.objects.count()


def test_property_filters_match_values_of_the_layers_fields(client):
    page = get_json(client, ITEMS.format("grids"), code="DR-03")
    assert [f["properties"]["code"] for f in page["features"]] == ["DR-03"]
    toilets = get_json(client, ITEMS.format("facilities"), kind="public_toilet", limit=1000)
    assert toilets["numberMatched"] == Facility.objects.filter(kind="public_toilet").count() > 0
    community = Grid.objects.get(code="DR-03").community_id
    same = get_json(client, ITEMS.format("grids"), community_id=community)
    assert same["numberMatched"] == Grid.objects.filter(community_id=community).count()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # The demo's five completed fitness sites: 2024-05-30, 06-15, 06-20, 06-28, 07-10.
        ("2024-06-20", {dt.date(2024, 6, 20)}),
        ("2024-06-15/2024-06-28", {dt.date(2024, 6, d) for d in (15, 20, 28)}),
        ("../2024-06-15", {dt.date(2024, 5, 30), dt.date(2024, 6, 15)}),
        ("2024-06-21/..", {dt.date(2024, 6, 28), dt.date(2024, 7, 10)}),
        # 2024-06-19T20:00Z is already 06-20 in Changsha.
        ("2024-06-19T20:00:00Z", {dt.date(2024, 6, 20)}),
    ],
)
def test_datetime_selects_instants_and_open_or_closed_intervals(client, value, expected):
    # The dates above are the case's; the demo moves them to its own today (DemoClock).
    clock = demo_clock()
    value = re.sub(
        r"\d{4}-\d{2}-\d{2}",
        lambda m: clock.day(dt.date.fromisoformat(m.group())).isoformat(),
        value,
    )
    expected = {clock.day(day) for day in expected}
    page = get_json(client, ITEMS.format("facilities"), datetime=value)
    dates = {dt.date.fromisoformat(f["properties"]["completed_on"]) for f in page["features"]}
    assert dates == expected


def test_datetime_on_a_datetime_field_takes_a_date_as_the_whole_local_day(client, members_layer):
    facility = make_facility(kind="fitness_court")
    client.force_login(make_member(facility.community).user)
    today = timezone.localdate(facility.created_at)
    url = ITEMS.format(members_layer.name)
    assert get_json(client, url, datetime=today.isoformat())["numberMatched"] == 1
    assert (
        get_json(client, url, datetime=f"../{today - dt.timedelta(days=1)}")["numberMatched"] == 0
    )
    exact = facility.created_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    assert get_json(client, url, datetime=exact)["numberMatched"] == 1


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"foo": "1"}, "foo"),
        ({"limit": "0"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "113,28,112,29"}, "bbox"),
        ({"datetime": "yesterday"}, "datetime"),
        ({"datetime": "2024-07-01/2024-06-01"}, "datetime"),
        ({"community_id": "abc"}, "community_id"),
        ({"crs": "http://www.opengis.net/def/crs/EPSG/0/3857"}, "crs"),
        ({"f": "xml"}, "f"),
    ],
)
def test_unknown_or_invalid_parameters_are_a_400_saying_what_is_wrong(client, params, parameter):
    response = client.get(ITEMS.format("grids"), params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    error = json.loads(response.content)
    assert set(error) == {"code", "description"}
    assert error["code"] in ("InvalidParameter", "InvalidParameterValue")
    assert parameter in error["description"]


def test_datetime_on_a_layer_without_time_is_a_400(client):
    response = client.get(
        ITEMS.format("grids"), {"datetime": "2024-06-20"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "“grids” has no date or time" in json.loads(response.content)["description"]


def test_one_feature_by_id_with_its_links(client, django_assert_max_num_queries):
    grid = Grid.objects.get(code="DR-03")
    with django_assert_max_num_queries(1):
        response = client.get(f"{ITEMS.format('grids')}/{grid.pk}")
    assert response["Content-Type"] == "application/geo+json"
    feature = json.loads(response.content)
    assert feature["type"] == "Feature" and feature["id"] == grid.pk
    assert feature["properties"]["code"] == "DR-03"
    rel = links(feature)
    assert rel["self"]["type"] == "application/geo+json"
    assert rel["collection"]["href"].endswith("/ogcapi/collections/grids?f=json")


@pytest.mark.parametrize("feature_id", ["999999999", "abc", "-1", "9" * 30])
def test_a_missing_feature_is_a_404(client, feature_id):
    error = get_json(client, f"{ITEMS.format('grids')}/{feature_id}", status=404)
    assert error["code"] == "NotFound"


def test_rows_of_a_members_layer_stay_in_their_community(client, members_layer):
    mine = make_facility(kind="fitness_court")
    other = make_facility(kind="fitness_court")
    client.force_login(make_member(mine.community).user)
    page = get_json(client, ITEMS.format(members_layer.name))
    assert [f["id"] for f in page["features"]] == [mine.pk]
    get_json(client, f"{ITEMS.format(members_layer.name)}/{other.pk}", status=404)


def test_the_items_page_in_html_has_a_map_a_table_and_paging(client):
    response = client.get(
        ITEMS.format("grids"), {"f": "html", "limit": 5}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert f"Features 1–5 of {Grid.objects.count()}" in html
    assert 'id="ogc-map"' in html and "ogcapi/items-map.js" in html
    assert 'rel="next"' in html and "offset=5" in html
    assert "DR-01" in html


def test_an_empty_page_in_html_says_so(client):
    html = client.get(
        ITEMS.format("grids"), {"f": "html", "code": "NO-SUCH"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "No features match" in html and 'id="ogc-map"' not in html


def test_a_bad_parameter_in_html_is_a_400_page(client):
    response = client.get(
        ITEMS.format("grids"), {"f": "html", "limit": "x"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "limit must be a whole number" in response.content.decode()
