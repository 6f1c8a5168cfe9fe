"""Big layers (buildings, reports) switch from GeoJSON to vector tiles when a view holds more
features than GRIDMAP_MAP_TILE_THRESHOLD; clicks on tiled features still open popups."""

import pytest
from django.contrib.gis.db.models.functions import PointOnSurface

from apps.regions.models import Building
from tests.maps.test_map_browser import open_map

pytestmark = pytest.mark.browser

# map.js keeps the Leaflet map to itself; the test catches it as django-leaflet announces it.
CATCH_MAP = "window.addEventListener('map:init', (e) => { window.gmMap = e.detail.map; });"


def building_mode(page):
    return page.evaluate("document.getElementById('map').dataset.gmModeBuildings")


def record_tile_requests(page):
    urls = []
    page.on("request", lambda request: urls.append(request.url) if ".pbf" in request.url else None)
    return urls


def test_with_a_low_threshold_buildings_come_from_vector_tiles_and_open_popups(
    demo_live_server, page, settings
):
    settings.GRIDMAP_MAP_TILE_THRESHOLD = 1
    tiles = record_tile_requests(page)
    page.add_init_script(CATCH_MAP)
    building = (
        Building.objects.filter(community__code="DR")
        .annotate(inside=PointOnSurface("footprint"))
        .order_by("number")
        .first()
    )
    open_map(page, demo_live_server, as_user="gridworker")  # a Dongrui grid worker

    # Zoom to the building (a point on its surface, so a click there lands on it).
    page.evaluate(
        "([lat, lon]) => window.gmMap.setView([lat, lon], 18, {animate: false})",
        [building.inside.y, building.inside.x],
    )
    page.wait_for_function(
        """() => {
            const d = document.getElementById("map").dataset;
            return d.gmModeBuildings === "tiles" && d.gmStateBuildings === "ready"
                && document.querySelector(".leaflet-gm-buildings-pane path.gm-layer-buildings");
        }"""
    )
    assert any("/tiles/buildings/18/" in url for url in tiles)
    assert page.locator(".leaflet-gm-buildings-pane .leaflet-tile-container").count() > 0

    x, y = page.evaluate(
        """([lat, lon]) => {
            const p = window.gmMap.latLngToContainerPoint([lat, lon]);
            const box = window.gmMap.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        [building.inside.y, building.inside.x],
    )
    page.mouse.click(x, y)

    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert building.number in popup.locator(".gm-popup-title").inner_text()
    assert "东瑞社区" in popup.inner_text()


def test_with_the_default_threshold_buildings_stay_geojson(demo_live_server, page):
    tiles = record_tile_requests(page)
    open_map(page, demo_live_server, as_user="gridworker")

    assert building_mode(page) == "geojson"
    assert page.locator("path.gm-layer-buildings").count() > 0
    assert not [url for url in tiles if "/tiles/buildings/" in url]
