"""Read replicas (issue 7, section 5): a real streaming replica of a throwaway primary.

With the replica's WAL replay paused, a change on the primary is not on the replica yet. So
what a client reads tells where the read went: an anonymous neighbour's map, OGC, tile and
export reads and tracking page come from the replica (the old state), the resident who just
submitted reads the primary (read-your-writes), and the submission itself was written to the
primary (the replica is read-only and never has it until replay resumes).
"""

from __future__ import annotations

import http.cookiejar
import json
import math
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from bench.load_faults import AppServer, Cluster

pytestmark = pytest.mark.django_db  # pytest-django sets up the test database the primary copies

STANDBY_PORT = 54342
APP_PORT = 8142
ENGLISH = {"Accept-Language": "en"}
NEW_NAME = "Replica probe building 探针楼"


@pytest.fixture(scope="module")
def standby(resilience_primary: Cluster) -> Iterator[Cluster]:
    cluster = Cluster("test-standby", STANDBY_PORT)
    try:
        cluster.create_standby_of(resilience_primary).start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="module")
def replicated_app(resilience_primary: Cluster, standby: Cluster) -> Iterator[AppServer]:
    server = AppServer(APP_PORT, resilience_primary.url(), replica_url=standby.url()).start()
    yield server
    server.stop()


class Client:
    """A browser: cookies, English, follows redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str, bytes]:
        return self.send(path)

    def send(self, path: str, data: dict[str, object] | None = None) -> tuple[int, str, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {**ENGLISH, "Referer": f"{self.base}{path}"}
        request = urllib.request.Request(f"{self.base}{path}", data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.geturl(), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read()


def _wait(predicate, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _caught_up(primary: Cluster, standby: Cluster) -> None:
    lsn = primary.sql("SELECT pg_current_wal_lsn()", database="postgres")
    _wait(
        lambda: standby.sql(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn") == "t",
        "the replica to replay the primary's WAL",
    )


def _has(body: bytes, text: str) -> bool:
    """`text` in a response: raw UTF-8 (pages, tiles) or as JSON escapes it."""
    return text.encode() in body or json.dumps(text)[1:-1].encode() in body


def _tile(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def test_map_reads_come_from_the_replica_and_a_writer_reads_their_own_writes(
    resilience_primary, standby, replicated_app
):
    primary = resilience_primary
    assert standby.sql("SELECT pg_is_in_recovery()") == "t"
    assert primary.sql("SELECT pg_is_in_recovery()") == "f"
    # A demo building (they have numbers, no names): the change below gives it a name.
    building_id, lon, lat, number = primary.sql(
        "SELECT id, ST_X(p), ST_Y(p), number FROM (SELECT id, number, "
        "ST_PointOnSurface(footprint) AS p FROM regions_building WHERE name = '' "
        "ORDER BY id LIMIT 1) AS b"
    ).split("|")
    lon_f, lat_f = float(lon), float(lat)
    bbox = f"{lon_f - 0.0002},{lat_f - 0.0002},{lon_f + 0.0002},{lat_f + 0.0002}"
    z, x, y = _tile(lon_f, lat_f, 17)
    reads = [
        f"/api/layers/buildings.geojson?bbox={bbox}",
        f"/ogcapi/collections/buildings/items?f=json&bbox={bbox}",
        f"/tiles/buildings/{z}/{x}/{y}.pbf",
        f"/export/buildings?format=geojson&bbox={bbox}",
    ]
    grid_lon, grid_lat = primary.sql(
        "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(boundary) AS p "
        "FROM regions_grid ORDER BY code LIMIT 1) AS g"
    ).split("|")
    category = primary.sql(
        "SELECT code FROM reports_category WHERE is_active ORDER BY code LIMIT 1"
    )
    resident, neighbour = Client(replicated_app.base), Client(replicated_app.base)
    status, _, page = resident.get("/report/")
    assert status == 200
    form = dict(re.findall(rb'name="(csrfmiddlewaretoken|idempotency_key)" value="([^"]+)"', page))
    _caught_up(primary, standby)

    standby.sql("SELECT pg_wal_replay_pause()")
    try:
        _wait(
            lambda: standby.sql("SELECT pg_get_wal_replay_pause_state()") == "paused",
            "replay to pause",
        )
        # A change the replica does not have yet...
        primary.sql(f"UPDATE regions_building SET name = '{NEW_NAME}' WHERE id = {building_id}")
        for path in reads:
            status, _, body = neighbour.get(path)
            assert status == 200, (path, body[:300])
            assert _has(body, number) and not _has(body, NEW_NAME), path

        # ...and a resident's report, written to the primary although reads may be replicas'.
        status, url, page = resident.send(
            "/report/",
            {
                "category": category,
                "description": "Replica test: broken bench",
                "lon": grid_lon,
                "lat": grid_lat,
                **{k.decode(): v.decode() for k, v in form.items()},
            },
        )
        assert status == 200, page[:500]
        code = re.search(r"/r/([^/]+)/", url).group(1)  # the tracking page, right after
        assert b"Replica test: broken bench" in page
        assert code.encode() in page
        assert primary.sql(f"SELECT count(*) FROM reports_report WHERE code = '{code}'") == "1"
        assert standby.sql(f"SELECT count(*) FROM reports_report WHERE code = '{code}'") == "0"

        # The resident reads their own writes: tracking page and map from the primary.
        status, _, page = resident.get(f"/r/{code}/")
        assert status == 200 and b"Replica test: broken bench" in page
        for path in reads:
            status, _, body = resident.get(path)
            assert status == 200 and _has(body, NEW_NAME), path

        # The neighbour reads the replica: the report is not there yet.
        status, _, page = neighbour.get(f"/r/{code}/")
        assert status == 404 and b"Report not found" in page
    finally:
        standby.sql("SELECT pg_wal_replay_resume()")

    _caught_up(primary, standby)
    status, _, page = neighbour.get(f"/r/{code}/")
    assert status == 200 and b"Replica test: broken bench" in page
    for path in reads:
        status, _, body = neighbour.get(path)
        assert status == 200 and _has(body, NEW_NAME), path
