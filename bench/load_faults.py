"""Load with a fault: concurrent reporters while PostgreSQL restarts (issue 7, section 4).

    .venv/bin/python bench/load_faults.py [--clients 50] [--seconds 60] [--down 3]

Builds a throwaway PostgreSQL cluster of its own (never the shared one), migrates the app
schema and the demo data into it, serves the app from a real server process against it, and
lets N reporters submit reports for a fixed time; in the middle the cluster is stopped for a
few seconds and started again. Every reporter keeps its idempotency key until the report is
acknowledged (2xx with a tracking code); a refused attempt (503) is sent again with the same
key. Some acknowledged submissions are sent again as if their response had been lost.

Then it checks, in the database: every acknowledged tracking code is there exactly once, no
idempotency key is filed twice, nothing was filed that no reporter got a code for, every
refusal was the API's retryable error body with Retry-After, no 500s, and submissions
succeed after the restart from the same server process. Prints the counts; exits 1 if an
invariant fails. tests/resilience/test_faults.py runs a short form of it in `make test`.

The cluster runs as the `postgres` OS user when run as root (PostgreSQL refuses root).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import http.cookiejar
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PYTHON = Path(os.environ.get("GRIDMAP_PYTHON", ROOT / ".venv" / "bin" / "python"))
AS_ROOT = os.geteuid() == 0


def _work_dir() -> Path:
    """var/resilience of the checkout, unless GRIDMAP_RESILIENCE_DIR says otherwise or (as
    root) the `postgres` user cannot reach the checkout: then a folder under /var/tmp, as
    scripts/db.sh does."""
    if os.environ.get("GRIDMAP_RESILIENCE_DIR"):
        return Path(os.environ["GRIDMAP_RESILIENCE_DIR"])
    reachable = not AS_ROOT or (
        subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(ROOT)]).returncode == 0
    )
    if reachable:
        return ROOT / "var" / "resilience"
    digest = hashlib.md5(str(ROOT).encode()).hexdigest()[:10]
    return Path("/var/tmp") / f"gridmap-resilience-{digest}"


WORK = _work_dir()


# --- a throwaway PostgreSQL cluster ----------------------------------------------------------


def as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if AS_ROOT else command


class Cluster:
    """A PostgreSQL 15 cluster in var/resilience/<name> (or `root`/<name>), on
    127.0.0.1:<port> only, trust auth.

    TCP only, no Unix socket: PostgreSQL refuses a socket path over 107 bytes, and the
    checkout's folder (chosen by whoever clones it) would be part of that path.
    """

    def __init__(self, name: str, port: int, *, root: Path | None = None) -> None:
        self.name = name
        self.port = port
        self.root = root or WORK
        self.dir = self.root / name
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"

    # Settings for a throwaway cluster: fsync off is safe against a server restart (a fast
    # shutdown writes everything out), not against the machine losing power.
    CONF = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = ''
max_connections = 200
shared_buffers = 64MB
fsync = off
full_page_writes = off
wal_level = replica
max_wal_senders = 5
hot_standby = on
"""

    def _dirs(self) -> None:
        if self.dir.exists():
            self.remove()
        self.root.mkdir(parents=True, exist_ok=True)
        if AS_ROOT:
            subprocess.run(
                ["install", "-d", "-o", "postgres", "-g", "postgres", str(self.dir)], check=True
            )
        else:
            self.dir.mkdir(parents=True, exist_ok=True)

    def _conf(self) -> None:
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(self.CONF.format(port=self.port))

    def create(self) -> Cluster:
        self._dirs()
        _run(
            as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres"]
                + ["--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]
            )
        )
        self._conf()
        # initdb's pg_hba.conf already lets 127.0.0.1 in for replication with trust auth.
        return self

    def create_standby_of(self, primary: Cluster) -> Cluster:
        """A streaming replica of `primary` (pg_basebackup -R writes standby.signal and
        primary_conninfo)."""
        self._dirs()
        _run(
            as_postgres(
                [str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port)]
                + ["-U", "postgres", "-D", str(self.data), "-R", "-X", "stream", "-c", "fast"]
            )
        )
        self._conf()  # later lines win: this cluster's own port
        return self

    def pg_ctl(self, *args: str) -> None:
        _run(as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args]))

    def start(self) -> None:
        self.pg_ctl("-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        command = as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "status"])
        return subprocess.run(command, capture_output=True).returncode == 0

    def remove(self) -> None:
        if (self.data / "PG_VERSION").exists() and self.running():
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str = "gridmap") -> str:
        return f"postgis://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "gridmap") -> str:
        """One statement through psql over TCP; the unaligned output."""
        command = [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port)]
        command += ["-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt"]
        result = _run([*command, "-c", statement])
        return result.stdout.strip()

    def create_app_database(self, database: str = "gridmap", *, copy_of: str = "") -> None:
        """The app's schema and the demo data reporters need, in a new database: migrated
        from scratch, or (quicker, for the tests) a copy of the database at the postgres://
        URL `copy_of`, which must be migrated (the test database is)."""
        self.sql(f"CREATE DATABASE {database}", database="postgres")
        if copy_of:
            source = urllib.parse.urlsplit(copy_of)
            dump = [str(PG_BIN / "pg_dump"), "-Fc", "--no-owner", "-h", source.hostname or ""]
            dump += ["-p", str(source.port or 5432), "-U", source.username or "postgres"]
            dump += [source.path.lstrip("/")]
            restore = [str(PG_BIN / "pg_restore"), "--no-owner", "-h", "127.0.0.1"]
            restore += ["-p", str(self.port), "-U", "postgres", "-d", database]
            env = {**os.environ, "PGPASSWORD": urllib.parse.unquote(source.password or "")}
            dumped = subprocess.run(dump, capture_output=True, env=env, check=False)
            if dumped.returncode != 0:
                raise RuntimeError(f"pg_dump failed: {dumped.stderr.decode(errors='replace')}")
            restored = subprocess.run(restore, input=dumped.stdout, capture_output=True)
            if restored.returncode != 0:
                raise RuntimeError(f"pg_restore failed: {restored.stderr.decode(errors='replace')}")
        else:
            self.sql("CREATE EXTENSION postgis; CREATE EXTENSION btree_gist", database=database)
        env = app_env(self.url(database))
        if not copy_of:
            _run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT)
        _run([str(PYTHON), "-c", DEMO], env=env, cwd=ROOT)


