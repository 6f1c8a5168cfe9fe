"""Every query the map, reports and works pages make at street level is index-backed.

The requests a browser makes on a typical view are replayed with the test client; each
SELECT is EXPLAINed with sequential scans disabled: the planner then uses an index wherever
one can answer the query, so a Seq Scan left in the plan means no index could (on a real
city, a read of every row of a million-row table). Table sizes do not matter to this check,
so the small generated city is enough.
"""

import json
import math

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Membership, User
from apps.core.layers import registry
from apps.regions.models import Community

from .conftest import CITY

pytestmark = pytest.mark.django_db

BIG_TABLES = {
    "reports_report",
    "reports_reporttransition",
    "regions_building",
    "regions_grid",
    "regions_compound",
}


def sequential_scans(plan: dict) -> list[str]:
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in BIG_TABLES:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found.extend(sequential_scans(child))
    return found


def explain(sql: str) -> dict:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]


def tile_of(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    n = 2**zoom
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


@pytest.fixture
def street():
    """A street-level view (about 800 × 600 m) in the middle of one generated community."""
    community = Community.objects.get(code=f"{CITY.prefix}-00006")
    centre = community.boundary.centroid
    bbox = (centre.x - 0.004, centre.y - 0.0027, centre.x + 0.004, centre.y + 0.0027)
    return community, centre, ",".join(f"{v:.6f}" for v in bbox)


def member(username: str, community: Community, role: str) -> Client:
    user = User.objects.create_user(username=username, password="unused-pass-123")
    Membership.objects.create(user=user, community=community, role=role)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def replay(client: Client, urls: list[str]) -> list[tuple[str, str]]:
    """(url, sql) of every SELECT the requests make; each request must succeed."""
    queries = []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        queries += [
            (url, q["sql"])
            for q in captured.captured_queries
            if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
        ]
    return queries


def test_the_pages_and_their_data_requests_never_scan_a_large_table(street):
    community, centre, bbox = street
    x, y = tile_of(centre.x, centre.y, 16)
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    public_urls = [
        reverse("maps:map"),
        *[
            f"{reverse('maps:layer-geojson', args=[layer.name])}?bbox={bbox}&limit=1001"
            for layer in registry
        ],
        *[reverse("tiles:tile", args=[layer.name, 16, x, y]) for layer in registry if layer.tiles],
    ]
    admin = member("scale_admin", community, "community_admin")
    admin_urls = [
        reverse("maps:map"),
        f"{reverse('maps:layer-geojson', args=['reports'])}?bbox={bbox}&limit=1001",
        reverse("reports:console"),
        reverse("reports:console") + "?page=3",
        reverse("reports:console-geojson"),
        reverse("maps:layer-geojson", args=["grids"]) + "?community=mine",
    ]
    planner = member("scale_planner", community, "planner")
    planner_urls = [reverse("works:planner"), reverse("works:export-geojson")]

    queries = (
        replay(anonymous, public_urls) + replay(admin, admin_urls) + replay(planner, planner_urls)
    )
    spatial = [sql for _url, sql in queries if "ST_Intersects" in sql or "&&" in sql]
    assert len(spatial) >= len(registry.all()), "the layers were not asked by bbox"
    scans = {}
    for url, sql in queries:
        found = sequential_scans(explain(sql))
        if found:
            scans.setdefault(url, []).append((found, sql[:300]))
    assert not scans, scans


def test_the_check_finds_a_query_no_index_can_answer():
    # The check itself: a filter on an unindexed column of reports is a Seq Scan.
    plan = explain("SELECT id FROM reports_report WHERE description = 'x'")
    assert sequential_scans(plan) == ["reports_report"]
