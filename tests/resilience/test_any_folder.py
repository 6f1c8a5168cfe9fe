"""Any folder (issue 15, section 1): every cluster the project starts works in a checkout
whose path is longer than PostgreSQL allows for a Unix socket (107 bytes).

A fresh clone in /tmp/gridmap-check/test-<40-hex-digit commit>/ once failed: the clusters put
their socket under <checkout>/var/…/run/, and PostgreSQL "could not create any Unix-domain
sockets". Both ways a cluster is started are tried from a 150+ character path: the throwaway
clusters of bench/load_faults.py (resilience tests, `make bench`) and scripts/db.sh (`make`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.load_faults import AS_ROOT, PG_BIN, ROOT, Cluster

# Ports of their own: the shared cluster is 54329, the resilience clusters 54341-54345.
BENCH_CLUSTER_PORT = 54346
DB_SH_PORT = 54347
# PostgreSQL's limit for a socket path (sizeof(sun_path) - 1).
SOCKET_PATH_LIMIT = 107


@pytest.fixture
def deep_checkout() -> Iterator[Path]:
    """An empty "checkout" folder 150+ characters deep, which the `postgres` OS user can
    traverse (pytest's own tmp_path, under a 0700 folder, is not)."""
    top = Path(tempfile.mkdtemp(prefix="gridmap-check-", dir="/tmp"))
    try:
        top.chmod(0o755)
        checkout = top / "a-folder-someone-chose" / f"test-{'0123456789abcdef' * 2}01234567"
        while len(str(checkout)) < 150:
            checkout = checkout / "deeper"
        checkout.mkdir(parents=True)
        for folder in [checkout, *checkout.parents]:
            if folder == top.parent:
                break
            folder.chmod(0o755)
        assert len(str(checkout)) >= 150
        yield checkout
    finally:
        shutil.rmtree(top, ignore_errors=True)


def _psql(port: int, statement: str) -> str:
    command = [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
    result = subprocess.run(
        [*command, "-d", "postgres", "-qAt", "-c", statement],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_throwaway_cluster_starts_and_answers_from_a_checkout_path_of_150_characters(
    deep_checkout,
):
    cluster = Cluster("deep", BENCH_CLUSTER_PORT, root=deep_checkout / "var" / "resilience")
    # Where the old code put the socket: over the limit, so the old code could not start.
    assert len(str(cluster.dir / "run" / f".s.PGSQL.{cluster.port}")) > SOCKET_PATH_LIMIT
    try:
        cluster.create().start()
        assert cluster.sql("SELECT 6 * 7", database="postgres") == "42"
        assert cluster.sql("SHOW unix_socket_directories", database="postgres") == ""
        assert cluster.sql("SHOW data_directory", database="postgres") == str(cluster.data)
    finally:
        cluster.remove()
    assert not cluster.dir.exists()


def test_scripts_db_sh_starts_its_cluster_with_postgis_from_a_checkout_path_of_150_characters(
    deep_checkout,
):
    (deep_checkout / "scripts").mkdir()
    script = deep_checkout / "scripts" / "db.sh"
    shutil.copy2(ROOT / "scripts" / "db.sh", script)
    if AS_ROOT:
        # Only the cluster's folder is given to `postgres`, as in a real checkout.
        subprocess.run(["chmod", "-R", "a+rX", str(deep_checkout)], check=True)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(GRIDMAP_PGPORT=str(DB_SH_PORT), GRIDMAP_DBNAME="gridmap", GRIDMAP_FAST_DB="1")
    cluster_root = deep_checkout / "var" / "pg"
    assert len(str(cluster_root / "run" / f".s.PGSQL.{DB_SH_PORT}")) > SOCKET_PATH_LIMIT

    def db_sh(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(script), command], env=env, capture_output=True, text=True, timeout=180
        )

    try:
        started = db_sh("start")
        assert started.returncode == 0, started.stdout + started.stderr
        assert (cluster_root / "data" / "PG_VERSION").exists()  # in the deep checkout itself
        url = db_sh("url").stdout.strip()
        assert url == f"postgis://postgres@127.0.0.1:{DB_SH_PORT}/gridmap"
        version = _psql(DB_SH_PORT, "SELECT 1 FROM pg_database WHERE datname = 'gridmap'")
        assert version == "1"
        command = [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(DB_SH_PORT)]
        postgis = subprocess.run(
            [*command, "-U", "postgres", "-d", "gridmap", "-qAt", "-c", "SELECT postgis_version()"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert postgis.returncode == 0 and postgis.stdout.startswith("3."), postgis.stderr
        again = db_sh("start")  # idempotent: a second start finds it running
        assert again.returncode == 0 and "already running" in again.stdout
    finally:
        stopped = db_sh("stop")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert "stopping cluster" in stopped.stdout
