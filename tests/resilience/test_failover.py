"""Automatic failover (issue 15, points 3 and 4): Patroni with etcd, a synchronous standby.

A cluster of its own (scripts/ha/hacluster.py: one etcd, two Patroni nodes, ports
55430-55451, everything in a short /tmp folder whatever the checkout path) holding a copy of
the test database. The app runs as a real server process whose DATABASE_URL lists both nodes
(libpq multi-host, target_session_attrs=read-write). The short form of bench/failover.py:
50 reporters for a few seconds while the primary's postmaster is killed with SIGKILL.
Every process started here is stopped, and the folder removed, even when a test fails.
"""

from __future__ import annotations

import contextlib
import shutil
import urllib.parse
from collections.abc import Iterator

import pytest
from django.db import InterfaceError, OperationalError, connections
from django.db.utils import load_backend

from bench.failover import PrimaryKill, run_failover, summary
from bench.load_faults import AppServer, Cluster
from gridmap.settings.dburl import parse_database_url
from scripts.ha.hacluster import HACluster

pytestmark = pytest.mark.django_db  # pytest-django sets up the test database the copy reads

BASE_PORT = 55430
APP_PORT = 55498


def _quiet(_: str) -> None:
    pass


def _source_url(settings: dict) -> str:
    """The test database as a postgres:// URL for pg_dump."""
    user = urllib.parse.quote(settings["USER"] or "postgres")
    password = urllib.parse.quote(settings["PASSWORD"] or "")
    auth = f"{user}:{password}" if password else user
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


@pytest.fixture(scope="module")
def ha(django_db_setup, django_db_blocker) -> Iterator[HACluster]:
    from django.db import connection

    assert shutil.which("patroni") and shutil.which("etcd"), (
        "Debian's patroni and etcd-server are needed (make test installs them)"
    )
    cluster = HACluster("test", BASE_PORT)
    try:
        cluster.down(remove=True, log=_quiet)  # whatever an interrupted run left behind
        cluster.up(log=_quiet)
        leader = cluster.leader()
        assert leader is not None
        assert connection.settings_dict["NAME"].startswith("test_"), "no test database"
        # The migrated test database plus the demo places, categories and Open311 key,
        # written on the leader (bench.load_faults does the copy).
        Cluster("ha-test", leader.pg_port).create_app_database(
            copy_of=_source_url(connection.settings_dict)
        )
        cluster.wait_for(cluster.healthy, "the standby to catch up", 60)
        yield cluster
    finally:
        cluster.down(remove=True, log=_quiet)


@pytest.fixture(scope="module")
def ha_app(ha: HACluster) -> Iterator[AppServer]:
    server = AppServer(APP_PORT, ha.database_url())
    try:
        yield server.start()
    finally:
        server.stop()


def test_reports_acknowledged_while_the_primary_dies_are_all_on_the_new_primary_once(ha, ha_app):
    """50 reporters; the primary's postmaster gets SIGKILL in the middle; Patroni promotes
    the synchronous standby; the reporters send again with their idempotency keys."""
    first_leader = ha.leader()
    result, figures = run_failover(ha, ha_app, clients=50, seconds=12, grace_seconds=30)
    print(summary(result, figures))  # shown with -s, and on failure

    assert result.failures == []
    assert figures["killed"] == first_leader.name
    assert figures["new primary"] != figures["killed"]
    assert figures["lost"] == 0 and figures["duplicates"] == 0
    assert figures["stored"] == figures["acknowledged"] > 0
    assert figures["load"]["acknowledged after restart"] > 0
    # Pages answered 503 + Retry-After while no node took writes, and never 500.
    assert figures["page 503s during the gap"] > 0
    assert figures["500 count"] == 0
    # Patroni handed over within a few of its loops (loop_wait 2 s), not the lock's 20 s TTL.
    assert figures["seconds without a primary"] < 15
    # Its replication was frozen a second before it died, so its WAL held commits the
    # standby never had (none acknowledged): Patroni rewound it with pg_rewind, and it is
    # the synchronous standby now.
    assert figures["pg_rewind ran"] is True
    assert ha.member(first_leader)["role"] == "sync_standby"
    assert ha_app.alive()


def _wrapper(url: str, *, health_checks: bool):
    """A Django connection of its own to the HA pair, as the app configures it."""
    config = parse_database_url(
        url,
        engine="django.contrib.gis.db.backends.postgis",
        conn_max_age=60,
        conn_health_checks=health_checks,
    )
    config = connections.configure_settings({"default": config})["default"]
    return load_backend(config["ENGINE"]).DatabaseWrapper(config, alias=f"ha-{health_checks}")


def _server_port(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT inet_server_port(), pg_is_in_recovery()")
        port, in_recovery = cursor.fetchone()
    assert in_recovery is False
    return port


def test_a_persistent_connection_to_the_dead_primary_is_dropped_and_the_next_finds_the_new_one(
    ha,
):
    """CONN_MAX_AGE keeps a connection to the primary between requests. After a failover,
    the health check (CONN_HEALTH_CHECKS) drops it at the next request and libpq's
    target_session_attrs=read-write connects to the new primary. Without the check, that
    request would fail on the dead connection."""
    ha.wait_for(ha.healthy, "a leader with a synchronous standby", 120)
    leader = ha.leader()
    checked = _wrapper(ha.database_url(), health_checks=True)
    unchecked = _wrapper(ha.database_url(), health_checks=False)
    try:
        assert _server_port(checked) == _server_port(unchecked) == leader.pg_port

        fault = PrimaryKill(ha)
        fault.stop()
        fault.start()
        assert fault.new_primary is not None and fault.new_primary != leader

        # The next request: Django's request_started handler runs this on every connection.
        for wrapper in (checked, unchecked):
            wrapper.close_if_unusable_or_obsolete()
            assert wrapper.connection is not None, "kept between requests (CONN_MAX_AGE)"
        assert _server_port(checked) == fault.new_primary.pg_port
        with pytest.raises((OperationalError, InterfaceError)):
            _server_port(unchecked)
    finally:
        for wrapper in (checked, unchecked):
            with contextlib.suppress(OperationalError, InterfaceError):
                wrapper.close()
