"""A high-availability PostgreSQL on loopback: one etcd, two Patroni nodes (issue 15, point 3).

    python3 scripts/ha/hacluster.py up [--base-port 55400] [--name dev]   # idempotent
    python3 scripts/ha/hacluster.py status
    python3 scripts/ha/hacluster.py down [--remove]                       # idempotent

Everything comes from Debian: `etcd-server` (the store Patroni keeps the leader lock in),
`patroni` (runs PostgreSQL 15 on each node, elects a leader through etcd, keeps a synchronous
standby, promotes it when the primary dies, rewinds the old primary with pg_rewind and brings
it back as a standby). `make ha-up` / `make ha-down` call this file; the failover test
(tests/resilience/test_failover.py) and bench (bench/failover.py) import `HACluster`.

Ports, from a base port B: etcd client B, etcd peer B+1, node n1 PostgreSQL B+10 and Patroni
REST B+11, node n2 B+20 and B+21. Everything (etcd data, both data directories, their Unix
sockets, logs, pid files) lives in one short folder under /tmp, so socket paths stay far below
PostgreSQL's 107-byte limit whatever the checkout path is. PostgreSQL and Patroni run as the
`postgres` OS user when we are root (PostgreSQL refuses root).

Only the standard library: it runs with Debian's python3 as well as the project's .venv.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
AS_ROOT = os.geteuid() == 0
SCOPE = "gridmap"
DATABASE = "gridmap"


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if AS_ROOT else command


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (our own child, not reaped yet) is not alive.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@dataclass(frozen=True)
class Node:
    name: str
    pg_port: int
    rest_port: int
    dir: Path

    @property
    def data(self) -> Path:
        return self.dir / "data"

    @property
    def rest(self) -> str:
        return f"http://127.0.0.1:{self.rest_port}"

    def postmaster_pid(self) -> int | None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return pid if _alive(pid) else None


class HACluster:
    """etcd + Patroni nodes n1, n2 on 127.0.0.1, in /tmp/gm-ha-<name>-<checkout hash>/."""

    def __init__(self, name: str = "dev", base_port: int = 55400, nodes: int = 2) -> None:
        self.name = name
        self.base_port = base_port
        digest = hashlib.md5(str(ROOT).encode()).hexdigest()[:6]
        self.dir = Path(os.environ.get("GRIDMAP_HA_DIR") or f"/tmp/gm-ha-{name}-{digest}")
        self.etcd_port = base_port
        self.etcd_peer_port = base_port + 1
        self.nodes = [
            Node(f"n{i}", base_port + 10 * i, base_port + 10 * i + 1, self.dir / f"n{i}")
            for i in range(1, nodes + 1)
        ]

    # --- what clients use ---------------------------------------------------------------

    def database_url(self, database: str = DATABASE) -> str:
        """libpq's multi-host form: the app tries each node and keeps the one that takes
        writes (gridmap.settings.dburl splits the hosts for Django)."""
        hosts = ",".join(f"127.0.0.1:{node.pg_port}" for node in self.nodes)
        return (
            f"postgis://postgres@{hosts}/{database}"
            "?target_session_attrs=read-write&connect_timeout=3"
        )

    def node_url(self, node: Node, database: str = DATABASE) -> str:
        return f"postgis://postgres@127.0.0.1:{node.pg_port}/{database}"

    # --- start ----------------------------------------------------------------------------

    def up(self, *, log=print) -> None:
        """Start etcd and every node that is not running; wait for a leader and a
        synchronous standby. Safe to call again."""
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o755)  # the postgres user walks through it to its node folder
        if self._pid_alive("etcd"):
            log(f"    etcd already running on 127.0.0.1:{self.etcd_port}")
        else:
            log(f"    starting etcd on 127.0.0.1:{self.etcd_port} (data in {self.dir / 'etcd'})")
            self._start_etcd()
        for index, node in enumerate(self.nodes):
            if self._pid_alive(node.name):
                log(f"    Patroni {node.name} already running (PostgreSQL {node.pg_port})")
                continue
            log(
                f"    starting Patroni {node.name}: PostgreSQL on 127.0.0.1:{node.pg_port}, "
                f"REST on {node.rest_port}, data in {node.data}"
            )
            self._start_patroni(node)
            if index == 0:
                # The first node bootstraps (initdb) and takes the leader lock before the
                # others start, so they copy it (pg_basebackup) instead of racing it.
                self.wait_for(lambda: self.leader() is not None, "a leader", 90)
        self.wait_for(self.healthy, "a leader with a streaming synchronous standby", 120)
        leader = self.leader()
        log(f"    leader: {leader.name if leader else '?'}; {self.describe()}")

    def ensure_database(self, database: str = DATABASE, *, log=print) -> None:
        """The app's database with the extensions its migrations need, made on the leader
        (Patroni's standby gets it by replication)."""
        leader = self.leader()
        if leader is None:
            raise RuntimeError("no leader")
        exists = self.psql(
            leader, f"SELECT 1 FROM pg_database WHERE datname = '{database}'", "postgres"
        )
        if exists:
            log(f"    database {database} already there")
            return
        log(f"    creating database {database} (postgis, btree_gist) on {leader.name}")
        self.psql(leader, f"CREATE DATABASE {database}", "postgres")
        self.psql(leader, "CREATE EXTENSION postgis; CREATE EXTENSION btree_gist", database)

    def _start_etcd(self) -> None:
        data = self.dir / "etcd"
        peer = f"http://127.0.0.1:{self.etcd_peer_port}"
        client = f"http://127.0.0.1:{self.etcd_port}"
        command = ["etcd", "--name", "etcd1", "--data-dir", str(data)]
        command += ["--listen-client-urls", client, "--advertise-client-urls", client]
        command += ["--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer]
        command += ["--initial-cluster", f"etcd1={peer}", "--initial-cluster-state", "new"]
        command += ["--initial-cluster-token", f"gridmap-{self.name}"]
        self._spawn("etcd", command)
        self.wait_for(self._etcd_healthy, "etcd", 30)

    def _etcd_healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.etcd_port}/health", timeout=2):
                return True
        except (urllib.error.URLError, OSError):
            return False

    def _start_patroni(self, node: Node) -> None:
        if AS_ROOT:
            subprocess.run(
                ["install", "-d", "-m", "700", "-o", "postgres", "-g", "postgres", str(node.dir)],
                check=True,
            )
        else:
            node.dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        config = node.dir / "patroni.yml"
        # JSON is YAML: no YAML library needed here.
        config.write_text(json.dumps(self.patroni_config(node), indent=2))
        if AS_ROOT:
            shutil.chown(config, "postgres", "postgres")
        self._spawn(node.name, ["patroni", str(config)], as_postgres=True)

    def patroni_config(self, node: Node) -> dict:
        return {
            "scope": SCOPE,
            "namespace": f"/gridmap-{self.name}/",
            "name": node.name,
            "log": {"level": "INFO"},
            "restapi": {
                "listen": f"127.0.0.1:{node.rest_port}",
                "connect_address": f"127.0.0.1:{node.rest_port}",
            },
            "etcd3": {"hosts": [f"127.0.0.1:{self.etcd_port}"]},
            "bootstrap": {
                "dcs": {
                    # The leader lock lives `ttl` seconds without renewal: the longest a dead
                    # *machine* keeps its lock. A crashed PostgreSQL under a live Patroni is
                    # handed over at once (primary_start_timeout: 0 below).
                    "ttl": 20,
                    "loop_wait": 2,
                    "retry_timeout": 5,
                    "maximum_lag_on_failover": 1048576,
                    # A commit is acknowledged only once the standby has flushed it, and only
                    # that standby may be promoted: no acknowledged write is lost.
                    "synchronous_mode": True,
                    # Not strict: with two nodes, strict mode stops every write while the
                    # standby is away (README, "High availability").
                    "synchronous_mode_strict": False,
                    # After a crash of the primary's PostgreSQL, fail over to the synchronous
                    # standby instead of restarting the crashed one in place.
                    "primary_start_timeout": 0,
                    "postgresql": {
                        "use_pg_rewind": True,
                        "use_slots": True,
                        "parameters": {
                            "wal_log_hints": "on",  # pg_rewind needs it (or checksums)
                            "max_connections": 200,
                            "max_wal_senders": 10,
                            "max_replication_slots": 10,
                            "wal_keep_size": "128MB",
                            "hot_standby": "on",
                        },
                    },
                },
                "initdb": [{"encoding": "UTF8"}, {"locale": "C.UTF-8"}, "data-checksums"],
            },
            "postgresql": {
                "listen": f"127.0.0.1:{node.pg_port}",
                "connect_address": f"127.0.0.1:{node.pg_port}",
                "data_dir": str(node.data),
                "bin_dir": str(PG_BIN),
                "pgpass": str(node.dir / "pgpass"),
                # Loopback only, one machine: trust. On real machines use scram-sha-256 and
                # passwords (README).
                "pg_hba": [
                    "local all all trust",
                    "host all all 127.0.0.1/32 trust",
                    "host replication all 127.0.0.1/32 trust",
                ],
                "authentication": {
                    "superuser": {"username": "postgres", "password": "gridmap-ha-local"},
                    "replication": {"username": "postgres", "password": "gridmap-ha-local"},
                },
                "parameters": {
                    "unix_socket_directories": str(node.dir),
                    "shared_buffers": "64MB",
                },
            },
        }

    def _spawn(self, what: str, command: list[str], *, as_postgres: bool = False) -> None:
        # Patroni is started as the postgres user directly (not through runuser, which would
        # stand between our SIGTERM and Patroni's own orderly shutdown and kill it early).
        user: dict = {}
        env = dict(os.environ)
        if as_postgres and AS_ROOT:
            user = {"user": "postgres", "group": "postgres", "extra_groups": []}
            env.update(HOME="/var/lib/postgresql", USER="postgres", LOGNAME="postgres")
        with open(self.dir / f"{what}.log", "ab") as log:
            process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stopped without touching ours
                cwd=self.dir if not user else "/",
                env=env,
                **user,
            )
        (self.dir / f"{what}.pid").write_text(str(process.pid))

    def _pid(self, what: str) -> int | None:
        try:
            return int((self.dir / f"{what}.pid").read_text())
        except (OSError, ValueError):
            return None

    def _pid_alive(self, what: str) -> bool:
        pid = self._pid(what)
        return pid is not None and _alive(pid)

    # --- state ----------------------------------------------------------------------------

    def members(self) -> list[dict]:
        """Patroni's view of the cluster (GET /cluster on any node that answers)."""
        for node in self.nodes:
            try:
                with urllib.request.urlopen(f"{node.rest}/cluster", timeout=2) as response:
                    return list(json.load(response).get("members", []))
            except (urllib.error.URLError, OSError, ValueError):
                continue
        return []

    def member(self, node: Node) -> dict:
        return next((m for m in self.members() if m.get("name") == node.name), {})

    def leader(self) -> Node | None:
        for member in self.members():
            if member.get("role") == "leader" and member.get("state") == "running":
                return self._node(member["name"])
        return None

    def _node(self, name: str) -> Node:
        return next(node for node in self.nodes if node.name == name)

    def healthy(self) -> bool:
        """A running leader, and every other node a streaming synchronous standby (or an
        asynchronous one beyond the first)."""
        members = self.members()
        if len(members) != len(self.nodes):
            return False
        roles = sorted(m.get("role", "") for m in members)
        leader_ok = any(m.get("role") == "leader" and m.get("state") == "running" for m in members)
        standbys_ok = all(
            m.get("state") in ("streaming", "running") and m.get("lag", 0) in (0, "0")
            for m in members
            if m.get("role") != "leader"
        )
        return leader_ok and "sync_standby" in roles and standbys_ok

    def describe(self) -> str:
        return ", ".join(
            f"{m.get('name')}={m.get('role')}/{m.get('state')} (timeline {m.get('timeline')})"
            for m in self.members()
        )

    def psql(self, node: Node, statement: str, database: str = DATABASE) -> str:
        """One statement on one node over TCP; unaligned output. Raises on failure."""
        command = [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(node.pg_port)]
        command += ["-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt"]
        result = subprocess.run(
            [*command, "-c", statement], capture_output=True, text=True, timeout=30
        )
        if result.returncode != 0:
            raise RuntimeError(f"psql on {node.name}: {result.stderr.strip()}")
        return result.stdout.strip()

    def writable(self) -> Node | None:
        """The node that takes writes now, asked of PostgreSQL itself (not of Patroni)."""
        for node in self.nodes:
            try:
                if self.psql(node, "SELECT pg_is_in_recovery()", "postgres") == "f":
                    return node
            except (RuntimeError, subprocess.TimeoutExpired):
                continue
        return None

    @staticmethod
    def wait_for(predicate, what: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
            time.sleep(0.2)

    # --- faults ---------------------------------------------------------------------------

    def kill_postmaster(self, node: Node) -> int:
        """SIGKILL the node's postmaster, as the kernel's OOM killer or a crash would."""
        pid = node.postmaster_pid()
        if pid is None:
            raise RuntimeError(f"no postmaster running on {node.name}")
        os.kill(pid, signal.SIGKILL)
        return pid

    def patroni_log(self, node: Node) -> str:
        path = self.dir / f"{node.name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- stop -----------------------------------------------------------------------------

    def down(self, *, remove: bool = False, log=print) -> None:
        """Stop the standbys, then the leader (so nobody fails over to a node that is
        stopping), then etcd. Whatever does not stop in time is killed. Safe to call again."""
        leader = self.leader()
        order = [n for n in self.nodes if n != leader] + ([leader] if leader else [])
        for node in order:
            pid = self._pid(node.name)
            if pid is None or not _alive(pid):
                log(f"    Patroni {node.name} not running")
            else:
                log(f"    stopping Patroni {node.name} and its PostgreSQL")
                self._stop_group(pid, timeout=30)
            # Patroni stops its PostgreSQL on SIGTERM; it starts it detached, though, so a
            # PostgreSQL may outlive a Patroni that was killed hard.
            deadline = time.monotonic() + (30 if pid is not None else 0)
            while node.postmaster_pid() is not None and time.monotonic() < deadline:
                time.sleep(0.2)
            postmaster = node.postmaster_pid()
            if postmaster is not None:
                log(f"    stopping the PostgreSQL that {node.name}'s Patroni left running")
                subprocess.run(
                    _as_postgres(
                        [str(PG_BIN / "pg_ctl"), "-D", str(node.data), "-m", "immediate", "stop"]
                    ),
                    capture_output=True,
                )
                if node.postmaster_pid() is not None:
                    os.kill(postmaster, signal.SIGKILL)
        pid = self._pid("etcd")
        if pid is None or not _alive(pid):
            log("    etcd not running")
        else:
            log("    stopping etcd")
            self._stop_group(pid, timeout=10)
        if remove and self.dir.exists():
            log(f"    removing {self.dir}")
            shutil.rmtree(self.dir, ignore_errors=True)

    @staticmethod
    def _stop_group(pid: int, timeout: float) -> None:
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reap it when it was our child


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["up", "down", "status", "url"])
    parser.add_argument("--name", default="dev")
    parser.add_argument("--base-port", type=int, default=55400)
    parser.add_argument("--remove", action="store_true", help="down: also delete the data")
    args = parser.parse_args(argv)
    cluster = HACluster(args.name, args.base_port)
    if args.action == "up":
        cluster.up()
        cluster.ensure_database()
    elif args.action == "down":
        cluster.down(remove=args.remove)
        return 0
    if args.action == "status":
        print(cluster.describe() or "not running")
    print(f"DATABASE_URL={cluster.database_url()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
