"""Load with a fault (issue 7, section 4), short form: reporters while the database restarts.

The long form (50 reporters, 60 s) is `make bench` (bench/load_faults.py).
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from bench.load_faults import AppServer, Cluster, run_load

# Marked as a database test so that pytest-django sets up the test database this copies.
pytestmark = pytest.mark.django_db

APP_PORT = 8141
DEMO_OPEN311_KEY = "gm311_demo-dongrui-yiying-station"


@pytest.fixture(scope="module")
def app(resilience_primary: Cluster) -> Iterator[AppServer]:
    server = AppServer(APP_PORT, resilience_primary.url()).start()
    yield server
    server.stop()


def test_reports_acknowledged_during_a_database_restart_are_stored_exactly_once(
    resilience_primary, app
):
    result = run_load(resilience_primary, app, clients=12, seconds=10, down_seconds=2)
    print(result.summary())  # the counts, in the test log

    counts = result.counts
    assert result.failures == []
    assert counts["acknowledged"] > 0
    assert counts["in database (this run)"] == counts["acknowledged"]
    assert counts["duplicates"] == 0
    # The outage was real and seen: submissions were refused with a retryable 503 and
    # succeeded when sent again with the same key, and the same server filed more after it.
    assert counts["refused (503, retryable)"] > 0
    assert counts["refused then retried + ack"] > 0
    assert counts["acknowledged after restart"] > 0
    assert 500 not in counts["errors by status"]
    assert app.alive()


def _opener() -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def _send(opener, url, *, data=None, headers=None) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def _form_fields(page: str) -> dict[str, str]:
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|idempotency_key)" value="([^"]+)"', page))
    assert set(fields) == {"csrfmiddlewaretoken", "idempotency_key"}, "the form lost its keys"
    return fields


def _demo_report(cluster: Cluster) -> dict[str, object]:
    lon, lat = (
        float(v)
        for v in cluster.sql(
            # A grid of 东瑞社区 (DR), where the demo Open311 key files reports.
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(g.boundary) AS p "
            "FROM regions_grid g JOIN regions_community c ON c.id = g.community_id "
            "WHERE c.code = 'DR' ORDER BY g.code LIMIT 1) AS g"
        ).split("|")
    )
    category = cluster.sql(
        "SELECT code FROM reports_category WHERE is_active ORDER BY code LIMIT 1"
    )
    return {"category": category, "description": OUTAGE_TEXT, "lon": lon, "lat": lat}


OUTAGE_TEXT = "Streetlight out by the gate"
ENGLISH = {"Accept-Language": "en"}


class Clients:
    """The same submission through the web form, the REST API and Open311."""

    def __init__(self, base: str, report: dict[str, object]) -> None:
        self.base = base
        self.browser = _opener()
        status, _, page = _send(self.browser, f"{base}/report/", headers=ENGLISH)
        assert status == 200
        self.form = _form_fields(page)
        self.report = report
        self.api_key = "fault-test-api-key-0001"
        self.open311_token = "fault-test-open311-01"

    def form_post(self) -> tuple[int, dict[str, str], str]:
        headers = {**ENGLISH, "Accept": "text/html", "Referer": f"{self.base}/report/"}
        data = urllib.parse.urlencode({**self.report, **self.form}).encode()
        return _send(self.browser, f"{self.base}/report/", data=data, headers=headers)

    def api_post(self) -> tuple[int, dict[str, str], str]:
        headers = {**ENGLISH, "Accept": "application/json", "Content-Type": "application/json"}
        data = json.dumps({**self.report, "idempotency_key": self.api_key}).encode()
        return _send(_opener(), f"{self.base}/api/v1/reports/", data=data, headers=headers)

    def open311_post(self) -> tuple[int, dict[str, str], str]:
        fields = {
            "api_key": DEMO_OPEN311_KEY,
            "service_code": self.report["category"],
            "lat": self.report["lat"],
            "long": self.report["lon"],
            "description": OUTAGE_TEXT,
            "idempotency_key": self.open311_token,
        }
        data = urllib.parse.urlencode(fields).encode()
        url = f"{self.base}/open311/v2/requests.json"
        return _send(_opener(), url, data=data, headers=ENGLISH)


def test_while_the_database_is_down_every_path_answers_a_clear_retryable_error(
    resilience_primary, app
):
    """The web form gets a friendly page, the API and Open311 their error bodies, all 503
    with Retry-After; sent again once the database is back, each is filed, once, by the
    same server process."""
    clients = Clients(app.base, _demo_report(resilience_primary))

    resilience_primary.stop("fast")
    try:
        status, headers, page = clients.form_post()
        assert status == 503
        assert int(headers["Retry-After"]) >= 1
        assert "Please try again in a moment" in page
        assert "database cannot be reached" in page
        assert "Traceback" not in page and "Server Error" not in page

        status, headers, text = clients.api_post()
        assert status == 503 and int(headers["Retry-After"]) >= 1
        body = json.loads(text)
        assert body["code"] == "service_unavailable" and body["errors"] == {}
        assert "Send it again in a few seconds" in body["detail"]

        status, headers, text = clients.open311_post()
        assert status == 503 and int(headers["Retry-After"]) >= 1
        assert json.loads(text)[0]["code"] == 503
    finally:
        resilience_primary.start()

    # Back without restarting the app: each is filed now, and sent again, not twice.
    status, _, page = clients.form_post()  # urllib follows the redirect to the tracking page
    assert status == 200 and OUTAGE_TEXT in page
    status, _, again = clients.form_post()  # the same form sent twice: one report (below)
    assert status == 200 and OUTAGE_TEXT in again

    status, _, text = clients.api_post()
    assert status == 201
    first = json.loads(text)
    status, _, text = clients.api_post()
    assert status == 200
    assert json.loads(text) == {**first, "created": False}

    status, _, text = clients.open311_post()
    assert status == 201, text
    request_id = json.loads(text)[0]["service_request_id"]
    status, _, text = clients.open311_post()
    assert status in (200, 201), text
    assert json.loads(text)[0]["service_request_id"] == request_id

    stored = resilience_primary.sql(
        f"SELECT source, count(*) FROM reports_report WHERE description = '{OUTAGE_TEXT}' "
        "GROUP BY source ORDER BY source"
    )
    assert stored.splitlines() == ["open311|1", "web|2"]
    assert app.alive()


@pytest.mark.browser
def test_the_report_page_says_to_send_again_and_then_files_the_report_once(
    resilience_primary, app, page
):
    """A resident on the report page (Chinese) presses send while the database is down: the
    page shows the server's "send it again" message; pressing send again once it is back
    files the report, once."""
    report = _demo_report(resilience_primary)
    text = f"{OUTAGE_TEXT} (browser)"
    page.goto(f"{app.base}/report/")
    page.select_option("#id_category", index=1)  # the first category after "choose one"
    page.fill("#id_description", text)
    # Where a tap on the map would put the pin.
    page.evaluate(
        "([lat, lon]) => { document.getElementById('id_lat').value = lat; "
        "document.getElementById('id_lon').value = lon; }",
        [report["lat"], report["lon"]],
    )
    resilience_primary.stop("fast")
    try:
        page.click("#submit-report")
        expect(page.locator("#form-error")).to_have_text(re.compile(r"\S"))
        # The message the server gives in the page's language (zh-CN), word for word.
        status, _, body = _send(
            _opener(),
            f"{app.base}/api/v1/reports/",
            data=json.dumps(report).encode(),
            headers={
                "Accept": "application/json",
                "Accept-Language": "zh-CN",
                "Content-Type": "application/json",
            },
        )
        assert status == 503
        shown = page.locator("#form-error").inner_text().strip()
        assert shown == json.loads(body)["detail"]
    finally:
        resilience_primary.start()

    page.click("#submit-report")
    page.locator("#report-done").wait_for(state="visible")
    code = page.locator("#done-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{8}", code)
    assert (
        resilience_primary.sql(f"SELECT count(*) FROM reports_report WHERE description = '{text}'")
        == "1"
    )
