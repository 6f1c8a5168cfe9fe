"""The map page in headless Chromium, on the demo data: layers drawn, popups, languages."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.gis.geos import Polygon
from django.test import Client

from apps.accounts.models import User
from apps.core.geo import GeodesicArea, GeodesicLength
from apps.facilities.models import Facility, FacilityKind
from apps.regions.models import Community, Grid

pytestmark = pytest.mark.browser
LAYERS = ["communities", "grids", "compounds", "buildings", "facilities"]


def open_map(page, server, *, as_user=None):
    """Open /map/ (logged in as `as_user` if given) and wait until no layer is loading."""
    if as_user:
        client = Client()
        client.force_login(User.objects.get(username=as_user))
        page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}]
        )
    page.goto(f"{server.url}/map/")
    wait_for_layers(page)


def wait_for_layers(page):
    page.wait_for_function(
        """names => names.every(name => {
            const key = "gmState" + name[0].toUpperCase() + name.slice(1);
            const state = document.getElementById("map").dataset[key];
            return state && state !== "loading";
        })""",
        arg=LAYERS,
    )


def layer_data(page, name):
    """The state, feature count and request bbox the page recorded for a layer."""
    suffix = name[0].upper() + name[1:]
    return page.evaluate(
        """suffix => {
            const d = document.getElementById("map").dataset;
            return {state: d["gmState" + suffix], count: Number(d["gmCount" + suffix]),
                    bbox: (d["gmBbox" + suffix] || "").split(",").map(Number)};
        }""",
        suffix,
    )


def drawn_facilities(page):
    """Facilities on screen: single markers, lines and areas, plus the members of clusters."""
    markers = page.locator(".leaflet-marker-pane .gm-facility-marker").count()
    shapes = page.locator("path.gm-layer-facilities").count()
    clustered = sum(int(text) for text in page.locator(".marker-cluster span").all_inner_texts())
    return markers + shapes + clustered


def envelope(bbox):
    return Polygon.from_bbox(bbox)


def set_layer_visible(page, title, visible):
    box = page.locator(".leaflet-control-layers-overlays label", has_text=title).locator("input")
    box.set_checked(visible)
    wait_for_layers(page)


def whole(number):
    # As the page shows it: rounded half away from zero, thousands separated by commas.
    return f"{int(Decimal(str(number)).quantize(Decimal(1), rounding=ROUND_HALF_UP)):,}"


def test_anonymous_visitors_see_every_community_and_its_grids(demo_live_server, page):
    open_map(page, demo_live_server)

    communities = layer_data(page, "communities")
    grids = layer_data(page, "grids")
    assert communities["count"] == Community.objects.count()
    assert page.locator("path.gm-layer-communities").count() == Community.objects.count()
    in_view = Grid.objects.filter(boundary__intersects=envelope(grids["bbox"])).count()
    assert in_view == Grid.objects.count()  # the whole demo fits the first view
    assert page.locator("path.gm-layer-grids").count() == grids["count"] == in_view


def test_a_members_map_fits_their_community_with_every_layer_drawn(demo_live_server, page):
    open_map(page, demo_live_server, as_user="gridworker")  # a Dongrui grid worker

    states = {name: layer_data(page, name)["state"] for name in LAYERS}
    assert states == dict.fromkeys(LAYERS, "ready")
    grids = layer_data(page, "grids")
    grids_in_view = Grid.objects.filter(boundary__intersects=envelope(grids["bbox"]))
    assert page.locator("path.gm-layer-grids").count() == grids_in_view.count() > 0
    labels = set(page.locator(".gm-grid-label").all_inner_texts())
    assert labels == set(grids_in_view.values_list("code", flat=True))

    facilities = layer_data(page, "facilities")
    in_view = Facility.objects.filter(geom__intersects=envelope(facilities["bbox"])).count()
    assert drawn_facilities(page) == facilities["count"] == in_view > 0


def test_clicking_a_grid_shows_its_code_community_and_area(demo_live_server, page):
    open_map(page, demo_live_server, as_user="gridworker")
    for title in ("小区", "楼栋", "设施"):  # uncover the grids
        set_layer_visible(page, title, False)
    grid = Grid.objects.annotate(area=GeodesicArea("boundary")).get(code="DR-03")

    label = page.locator(".gm-grid-label", has_text="DR-03").bounding_box()
    page.mouse.click(label["x"] + label["width"] / 2, label["y"] + label["height"] / 2)

    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "网格 DR-03" in text
    assert "东瑞社区" in text
    assert f"{whole(round(grid.area, 1))} 平方米" in text


def test_clicking_the_culture_corridor_shows_its_length_in_metres(demo_live_server, page):
    open_map(page, demo_live_server, as_user="gridworker")
    corridor = Facility.objects.annotate(m=GeodesicLength("geom")).get(
        kind=FacilityKind.CULTURE_CORRIDOR, community__code="DR"
    )
    line = page.locator("path.gm-kind-culture_corridor")
    # A point on the drawn line (not the centre of its bounding box, which is off an L-shape).
    x, y = line.evaluate(
        """path => {
            for (const f of [0.2, 0.4, 0.6, 0.8]) {
                const p = path.getPointAtLength(path.getTotalLength() * f);
                const s = new DOMPoint(p.x, p.y).matrixTransform(path.getScreenCTM());
                if (document.elementFromPoint(s.x, s.y) === path) return [s.x, s.y];
            }
            return null;
        }"""
    )
    page.mouse.click(x, y)

    text = page.locator(".leaflet-popup-content").inner_text()
    assert corridor.name in text
    assert "文化长廊" in text
    assert f"{whole(round(corridor.m, 1))} 米" in text
    assert corridor.m > 300  # the demo corridor is "over 400 m" long; degrees would be < 1


def test_the_page_shows_while_a_layer_loads_and_says_when_it_failed(demo_live_server, page):
    # The grids' answer is held until the loading state has been seen, then fails. The page
    # marks the layer "loading" before it fetches, and Playwright hands the request to this
    # handler later still (more so under load): a request that arrives after the release
    # fails at once, so none is left hanging.
    held, released = [], []

    def hold_then_fail(route):
        if released:
            route.fulfill(status=500, body="")
        else:
            held.append(route)

    page.route("**/api/layers/grids.geojson*", hold_then_fail)
    page.goto(f"{demo_live_server.url}/map/")
    page.wait_for_function(
        "() => document.getElementById('map').dataset.gmStateGrids === 'loading'"
    )
    status = page.locator("#map-status")
    assert status.is_visible() and "正在加载" in status.inner_text()

    released.append(True)
    for route in held:
        route.fulfill(status=500, body="")
    wait_for_layers(page)

    assert layer_data(page, "grids")["state"] == "error"
    error = page.locator("#map-error")
    assert error.is_visible() and "无法加载“网格”" in error.inner_text()
    assert not status.is_visible()
    assert layer_data(page, "communities")["state"] == "ready"  # the others still work


def test_switching_to_english_translates_the_map(demo_live_server, page):
    open_map(page, demo_live_server)
    overlays = page.locator(".leaflet-control-layers-overlays label")
    assert [t.strip() for t in overlays.all_inner_texts()][:2] == ["社区", "网格"]
    assert page.locator(".gm-legend summary").inner_text() == "图例"

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    wait_for_layers(page)

    assert page.locator("html").get_attribute("lang") == "en"
    assert [t.strip() for t in overlays.all_inner_texts()][:5] == [
        "Communities", "Grids", "Compounds", "Buildings", "Facilities",
    ]  # fmt: skip
    assert page.locator(".gm-legend summary").inner_text() == "Legend"
    legend = page.locator(".gm-legend-kinds").inner_text()
    assert "Culture corridor" in legend and "Public toilet" in legend


def test_on_a_phone_the_map_fills_the_screen_below_the_header(demo_live_server, phone_page):
    open_map(phone_page, demo_live_server)

    viewport = phone_page.viewport_size
    header = phone_page.locator(".site-header").bounding_box()
    box = phone_page.locator("#map").bounding_box()
    assert box["x"] == 0 and box["width"] == viewport["width"] == 360
    assert box["y"] == pytest.approx(header["height"], abs=1)
    assert box["y"] + box["height"] == pytest.approx(viewport["height"], abs=1)
    # Controls fold away so the map stays usable: legend and layer switcher start closed.
    assert phone_page.locator(".gm-legend").get_attribute("open") is None
    assert not phone_page.locator(".leaflet-control-layers-list").is_visible()
    phone_page.locator(".gm-legend summary").click()
    assert phone_page.locator(".gm-legend-kinds").is_visible()


def test_a_configured_tianditu_basemap_is_drawn_under_the_layers(demo_live_server, page, settings):
    settings.GRIDMAP_BASEMAP = "tianditu"
    settings.GRIDMAP_TIANDITU_KEY = "test-key"
    tiles = []

    def stub_tile(route):
        # Answer tile requests here, so nothing leaves the machine.
        tiles.append(route.request.url)
        route.fulfill(status=204)

    page.route("https://*.tianditu.gov.cn/**", stub_tile)
    open_map(page, demo_live_server)

    assert any("LAYER=vec" in url and "tk=test-key" in url for url in tiles)
    assert any("LAYER=cva" in url for url in tiles)
    control = page.locator(".leaflet-control-layers").inner_text()
    assert "天地图" in control and "天地图注记" in control
