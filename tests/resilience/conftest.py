"""A throwaway PostgreSQL primary for the resilience tests, shared by the session.

The fault test stops and starts its database, and the replica test streams from it: neither
may touch the shared cluster other people and tests use. So this is a cluster of its own
(bench.load_faults.Cluster: initdb in var/resilience/, as the `postgres` OS user when run as
root) holding a copy of the test database (pg_dump/pg_restore: current migrations, seconds
instead of a fresh migrate) plus the demo places, categories and Open311 key.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import pytest

from bench.load_faults import Cluster

PRIMARY_PORT = 54341


def _url(settings: dict) -> str:
    user = urllib.parse.quote(settings["USER"] or "postgres")
    password = urllib.parse.quote(settings["PASSWORD"] or "")
    auth = f"{user}:{password}" if password else user
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


@pytest.fixture(scope="session")
def resilience_primary(django_db_setup, django_db_blocker) -> Iterator[Cluster]:
    from django.db import connection

    cluster = Cluster("test-primary", PRIMARY_PORT)
    try:
        cluster.create().start()
        # The test database, migrated (the tests are marked django_db, so it is set up).
        assert connection.settings_dict["NAME"].startswith("test_"), "no test database"
        source = _url(connection.settings_dict)
        cluster.create_app_database(copy_of=source)
        yield cluster
    finally:
        cluster.remove()
