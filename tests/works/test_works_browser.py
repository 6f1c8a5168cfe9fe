"""The works pages in headless Chromium on the demo data: the planner's filter → table →
map flow, and the public facility map on a phone answering "nearest fitness court"."""

import re

import pytest
from pyproj import Geod

from apps.core.geo import GeodesicLength
from apps.facilities.models import Facility
from apps.works.models import Work

from .conftest import sign_in

pytestmark = pytest.mark.browser
GEOD = Geod(ellps="WGS84")


def wait_for_works_map(page):
    page.wait_for_function(
        # A function, not a bare expression: Playwright evals an expression in the page,
        # which the Content-Security-Policy (no 'unsafe-eval') refuses.
        "() => ['ready', 'error'].includes(document.getElementById('works-map').dataset.gmState)"
    )
    assert page.locator("#works-map").get_attribute("data-gm-state") == "ready"


def test_a_planner_filters_by_status_clicks_a_row_and_the_map_highlights_that_work(
    demo_live_server, page
):
    sign_in(page, demo_live_server, "planner")
    page.goto(f"{demo_live_server.url}/works/")
    wait_for_works_map(page)

    page.select_option("#id_status", "under_construction")
    page.get_by_role("button", name=re.compile("Filter|过滤|筛选")).click()
    page.wait_for_url(re.compile(r"status=under_construction"))
    wait_for_works_map(page)

    rows = page.locator("#works-table tbody tr")
    expected = set(Work.objects.filter(status="under_construction").values_list("pk", flat=True))
    shown = {int(rows.nth(i).get_attribute("data-work-id")) for i in range(rows.count())}
    assert shown == expected
    # The map draws the same works as the table, each in the status colour.
    assert page.locator("#works-map").get_attribute("data-gm-count") == str(len(expected))

    row = rows.nth(2)
    work_id = row.get_attribute("data-work-id")
    row.locator("td").nth(2).click()
    page.wait_for_function(
        "id => document.getElementById('works-map').dataset.gmSelected === id", arg=work_id
    )
    assert row.get_attribute("aria-selected") == "true"
    shape = page.locator(f"#works-map .gm-work-{work_id}")
    assert shape.get_attribute("stroke-width") == "6"  # highlighted
    # The map panned to it: the work's point is inside the visible map.
    box, map_box = shape.bounding_box(), page.locator("#works-map").bounding_box()
    centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert map_box["x"] < centre_x < map_box["x"] + map_box["width"]
    assert map_box["y"] < centre_y < map_box["y"] + map_box["height"]

    # And back: clicking another work on the map highlights its row.
    other_id = rows.nth(0).get_attribute("data-work-id")
    # .first: a work on several spots (the D4 elevators) draws one marker for each.
    page.locator(f"#works-map .gm-work-{other_id}").first.dispatch_event("click")
    page.wait_for_function(
        "id => document.querySelector(`tr[data-work-id='${id}']`).ariaSelected === 'true'",
        arg=other_id,
    )
    assert row.get_attribute("aria-selected") == "false"


def test_the_planner_sees_programme_progress_and_a_timeline_chart(demo_live_server, page):
    sign_in(page, demo_live_server, "planner")
    page.goto(f"{demo_live_server.url}/works/")
    wait_for_works_map(page)
    programme = page.locator(".works-programme").first
    assert "5" in programme.locator(".works-programme-count").inner_text()
    assert programme.locator(".works-bar").get_attribute("aria-valuenow") == "5"
    # Chart.js drew the timeline (a canvas with pixels, sized for the 21 rows).
    page.wait_for_function("() => document.getElementById('works-timeline').height > 300")


