"""The base layers through /api/v1/: public fields, metric areas, bbox, paging, query counts."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

LAYERS = ["communities", "grids", "compounds", "buildings", "facilities"]


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_lists_features_matching_the_schema(api, openapi, layer):
    path = f"/api/v1/{layer}/"
    response = api.get(path)
    openapi.check("get", path, response)
    assert response.json()["type"] == "FeatureCollection"
    assert response.json()["count"] > 0


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_list_takes_a_fixed_number_of_queries(api, layer, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert api.get(f"/api/v1/{layer}/?page_size=500").status_code == 200


def test_buildings_never_show_a_building_heads_username_or_phone(api):
    properties = api.get("/api/v1/buildings/").json()["features"][0]["properties"]
    assert not {"building_head", "username", "phone"} & set(properties)


def test_grid_areas_are_geodesic_square_metres(api, area):
    # The test grid TG-W spans 0.005° × 0.01° at 27.6°N: about 0.005 × 111 320 × cos(27.6°)
    # × 0.01 × 110 800 ≈ 546 000 m² (spherical estimate; 1 % tolerance).
    box = "112.70,27.60,112.705,27.61"
    features = api.get(f"/api/v1/grids/?in_bbox={box}").json()["features"]
    grid = next(f for f in features if f["properties"]["code"] == "TG-W")
    assert grid["properties"]["area_m2"] == pytest.approx(546_000, rel=0.01)


def test_the_bbox_filter_keeps_features_in_the_box(api, area):
    box = "112.70,27.60,112.705,27.61"
    codes = {
        f["properties"]["code"] for f in api.get(f"/api/v1/grids/?in_bbox={box}").json()["features"]
    }
    assert "TG-W" in codes and not any(c.startswith("DR-") for c in codes)


def test_a_page_size_above_the_maximum_is_served_at_the_maximum(api):
    response = api.get("/api/v1/buildings/?page_size=100000")
    assert response.status_code == 200
    assert len(response.json()["features"]) <= 1000
