"""The report pages in headless Chromium, on the demo data: a resident files a report on a
phone, and staff handle one to closure through the console. Pages are read in English
(what the assertions compare), whatever the Chinese catalogue holds."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from apps.accounts.models import Organisation, User
from apps.patrols.selectors import grid_duty_worker
from apps.regions.models import Grid
from apps.reports.models import Category, Report
from apps.reports.selectors import duty_worker_for
from apps.reports.services import report_submit
from apps.reports.states import Status
from tests.reports.report_helpers import jpeg_bytes

pytestmark = pytest.mark.browser

# Leaflet maps are not globals: keep each one as it is made, to turn lat/lon into pixels.
CAPTURE_MAPS = """
window.__gmMaps = {};
window.addEventListener("map:init", (event) => {
  const map = event.detail.map;
  window.__gmMaps[map.getContainer().id] = map;
});
"""


def sign_in(page, server, username=None):
    """English pages, signed in as `username` (or anonymous)."""
    page.context.clear_cookies()
    cookies = [{"name": "django_language", "value": "en", "url": server.url}]
    if username:
        client = Client()
        client.force_login(User.objects.get(username=username))
        session = client.cookies["sessionid"].value
        cookies.append({"name": "sessionid", "value": session, "url": server.url})
    page.context.add_cookies(cookies)


def click_map_at(page, map_id, lat, lon):
    x, y = page.evaluate(
        """([id, lat, lon]) => {
            const p = window.__gmMaps[id].latLngToContainerPoint([lat, lon]);
            return [p.x, p.y];
        }""",
        [map_id, lat, lon],
    )
    box = page.locator(f"#{map_id}").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


# The width of an <img> once it has loaded, or 0 once it has failed (a Promise until then).
LOADED_WIDTH = """img => img.complete ? img.naturalWidth : new Promise((done) => {
  img.addEventListener("load", () => done(img.naturalWidth), { once: true });
  img.addEventListener("error", () => done(0), { once: true });
})"""


def tel(phone: str) -> str:
    """The link a phone number is dialled by: "0731-84000101" → "tel:073184000101"."""
    return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")


def guard_network(page):
    off_loopback = []

    def guard(route):
        url = route.request.url
        if url.startswith(("http://localhost", "http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            off_loopback.append(url)
            route.abort()

    page.context.route("**/*", guard)
    return off_loopback


def test_a_resident_reports_a_problem_from_a_phone_and_follows_it(
    demo_live_server, phone_page, media_root
):
    page = phone_page
    off_loopback = guard_network(page)
    page.add_init_script(CAPTURE_MAPS)
    sign_in(page, demo_live_server)
    page.goto(f"{demo_live_server.url}/report/")
    page.wait_for_selector("#report-map[data-rp-ready='1'][data-rp-area='ready']")

    # In grid DR-02 of Dongrui, between buildings D2-1 and D2-2 (demo geometry).
    lat, lon = 28.19150, 113.02995
    click_map_at(page, "report-map", lat, lon)  # zooms in and pins
    click_map_at(page, "report-map", lat, lon)  # now precisely
    assert "Pinned" in page.locator("#pin-status").inner_text()
    page.select_option("#id_category", value=str(Category.objects.get(code="repair").pk))
    page.wait_for_selector("#nearby[data-state='ready']", state="attached")
    page.fill("#id_description", "D2栋门口的路灯不亮了")
    page.set_input_files(
        "#id_photos", files=[{"name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    page.wait_for_selector("#photo-previews[data-count='1'] img")

    # One tap to the grid worker on duty here: whom the patrols' duty roster puts on shift
    # now (weekdays, weekends and hours differ), else the grid's assigned grid worker.
    grid = Grid.objects.get(community__name="东瑞社区", code="DR-02")
    on_duty = {duty_worker_for(grid)}
    page.click("#call-worker")
    call = page.locator("#call-link")
    call.wait_for()
    on_duty.add(duty_worker_for(grid))  # a shift may have changed hands during the tap
    assert None not in on_duty and all(worker.work_phone for worker in on_duty)
    assert call.get_attribute("href") in {tel(worker.work_phone) for worker in on_duty}

    page.click("#submit-report")
    page.wait_for_selector("#report-form[data-state='done']", state="attached")
    code = page.locator("#done-code").inner_text()
    report = Report.objects.get(code=code)
    assert report.grid == grid
    assert report.duty_worker == grid_duty_worker(grid, report.submitted_at)
    assert report.photos.count() == 1
    assert abs(report.location.y - lat) < 1e-5 and abs(report.location.x - lon) < 1e-5

    page.click("#done-link")
    page.wait_for_selector("#timeline")
    assert page.locator("#track-code").inner_text() == code
    assert "Submitted" in page.locator("#timeline").inner_text()
    # The thumbnail loads lazily, after the page: wait for it to load (or fail), then check
    # that it shows a picture.
    thumbnail = page.locator(".rp-card .rp-photos img")
    thumbnail.scroll_into_view_if_needed()
    assert thumbnail.evaluate(LOADED_WIDTH) > 0
    assert not off_loopback, off_loopback


def test_a_report_outside_the_served_area_is_refused_on_the_page(demo_live_server, page):
    page.add_init_script(CAPTURE_MAPS)
    sign_in(page, demo_live_server)
    page.goto(f"{demo_live_server.url}/report/")
    page.wait_for_selector("#report-map[data-rp-ready='1']")

    click_map_at(page, "report-map", 28.17, 113.00)  # between the demo communities
    page.select_option("#id_category", value=str(Category.objects.get(code="other").pk))
    page.fill("#id_description", "test")
    page.click("#submit-report")

    error = page.locator(".field-error[data-field='location']")
    error.wait_for()
    assert "outside the communities this service covers" in error.inner_text()
    assert page.locator("#report-form").get_attribute("data-state") == "error"


def step(page, action, *, note=None, photo=False, target=None):
    """Open the report page's form for `action`, fill it in and press its button."""
    form = page.locator(f"#action-{action}")
    details = page.locator(f"details[data-action='{action}']")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    if target:
        form.locator("select[name=target]").select_option(target)
    if note is not None:
        form.locator("textarea[name=note]").fill(note)
    if photo:
        form.locator("input[name=photos]").set_input_files(
            files=[
                {
                    "name": "fixed.jpg",
                    "mimeType": "image/jpeg",
                    "buffer": jpeg_bytes(colour=(20, 160, 60)),
                }
            ]
        )
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_staff_handle_a_report_to_closure_and_the_resident_sees_the_feedback(
    demo_live_server, page, media_root
):
    report = report_submit(
        category="repair",
        description="D1-3栋单元门禁坏了",
        lon=113.02740,
        lat=28.19200,
        client_ip="127.0.0.9",
    ).report  # in DR-01, the demo grid worker's grid, in compound D1 (中交物业)
    company = Organisation.objects.get(name="中交物业")
    page.add_init_script(CAPTURE_MAPS)

    # The grid worker accepts it from the console and dispatches it to the property company.
    sign_in(page, demo_live_server, "gridworker")
    page.goto(f"{demo_live_server.url}/reports/")
    page.wait_for_selector("#console-map[data-rp-state='ready']")
    assert int(page.locator("#console-map").get_attribute("data-rp-count")) >= 1
    page.click(f"text={report.code}")
    step(page, "accept")
    assert page.locator("#report-detail").get_attribute("data-status") == Status.ACCEPTED
    select = page.locator("#action-dispatch select[name=target]")
    assert select.input_value() == ""  # nobody is preselected...
    suggested = select.locator(f"option[value='org:{company.pk}']").inner_text()
    assert "(suggested)" in suggested  # ...the compound's property company is suggested
    step(page, "dispatch", target=f"org:{company.pk}")

    # The property company's staff start and handle it, with a photo.
    sign_in(page, demo_live_server, "property")
    page.goto(f"{demo_live_server.url}/reports/{report.pk}/")
    step(page, "start")
    step(page, "handle", note="门禁控制器已更换，测试正常。", photo=True)
    assert page.locator("#report-detail").get_attribute("data-status") == Status.HANDLED

    # The community admin checks it and closes it.
    sign_in(page, demo_live_server, "communityadmin")
    page.goto(f"{demo_live_server.url}/reports/{report.pk}/")
    step(page, "verify", note="现场查看，门禁正常。")
    step(page, "close")
    assert page.locator("#report-detail").get_attribute("data-status") == Status.CLOSED
    timeline = page.locator("#timeline").inner_text()
    for label in ("Accepted", "Dispatched", "Work started", "Handled, with feedback",
                  "Verified on site", "Closed"):  # fmt: skip
        assert label in timeline

    # The resident's tracking page shows the feedback, with its photo, and roles only.
    sign_in(page, demo_live_server)
    page.goto(f"{demo_live_server.url}/r/{report.code}/")
    entry = page.locator(".rp-entry-handle")
    assert "门禁控制器已更换，测试正常。" in entry.inner_text()
    assert "Property staff" in entry.inner_text()
    photo = entry.locator("img")
    photo.scroll_into_view_if_needed()  # lazy: it loads once in view
    assert photo.evaluate(LOADED_WIDTH) > 0
    text = page.locator("#track").inner_text()
    assert "陈刚" not in text and "周敏" not in text  # staff names stay off the public page
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text)
