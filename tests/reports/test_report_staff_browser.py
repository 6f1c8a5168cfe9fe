"""The staff report pages in headless Chromium, on the demo data, as 刘芳 (community admin)
sees them on her desktop (1366×900) and as anyone sees the console on a phone: buttons are
the workflow's verbs, a dispatch is always a deliberate choice, the map shows the report in
its surroundings without covering the timeline, and the console fits a phone."""

from __future__ import annotations

import pytest
from django.utils import translation

from apps.accounts.models import User
from apps.reports.models import Report
from apps.reports.states import Status
from apps.reports.workflow import action_label, available_actions, staff_parties
from tests.reports.test_report_browser import sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}


def report_in(status: str) -> Report:
    """A demo report in `status` that has a grid and a nearest building."""
    report = (
        Report.objects.filter(status=status, grid__isnull=False, building__isnull=False)
        .select_related("grid", "building")
        .order_by("pk")
        .first()
    )
    assert report is not None, f"the demo has a report in status {status}"
    return report


def open_report(page, server, report: Report, *, language: str = "en") -> None:
    sign_in(page, server, "communityadmin")
    if language != "en":
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": server.url}]
        )
    page.goto(f"{server.url}/reports/{report.pk}/")
    page.wait_for_selector("#detail-map[data-gm-surroundings='ready']")


def boxes_overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_dispatching_a_report_to_zhou_min_leaves_the_next_dispatch_form_choosing_nobody(
    demo_live_server, page
):
    page.set_viewport_size(DESKTOP)
    report = report_in(Status.ACCEPTED)
    zhou = User.objects.get(display_name="周敏")
    sign_in(page, demo_live_server, "communityadmin")

    # From the console, the row's button names the step: "Dispatch".
    page.goto(f"{demo_live_server.url}/reports/")
    button = page.locator(f"tr[data-report-id='{report.pk}'] .rp-col-next a")
    assert button.inner_text().strip() == "Dispatch"
    with page.expect_navigation():
        button.click()
    select = page.locator("#action-dispatch select[name=target]")
    assert select.is_visible()  # the dispatch form is the one open
    assert select.input_value() == ""  # nobody chosen yet
    option = select.locator(f"option[value='user:{zhou.pk}']")
    select.select_option(label=option.inner_text())
    with page.expect_navigation():
        page.locator("#action-dispatch button[type=submit]").click()

    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    assert report.dispatched_to_user == zhou
    # The re-dispatch form is closed, and when opened it still chooses nobody; 周敏 is named
    # as the one who has it now.
    details = page.locator("details[data-action='dispatch']")
    assert details.get_attribute("open") is None
    details.locator("summary").click()
    assert select.input_value() == ""
    assert "(current)" in select.locator(f"option[value='user:{zhou.pk}']").inner_text()
    assert "Now with: 周敏" in page.locator("#dispatch-hints").inner_text()


def test_a_dispatch_sent_without_a_choice_is_refused_and_keeps_the_note(demo_live_server, page):
    page.set_viewport_size(DESKTOP)
    report = report_in(Status.ACCEPTED)
    open_report(page, demo_live_server, report)
    form = page.locator("#action-dispatch")
    form.locator("textarea[name=note]").fill("请尽快处理，居民很着急。")
    # The browser itself refuses an empty choice; a stale page or a script may not.
    form.evaluate("f => f.querySelector('select[name=target]').removeAttribute('required')")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    assert "Choose whom to dispatch the report to." in form.inner_text()
    assert form.locator("textarea[name=note]").input_value() == "请尽快处理，居民很着急。"
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED


@pytest.mark.parametrize(
    ("status", "language"),
    [
        (Status.SUBMITTED, "en"),
        (Status.SUBMITTED, "zh-hans"),
        (Status.HANDLED, "en"),
        (Status.VERIFIED, "zh-hans"),
    ],
)
def test_the_report_pages_buttons_are_the_verbs_of_the_workflow_table(
    demo_live_server, page, status, language
):
    page.set_viewport_size(DESKTOP)
    report = report_in(status)
    open_report(page, demo_live_server, report, language=language)

    admin = User.objects.get(username="communityadmin")
    actions = available_actions(report, staff_parties(admin, report))
    with translation.override(language):
        verbs = [action_label(action) for action in actions]
        statuses = {str(label) for _value, label in Status.choices}
    assert verbs, "the admin has something to do on this report"
    summaries = [t.strip() for t in page.locator("#actions summary").all_inner_texts()]
    assert summaries == verbs
    for action, verb in zip(actions, verbs, strict=True):
        submit = page.locator(f"#action-{action} button[type=submit]")
        assert submit.evaluate("b => b.textContent").strip() == verb
    # A button is never named by a status ("Accepted", "已派遣"), the badge always is.
    assert not statuses & set(summaries)
    badge = page.locator("#report-detail > p .rp-status").inner_text().strip()
    assert badge in statuses


