"""The map, reports and works pages open on a generated city without asking for more than
the view needs: the number and size of the requests each page makes on opening have
ceilings, and the page still shows its data.

The ceilings come from what the pages need on the small test city (about 7 km², 20,000
reports): a view of the whole city draws communities, grids, works and facilities as
GeoJSON and buildings and reports as vector tiles. A page that fetched every report, or
every building as GeoJSON, would blow through them.
"""

import pytest

from .conftest import CITY

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Data requests (not the page, scripts, styles or images) and their bytes.
STATIC = ("/static/", "/favicon")


def record(page):
    """Collect (url, bytes) of every finished request of `page`."""
    seen: list[tuple[str, int]] = []

    def finished(request):
        response = request.response()
        size = 0
        if response is not None and not 300 <= response.status < 400:
            size = len(response.body())
        seen.append((request.url, size))

    page.on("requestfinished", finished)
    return seen


def sign_in(page, server, cookie: str) -> None:
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": server.url}])


def data_requests(seen, server):
    return [
        (url, size)
        for url, size in seen
        if not url.startswith(tuple(server.url + s for s in STATIC))
    ]


LAYERS = ["communities", "grids", "buildings", "reports", "works", "facilities"]


def open_map(page, server) -> dict:
    page.goto(f"{server.url}/map/")
    page.wait_for_function(
        """layers => layers.every(n => {
            const key = "gmState" + n[0].toUpperCase() + n.slice(1);
            const state = document.getElementById("map").dataset[key];
            return state && state !== "loading";
        })""",
        arg=LAYERS,
    )
    page.wait_for_load_state("networkidle")
    return page.evaluate("Object.assign({}, document.getElementById('map').dataset)")


def assert_light(requests, *, count: int, total: int, largest: int) -> None:
    sizes = sorted((size, url) for url, size in requests)
    assert len(requests) <= count, requests
    assert sum(size for size, _url in sizes) <= total, sizes[-5:]
    assert sizes[-1][0] <= largest, sizes[-1]
    # No layer was asked for without a bbox.
    assert all("bbox=" in url for url, _ in requests if "/api/layers/" in url), requests


def test_the_map_opens_on_the_whole_city_with_few_small_requests(page, city_server):
    seen = record(page)
    data = open_map(page, city_server)
    # The city (and the demo's communities beside it) is drawn.
    assert int(data["gmCountCommunities"]) >= CITY.communities
    assert data["gmStateCommunities"] == "ready"
    assert_light(data_requests(seen, city_server), count=40, total=1_500_000, largest=600_000)


def test_the_map_at_street_level_draws_reports_from_tiles_or_a_bounded_request(
    page, city_server, city_sessions
):
    # A community admin's map opens on their community: street level, reports in view.
    sign_in(page, city_server, city_sessions["community_admin"])
    seen = record(page)
    data = open_map(page, city_server)
    assert data["gmStateReports"] == "ready"
    assert data.get("gmModeReports") == "tiles" or int(data["gmCountReports"]) > 0
    assert data["gmStateBuildings"] == "ready"
    assert int(data["gmCountGrids"]) > 0
    requests = data_requests(seen, city_server)
    assert any("/tiles/reports/" in url for url, _ in requests) or data["gmCountReports"]
    assert_light(requests, count=80, total=3_000_000, largest=600_000)


def test_the_reports_console_opens_with_one_page_and_the_reports_of_its_community(
    page, city_server, city_sessions
):
    sign_in(page, city_server, city_sessions["community_admin"])
    seen = record(page)
    page.goto(f"{city_server.url}/reports/")
    page.wait_for_function(
        "() => ['ready', 'error'].includes(document.getElementById('console-map').dataset.rpState)"
    )
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.getElementById('console-map').dataset.rpState") == "ready"
    assert int(page.evaluate("document.getElementById('console-map').dataset.rpCount")) > 0
    # One page of the list, not the community's whole year.
    assert 0 < page.locator("#report-list tr[data-report-id]").count() <= 25
    requests = data_requests(seen, city_server)
    total = sum(size for _url, size in requests)
    assert len(requests) <= 10, requests
    assert total <= 1_500_000, requests


def test_the_works_planner_opens_with_its_works_and_few_requests(page, city_server, city_sessions):
    sign_in(page, city_server, city_sessions["planner"])
    seen = record(page)
    page.goto(f"{city_server.url}/works/")
    page.wait_for_function(
        "() => ['ready', 'error'].includes(document.getElementById('works-map')?.dataset.gmState)"
    )
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.getElementById('works-map').dataset.gmState") == "ready"
    assert int(page.evaluate("document.getElementById('works-map').dataset.gmCount")) > 0
    requests = data_requests(seen, city_server)
    assert len(requests) <= 10, requests
    assert sum(size for _url, size in requests) <= 600_000, requests
