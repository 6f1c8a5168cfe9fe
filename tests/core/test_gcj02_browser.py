"""The map on an AMap (GCJ-02) basemap in headless Chromium: overlays drawn where AMap shows
the place, clicks read back in WGS 84, the browser's port equal to the Python module; and
the map's export control. Tile requests are answered here, so nothing leaves the machine."""

import io
import json
import math

import pytest
from django.conf import settings as settings_module
from PIL import Image

from apps.core.gcj02 import gcj02_to_wgs84, wgs84_to_gcj02
from apps.facilities.models import Facility
from apps.regions.models import Grid

pytestmark = pytest.mark.browser
ZOOM = 16  # facility markers stop clustering here
TILE = 256


def png_tile() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (TILE, TILE), (200, 220, 200, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def world_pixel(lon, lat, zoom):
    """Web Mercator pixel of lon/lat in the whole world at `zoom` (slippy-map formulas)."""
    size = TILE * 2**zoom
    x = (lon + 180.0) / 360.0 * size
    y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * size
    return x, y


@pytest.fixture
def amap_page(page, settings):
    """The map page with AMap first and OpenStreetMap second; tiles answered locally."""
    settings.GRIDMAP_BASEMAP = "amap,osm"
    tile = png_tile()
    requested = []

    def answer(route):
        requested.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=tile)

    page.route("https://*.is.autonavi.com/**", answer)
    page.route("https://tile.openstreetmap.org/**", answer)
    # Keep a handle on the Leaflet map, which django-leaflet does not put in a global.
    page.add_init_script(
        "window.addEventListener('map:init', (e) => { window.gmMap = e.detail.map; });"
    )
    page.requested_tiles = requested
    return page


def open_map(page, server):
    page.goto(f"{server.url}/map/")
    page.wait_for_function("() => window.gmMap && document.getElementById('map').dataset.gmDatum")


def wait_until_drawn(page):
    page.wait_for_function(
        """() => {
            const d = document.getElementById('map').dataset;
            const states = Object.keys(d).filter((k) => k.startsWith('gmState')).map((k) => d[k]);
            return states.length && states.every((s) => s !== 'loading');
        }"""
    )


def show(page, lon, lat, zoom=ZOOM):
    page.evaluate(
        "([lat, lon, z]) => window.gmMap.setView([lat, lon], z, {animate: false})", [lat, lon, zoom]
    )
    wait_until_drawn(page)


def tile_box(page, x, y, z, host="autonavi"):
    """Screen box of the tile image (x, y, z) of the given tile server."""
    selector = f"img.leaflet-tile[src*='{host}'][src*='x={x}&'][src*='y={y}&'][src*='z={z}']"
    if host == "openstreetmap":
        selector = f"img.leaflet-tile[src*='/{z}/{x}/{y}.png']"
    tile = page.locator(selector).first
    tile.wait_for()
    return tile.bounding_box()


