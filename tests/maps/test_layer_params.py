"""Bad query parameters of the layer endpoints: a 400 that says what was wrong, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


def error(client, query, language="en", layer="grids"):
    response = client.get(f"/api/layers/{layer}.geojson?{query}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("bbox=112,28,113", "bbox must be four comma-separated numbers"),
        ("bbox=112,28,113,29,30", "got 5 value(s)"),
        ("bbox=112,north,113,29", "“north” is not one"),
        ("bbox=112,28,nan,29", "“nan” is not one"),
        ("bbox=112,28,inf,29", "“inf” is not one"),
        ("bbox=28,112,29,113", "latitudes must be between -90 and 90"),
        ("bbox=200,28,201,29", "longitudes must be between -180 and 180"),
        ("bbox=113,28,112,29", "minimum longitude 113 is greater than its maximum 112"),
        ("bbox=112,29,113,28", "minimum latitude 29 is greater than its maximum 28"),
    ],
)
def test_a_bad_bbox_is_refused_with_what_was_wrong(client, query, message):
    body = error(client, query)
    assert body["parameter"] == "bbox"
    assert message in body["detail"]


@pytest.mark.parametrize("limit", ["0", "-5", "10001", "ten", "1.5"])
def test_a_bad_limit_is_refused_with_the_allowed_range(client, limit):
    body = error(client, f"limit={limit}")
    assert body["parameter"] == "limit"
    assert "limit must be a whole number from 1 to 10000" in body["detail"]


@pytest.mark.parametrize("community", ["abc", "-1", "1.0", "99999999999999999999"])
def test_a_bad_community_is_refused(client, community):
    body = error(client, f"community={community}")
    assert body["parameter"] == "community"
    assert "community must be a community id" in body["detail"]


def test_errors_are_in_the_users_language(client):
    body = error(client, "bbox=112,28,113", language="zh-hans")
    assert "bbox 必须是" in body["detail"]


def test_an_unknown_layer_is_a_404_naming_the_layers_there_are(client):
    response = client.get("/api/layers/sewers.geojson", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "There is no map layer named “sewers”" in detail
    assert "grids" in detail and "facilities" in detail


def test_an_empty_bbox_means_no_bbox(client):
    response = client.get("/api/layers/grids.geojson?bbox=&limit=")
    assert response.status_code == 200


def test_layers_are_read_only(client):
    assert client.post("/api/layers/grids.geojson").status_code == 405