# The demo's places, people and report categories (the core demo), its reports and its
# Open311 key: all that reporters need, quicker than every app's demo, and idempotent.
DEMO = """
import django
django.setup()
from django.db import transaction
from apps.core.demo import _Loader
from apps.open311.demo import load_demo_data as open311_demo
from apps.reports.demo import load_demo_data as reports_demo
with transaction.atomic():
    _Loader(verbosity=0, out=None).run()
    reports_demo(verbosity=0, out=None)
    open311_demo(verbosity=0, out=None)
"""


def _run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
        )
    return result


# --- the app as a real server process --------------------------------------------------------

SETTINGS = '''"""Generated by bench/load_faults.py: the test settings, with a rate limit no load run
reaches (every reporter here shares one address)."""

from gridmap.settings.test import *  # noqa: F403

GRIDMAP_REPORT_RATE_LIMITS = {"client": (10**9, 3600), "phone": (10**9, 3600)}
GRIDMAP_DB_RETRY_AFTER = 1
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
'''


def app_env(database_url: str, replica_url: str | None = None) -> dict[str, str]:
    settings_dir = WORK / "settings"
    settings_dir.mkdir(parents=True, exist_ok=True)
    (settings_dir / "gridmap_resilience_settings.py").write_text(SETTINGS)
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_REPLICA_URL"}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="gridmap_resilience_settings",
        PYTHONPATH=os.pathsep.join([str(settings_dir), str(ROOT)]),
        PYTHONUNBUFFERED="1",
    )
    if replica_url:
        env["DATABASE_REPLICA_URL"] = replica_url
    return env


