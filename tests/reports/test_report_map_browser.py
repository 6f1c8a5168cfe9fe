"""The report page's map on a phone (360 px) with no basemap, as 张阿姨 would use it: it opens
where she can orient herself by names (her community, or a chooser of communities), a search
finds her building, a tap outside every community is refused at once with the nearest one
offered, a tap inside is confirmed in words, and a report is filed end to end without losing
anything she typed. Pages are read in Chinese, the default language."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from apps.accounts.models import User
from apps.regions.models import Building, Community
from apps.reports.models import Category, Report

pytestmark = pytest.mark.browser

CAPTURE_MAPS = """
window.__gmMaps = {};
window.addEventListener("map:init", (event) => {
  const map = event.detail.map;
  window.__gmMaps[map.getContainer().id] = map;
});
"""
READY = "#report-map[data-rp-ready='1'][data-rp-area='ready']"
# Demo geometry: between buildings D2-1 and D2-2 of 中交中央公园D2 (Dongrui, grid DR-02),
# and a point about 115 m west of Dongrui, in no community.
BETWEEN_D2_BUILDINGS = (28.19150, 113.02995)
WEST_OF_DONGRUI = (28.1890, 113.0248)


def open_report_page(page, server, username=None):
    page.add_init_script(CAPTURE_MAPS)
    if username:
        client = Client()
        client.force_login(User.objects.get(username=username))
        page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}]
        )
    page.goto(f"{server.url}/report/")
    page.wait_for_selector(READY)


def map_call(page, expression):
    """Evaluate `expression` with `map` the report page's Leaflet map."""
    return page.evaluate(
        f"() => {{ const map = window.__gmMaps['report-map']; return {expression}; }}"
    )


def map_centre(page):
    lat, lon = map_call(page, "[map.getCenter().lat, map.getCenter().lng]")
    return Point(lon, lat, srid=4326)


def tap_map_at(page, lat, lon):
    page.locator("#report-map").scroll_into_view_if_needed()
    x, y = page.evaluate(
        "([lat, lon]) => { const map = window.__gmMaps['report-map'];"
        " const p = map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lat, lon],
    )
    box = page.locator("#report-map").bounding_box()
    assert 0 <= x <= box["width"] and 0 <= y <= box["height"], "the place is not in view"
    page.mouse.click(box["x"] + x, box["y"] + y)


def compound_label(page, name):
    return page.locator(".rf-label-compound", has_text=name)


def building_label(page, number):
    """The visible part of a building's label: "1栋" a step out, "D2-1栋" close up."""
    return page.locator(
        ".rf-label-building", has=page.locator(f".rf-label-full:text-is('{number}')")
    )


def test_an_anonymous_resident_picks_her_community_and_sees_compounds_and_buildings_named(
    demo_live_server, phone_page
):
    page = phone_page
    open_report_page(page, demo_live_server)

    # No membership, no shared location: big buttons with the communities' names.
    chooser = page.locator("#community-chooser")
    assert chooser.is_visible()
    names = chooser.locator(".rf-chooser-name").all_inner_texts()
    assert sorted(names) == sorted(Community.objects.values_list("name", flat=True))
    assert page.locator(".rf-label-community", has_text="东瑞社区").is_visible()

    chooser.locator("button", has_text="东瑞社区").click()
    assert chooser.is_hidden()
    compound_label(page, "中交中央公园D2").wait_for()
    dongrui = Community.objects.get(name="东瑞社区")
    assert dongrui.boundary.envelope.contains(map_centre(page))
    label = building_label(page, "D2-1栋")
    label.wait_for()
    assert label.inner_text() == "1栋"  # a step out: the compound says which D2
    # Readable on a phone: compound names at 14 px or more, nothing cut to nothing.
    size = compound_label(page, "中交中央公园D2").evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)"
    )
    assert size >= 14
    # Zoomed in, buildings carry their full numbers.
    map_call(page, "map.setZoom(17, { animate: false })")
    page.wait_for_selector("#report-map[data-rf-labels='near']")
    assert building_label(page, "D2-1栋").inner_text() == "D2-1栋"


def test_the_demo_resident_opens_at_her_community_with_its_names_on_the_map(
    demo_live_server, phone_page
):
    page = phone_page
    open_report_page(page, demo_live_server, "resident")
    assert page.locator("#community-chooser").is_hidden()
    compound_label(page, "中交中央公园D2").wait_for()
    building_label(page, "D2-1栋").wait_for()
    assert Community.objects.get(name="东瑞社区").boundary.envelope.contains(map_centre(page))
    assert map_call(page, "map.getZoom()") >= 16