def test_on_a_phone_the_facility_map_finds_the_nearest_fitness_court_from_the_location(
    demo_live_server, located_phone
):
    square = Facility.objects.get(name="东瑞社区健身广场")
    # Stand 0.0015° east and 0.0005° south of the fitness square.
    lon, lat = square.geom.x + 0.0015, square.geom.y - 0.0005
    expected_m = GEOD.inv(lon, lat, square.geom.x, square.geom.y)[2]  # Karney, WGS 84
    page = located_phone(lon, lat)
    page.goto(f"{demo_live_server.url}/facilities/")
    page.wait_for_function(
        "() => document.getElementById('facility-map').dataset.gmStateFacilities === 'ready'"
    )
    assert page.locator("#nearest-kind").input_value() == "fitness_court"
    page.locator("#nearest-locate").tap()
    page.wait_for_function("() => document.getElementById('facility-map').dataset.gmNearestM")

    metres = float(page.locator("#facility-map").get_attribute("data-gm-nearest-m"))
    assert metres == pytest.approx(expected_m, abs=0.05)  # rounded to 0.1 m by the server
    result = page.locator("#nearest-result").inner_text()
    assert "东瑞社区健身广场" in result and f"{round(expected_m)}" in result
    assert page.locator(".gm-nearest-line").count() == 1  # the line drawn to it
    assert page.locator(".gm-you-are-here").count() == 1


def test_on_a_phone_the_culture_corridor_shows_its_length_and_works_under_way_are_shown(
    demo_live_server, located_phone
):
    corridor = Facility.objects.annotate(m=GeodesicLength("geom")).get(kind="culture_corridor")
    page = located_phone(113.03, 28.19)
    page.goto(f"{demo_live_server.url}/facilities/")
    page.wait_for_function(
        "() => ['ready', 'error']"
        ".includes(document.getElementById('facility-map').dataset.gmStateComing)"
    )
    label = page.locator(".gm-corridor-label").inner_text()
    assert corridor.name in label and f"{round(corridor.m)}" in label
    coming = Work.objects.filter(status__in=["approved", "under_construction", "suspended"]).count()
    assert page.locator("#facility-map").get_attribute("data-gm-count-coming") == str(coming)
    # The page fits the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_works_map_opens_on_the_districts_works_with_community_names(demo_live_server, page):
    """On a planner's laptop the map opens where the works are, close enough to tell them
    apart, with the communities outlined and named (tests run without a basemap)."""
    from apps.regions.models import Community

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, demo_live_server, "planner")
    page.goto(f"{demo_live_server.url}/works/")
    wait_for_works_map(page)
    page.wait_for_function("() => document.getElementById('works-map').dataset.gmView")
    page.wait_for_timeout(300)  # let the last fit settle
    container = page.locator("#works-map")
    west, south, east, north = map(float, container.get_attribute("data-gm-view").split(","))
    # Fitted to the demo's Furong communities (东瑞, 马王堆, 朝阳), where 18 of the 21 works
    # are: all of them in view, and the view not much wider than they are (the map is taller
    # than wide, so its height has room to spare).
    furong = [c.boundary.extent for c in Community.objects.filter(code__in=["DR", "MWD", "CY"])]
    x0, y0 = min(e[0] for e in furong), min(e[1] for e in furong)
    x1, y1 = max(e[2] for e in furong), max(e[3] for e in furong)
    assert west <= x0 and x1 <= east and south <= y0 and y1 <= north
    assert east - west <= 1.6 * (x1 - x0)
    # Zoom 13.5 is about 12 m a pixel here: a 700 m community is some 60 px across.
    assert float(container.get_attribute("data-gm-zoom")) >= 13.5
    # Most works are on screen: the Furong ones (18 of the 21).
    map_box = container.bounding_box()
    visible = 0
    for shape in page.locator("#works-map path.gm-work").all():
        box = shape.bounding_box()
        if box is None:
            continue
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        inside_x = map_box["x"] <= x <= map_box["x"] + map_box["width"]
        visible += inside_x and map_box["y"] <= y <= map_box["y"] + map_box["height"]
    assert visible >= 15
    # Every community is outlined and named, with its number of works.
    labels = page.locator(".works-community-label")
    assert labels.count() == Community.objects.count()
    assert "东瑞社区" in " ".join(labels.all_inner_texts())
    # The list on the map jumps to a community outside the view (师大社区, across the river).
    page.locator(".works-communities button[data-community='SD']").click()
    page.wait_for_timeout(600)
    west, south, east, north = map(float, container.get_attribute("data-gm-view").split(","))
    shida = Community.objects.get(code="SD").boundary.centroid
    assert west < shida.x < east and south < shida.y < north