class AppServer:
    """`manage.py runserver --noreload` (threaded: one thread per request) on one port."""

    def __init__(self, port: int, database_url: str, replica_url: str | None = None) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.env = app_env(database_url, replica_url)
        self.log = WORK / f"app-{port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> AppServer:
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                # --insecure: static files too (DEBUG is off), for the browser test's page.
                [str(PYTHON), "manage.py", "runserver", "--noreload", "--skip-checks"]
                + ["--insecure", f"127.0.0.1:{self.port}"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app server exited:\n{self.log.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(f"{self.base}/ogcapi/conformance?f=json", timeout=2)
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError("the app server did not answer within 60 s")

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # The server runs in a session of its own: signal its whole process group.
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(3)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


# --- the reporters ---------------------------------------------------------------------------


@dataclass
class Tally:
    """What the reporters saw, merged under a lock."""

    acknowledged: dict[str, str] = field(default_factory=dict)  # key -> tracking code
    ack_times: dict[str, float] = field(default_factory=dict)
    attempts: int = 0
    refused: int = 0  # 503 with the retryable error body and Retry-After
    bad_refusals: list[str] = field(default_factory=list)
    refused_then_acknowledged: int = 0
    transport_errors: int = 0  # no HTTP answer at all: retried with the same key
    replays: int = 0  # an acknowledged submission sent again, as if its answer was lost
    replay_mismatches: list[str] = field(default_factory=list)
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    unexpected: list[str] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)  # keys never acknowledged
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass(frozen=True)
class Target:
    base: str
    categories: list[str]
    points: list[tuple[float, float]]


def _request(
    opener: urllib.request.OpenerDirector,
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str],
    timeout: float = 15,
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Reporter(threading.Thread):
    """One resident's phone: submits reports one after another until the deadline, then
    keeps sending its last unacknowledged one until the grace deadline."""

    def __init__(
        self, number: int, target: Target, tally: Tally, stop_at: float, give_up_at: float
    ) -> None:
        super().__init__(name=f"reporter-{number}", daemon=True)
        self.number = number
        self.target = target
        self.tally = tally
        self.stop_at = stop_at
        self.give_up_at = give_up_at
        # Every third reporter uses the web form (CSRF cookie, JSON answer); the rest the API.
        self.web_form = number % 3 == 2
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.sent = 0

    def run(self) -> None:
        while time.monotonic() < self.stop_at:
            key = secrets.token_urlsafe(24)
            self.sent += 1
            code, refused = self._submit_until_acknowledged(key)
            if code is None:
                with self.tally.lock:
                    self.tally.abandoned.append(key)
                continue
            if self.sent % 5 == 0:
                self._replay(key, code)

    def _body(self, key: str) -> dict[str, Any]:
        lon, lat = self.target.points[(self.number + self.sent) % len(self.target.points)]
        category = self.target.categories[self.sent % len(self.target.categories)]
        return {
            "category": category,
            "description": f"Load test report {self.sent} of reporter {self.number}",
            "lon": lon,
            "lat": lat,
            "idempotency_key": key,
        }

    def _csrf(self) -> str | None:
        for cookie in self.jar:
            if cookie.name == "csrftoken":
                return cookie.value
        status, _, _ = _request(
            self.opener, f"{self.target.base}/report/", headers={"Accept-Language": "en"}
        )
        for cookie in self.jar:
            if cookie.name == "csrftoken":
                return cookie.value
        return None

    def _post(self, key: str) -> tuple[int, dict[str, str], bytes]:
        body = self._body(key)
        headers = {"Accept": "application/json", "Accept-Language": "en"}
        if self.web_form:
            token = self._csrf()
            if token is None:
                return 503, {}, b"{}"  # the form page itself was refused: try again
            form = {**{k: str(v) for k, v in body.items()}, "csrfmiddlewaretoken": token}
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"{self.target.base}/report/"
            data = urllib.parse.urlencode(form).encode()
            return _request(self.opener, f"{self.target.base}/report/", data=data, headers=headers)
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
        return _request(
            self.opener, f"{self.target.base}/api/v1/reports/", data=data, headers=headers
        )

    def _submit_until_acknowledged(self, key: str) -> tuple[str | None, int]:
        refused = 0
        while True:
            if time.monotonic() > self.give_up_at:
                return None, refused
            with self.tally.lock:
                self.tally.attempts += 1
            try:
                status, headers, raw = self._post(key)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                with self.tally.lock:
                    self.tally.transport_errors += 1
                time.sleep(0.2)
                continue
            with self.tally.lock:
                self.tally.statuses[status] += 1
            payload = _json(raw)
            if status in (200, 201) and payload.get("code"):
                with self.tally.lock:
                    self.tally.acknowledged[key] = str(payload["code"])
                    self.tally.ack_times[key] = time.monotonic()
                    if refused:
                        self.tally.refused_then_acknowledged += 1
                return str(payload["code"]), refused
            if status == 503:
                refused += 1
                problem = _refusal_problem(headers, payload)
                with self.tally.lock:
                    self.tally.refused += 1
                    if problem:
                        self.tally.bad_refusals.append(problem)
                retry_after = _int(_header(headers, "Retry-After"), 1)
                time.sleep(min(retry_after, 1) * (0.5 + secrets.randbelow(100) / 100))
                continue
            with self.tally.lock:
                self.tally.unexpected.append(f"{status}: {raw[:300]!r}")
            return None, refused

    def _replay(self, key: str, code: str) -> None:
        """The same submission again, as a phone whose answer was lost would send it."""
        try:
            status, _, raw = self._post(key)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return
        if status == 503:
            return  # refused during the outage: nothing filed, nothing to compare
        payload = _json(raw)
        with self.tally.lock:
            self.tally.replays += 1
            self.tally.statuses[status] += 1
            if status != 200 or payload.get("code") != code or payload.get("created") is not False:
                self.tally.replay_mismatches.append(f"{key}: {status} {raw[:200]!r} (was {code})")


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _header(headers: dict[str, str], name: str) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == name.lower()), None)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or "")
    except ValueError:
        return default


