"""Content-Security-Policy: what the header allows, the basemap tile hosts taken from the
basemap configuration, and real pages that work under it in Chromium (the shared `page`
fixture fails any test whose page breaks the policy; this checks that it would)."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.core.csp import tile_origins
from tests.conftest import watch_csp


def directives(header: str) -> dict[str, list[str]]:
    found = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            found[words[0]] = words[1:]
    return found


@pytest.mark.django_db
def test_the_map_page_allows_only_this_site_and_the_nonce_of_its_map_set_up():
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/map/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'" and policy["script-src"][1].startswith("'nonce-")
    assert (
        "'unsafe-eval'" not in policy["script-src"]
        and "'unsafe-inline'" not in policy["script-src"]
    )
    assert policy["img-src"] == ["'self'", "data:", "blob:"]  # no basemap in tests
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    # The map's set-up script is the one inline script, and it carries that nonce.
    nonce = policy["script-src"][1][len("'nonce-") : -1]
    assert f'<script nonce="{nonce}">' in response.content.decode()


@pytest.mark.django_db
def test_tile_hosts_of_the_configured_basemaps_are_allowed_as_images(settings):
    settings.GRIDMAP_BASEMAP = "osm,tianditu"
    settings.GRIDMAP_TIANDITU_KEY = "k"
    assert tile_origins() == ["https://tile.openstreetmap.org"] + [
        f"https://t{n}.tianditu.gov.cn" for n in range(8)
    ]
    response = Client().get("/map/")
    img_src = directives(response["Content-Security-Policy"])["img-src"]
    assert "https://tile.openstreetmap.org" in img_src and "https://t7.tianditu.gov.cn" in img_src
    settings.GRIDMAP_BASEMAP = "none"
    assert tile_origins() == []


@pytest.mark.browser
def test_the_watch_catches_an_inline_script_the_policy_blocks(browser, demo_live_server):
    context = browser.new_context()
    violations = watch_csp(context)
    page = context.new_page()
    page.goto(f"{demo_live_server.url}/accounts/login/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.ran = true"; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    ran = page.evaluate("() => window.ran === true")
    context.close()
    assert not ran
    assert any("script-src" in text for text in violations), violations


@pytest.mark.browser
def test_the_api_docs_work_under_the_policy(page, demo_live_server):
    page.goto(f"{demo_live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "gridmap API" in page.inner_text(".swagger-ui .info .title")
