"""Automatic failover under load: the primary's PostgreSQL is killed, Patroni promotes the
synchronous standby, and no acknowledged report is lost (issue 15, point 4).

    .venv/bin/python bench/failover.py [--clients 50] [--seconds 60]

Starts its own HA cluster (scripts/ha/hacluster.py: one etcd, two Patroni nodes with
`synchronous_mode`, in a short /tmp folder on ports 55460-55481), puts the app's schema and
the demo data in it, serves the app from a real server process whose DATABASE_URL lists both
nodes (libpq multi-host, target_session_attrs=read-write), and lets N reporters submit for a
fixed time (bench/load_faults.py's reporters, checks and figures). In the middle the
primary's postmaster is killed with SIGKILL. Meanwhile a prober reads pages (the tracking
page, a GeoJSON layer) and records what they answer.

Then it checks: what load_faults checks (every acknowledged tracking code stored exactly
once, on the new primary; nothing stored that nobody got a code for; every refusal a 503
with Retry-After and the retryable error body; no 500; resubmissions answered with the first
report and `created: false`), plus: the pages answered 200 or 503 with Retry-After, never 500;
a node other than the killed one took writes; the killed node came back as a streaming
synchronous standby (Patroni runs pg_rewind when its WAL went further than the new primary's);
and it holds every acknowledged report too. Prints the figures; exits 1 if an invariant fails.
tests/resilience/test_failover.py runs a short form of it in `make test`.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: bench/ is on the path, the checkout is not
    sys.path.insert(0, str(ROOT))

from bench.load_faults import AppServer, Cluster, Result, run_load  # noqa: E402
from scripts.ha.hacluster import HACluster, Node  # noqa: E402


class PrimaryKill:
    """What run_load sees as its database: SQL goes to whichever node takes writes now;
    `stop()` SIGKILLs the primary's postmaster; `start()` returns once another node takes
    writes (Patroni has promoted it). The time between the two is the time without a
    primary."""

    def __init__(self, ha: HACluster, *, freeze_replication: float = 0.0) -> None:
        self.ha = ha
        self.freeze_replication = freeze_replication
        self.killed: Node | None = None
        self.killed_at: float | None = None
        self.promoted_at: float | None = None
        self.new_primary: Node | None = None

    def primary(self, timeout: float = 90) -> Node:
        found: list[Node] = []

        def writable() -> bool:
            node = self.ha.writable()
            if node is not None:
                found.append(node)
            return node is not None

        self.ha.wait_for(writable, "a node that takes writes", timeout)
        return found[-1]

    def sql(self, statement: str, database: str = "gridmap") -> str:
        return self.ha.psql(self.primary(), statement, database)

    def stop(self, mode: str = "") -> None:
        node = self.ha.leader() or self.primary()
        senders: list[int] = []
        killed = False
        try:
            if self.freeze_replication:
                # The machine's last moments: its WAL stops reaching the standby (SIGSTOP the
                # WAL senders), so the commits made meanwhile are on the primary's disk only
                # and wait for the standby's confirmation, unacknowledged. Then it dies. Those
                # commits are what pg_rewind takes away when the node comes back.
                senders = [
                    int(pid)
                    for pid in self.ha.psql(
                        node, "SELECT pid FROM pg_stat_replication", "postgres"
                    ).split()
                ]
                for pid in senders:
                    os.kill(pid, signal.SIGSTOP)
                # At least one WAL record the standby never gets, whatever the reporters
                # manage to send in that second (the WAL writer flushes it within 200 ms).
                self.ha.psql(
                    node,
                    "SELECT pg_logical_emit_message(false, 'gridmap', 'on the old primary only')",
                    "postgres",
                )
                time.sleep(self.freeze_replication)
            self.ha.kill_postmaster(node)
            killed = True
            self.killed, self.killed_at = node, time.monotonic()
        finally:
            # Stopped processes do not notice their postmaster's death: kill them with it (or
            # let them go on when something failed before the kill).
            for pid in senders:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL if killed else signal.SIGCONT)

    def start(self) -> None:
        def promoted() -> bool:
            node = self.ha.writable()
            if node is None or node == self.killed:
                return False
            self.new_primary = node
            return True

        self.ha.wait_for(promoted, "Patroni to promote the standby", 120)
        self.promoted_at = time.monotonic()

    @property
    def seconds_without_primary(self) -> float:
        if self.killed_at is None or self.promoted_at is None:
            return float("nan")
        return self.promoted_at - self.killed_at


@dataclass
class PageProbe:
    """Reads pages over and over while the load runs; what they answered, and when."""

    base: str
    paths: list[str]
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    problems: list[str] = field(default_factory=list)
    refusals: list[float] = field(default_factory=list)  # when each 503 came
    stopping: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stopping.is_set():
            for path in self.paths:
                self._read(path)
            time.sleep(0.1)

    def _read(self, path: str) -> None:
        request = urllib.request.Request(f"{self.base}{path}", headers={"Accept-Language": "en"})
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                status, headers = response.status, response.headers
                response.read()
        except urllib.error.HTTPError as error:
            status, headers = error.code, error.headers
            error.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
            self.problems.append(f"{path}: no answer ({error})")
            return
        self.statuses[status] += 1
        if status == 503:
            self.refusals.append(time.monotonic())
            if not (headers.get("Retry-After") or "").isdigit():
                self.problems.append(f"{path}: 503 without Retry-After")
        elif status != 200:
            self.problems.append(f"{path}: {status}")


def _rewound(log: str) -> bool:
    """Whether Patroni ran pg_rewind on the node (it does only when the node's WAL went
    further than the new primary's: a commit that never reached the standby)."""
    return "pg_rewind exit code=0" in log


def run_failover(
    ha: HACluster,
    server: AppServer,
    *,
    clients: int,
    seconds: float,
    grace_seconds: float = 30,
    freeze_replication: float = 1.0,
) -> tuple[Result, dict[str, Any]]:
    """run_load with the primary killed in the middle (its replication frozen for
    `freeze_replication` seconds first); then the HA checks above. Returns the load's Result
    (failures include the HA checks) and the figures."""
    fault = PrimaryKill(ha, freeze_replication=freeze_replication)
    code = fault.sql("SELECT code FROM reports_report ORDER BY id LIMIT 1")
    probe = PageProbe(server.base, [f"/r/{code}/", "/api/layers/grids.geojson?limit=5"])
    prober = threading.Thread(target=probe.run, name="page-prober", daemon=True)
    prober.start()
    try:
        # run_load stops its "cluster" at the middle and starts it again: here that is the
        # SIGKILL and the wait for Patroni's promotion (down_seconds=0: no extra pause).
        result = run_load(
            fault,  # type: ignore[arg-type]  # duck-typed: sql(), stop(), start()
            server,
            clients=clients,
            seconds=seconds,
            down_seconds=0,
            grace_seconds=grace_seconds,
        )
    finally:
        probe.stopping.set()
        prober.join(30)

    failures = result.failures
    killed, new_primary = fault.killed, fault.new_primary
    assert killed is not None and new_primary is not None
    # The old primary comes back as a standby, by itself (Patroni: crash recovery, pg_rewind
    # if its WAL went further than the new primary's, then streaming).
    rejoined_after = float("nan")
    try:
        ha.wait_for(ha.healthy, "the old primary to rejoin as a synchronous standby", 120)
        rejoined_after = time.monotonic() - (fault.killed_at or 0)
    except TimeoutError as error:
        failures.append(f"{error} ({ha.describe()})")
    killed_member = ha.member(killed)
    if killed_member.get("role") not in ("sync_standby", "replica"):
        failures.append(f"the old primary {killed.name} is {killed_member or 'gone'}")
    elif ha.psql(killed, "SELECT pg_is_in_recovery()", "postgres") != "t":
        failures.append(f"the old primary {killed.name} takes writes: two primaries")
    # Every acknowledged report on the rejoined standby too, once it has replayed.
    query = "SELECT count(*) FROM reports_report WHERE description LIKE 'Load test report %'"
    on_primary = ha.psql(new_primary, query)
    try:
        ha.wait_for(lambda: ha.psql(killed, query) == on_primary, "the standby to catch up", 60)
    except TimeoutError:
        failures.append(
            f"the rejoined standby has {ha.psql(killed, query)} reports, the primary {on_primary}"
        )
    if probe.problems:
        failures.append(f"pages: {probe.problems[:5]}")
    in_gap = [
        t for t in probe.refusals if (fault.killed_at or 0) <= t <= (fault.promoted_at or 0) + 5
    ]
    counts = result.counts
    figures = {
        "reporters": clients,
        "acknowledged": counts["acknowledged"],
        "stored": counts["in database (this run)"],
        "duplicates": counts["duplicates"],
        "lost": counts["missing"],
        "seconds without a primary": round(fault.seconds_without_primary, 1),
        "503 count (submissions)": counts["refused (503, retryable)"],
        "503 count (pages)": probe.statuses.get(503, 0),
        "page 503s during the gap": len(in_gap),
        "500 count": counts["errors by status"].get(500, 0) + probe.statuses.get(500, 0),
        "killed": killed.name,
        "new primary": new_primary.name,
        "replication frozen before (s)": freeze_replication,
        "old primary rejoined after (s)": round(rejoined_after, 1),
        "pg_rewind ran": _rewound(ha.patroni_log(killed)),
        "cluster now": ha.describe(),
        "load": counts,
        "pages by status": dict(sorted(probe.statuses.items())),
    }
    return result, figures


def summary(result: Result, figures: dict[str, Any]) -> str:
    lines = [
        f"failover under load: {figures['reporters']} reporters, {result.seconds:.0f} s, "
        f"the primary ({figures['killed']}) killed with SIGKILL in the middle"
    ]
    lines += [
        f"  {name:32} {value}"
        for name, value in figures.items()
        if name not in ("reporters", "load", "killed")
    ]
    lines.append("  OK" if not result.failures else "  FAILED:")
    lines += [f"    - {failure}" for failure in result.failures]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--base-port", type=int, default=55460, help="etcd; nodes at +10, +20")
    parser.add_argument("--app-port", type=int, default=55499)
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "bench" / "failover.json")
    args = parser.parse_args(argv)

    ha = HACluster("bench", args.base_port)
    server: AppServer | None = None
    try:
        print("==> HA cluster: etcd + two Patroni nodes (synchronous_mode)")
        ha.down(remove=True, log=lambda _: None)  # what an interrupted run left behind
        ha.up()
        leader = ha.leader()
        assert leader is not None
        print("==> app schema and demo data (migrate, demo places and categories)")
        Cluster("ha-bench", leader.pg_port).create_app_database()
        ha.wait_for(ha.healthy, "the standby to catch up", 60)
        server = AppServer(args.app_port, ha.database_url()).start()
        print(f"==> {args.clients} reporters for {args.seconds:.0f} s against {server.base}")
        result, figures = run_failover(ha, server, clients=args.clients, seconds=args.seconds)
    finally:
        if server is not None:
            server.stop()
        ha.down(remove=True, log=lambda _: None)
    print(summary(result, figures))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"figures": figures, "failures": result.failures}, indent=2, default=str)
    )
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
