"""Property tests of the Open311 and OGC API query parameters (hypothesis).

Whatever a client sends: never a 5xx, every 4xx carries a message a person can act on in
the format asked for, and valid parameters give valid, consistent results. Each request runs
in a savepoint that is rolled back, so POSTs leave the demo data as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from apps.open311.demo import DEMO_KEY

from .fuzzkit import HOSTILE_TEXTS, changed_tables, rolled_back, row_counts

EXAMPLES = int(os.environ.get("GRIDMAP_FUZZ_EXAMPLES", "3")) * 6
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=os.environ.get("GRIDMAP_FUZZ_RANDOM") != "1",
    database=None,
)

# Values that broke parsers elsewhere: NUL, lone surrogates are not sendable, so odd digits,
# huge numbers, far dates, blank and hostile text.
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "²",
        "١٢٣",
        "9" * 30,
        "-1",
        "1e309",
        "nan",
        "inf",
        "0001-01-01",
        "9999-12-31",
        "9999-12-31T23:59:59+14:00",
        "0001-01-01T00:00:00-12:00",
        "2024-02-30",
        "..",
        "../..",
        "null",
        "[]",
        "%00",
        *HOSTILE_TEXTS,
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=40))


def _open311_errors(response: Any, fmt: str) -> list[str]:
    if fmt == "json":
        body = json.loads(response.content)
        return [str(e["description"]) for e in body]
    root = ET.fromstring(response.content)
    return [e.findtext("description") or "" for e in root.iter("error")]


def _check_open311(response: Any, fmt: str) -> Any:
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        descriptions = _open311_errors(response, fmt)
        assert descriptions and all(len(d) > 10 for d in descriptions), response.content[:300]
        return None
    return json.loads(response.content) if fmt == "json" else ET.fromstring(response.content)


@pytest.fixture
def client(db) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


# --- Open311 GeoReport v2 -------------------------------------------------------------------

REQUEST_QUERY = st.fixed_dictionaries(
    {},
    optional={
        "service_request_id": st.one_of(TEXT, st.integers(-5, 2**70).map(str)),
        "service_code": st.one_of(TEXT, st.sampled_from(["repair", "noise", "repair,noise"])),
        "start_date": st.one_of(
            TEXT, st.dates().map(str), st.datetimes().map(dt.datetime.isoformat)
        ),
        "end_date": st.one_of(TEXT, st.dates().map(str), st.datetimes().map(dt.datetime.isoformat)),
        "status": st.one_of(TEXT, st.sampled_from(["open", "closed", "open,closed", "OPEN"])),
        "jurisdiction_id": TEXT,
        "api_key": st.one_of(TEXT, st.just(DEMO_KEY)),
    },
)


@FUZZ
@given(query=REQUEST_QUERY, fmt=st.sampled_from(["json", "xml"]))
@example(query={"start_date": "9999-12-31"}, fmt="json")
@example(query={"end_date": "0001-01-01"}, fmt="json")
@example(query={"service_code": "a\x00b"}, fmt="json")
@example(query={"service_request_id": "²"}, fmt="xml")
def test_open311_requests_query_never_fails(client, query, fmt):
    with rolled_back():
        response = client.get(f"/open311/v2/requests.{fmt}", query)
    body = _check_open311(response, fmt)
    if body is not None and fmt == "json":
        for item in body:
            assert item["status"] in ("open", "closed")
            if query.get("status", "").strip().lower() in ("open", "closed"):
                assert item["status"] == query["status"].strip().lower()


SERVICE_FORM = st.fixed_dictionaries(
    {"api_key": st.one_of(st.just(DEMO_KEY), TEXT)},
    optional={
        "service_code": st.one_of(TEXT, st.sampled_from(["repair", "noise"])),
        "lat": st.one_of(TEXT, st.floats(allow_nan=True).map(str), st.just("28.1889")),
        "long": st.one_of(TEXT, st.floats(allow_nan=True).map(str), st.just("113.0317")),
        "description": TEXT,
        "address_string": TEXT,
        "email": TEXT,
        "phone": TEXT,
        "first_name": TEXT,
        "device_id": TEXT,
        "attribute[floor]": TEXT,
        "media_url": TEXT,
    },
)


@FUZZ
@given(form=SERVICE_FORM, fmt=st.sampled_from(["json", "xml"]))
@example(
    form={
        "api_key": DEMO_KEY,
        "service_code": "repair",
        "lat": "28.1889",
        "long": "113.0317",
        "description": "a\x00b",
    },
    fmt="json",
)
@example(
    form={"api_key": DEMO_KEY, "service_code": "9" * 30, "lat": "nan", "long": "inf"},
    fmt="xml",
)
def test_open311_post_never_fails_and_refusals_change_nothing(client, form, fmt):
    with rolled_back():
        before = row_counts()
        response = client.post(f"/open311/v2/requests.{fmt}", form)
        after = row_counts()
    _check_open311(response, fmt)
    if response.status_code >= 400:
        assert not changed_tables(before, after)


@FUZZ
@given(code=TEXT, fmt=st.sampled_from(["json", "xml"]))
def test_open311_service_and_token_paths_never_fail(client, code, fmt):
    from urllib.parse import quote

    for path in (f"services/{quote(code)}.{fmt}", f"tokens/{quote(code)}.{fmt}"):
        response = client.get(f"/open311/v2/{path}")
        if response.status_code == 404 and not response.content:
            continue
        _check_open311(response, fmt)


# --- OGC API – Features ----------------------------------------------------------------------

COLLECTIONS = ["communities", "grids", "buildings", "facilities", "works", "reports"]
BBOX = st.one_of(
    TEXT,
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=0, max_size=7).map(
        lambda xs: ",".join(map(str, xs))
    ),
    st.just("112.9,28.1,113.1,28.3"),
)
ITEMS_QUERY = st.fixed_dictionaries(
    {},
    optional={
        "bbox": BBOX,
        "limit": st.one_of(TEXT, st.integers(-5, 2**70).map(str)),
        "offset": st.one_of(TEXT, st.integers(-5, 2**70).map(str)),
        "datetime": st.one_of(
            TEXT,
            st.datetimes().map(lambda d: d.isoformat() + "Z"),
            st.tuples(st.dates(), st.dates()).map(lambda d: f"{d[0]}/{d[1]}"),
            st.sampled_from(["../2030-01-01", "2020-01-01/..", "9999-12-31/.."]),
        ),
        "f": st.one_of(TEXT, st.sampled_from(["json", "html", "geojson"])),
        "bbox-crs": TEXT,
        "status": TEXT,
        "name": TEXT,
        "code": TEXT,
    },
)


def _check_ogc(response: Any) -> Any:
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        if response["Content-Type"].startswith("application/json"):
            body = json.loads(response.content)
            assert len(body.get("description", "")) > 10, body
        else:
            assert len(response.content) > 10
        return None
    if response["Content-Type"].startswith(("application/geo+json", "application/json")):
        return json.loads(response.content)
    return None


@FUZZ
@given(collection=st.sampled_from(COLLECTIONS), query=ITEMS_QUERY)
@example(collection="works", query={"datetime": "9999-12-31"})
@example(collection="reports", query={"datetime": "9999-12-31/.."})
@example(collection="grids", query={"code": "a\x00b"})
@example(collection="facilities", query={"name": "\x00"})
@example(collection="buildings", query={"offset": "9" * 18})
def test_ogc_items_parameters_never_fail(client, collection, query):
    response = client.get(f"/ogcapi/collections/{collection}/items", query)
    body = _check_ogc(response)
    if body is None or "features" not in body:
        return
    limit = query.get("limit", "").strip()
    if limit.isascii() and limit.isdigit() and 1 <= int(limit) <= 10_000:
        assert len(body["features"]) <= int(limit)
    if query.get("bbox") == "112.9,28.1,113.1,28.3":
        for feature in body["features"]:
            if feature["geometry"] and feature["geometry"]["type"] == "Point":
                lon, lat = feature["geometry"]["coordinates"][:2]
                assert 112.9 <= lon <= 113.1 and 28.1 <= lat <= 28.3


@FUZZ
@given(collection=st.one_of(TEXT, st.sampled_from(COLLECTIONS)), feature=TEXT)
def test_ogc_collection_and_item_paths_never_fail(client, collection, feature):
    from urllib.parse import quote

    if not collection.strip() or not feature.strip():
        return
    _check_ogc(client.get(f"/ogcapi/collections/{quote(collection, safe='')}"))
    _check_ogc(
        client.get(
            f"/ogcapi/collections/{quote(collection, safe='')}/items/{quote(feature, safe='')}"
        )
    )


def test_ogc_valid_query_gives_the_features_of_the_window(client):
    """A valid bbox/limit/offset walks the same features as one big page."""
    everything = client.get("/ogcapi/collections/buildings/items", {"limit": "1000"})
    ids = [f["id"] for f in json.loads(everything.content)["features"]]
    assert len(ids) > 4
    first = json.loads(
        client.get("/ogcapi/collections/buildings/items", {"limit": "2", "offset": "0"}).content
    )
    second = json.loads(
        client.get("/ogcapi/collections/buildings/items", {"limit": "2", "offset": "2"}).content
    )
    assert [f["id"] for f in first["features"] + second["features"]] == ids[:4]


# --- regressions of what the fuzz found ---------------------------------------------------


def test_a_nul_character_in_a_parameter_is_a_400_in_each_apis_format(client):
    open311 = client.get("/open311/v2/requests.json", {"service_code": "a\x00b"})
    assert open311.status_code == 400
    assert "NUL" in json.loads(open311.content)[0]["description"]
    ogc = client.get("/ogcapi/collections/grids/items", {"code": "\x00"})
    assert ogc.status_code == 400 and "NUL" in ogc.json()["description"]
    api = client.get("/api/v1/reports/", {"status": "\x00"})
    assert api.status_code == 400 and "NUL" in api.json()["detail"]
    form = client.post("/report/", {"description": "a\x00b"}, HTTP_ACCEPT="application/json")
    assert form.status_code == 400 and "description" in form.json()["detail"]


def test_a_far_date_in_open311_is_a_400_not_an_overflow(client):
    for query in ({"start_date": "9999-12-31"}, {"end_date": "0001-01-01"}):
        response = client.get("/open311/v2/requests.json", query)
        assert response.status_code == 400
        assert "out of range" in json.loads(response.content)[0]["description"]


def test_an_ogc_property_called_name_filters_instead_of_failing(client):
    from apps.facilities.models import Facility

    facility = Facility.objects.order_by("pk").first()
    response = client.get("/ogcapi/collections/facilities/items", {"name": facility.name})
    assert response.status_code == 200
    names = {f["properties"]["name"] for f in response.json()["features"]}
    assert names == {facility.name}
