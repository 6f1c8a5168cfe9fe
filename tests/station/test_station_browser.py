"""Borrowing a tool on a phone, in headless Chromium, on the demo data.

The phone is set to zh-CN, so the page speaks Chinese: the tests look for what a resident
reads (the English source string is in a comment beside each).
"""

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import User
from apps.station.models import SlotBooking, ToolLoan

pytestmark = pytest.mark.browser


def log_in(page, server, username):
    """Give the browser the session of `username` (quicker than filling in the sign-in page)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}]
    )


def guard_network(page):
    blocked: list[str] = []

    def route(route):
        url = route.request.url
        if url.startswith(("http://localhost", "http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.context.route("**/*", route)
    return blocked


def test_a_resident_borrows_a_drill_on_a_phone_and_sees_the_confirmation_code(
    demo_live_server, phone_page
):
    page = phone_page
    blocked = guard_network(page)
    log_in(page, demo_live_server, "resident")

    page.goto(f"{demo_live_server.url}/station/")
    page.get_by_role("link", name="清风侠工作室·一应驿站").click()
    page.get_by_role("link", name="电钻").click()
    page.get_by_role("button", name="借用").click()  # "Borrow"

    code = page.get_by_test_id("confirmation-code")
    code.wait_for()
    loan = ToolLoan.objects.get(borrower__username="resident", tool__name="电钻")
    assert code.inner_text() == loan.code
    assert page.get_by_text("已预约，待确认").is_visible()  # "Booked, awaiting confirmation"
    # Phone-first: nothing sticks out sideways on a 360 px screen, once the page has settled
    # (its stylesheets and scripts loaded, its width unchanged for half a second).
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        """() => new Promise((resolve) => {
            const before = document.documentElement.scrollWidth;
            setTimeout(() => resolve(document.documentElement.scrollWidth === before), 500);
        })"""
    )
    sticking_out = page.evaluate(
        """Array.from(document.querySelectorAll('body *'))
             .filter((e) => !e.closest('.site-nav') && e.getBoundingClientRect().right > 361)
             .map((e) => `${e.tagName}.${e.className}: ${e.textContent.trim().slice(0, 40)}`)"""
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{width} px wide; sticking out: {sticking_out[:6]}"
    assert not blocked


def test_a_resident_books_housekeeping_on_a_phone_and_cancels_it_after_confirming(
    demo_live_server, phone_page
):
    page = phone_page
    blocked = guard_network(page)
    log_in(page, demo_live_server, "resident")
    page.goto(f"{demo_live_server.url}/station/")
    page.get_by_role("link", name="清风侠工作室·一应驿站").click()
    page.get_by_role("link", name="家政上门保洁").click()
    # Tomorrow's tab: today's slots may already be past.
    page.locator(".gm-tabs a").nth(1).click()
    book = page.get_by_role("button", name="请在上方选择时间")  # "Pick a time above"
    assert book.is_disabled()
    page.get_by_text("11:00–13:00").click()
    page.get_by_role("button", name="预约 11:00–13:00").click()  # "Book 11:00–13:00"
    code = page.get_by_test_id("confirmation-code").inner_text()
    booking = SlotBooking.objects.get(code=code)
    assert timezone.localtime(booking.starts_at).strftime("%H:%M") == "11:00"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="取消预约").click()  # "Cancel booking"
    page.get_by_text("已取消").first.wait_for()  # "Cancelled"
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert not blocked
