"""`make run` stays up: thousands of requests from a dozen browsers, and the server's
PostgreSQL connections stay bounded.

A new user clicked through `make run` for 14 minutes (~1,700 requests, static files
included) and then every page answered 503: the development server left one idle database
connection behind per thread until PostgreSQL refused new clients. This starts the server
exactly as `make run` does (scripts/serve.sh, the local settings) on a port and a database of
its own with the demo loaded, and sends it what a dozen people clicking around would: the
main pages anonymous and signed in, the APIs, the static files, each request on a new TCP
connection as a browser opening pages does. Then: no 5xx, every answer the page itself, and
never more database connections than twice the server's threads.
"""

from __future__ import annotations

import http.cookiejar
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator

import psycopg2
import pytest

from tests.resilience.served import (
    DEMO_PASSWORD,
    ServedApp,
    demo_database_copy,
    drop_database,
    psql,
)

pytestmark = pytest.mark.django_db

REQUESTS = 5000
CLIENTS = 12
TIME_LIMIT = 300  # seconds: a bound for a machine busy with other work, not the expectation


STATIC = [
    "/static/css/gridmap.css",
    "/static/leaflet/leaflet.css",
    "/static/leaflet/leaflet.js",
    "/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
    "/static/core/history_back.js",
]
PUBLIC = [
    "/map/",
    "/report/",
    "/facilities/",
    "/notices/DR/",
    "/ledger/",
    "/station/",
    "/accounts/login/",
    "/r/{report}/",
    "/api/layers/",
    "/api/layers/grids.geojson",
    "/api/layers/facilities.geojson",
    "/api/v1/report-categories/",
    "/api/v1/tracking/{report}/",
    "/ogcapi/collections?f=json",
    "/open311/v2/services.json",
    "/facilities/coming.geojson",
]
# What each signed-in person opens besides the public pages.
SIGNED_IN = {
    "communityadmin": ["/reports/", "/reports/map.geojson", "/patrols/", "/api/v1/reports/"],
    "gridworker": ["/me/", "/reports/", "/patrols/"],
    "planner": ["/works/", "/api/v1/works/"],
    "resident": ["/my/reports/", "/station/my/"],
}


@pytest.fixture(scope="module")
def soak_server(django_db_setup, django_db_blocker) -> Iterator[tuple[ServedApp, str]]:
    from django.db import connection

    settings = connection.settings_dict
    assert settings["NAME"].startswith("test_"), "no test database"
    name = f"{settings['NAME']}_soak"
    url = demo_database_copy(settings, name)
    app = ServedApp(url, "soak").start()
    try:
        yield app, name
    finally:
        app.stop()
        drop_database(settings, name)


class Client:
    """One person's browser: a cookie jar, a new connection per request."""

    def __init__(self, base: str, username: str | None) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.username = username
        if username:
            self.sign_in(username)

    def get(self, path: str) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path, headers={"Accept-Language": "zh-CN"})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def sign_in(self, username: str) -> None:
        status, page = self.get("/accounts/login/")
        assert status == 200, status
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token[1].decode(),
                "username": username,
                "password": DEMO_PASSWORD,
                "next": "/map/",
            }
        ).encode()
        request = urllib.request.Request(
            f"{self.base}/accounts/login/",
            data=data,
            headers={"Referer": f"{self.base}/accounts/login/"},
        )
        with self.opener.open(request, timeout=30) as response:
            assert response.status == 200
            assert "/accounts/login/" not in response.url, f"{username} could not sign in"


def _sample_connections(database: str, stop: threading.Event, peaks: list[int]) -> None:
    """The server's connections to its database, four times a second (this sampler is
    connected to another database, so it does not count itself)."""
    from django.db import connection

    settings = connection.settings_dict
    with psycopg2.connect(
        dbname="postgres",
        user=settings["USER"] or "postgres",
        password=settings["PASSWORD"] or "",
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    ) as sampler:
        sampler.autocommit = True
        with sampler.cursor() as cursor:
            while not stop.is_set():
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = %s AND backend_type = 'client backend'",
                    [database],
                )
                peaks.append(cursor.fetchone()[0])
                stop.wait(0.25)
    sampler.close()


def test_make_run_serves_thousands_of_requests_with_no_5xx_and_bounded_connections(soak_server):
    app, database = soak_server
    from django.db import connection

    report = psql(
        connection.settings_dict, database, "SELECT code FROM reports_report ORDER BY id LIMIT 1"
    )
    people: list[str | None] = [None] * (CLIENTS - len(SIGNED_IN)) + list(SIGNED_IN)
    clients = [Client(app.base, person) for person in people]

    issued = 0
    lock = threading.Lock()
    statuses: Counter[tuple[str, int]] = Counter()
    errors: list[str] = []
    deadline = time.monotonic() + TIME_LIMIT

    def browse(number: int, client: Client) -> None:
        nonlocal issued
        pages = PUBLIC + SIGNED_IN.get(client.username or "", [])
        rng = random.Random(number)
        while time.monotonic() < deadline:
            with lock:
                if issued >= REQUESTS:
                    return
                issued += 1
            # A page, then what a browser fetches with it: static files (cached after the
            # first load in a real browser, so fewer than a page pulls).
            path = rng.choice(STATIC if rng.random() < 0.55 else pages).format(report=report)
            try:
                status, _ = client.get(path)
            except (OSError, urllib.error.URLError) as error:
                with lock:
                    errors.append(f"{path}: {error!r}")
                continue
            with lock:
                statuses[(path, status)] += 1

    stop = threading.Event()
    samples: list[int] = []
    sampler = threading.Thread(target=_sample_connections, args=(database, stop, samples))
    sampler.start()
    started = time.monotonic()
    cpu_before = app.cpu_seconds()
    try:
        workers = [
            threading.Thread(target=browse, args=(n, client)) for n, client in enumerate(clients)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        stop.set()
        sampler.join()
    elapsed = time.monotonic() - started
    cpu = app.cpu_seconds() - cpu_before

    answered = sum(statuses.values())
    threads = app.threads()
    print(
        f"{answered} answers in {elapsed:.1f} s ({answered / elapsed:.0f}/s) from "
        f"{len(clients)} clients; peak {max(samples)} database connections for "
        f"{threads} server threads; the server used {cpu:.0f} CPU seconds"
    )
    assert errors == [], errors[:10]
    assert answered >= REQUESTS, f"only {answered} requests in {TIME_LIMIT} s"
    server_errors = {key: n for key, n in statuses.items() if key[1] >= 500}
    assert server_errors == {}, server_errors
    # Every request got its page: no redirect to sign-in, no 4xx from a page that broke.
    not_ok = {key: n for key, n in statuses.items() if key[1] != 200}
    assert not_ok == {}, not_ok
    assert max(samples) <= 2 * threads, f"{max(samples)} connections for {threads} threads"
    # And once the clients have gone, the server holds no more than a connection a thread.
    assert samples[-1] <= threads
    assert app.alive()
    assert "Traceback" not in app.log_text()