def test_searching_d2_finds_the_building_pans_to_it_and_pins_it(demo_live_server, phone_page):
    page = phone_page
    open_report_page(page, demo_live_server)
    page.fill("#place-q", "D2")
    page.wait_for_selector("#place-search[data-state='ready']")
    names = page.locator("#place-results [role=option] .gm-search-name").all_inner_texts()
    # The compound first, then its four buildings (the nearest to the map's centre first).
    assert names[0] == "中交中央公园D2"
    assert sorted(names[1:]) == ["D2-1栋", "D2-2栋", "D2-3栋", "D2-4栋"]

    # The keyboard is enough: arrow down to D2-1栋, Enter picks it.
    for _ in range(names.index("D2-1栋") + 1):
        page.press("#place-q", "ArrowDown")
    assert page.locator("#place-results [aria-selected=true]").inner_text().startswith("D2-1栋")
    page.press("#place-q", "Enter")
    page.wait_for_selector("#pin-status[data-state='pinned']")

    building = Building.objects.get(number="D2-1栋")
    # The map is on the building: its centre within 30 m (about 0.0003°) of the footprint.
    assert building.footprint.distance(map_centre(page)) < 0.0003
    assert "已标记：中交中央公园D2 D2-1栋附近" in page.locator("#pin-status").inner_text()
    pinned = Point(
        float(page.input_value("#id_lon")), float(page.input_value("#id_lat")), srid=4326
    )
    assert building.footprint.distance(pinned) < 0.0001
    assert building_label(page, "D2-1栋").is_visible()
    assert page.locator("#community-chooser").is_hidden()


def test_a_tap_outside_every_community_is_refused_at_once_and_the_nearest_is_offered(
    demo_live_server, phone_page
):
    page = phone_page
    open_report_page(page, demo_live_server, "resident")
    page.fill("#id_description", "楼道灯不亮")
    map_call(page, "map.setView([28.1895, 113.0275], 15, { animate: false })")

    tap_map_at(page, *WEST_OF_DONGRUI)
    page.wait_for_selector("#pin-status[data-state='refused']", timeout=3000)
    refusal = page.locator("#pin-refusal")
    assert refusal.is_visible()
    assert "不在本服务覆盖的社区范围内" in refusal.inner_text()
    assert "图钉没有放在那里" in refusal.inner_text()
    assert page.locator(".rp-pin").count() == 0  # no pin where she tapped
    assert page.locator(".rf-refused").count() == 1  # a grey cross instead
    assert page.input_value("#id_lat") == ""
    assert page.input_value("#id_description") == "楼道灯不亮"  # nothing she typed is lost

    go = page.locator("#nearest-community")
    assert go.inner_text() == "去东瑞社区"
    go.click()
    assert refusal.is_hidden()
    assert Community.objects.get(name="东瑞社区").boundary.envelope.contains(map_centre(page))

    # Inside, the confirmation names the place.
    tap_map_at(page, *BETWEEN_D2_BUILDINGS)
    page.wait_for_selector("#pin-status[data-state='pinned']")
    assert "已标记：中交中央公园D2内" in page.locator("#pin-status").inner_text()
    assert page.locator(".rp-pin").count() == 1


def test_the_demo_resident_files_a_report_found_by_search_and_nothing_is_lost_on_the_way(
    demo_live_server, phone_page
):
    page = phone_page
    open_report_page(page, demo_live_server, "resident")
    page.fill("#place-q", "中交中央公园 D2-1")
    page.press("#place-q", "Enter")  # the only result, picked at once
    page.wait_for_selector("#pin-status[data-state='pinned']")
    page.select_option("#id_category", value=str(Category.objects.get(code="repair").pk))
    page.fill("#id_description", "D2-1栋三楼楼道灯不亮")

    # The network drops on the first try: an error in words, and the form is as she left it.
    page.route(
        "**/report/",
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    page.click("#submit-report")
    page.wait_for_selector("#report-form[data-state='error']", state="attached")
    assert page.locator("#form-error").inner_text()
    assert page.input_value("#id_description") == "D2-1栋三楼楼道灯不亮"
    assert page.input_value("#id_lat") != ""
    page.unroute("**/report/")

    page.click("#submit-report")
    page.wait_for_selector("#report-form[data-state='done']", state="attached")
    report = Report.objects.get(code=page.locator("#done-code").inner_text())
    assert report.reporter == User.objects.get(username="resident")
    assert report.description == "D2-1栋三楼楼道灯不亮"
    assert report.grid.code == "DR-02"
    assert Building.objects.get(number="D2-1栋").footprint.distance(report.location) < 0.0001


def test_with_her_location_shared_the_map_opens_at_the_nearest_community(
    demo_live_server, phone_page
):
    page = phone_page
    # She allowed this site her location before, and stands just west of Dongrui.
    page.context.grant_permissions(["geolocation"], origin=demo_live_server.url)
    page.context.set_geolocation({"latitude": WEST_OF_DONGRUI[0], "longitude": WEST_OF_DONGRUI[1]})
    open_report_page(page, demo_live_server)
    page.wait_for_selector("#community-chooser", state="hidden")
    compound_label(page, "中交中央公园D2").wait_for()
    assert Community.objects.get(name="东瑞社区").boundary.envelope.contains(map_centre(page))
    assert page.input_value("#id_lat") == ""  # opening there is not pinning there
