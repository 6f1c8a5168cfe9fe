"""Shared fixtures: one test database with the demo data, one headless Chromium for the run.

pytest-django runs tests that use `db` (rolled back after each test) before tests that use
`transactional_db`/`live_server` (flushed after each test). So the demo data loaded once per
session serves every `db` test, and each browser test loads it again for itself.
"""

import os
from collections.abc import Iterator

import pytest

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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    from apps.core.demo import load_demo

    with django_db_blocker.unblock():
        # Never load into a real database: pytest-django only swaps in the test database
        # when some collected test asks for one.
        name = connection.settings_dict["NAME"]
        assert name.startswith("test_"), f"refusing to load the demo into {name!r}"
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
        yield browser
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


@pytest.fixture
def phone_page(browser):
    """A phone-sized browser context (360×740, touch)."""
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    csp_violations = watch_csp(context)
    page = context.new_page()
    yield page
    context.close()
    assert not csp_violations, f"the page broke its Content-Security-Policy: {csp_violations[:5]}"
