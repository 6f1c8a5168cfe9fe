"""Every page of every role fits a 360 px phone: the document is never wider than the screen.

The pages come from the permission matrix (tests/hardening/test_permission_matrix.py), the
one list of every URL of the site with what each kind of person gets: for each role, every
GET route it is allowed (A) that answers a browser with an HTML page. Django's admin and
the REST API's browsable pages are developer tools, not pages of the site, and are left out.

A failure names each page that is too wide, how wide it is, and its widest elements.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.hardening.matrix_samples import Samples
from tests.hardening.roles import (
    ANONYMOUS,
    COMMUNITY_ADMIN,
    GRID_WORKER,
    PARTY_MEMBER,
    PLANNER,
    POLICE,
    PROPERTY_STAFF,
    RESIDENT,
    ROLES,
    SUPERUSER,
    person_for,
)
from tests.hardening.test_permission_matrix import MATRIX, url_for

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# Not pages of the site: Django's admin (its own responsive UI) and the REST API's
# browsable pages (a developer's tool).
NOT_SITE_PAGES = ("admin", "api:", "admin-deleted-records", "api-docs", "api-schema")

# Each kind of person once (the other community's admin is a community admin too).
PEOPLE = (
    ANONYMOUS,
    RESIDENT,
    GRID_WORKER,
    PROPERTY_STAFF,
    POLICE,
    PARTY_MEMBER,
    COMMUNITY_ADMIN,
    PLANNER,
    SUPERUSER,
)

# Once the page has settled (stylesheets, scripts and maps done, its width unchanged for
# 300 ms): how wide the document is, and the elements reaching furthest past the screen.
MEASURE = """
async (phone) => {
  let before = -1;
  for (let i = 0; i < 20 && before !== document.documentElement.scrollWidth; i++) {
    before = document.documentElement.scrollWidth;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const width = document.documentElement.scrollWidth;
  // With a phone's viewport, Chromium zooms a page that is too wide out to show it whole:
  // innerWidth then grows with the page, so the phone's own width is the yardstick too.
  const screen = Math.min(window.innerWidth, document.documentElement.clientWidth, phone);
  const describe = (e) => {
    const id = e.id ? '#' + e.id : '';
    const cls = typeof e.className === 'string' && e.className.trim()
      ? '.' + e.className.trim().split(/\\s+/).join('.') : '';
    const text = (e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 30);
    const r = e.getBoundingClientRect();
    return `${e.tagName.toLowerCase()}${id}${cls} (right ${Math.round(r.right + scrollX)} px,`
      + ` width ${Math.round(r.width)} px) "${text}"`;
  };
  // Inside a box that scrolls or clips and itself fits, an element widens nothing.
  const clipped = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible'
          && p.getBoundingClientRect().right + scrollX <= screen + 0.5) return true;
    }
    return false;
  };
  const out = (e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right + scrollX > screen + 0.5
      && e.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })
      && !clipped(e);
  };
  const sticking = Array.from(document.querySelectorAll('body *')).filter(out);
  // The cause, not its containers: elements sticking out with no child sticking out.
  const causes = sticking.filter((e) => !Array.from(e.children).some(out));
  const wide = causes
    .map((e) => [e, e.getBoundingClientRect().right])
    .sort((a, b) => b[1] - a[1]);
  return { width, screen, widest: wide.slice(0, 3).map(([e]) => describe(e)) };
}
"""


def role_code(codes: str, role: str) -> str:
    return codes.split()[ROLES.index(role)]


def html_pages_for(role: str, samples: Samples, client: Client) -> list[str]:
    """The URLs of the HTML pages `role` may open, from the permission matrix."""
    urls = []
    for name, method, codes in MATRIX:
        if method != "GET" or role_code(codes, role) != "A" or name.startswith(NOT_SITE_PAGES):
            continue
        url = url_for(name, samples)
        response = client.get(url, HTTP_ACCEPT=BROWSER_ACCEPT)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            urls.append(url)
    return sorted(set(urls))


def signed_in_client(role: str) -> tuple[Client, Any]:
    client = Client()
    user = person_for(role)
    if user is not None:
        client.force_login(user)
    return client, user


@pytest.mark.parametrize("role", PEOPLE)
def test_every_page_of_each_role_fits_a_360_px_phone(demo_live_server, browser, role):
    samples = Samples()
    client, user = signed_in_client(role)
    urls = html_pages_for(role, samples, client)
    assert urls, f"no pages found for {role}"

    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    if user is not None:
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": demo_live_server.url,
                }
            ]
        )
    # Nothing off this machine: tiles and fonts from the internet would only slow us down.
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(
                ("http://localhost", "http://127.0.0.1", "data:", "blob:")
            )
            else route.abort()
        ),
    )
    page = context.new_page()
    too_wide = []
    try:
        for url in urls:
            page.goto(f"{demo_live_server.url}{url}", wait_until="load")
            measured = page.evaluate(MEASURE, PHONE["width"])
            if measured["width"] > measured["screen"]:
                widest = "; ".join(measured["widest"]) or "(no element found)"
                too_wide.append(f"{url}: {measured['width']} px wide; widest: {widest}")
    finally:
        context.close()

    assert not too_wide, (
        f"{role}: {len(too_wide)} of {len(urls)} pages are wider than 360 px:\n"
        + ("\n".join(too_wide))
    )