def screen_position(page, lon, lat, zoom, host="autonavi"):
    """Where lon/lat (in the tile server's datum) is on screen, found through its tile."""
    px, py = world_pixel(lon, lat, zoom)
    tx, ty = int(px // TILE), int(py // TILE)
    box = tile_box(page, tx, ty, zoom, host)
    return box["x"] + px - tx * TILE, box["y"] + py - ty * TILE


def marker_centre(page, name):
    # Clustered markers glide into place with a CSS transition (0.3 s) and a busy machine may
    # skip frames: read the position only once no cluster animation runs and the marker has
    # stayed put for half a second.
    page.wait_for_function(
        """(title) => new Promise((resolve) => {
            const find = () => document.querySelector(`.gm-facility-marker[title="${title}"]`);
            const el = find();
            if (!el || document.querySelector('.leaflet-cluster-anim')) return resolve(false);
            const a = el.getBoundingClientRect();
            setTimeout(() => {
                const now = find();
                if (now !== el || document.querySelector('.leaflet-cluster-anim')) {
                    return resolve(false);
                }
                const b = el.getBoundingClientRect();
                resolve(a.x === b.x && a.y === b.y);
            }, 500);
        })""",
        arg=name,
    )
    box = page.locator(f".gm-facility-marker[title='{name}']").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def settled(page, name, lon, lat, host="autonavi"):
    """The marker's centre and where (lon, lat) is on the tiles, read together until two
    readings half a second apart agree (the map may still be resizing or panning)."""
    previous = None
    for _ in range(10):
        reading = (marker_centre(page, name), screen_position(page, lon, lat, ZOOM, host))
        if reading == previous:
            break
        previous = reading
        page.wait_for_timeout(500)
    return reading


def test_overlays_are_drawn_where_amap_shows_the_place(demo_live_server, amap_page):
    page = amap_page
    square = Facility.objects.get(name="东瑞社区健身广场")  # a point
    lon, lat = square.geom.coords
    open_map(page, demo_live_server)
    assert page.evaluate("document.getElementById('map').dataset.gmDatum") == "gcj02"
    show(page, lon, lat)

    drawn, shifted = settled(page, square.name, *wgs84_to_gcj02(lon, lat))
    unshifted = screen_position(page, lon, lat, ZOOM)
    assert drawn == pytest.approx(shifted, abs=1.5)
    # The shift is real: ~665 m, some 300 px at zoom 16 in Changsha.
    assert math.dist(drawn, unshifted) > 200
    assert any("autonavi.com" in url for url in page.requested_tiles)


def test_a_click_on_amap_is_read_back_in_wgs84(demo_live_server, amap_page):
    page = amap_page
    grid = Grid.objects.get(code="DR-03")
    lon, lat = grid.boundary.point_on_surface.coords
    open_map(page, demo_live_server)
    show(page, lon, lat)
    # "preclick" reaches the map even when the click lands on a feature that opens a popup.
    page.evaluate("window.gmMap.once('preclick', (e) => { window.gmClicked = e.latlng; })")

    x, y = screen_position(page, *wgs84_to_gcj02(lon, lat), ZOOM)
    page.mouse.click(x, y)

    clicked = page.evaluate("window.gmClicked")
    # One screen pixel at zoom 16 is ~2 m, ~2e-5°.
    assert (clicked["lng"], clicked["lat"]) == pytest.approx((lon, lat), abs=3e-5)


def test_switching_to_a_wgs84_basemap_moves_the_overlays_back(demo_live_server, amap_page):
    page = amap_page
    square = Facility.objects.get(name="东瑞社区健身广场")
    lon, lat = square.geom.coords
    open_map(page, demo_live_server)
    page.locator(".leaflet-control-layers-base label", has_text="OpenStreetMap").locator(
        "input"
    ).check()
    page.wait_for_function("() => document.getElementById('map').dataset.gmDatum === 'wgs84'")
    show(page, lon, lat)

    drawn, expected = settled(page, square.name, lon, lat, "openstreetmap")
    assert drawn == pytest.approx(expected, abs=1.5)


def test_the_browsers_conversion_equals_the_python_one(page):
    # The module alone, served from a made-up loopback origin: no server, no database.
    source = (settings_module.BASE_DIR / "apps/maps/static/maps/gcj02.js").read_text()
    origin = "http://localhost:9/"
    page.route(
        f"{origin}gcj02.js",
        lambda route: route.fulfill(body=source, content_type="text/javascript"),
    )
    page.route(
        origin,
        lambda route: route.fulfill(
            body="<!doctype html><title>gcj02</title>", content_type="text/html"
        ),
    )
    page.goto(origin)
    points = [
        (112.98, 28.19),
        (121.5272106, 31.1774276),
        (87.6, 43.8),
        (2.35, 48.85),
        (113.03, 28.19),
    ]
    got = page.evaluate(
        """async (points) => {
            const gcj = await import('/gcj02.js');
            return points.map(([x, y]) => [gcj.wgs84ToGcj02(x, y), gcj.gcj02ToWgs84(x, y)]);
        }""",
        points,
    )
    for (lon, lat), (forward, inverse) in zip(points, got, strict=True):
        assert forward == pytest.approx(wgs84_to_gcj02(lon, lat), abs=1e-12)
        assert inverse == pytest.approx(gcj02_to_wgs84(lon, lat), abs=1e-12)


def test_the_export_control_downloads_the_features_in_view(demo_live_server, page, tmp_path):
    page.goto(f"{demo_live_server.url}/map/")
    wait_until_drawn(page)
    control = page.locator(".gm-export")
    control.locator("summary").click()
    control.locator(".gm-export-layer select").select_option("grids")
    control.locator(".gm-export-format select").select_option("geojson")
    href = control.locator(".gm-export-link").get_attribute("href")
    assert href.startswith("/export/grids?bbox=") and href.endswith("format=geojson")

    with page.expect_download() as download:
        control.locator(".gm-export-link").click()
    path = tmp_path / "grids.geojson"
    download.value.save_as(path)
    assert download.value.suggested_filename == "grids.geojson"
    codes = {f["properties"]["code"] for f in json.loads(path.read_text())["features"]}
    assert codes and codes <= set(Grid.objects.values_list("code", flat=True))
