"""Shared fixtures: one test database with the demo data, one headless Chromium for the run.

pytest-django runs tests that use `db` (rolled back after each test) before tests that use
`transactional_db`/`live_server` (flushed after each test). So the demo data loaded once per
session serves every `db` test, and each browser test loads it again for itself.
"""

import datetime as dt
import os
import zoneinfo
from collections.abc import Iterator

import pytest
import time_machine

# Playwright's sync API runs an event loop in this thread; the ORM calls our tests make
# from the same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("GRIDMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these, Chromium keeps trying to reach the internet.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# --- the clock: "now" at a chosen hour (issue 15, section 2) ----------------------------------
# GRIDMAP_TEST_CLOCK="04:30" (today, China Standard Time) or "2026-12-08T04:30" runs the whole
# session with the clock there: the demo is loaded at that moment, every test starts at it
# (the clock then runs on, in Python, the live server and the browser), and every browser
# context's clock is set to the server's. `make test-hours` runs the tests that depend on
# "now" this way at 00:30, 04:30, 12:00 and 23:59. The database server keeps its own clock,
# which is why the code passes "now" from Python, never SQL's now().
LOCAL_ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")


def _clock_target(value: str) -> dt.datetime | None:
    """The local moment GRIDMAP_TEST_CLOCK names, or None when it is not set."""
    value = value.strip()
    if not value:
        return None
    if "T" in value or " " in value:
        moment = dt.datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_ZONE)
    today = dt.datetime.now(LOCAL_ZONE).date()
    return dt.datetime.combine(today, dt.time.fromisoformat(value), tzinfo=LOCAL_ZONE)


CLOCK_AT = _clock_target(os.environ.get("GRIDMAP_TEST_CLOCK", ""))
_session_travel: list = []


def pytest_configure(config):
    if CLOCK_AT is not None:
        # Before Django and the demo: the whole session lives at that hour.
        traveller = time_machine.travel(CLOCK_AT, tick=True)
        traveller.start()
        _session_travel.append(traveller)


def pytest_unconfigure(config):
    while _session_travel:
        _session_travel.pop().stop()


def pytest_report_header(config):
    if CLOCK_AT is not None:
        return f"clock: every test starts at {CLOCK_AT.isoformat()} (GRIDMAP_TEST_CLOCK)"
    return None


@pytest.fixture(autouse=True)
def _clock_at_the_chosen_hour() -> Iterator[None]:
    """With GRIDMAP_TEST_CLOCK, every test starts at that very moment (a 23:59 run does not
    drift past midnight while the session goes on)."""
    if CLOCK_AT is None:
        yield
        return
    with time_machine.travel(CLOCK_AT, tick=True):
        yield


class Clock:
    """The test's clock: `clock.move_to("04:27")` (today, local) or to a datetime; the
    Python side (code, live server) and the browser contexts handed to `clock.follow(...)`
    move together. Time runs on from there."""

    def __init__(self) -> None:
        self._travels: list = []
        self._contexts: list = []

    def now(self) -> dt.datetime:
        return dt.datetime.now(LOCAL_ZONE)

    def move_to(self, moment: str | dt.datetime) -> dt.datetime:
        if isinstance(moment, str):
            target = _clock_target(moment)
            assert target is not None
        else:
            target = moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_ZONE)
        traveller = time_machine.travel(target, tick=True)
        traveller.start()
        self._travels.append(traveller)
        for context in self._contexts:
            sync_browser_clock(context)
        return target

    def follow(self, context) -> None:
        """Keep a browser context's clock on this clock (set now, and at every move)."""
        self._contexts.append(context)
        sync_browser_clock(context)

    def stop(self) -> None:
        while self._travels:
            self._travels.pop().stop()


@pytest.fixture
def clock() -> Iterator[Clock]:
    """Place "now" where a test needs it: `clock.move_to("23:59")`."""
    test_clock = Clock()
    yield test_clock
    test_clock.stop()


def sync_browser_clock(context) -> None:
    """The browser's Date.now() is the server's now: the same moment, running on."""
    context.clock.install(time=dt.datetime.now(dt.UTC))


class _ClockedBrowser:
    """The session's Chromium; with GRIDMAP_TEST_CLOCK, every new context (the fixtures' and
    those tests open themselves) starts with the clock of the server."""

    def __init__(self, browser) -> None:
        self._browser = browser

    def new_context(self, *args, **kwargs):
        context = self._browser.new_context(*args, **kwargs)
        if CLOCK_AT is not None:
            sync_browser_clock(context)
        return context

    def new_page(self, *args, **kwargs):
        page = self._browser.new_page(*args, **kwargs)
        if CLOCK_AT is not None:
            sync_browser_clock(page.context)
        return page

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.core.management import call_command
    from django.db import connection

    from apps.core.demo import load_demo

    with django_db_blocker.unblock():
        # Never load into a real database: pytest-django only swaps in the test database
        # when some collected test asks for one.
        name = connection.settings_dict["NAME"]
        assert name.startswith("test_"), f"refusing to load the demo into {name!r}"
        if CLOCK_AT is not None:
            # A reused test database may hold a demo placed around another hour.
            call_command("flush", interactive=False, verbosity=0)
        load_demo()


@pytest.fixture
def demo_live_server(transactional_db, live_server):
    """A live server whose database holds the demo data (reloaded after the previous flush)."""
    from apps.core.demo import load_demo

    load_demo()
    return live_server


# Every page runs under the app's Content-Security-Policy (test settings keep it on); a
# violation is reported by the browser on the console and as an event: either fails the test.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI);
});
"""


def watch_csp(context) -> list[str]:
    """Collect the Content-Security-Policy violations of every page of `context`."""
    violations: list[str] = []
    context.add_init_script(CSP_WATCH)

    def on_console(message) -> None:
        if "Content Security Policy" in message.text or "CSP violation" in message.text:
            violations.append(message.text)

    context.on("console", on_console)
    return violations


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield _ClockedBrowser(browser)
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context per test; any request off loopback fails the test."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    off_loopback: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("http://localhost", "http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            off_loopback.append(url)
            route.abort()

    context.route("**/*", guard)
    csp_violations = watch_csp(context)
    page = context.new_page()
    yield page
    context.close()
    assert not off_loopback, f"the page tried to reach the network: {off_loopback[:5]}"
    assert not csp_violations, f"the page broke its Content-Security-Policy: {csp_violations[:5]}"


# A phone as our residents and grid workers hold it: 360×740, touch, Chinese, Shanghai time.
PHONE = {
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
def phone_page(browser):
    """A phone-sized browser context (360×740, touch)."""
    context = browser.new_context(
        **PHONE,
    )
    csp_violations = watch_csp(context)
    page = context.new_page()
    yield page
    context.close()
    assert not csp_violations, f"the page broke its Content-Security-Policy: {csp_violations[:5]}"
