"""周敏 on her phone: signs in, lands on “my area”, finds the report sent to her from the
neighbouring grid and tonight's patrol once with its date; the menu shows every page she
needs without a sideways scroll; nothing floats over the lists."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.patrols.models import PatrolInstance
from apps.regions.models import Grid
from apps.reports.models import Category
from apps.reports.services import report_accept, report_dispatch, report_submit

pytestmark = pytest.mark.browser

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_PASSWORD = "gridmap-demo"
NIGHT_PATROL = "东瑞社区夜间联合巡逻"


def report_sent_to_her_from_dr04():
    """A report in DR-04 (not one of her grids, DR-01 and DR-02) dispatched to 周敏 by the
    community admin. The demo has none, so the test makes it through the services."""
    admin = User.objects.get(username="communityadmin")
    worker = User.objects.get(username="gridworker")
    spot = Grid.objects.get(community__code="DR", code="DR-04").boundary.point_on_surface
    report = report_submit(
        category=Category.objects.filter(is_active=True).order_by("pk").first(),
        description="路边井盖松动，夜里看不清",
        lon=spot.x,
        lat=spot.y,
    ).report
    report_accept(report=report, actor=admin)
    return report_dispatch(report=report, actor=admin, to_user=worker, note="邻近网格，请协助")


def sign_in_on_the_form(page, server, username: str) -> None:
    page.goto(f"{server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator(".auth-card button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def tonights_night_day() -> dt.date:
    """The day the night shift running now, or next, starts on: before 06:00 it is still
    last night's shift."""
    here = dt.datetime.now(SHANGHAI)
    return (here - dt.timedelta(hours=6)).date()


def day_label(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def test_the_grid_worker_lands_on_her_work_with_what_was_sent_to_her_and_tonights_patrol(
    demo_live_server, phone_page
):
    page = phone_page
    report = report_sent_to_her_from_dr04()
    night_day = tonights_night_day()
    tonight = PatrolInstance.objects.get(plan__name=NIGHT_PATROL, service_date=night_day)

    sign_in_on_the_form(page, demo_live_server, "gridworker")

    assert page.url == f"{demo_live_server.url}/me/"
    sent = page.locator("section.me-sent")
    card = sent.locator(f'li[data-code="{report.code}"]')
    expect(card).to_be_visible()
    expect(card).to_contain_text("DR-04")
    # Sent to her comes first, and is not repeated among her grids' reports.
    assert page.locator(f'li[data-code="{report.code}"]').count() == 1
    first_section = page.locator("section.pt-section h2").first
    expect(first_section).to_contain_text("派给我的")

    patrols = page.locator("section.me-patrols li.pt-card")
    texts = [re.sub(r"\s+", " ", t) for t in patrols.all_inner_texts()]
    starts = f"{day_label(night_day)} 22:00"
    ends = f"{day_label(night_day + dt.timedelta(days=1))} 06:00"
    tonight_cards = [t for t in texts if NIGHT_PATROL in t and starts in t]
    assert len(tonight_cards) == 1, texts
    assert ends in tonight_cards[0]
    assert len(set(texts)) == len(texts), f"two patrol cards read the same: {texts}"
    assert tonight.status in ("planned", "in_progress")

    # Every action on the lists is a button a thumb can hit.
    for button in page.locator("section.me-sent .pt-button, section.me-patrols .pt-button").all():
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, button.inner_text()


def test_the_phone_menu_shows_every_page_she_needs_without_a_sideways_scroll(
    demo_live_server, phone_page
):
    page = phone_page
    sign_in_on_the_form(page, demo_live_server, "gridworker")

    page.locator(".site-menu summary").click()
    menu = page.locator(".site-menu-panel")
    expect(menu).to_be_visible()
    for label in ("我的片区", "报事处理", "巡逻", "地图", "我要报事"):
        link = menu.get_by_role("link", name=label, exact=True)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, label
        assert box["height"] >= 44, label
    expect(menu.get_by_role("link", name="我的片区", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(menu.get_by_role("button", name="退出登录")).to_be_visible()
    # Nothing scrolls sideways: not the page, not the menu.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate(
        "(() => { const m = document.querySelector('.site-menu-panel');"
        " return m.scrollWidth <= m.clientWidth; })()"
    )
    # The desktop row is not there on a phone (it would scroll sideways).
    assert not page.locator("nav.site-nav").is_visible()

    page.locator(".site-menu-panel").get_by_role("link", name="巡逻", exact=True).click()
    page.wait_for_url(re.compile(r"/patrols/$"))


def test_nothing_floats_over_the_lists_of_my_area(demo_live_server, phone_page):
    page = phone_page
    report_sent_to_her_from_dr04()
    sign_in_on_the_form(page, demo_live_server, "gridworker")
    page.locator(".pt-grid-mine").first.wait_for()

    cards = page.locator("section.pt-section li.pt-card")
    assert cards.count() >= 2
    # No fixed or sticky element on the page: nothing stays over the list when it scrolls.
    floating = page.evaluate(
        """Array.from(document.querySelectorAll('body *'))
             .filter((e) => ['fixed', 'sticky'].includes(getComputedStyle(e).position)
                            && e.getBoundingClientRect().height > 0)
             .map((e) => e.tagName + '.' + e.className)"""
    )
    assert floating == []
    # Scrolled to each card, its action button is what a thumb touches, and the locate bar
    # (now in the page's flow) covers no card.
    locate = page.locator("#locate-me")
    for index in range(cards.count()):
        card = cards.nth(index)
        card.scroll_into_view_if_needed()
        button = card.locator(".pt-button")
        box = button.bounding_box()
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y)?.closest('.pt-button')?.textContent",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert hit == button.inner_text(), f"card {index} is covered at its button"
        card_box, locate_box = card.bounding_box(), locate.bounding_box()
        overlaps = not (
            locate_box["y"] >= card_box["y"] + card_box["height"]
            or locate_box["y"] + locate_box["height"] <= card_box["y"]
        )
        assert not overlaps, f"the locate button overlaps card {index}"
