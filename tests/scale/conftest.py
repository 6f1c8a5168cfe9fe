"""The scale suite: a small generated city (apps.core.citygen) in its own test database.

Runs as its own pytest session (`make test` calls it with GRIDMAP_TEST_DB=test_gridmap_scale)
so that the city never meets the tests that count demo rows. The city is big enough that
PostgreSQL's planner prefers indexes, as it will on a real city: ANALYZE runs after loading.
"""

import datetime
import time
from collections.abc import Iterator

import pytest

from apps.core.citygen import CitySpec, generate_city

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
CITY = CitySpec(
    communities=12,
    grids=200,
    buildings=3_000,
    compounds=60,
    facilities=240,
    works=120,
    reports=20_000,
    seed=7,
    now=NOW,
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from apps.regions.models import Community

    with django_db_blocker.unblock():
        if not Community.objects.filter(code__startswith=f"{CITY.prefix}-").exists():
            generate_city(CITY)


@pytest.fixture(scope="session")
def city_server(django_db_setup, django_db_blocker) -> Iterator:
    """A live server on the city, for the whole session. Unlike pytest-django's
    `live_server` it never flushes the database, so the city outlives each test; tests
    that use it take `db` so the server thread may reach the database."""
    from django.db import connection
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer("localhost")
        yield server
        server.stop()
        # The server's request threads may leave a session open, which would keep the
        # test database from being dropped at the end of the run.
        others = (
            "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_terminate_backend(pid) {others}")  # noqa: S608
            for _attempt in range(50):
                cursor.execute(f"SELECT count(*) {others}")  # noqa: S608
                if not cursor.fetchone()[0]:
                    break
                time.sleep(0.1)


@pytest.fixture(scope="session")
def city_sessions(django_db_setup, django_db_blocker) -> dict[str, str]:
    """Session cookies of a community admin and a planner of one generated community,
    committed (not inside a test's transaction) so that the live server sees them."""
    from django.test import Client

    from apps.accounts.models import Membership, User
    from apps.regions.models import Community

    cookies = {}
    with django_db_blocker.unblock():
        community = Community.objects.get(code=f"{CITY.prefix}-00006")
        for role in ("community_admin", "planner"):
            user, _ = User.objects.get_or_create(username=f"city_{role}")
            Membership.objects.get_or_create(user=user, community=community, role=role)
            client = Client()
            client.force_login(user)
            cookies[role] = client.cookies["sessionid"].value
    return cookies
