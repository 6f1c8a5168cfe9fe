"""DATABASE_URL in libpq's multi-host form (gridmap.settings.dburl), for a Patroni pair."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest

from gridmap.settings.dburl import parse_database_url

ROOT = Path(__file__).resolve().parent.parent.parent
PAIR = "postgis://app:s%40cret@db1:5432,db2:6432/gridmap?target_session_attrs=read-write"


def test_a_url_with_two_hosts_gives_libpq_both_hosts_with_their_ports():
    config = parse_database_url(PAIR, conn_max_age=60, conn_health_checks=True)
    assert config["HOST"] == "db1,db2"
    assert config["PORT"] == "5432,6432"
    assert config["NAME"] == "gridmap"
    assert (config["USER"], config["PASSWORD"]) == ("app", "s@cret")
    assert config["OPTIONS"] == {"target_session_attrs": "read-write"}
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True


def test_a_host_without_a_port_in_the_list_gets_the_default_port():
    assert parse_database_url("postgres://u@[::1]:5433,db2/g")["PORT"] == "5433,5432"
    assert parse_database_url("postgres://u@[::1]:5433,db2/g")["HOST"] == "::1,db2"
    # No ports at all: libpq's default for every host.
    assert parse_database_url("postgres://u@db1,db2/g")["PORT"] == ""


def test_a_url_with_one_host_reads_as_dj_database_url_reads_it():
    url = "postgis://postgres@127.0.0.1:54329/gridmap?connect_timeout=3"
    assert parse_database_url(url, conn_max_age=60) == dj_database_url.parse(url, conn_max_age=60)


@pytest.mark.parametrize("hosts", ["db1:abc,db2", "db1,,db2", "db1:5432,"])
def test_a_host_list_that_cannot_be_read_is_refused_with_the_list_in_the_message(hosts):
    with pytest.raises(ValueError, match="host list"):
        parse_database_url(f"postgres://u@{hosts}/g")


def test_the_settings_read_a_two_host_database_url_with_health_checks_on():
    """What the app server gets from its environment (the settings read it at import)."""
    env = {
        **os.environ,
        "DATABASE_URL": PAIR + "&connect_timeout=3",
        "DJANGO_SETTINGS_MODULE": "gridmap.settings.test",
    }
    env.pop("DATABASE_REPLICA_URL", None)
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'], default=str))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    config = json.loads(out.strip().splitlines()[-1])
    assert (config["HOST"], config["PORT"]) == ("db1,db2", "5432,6432")
    assert config["OPTIONS"] == {"target_session_attrs": "read-write", "connect_timeout": 3}
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["ENGINE"] == "django.contrib.gis.db.backends.postgis"