def test_the_report_map_shows_the_grid_outline_and_labelled_buildings_around_the_report(
    demo_live_server, page
):
    page.set_viewport_size(DESKTOP)
    report = report_in(Status.SUBMITTED)
    open_report(page, demo_live_server, report)

    map_box = page.locator("#detail-map").bounding_box()
    focus = page.locator(".gm-surround-grid.is-focus")
    assert focus.inner_text().strip() == report.grid.code
    assert boxes_overlap(focus.bounding_box(), map_box)
    outlines = page.locator(
        "#detail-map path.leaflet-interactive, #detail-map .leaflet-overlay-pane path"
    )
    assert outlines.count() >= 3  # the grid, its compound, its buildings: shapes, not a dot
    buildings = [t.strip() for t in page.locator(".gm-surround-building").all_inner_texts()]
    assert report.building.number in buildings
    assert len(buildings) >= 3  # the neighbours too, each with its number
    assert page.locator(".gm-surround-compound").count() >= 1
    # The report itself stays on top, inside the map.
    marker = page.locator("#detail-map .rp-report-marker").bounding_box()
    assert boxes_overlap(marker, map_box)


@pytest.mark.parametrize("viewport", [DESKTOP, {"width": 390, "height": 844}])
def test_the_report_map_never_covers_the_timeline(demo_live_server, page, viewport):
    page.set_viewport_size(viewport)
    report = report_in(Status.DISPATCHED)
    open_report(page, demo_live_server, report)

    map_box = page.locator("#detail-map-box").bounding_box()
    leaflet = page.locator("#detail-map").bounding_box()
    # The map stays inside its own block...
    assert leaflet["y"] + leaflet["height"] <= map_box["y"] + map_box["height"] + 1
    # ...and that block overlaps neither the timeline heading, nor an entry, nor the actions.
    for selector in ("#timeline-heading", "#timeline li", "#actions"):
        for element in page.locator(selector).all():
            assert not boxes_overlap(map_box, element.bounding_box()), selector
    # What is on top at the first entry's middle is the entry, not the map.
    first = page.locator("#timeline li").first.bounding_box()
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('#timeline') !== null",
        [first["x"] + first["width"] / 2, first["y"] + 8],
    )
    assert on_top


# Text cells of the console narrower than this many characters read one character a line.
MIN_CHARACTERS = 3
CELL_WIDTHS = """() => [...document.querySelectorAll('#report-list tbody td')]
  .filter((td) => td.offsetParent !== null && td.innerText.trim() !== ''
                  && !td.querySelector('input'))
  .map((td) => ({ text: td.innerText.trim(), width: td.getBoundingClientRect().width,
                  em: parseFloat(getComputedStyle(td).fontSize) }))"""


@pytest.mark.parametrize("width", [360, 390])
def test_the_console_fits_a_phone_and_shows_each_report_as_a_readable_card(
    demo_live_server, phone_page, width
):
    phone_page.set_viewport_size({"width": width, "height": 780})
    sign_in(phone_page, demo_live_server, "communityadmin")
    phone_page.goto(f"{demo_live_server.url}/reports/")
    phone_page.wait_for_selector("#console-map[data-rp-state='ready']")
    phone_page.wait_for_timeout(300)  # let the map's tiles of labels settle

    scroll_width, inner_width = phone_page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width
    for cell in phone_page.evaluate(CELL_WIDTHS):
        assert cell["width"] >= MIN_CHARACTERS * cell["em"], cell
    # Each card: the status badge, category, place, deadline and the next step's verb.
    report = report_in(Status.SUBMITTED)
    card = phone_page.locator(f"tr[data-report-id='{report.pk}']")
    assert card.locator(".rp-status").is_visible()
    assert report.category.name in card.locator(".rp-col-category").inner_text()
    assert report.grid.code in card.locator(".rp-col-place").inner_text()
    assert card.locator(".rp-col-due").is_visible()
    action = card.locator(".rp-col-next a")
    assert action.inner_text().strip() == "Accept"
    box = action.bounding_box()
    assert box["height"] >= 40 and box["x"] + box["width"] <= width  # a thumb hits it
    # The map is still there, full width, below the list.
    map_box = phone_page.locator("#console-map").bounding_box()
    assert map_box["width"] >= width - 40 and map_box["height"] >= 250


def test_the_console_on_a_desktop_keeps_words_whole(demo_live_server, page):
    page.set_viewport_size(DESKTOP)
    sign_in(page, demo_live_server, "communityadmin")
    page.goto(f"{demo_live_server.url}/reports/")
    page.wait_for_selector("#console-map[data-rp-state='ready']")

    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    for cell in page.evaluate(CELL_WIDTHS):
        assert cell["width"] >= MIN_CHARACTERS * cell["em"], cell
