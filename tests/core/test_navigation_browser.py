"""On a phone the header's menu button opens every page of the navigation, on top of the
page, however long the page is."""

import pytest

from tests.conftest import PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/report/", "/facilities/", "/map/"])
def test_the_navigation_is_visible_and_on_top_on_a_phone(demo_live_server, phone_page, path):
    phone_page.goto(f"{demo_live_server.url}{path}")
    phone_page.locator(".site-menu summary").click()
    link = phone_page.locator('.site-menu a[href="/station/"]')
    link.wait_for()
    box = link.bounding_box()
    assert box is not None and box["height"] >= 44
    # Whatever is drawn at the link's centre must be the link itself, not the page below.
    on_top = phone_page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('a')?.getAttribute('href')",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top == "/station/"


def test_the_phone_menu_opens_without_javascript(demo_live_server, browser):
    context = browser.new_context(
        **PHONE,
        java_script_enabled=False,
    )
    try:
        page = context.new_page()
        page.goto(f"{demo_live_server.url}/facilities/")
        assert not page.locator('.site-menu a[href="/notices/"]').is_visible()
        page.locator(".site-menu summary").click()
        assert page.locator('.site-menu a[href="/notices/"]').is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()
