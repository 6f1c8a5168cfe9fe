"""Hostile HTML in the texts people type is shown as text everywhere: map popups, lists and
detail pages, in headless Chromium. No injected element reaches the DOM, no dialog fires."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.notices.models import Notice
from apps.regions.models import Community, Grid
from apps.reports.models import Report
from apps.reports.services import report_submit
from apps.works.models import Work
from tests.maps.test_map_browser import open_map, set_layer_visible

pytestmark = pytest.mark.browser

IMG = '"><img src=x id=gm-injected-img onerror=alert(1)>'
SCRIPT = "<script>alert(2)</script>"
SVG = "</p><svg id=gm-injected-svg onload=alert(3)>"
HOSTILE = f"坏 {IMG} {SCRIPT} {SVG}"


def _assert_inert(page, dialogs):
    """The payload is visible as text, and none of its elements exist."""
    for injected in ("#gm-injected-img", "#gm-injected-svg"):
        found = page.locator(injected)
        where = found.first.evaluate("n => n.parentElement.outerHTML") if found.count() else ""
        assert found.count() == 0, (page.url, where[:300])
    scripts = page.evaluate(
        """Array.from(document.scripts).filter(s =>
            ["", "module", "text/javascript"].includes(s.type) && s.text.includes("alert(2)")
        ).length"""
    )  # JSON data blocks (json_script) may carry the text, escaped: they never run
    assert scripts == 0
    assert "onerror=alert(1)" in page.locator("body").inner_text()
    assert dialogs == []


def test_hostile_texts_are_shown_as_text_on_map_lists_and_details(demo_live_server, page):
    server = demo_live_server
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    community = Community.objects.get(code="DR")
    grid = Grid.objects.get(community=community, code="DR-03")
    grid.name = HOSTILE
    grid.save(update_fields=["name"])
    # The report sits in another grid, so its marker does not cover DR-03's label.
    pin = (
        Grid.objects.filter(community=community)
        .exclude(pk=grid.pk)
        .first()
        .boundary.point_on_surface
    )
    report = report_submit(
        category="repair",
        description=HOSTILE,
        lon=pin.x,
        lat=pin.y,
        reporter=User.objects.get(username="resident"),
    ).report
    work = Work.objects.filter(community=community).first()
    assert work is not None
    Work.objects.filter(pk=work.pk).update(name=HOSTILE, description=HOSTILE)
    notice = Notice.objects.create(
        community=community,
        section=Notice.Section.values[0],
        title=HOSTILE,
        body=HOSTILE,
        author=User.objects.get(username="communityadmin"),
        status=Notice.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    assert Report.objects.filter(pk=report.pk, description=HOSTILE).exists()

    # The map: the grid's popup (the layers above the grids hidden, as in tests/maps).
    open_map(page, server, as_user="communityadmin")
    for title in ("小区", "楼栋", "设施"):
        set_layer_visible(page, title, False)
    box = page.locator(".gm-grid-label", has_text="DR-03").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "onerror=alert(1)" in popup.inner_text()
    _assert_inert(page, dialogs)

    # Lists and detail pages.
    for path in (
        f"/r/{report.code}/",
        "/reports/",
        f"/reports/{report.pk}/",
        "/works/",
        f"/works/{work.pk}/",
        f"/notices/{community.code}/",
        "/notices/desk/",
    ):
        response = page.goto(f"{server.url}{path}")
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        _assert_inert(page, dialogs)
    assert notice.pk