def _refusal_problem(headers: dict[str, str], payload: dict[str, Any]) -> str:
    """What is wrong with a 503 as a retryable error ("" when nothing)."""
    if _int(_header(headers, "Retry-After"), 0) < 1:
        return "503 without Retry-After"
    # The API's Error body {detail, code, errors}; the web form's JSON has no "errors".
    if not {"detail", "code"} <= set(payload) <= {"detail", "code", "errors"} or (
        payload["code"] != "service_unavailable" or payload.get("errors", {}) != {}
    ):
        return f"503 body is not a retryable error body: {payload!r}"
    if "database" not in str(payload["detail"]):
        return f"503 detail does not say what happened: {payload['detail']!r}"
    return ""


# --- one run ---------------------------------------------------------------------------------


@dataclass
class Result:
    clients: int
    seconds: float
    down_seconds: float
    counts: dict[str, Any]
    failures: list[str]

    def summary(self) -> str:
        lines = [
            f"load with a database restart: {self.clients} reporters, {self.seconds:.0f} s, "
            f"database down {self.down_seconds:.1f} s in the middle"
        ]
        lines += [f"  {name:28} {value}" for name, value in self.counts.items()]
        lines.append("  OK" if not self.failures else "  FAILED:")
        lines += [f"    - {failure}" for failure in self.failures]
        return "\n".join(lines)


def demo_target(cluster: Cluster, base: str) -> Target:
    categories = cluster.sql(
        "SELECT string_agg(code, ',' ORDER BY code) FROM reports_category WHERE is_active"
    ).split(",")
    points = [
        tuple(float(v) for v in line.split("|"))
        for line in cluster.sql(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(boundary) AS p "
            "FROM regions_grid ORDER BY code LIMIT 20) AS g"
        ).splitlines()
    ]
    return Target(base=base, categories=categories, points=points)  # type: ignore[arg-type]


