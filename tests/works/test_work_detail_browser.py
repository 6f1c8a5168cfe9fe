"""A work's page in headless Chromium, as the district planner sees it on a laptop: the
site in its surroundings (its grid with the code, the compound, the buildings with their
numbers), a map that covers no text, and status buttons named by what they do."""

from __future__ import annotations

import pytest
from django.utils import translation

from apps.works.models import Work
from apps.works.workflow import WorkStatus, moves_from

from .conftest import sign_in

pytestmark = pytest.mark.browser


def boxes_overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_a_work_page_shows_the_site_in_its_grid_among_labelled_buildings(demo_live_server, page):
    page.set_viewport_size({"width": 1366, "height": 900})
    fence = Work.objects.get(name="中交中央公园D1围墙重建")  # around compound D1, in DR-01
    sign_in(page, demo_live_server, "planner")
    page.goto(f"{demo_live_server.url}/works/{fence.pk}/")
    page.wait_for_selector("#work-map[data-gm-surroundings='ready']")

    map_box = page.locator("#work-map").bounding_box()
    grid = page.locator(".gm-surround-grid.is-focus")
    assert grid.inner_text().strip() == "DR-01"
    assert boxes_overlap(grid.bounding_box(), map_box)
    compounds = page.locator(".gm-surround-compound").all_inner_texts()
    assert any("中交中央公园D1" in text for text in compounds)
    buildings = {text.strip() for text in page.locator(".gm-surround-building").all_inner_texts()}
    assert {"D1-1栋", "D1-2栋", "D1-3栋", "D1-4栋"} <= buildings
    # The map stays in its card: no heading or history entry under it.
    for selector in ("h2", "#work-history li", ".work-actions"):
        for element in page.locator(selector).all():
            box = element.bounding_box()
            if box:
                assert not boxes_overlap(map_box, box), selector


def test_a_work_pages_status_buttons_are_verbs_and_its_badge_a_status(demo_live_server, page):
    page.set_viewport_size({"width": 1366, "height": 900})
    work = Work.objects.filter(status=WorkStatus.UNDER_CONSTRUCTION).order_by("pk").first()
    assert work is not None
    sign_in(page, demo_live_server, "planner")
    page.context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": demo_live_server.url}]
    )
    page.goto(f"{demo_live_server.url}/works/{work.pk}/")

    with translation.override("zh-hans"):
        verbs = [str(move.label) for move in moves_from(work.status)]
        statuses = {str(label) for _value, label in WorkStatus.choices}
    buttons = page.locator("#transition-form .work-actions button").all_inner_texts()
    assert [text.strip() for text in buttons] == verbs
    assert not statuses & set(verbs)
    assert page.locator("#work-status").inner_text().strip() in statuses
