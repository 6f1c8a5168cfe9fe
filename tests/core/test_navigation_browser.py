"""On a phone the header keeps its second row (the navigation) however long the page is."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/report/", "/facilities/", "/map/"])
def test_the_navigation_is_visible_and_on_top_on_a_phone(demo_live_server, phone_page, path):
    phone_page.goto(f"{demo_live_server.url}{path}")
    link = phone_page.locator('.site-nav a[href="/station/"]')
    link.wait_for()
    box = link.bounding_box()
    assert box is not None and box["height"] > 10
    # Whatever is drawn at the link's centre must be the link itself, not the page below.
    on_top = phone_page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('a')?.getAttribute('href')",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top == "/station/"