def run_load(
    cluster: Cluster,
    server: AppServer,
    *,
    clients: int,
    seconds: float,
    down_seconds: float,
    grace_seconds: float = 30,
) -> Result:
    """Reporters for `seconds`; the cluster stops at the middle for `down_seconds`."""
    target = demo_target(cluster, server.base)
    before = int(cluster.sql("SELECT count(*) FROM reports_report"))
    tally = Tally()
    started = time.monotonic()
    stop_at = started + seconds
    reporters = [
        Reporter(n, target, tally, stop_at, stop_at + grace_seconds) for n in range(clients)
    ]
    for reporter in reporters:
        reporter.start()
    time.sleep(max(0.0, seconds / 2 - down_seconds / 2))
    acknowledged_before_fault = len(tally.acknowledged)
    down_at = time.monotonic()
    cluster.stop("fast")
    time.sleep(down_seconds)
    cluster.start()
    back_at = time.monotonic()
    for reporter in reporters:
        reporter.join()
    elapsed = time.monotonic() - started

    # The database's view: every key and code of this run.
    rows = [
        line.split("|")
        for line in cluster.sql(
            "SELECT idempotency_key, code FROM reports_report "
            "WHERE description LIKE 'Load test report %'"
        ).splitlines()
        if line
    ]
    keys = collections.Counter(key for key, _ in rows)
    codes = collections.Counter(code for _, code in rows)
    stored = dict(rows)
    after = int(cluster.sql("SELECT count(*) FROM reports_report"))
    failures: list[str] = []
    missing = [k for k in tally.acknowledged if k not in stored]
    wrong = [k for k, c in tally.acknowledged.items() if k in stored and stored[k] != c]
    duplicates = sum(n - 1 for n in keys.values() if n > 1) + sum(
        n - 1 for n in codes.values() if n > 1
    )
    unacknowledged = [k for k in stored if k not in tally.acknowledged]
    after_restart = sum(1 for t in tally.ack_times.values() if t > back_at)
    if missing:
        failures.append(f"{len(missing)} acknowledged reports are not in the database")
    if wrong:
        failures.append(f"{len(wrong)} keys are stored with another tracking code")
    if duplicates:
        failures.append(f"{duplicates} duplicate keys or tracking codes")
    if unacknowledged:
        failures.append(f"{len(unacknowledged)} reports were filed that nobody got a code for")
    if after - before != len(stored):
        failures.append(f"{after - before} new reports, {len(stored)} of them from this run")
    if tally.bad_refusals:
        failures.append(f"refusals that are not retryable errors: {tally.bad_refusals[:3]}")
    if tally.replay_mismatches:
        failures.append(
            f"resubmissions that did not return the first report: {tally.replay_mismatches[:3]}"
        )
    if tally.unexpected:
        failures.append(f"unexpected answers: {tally.unexpected[:3]}")
    if tally.abandoned:
        failures.append(f"{len(tally.abandoned)} submissions never acknowledged")
    if after_restart == 0:
        failures.append("no submission succeeded after the database came back")
    if not server.alive():
        failures.append("the app server died")
    if "Traceback" in server.log_text():
        failures.append("the app server logged a traceback")
    counts: dict[str, Any] = {
        "submissions": len(tally.acknowledged) + len(tally.abandoned),
        "attempts": tally.attempts,
        "acknowledged": len(tally.acknowledged),
        "acknowledged before fault": acknowledged_before_fault,
        "acknowledged after restart": after_restart,
        "refused (503, retryable)": tally.refused,
        "refused then retried + ack": tally.refused_then_acknowledged,
        "no answer, retried": tally.transport_errors,
        "lost-answer resubmissions": tally.replays,
        "in database (this run)": len(stored),
        "duplicates": duplicates,
        "missing": len(missing),
        "errors by status": dict(sorted(tally.statuses.items())),
        "outage seen (s)": round(back_at - down_at, 1),
        "throughput (acks/s)": round(len(tally.acknowledged) / elapsed, 1),
    }
    return Result(clients, elapsed, back_at - down_at, counts, failures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--down", type=float, default=3, help="seconds the database is down")
    parser.add_argument("--db-port", type=int, default=54345)
    parser.add_argument("--app-port", type=int, default=8145)
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "bench" / "load_faults.json")
    args = parser.parse_args(argv)

    cluster = Cluster("faults", args.db_port)
    server: AppServer | None = None
    try:
        print(f"==> throwaway cluster on 127.0.0.1:{args.db_port}, app schema and demo data")
        cluster.create().start()
        cluster.create_app_database()
        server = AppServer(args.app_port, cluster.url()).start()
        print(f"==> {args.clients} reporters for {args.seconds:.0f} s against {server.base}")
        result = run_load(
            cluster, server, clients=args.clients, seconds=args.seconds, down_seconds=args.down
        )
    finally:
        if server is not None:
            server.stop()
        cluster.remove()
    print(result.summary())
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {"clients": result.clients, "counts": result.counts, "failures": result.failures},
            indent=2,
            ensure_ascii=False,
        )
    )
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
