"""gridmap served exactly as `make run` serves it (scripts/serve.sh), for the tests.

`make run` runs `HOST=... PORT=... scripts/serve.sh` with DJANGO_SETTINGS_MODULE
gridmap.settings.local and DATABASE_URL set; so does `ServedApp`, on a free loopback port and
the database the test gives it. `demo_database_copy` makes that database: a copy of the test
database (migrated by pytest-django) with the demo loaded, on the same cluster.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.contrib.auth.hashers import PBKDF2PasswordHasher

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "scripts" / "serve.sh"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
LOGS = ROOT / "var" / "resilience"
DEMO_PASSWORD = "gridmap-demo"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url(settings: dict, name: str | None = None) -> str:
    """A postgis:// URL for Django's connection settings (another database name if given)."""
    user = urllib.parse.quote(settings["USER"] or "postgres")
    password = urllib.parse.quote(settings["PASSWORD"] or "")
    auth = f"{user}:{password}" if password else user
    host = settings["HOST"] or "127.0.0.1"
    return f"postgis://{auth}@{host}:{settings['PORT'] or 5432}/{name or settings['NAME']}"


def app_env(url: str, **extra: str) -> dict[str, str]:
    """The environment of `make run`: the local settings, the given database, nothing of the
    test run's own Django configuration."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GRIDMAP_")) and key != "DATABASE_URL"
    }
    env.update(DJANGO_SETTINGS_MODULE="gridmap.settings.local", DATABASE_URL=url)
    env.update(extra)
    return env


def _pg(settings: dict, program: str, *args: str) -> list[str]:
    command = [str(PG_BIN / program), "-h", settings["HOST"] or "127.0.0.1"]
    command += ["-p", str(settings["PORT"] or 5432), "-U", settings["USER"] or "postgres"]
    return [*command, *args]


def _pg_env(settings: dict) -> dict[str, str]:
    return {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}


def psql(settings: dict, database: str, statement: str) -> str:
    result = subprocess.run(
        _pg(settings, "psql", "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", statement),
        capture_output=True,
        text=True,
        env=_pg_env(settings),
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def drop_database(settings: dict, name: str) -> None:
    psql(settings, "postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def demo_database_copy(settings: dict, name: str) -> str:
    """Database `name` (dropped first if left over): the test database's schema and rows
    (pg_dump | pg_restore, seconds instead of a migrate) plus the demo (load_demo)."""
    drop_database(settings, name)
    psql(settings, "postgres", f'CREATE DATABASE "{name}"')
    dump = subprocess.run(
        _pg(settings, "pg_dump", "-Fc", "--no-owner", settings["NAME"]),
        capture_output=True,
        env=_pg_env(settings),
        timeout=300,
    )
    assert dump.returncode == 0, dump.stderr.decode(errors="replace")
    restore = subprocess.run(
        _pg(settings, "pg_restore", "--no-owner", "-d", name),
        input=dump.stdout,
        capture_output=True,
        env=_pg_env(settings),
        timeout=300,
    )
    assert restore.returncode == 0, restore.stderr.decode(errors="replace")
    url = database_url(settings, name)
    # tests/conftest.py loads the demo into the test database once per session; a flushed
    # one (after transactional tests) gets it here, as `make run` would load it.
    if psql(settings, name, "SELECT count(*) FROM accounts_user WHERE username = 'admin'") == "0":
        loaded = subprocess.run(
            [sys.executable, "manage.py", "load_demo"],
            cwd=ROOT,
            env=app_env(url),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    # The test settings hash passwords with MD5 (fast), which the local settings do not
    # read: give the demo accounts their password hashed as `make run`'s load_demo does.
    hashed = PBKDF2PasswordHasher().encode(DEMO_PASSWORD, PBKDF2PasswordHasher().salt())
    psql(
        settings,
        name,
        f"UPDATE accounts_user SET password = '{hashed}' WHERE password LIKE 'md5$%'",
    )
    return url


class ServedApp:
    """scripts/serve.sh on a free loopback port, in a process group of its own."""

    def __init__(self, database_url: str, name: str, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = app_env(database_url, HOST="127.0.0.1", PORT=str(self.port), **env)
        LOGS.mkdir(parents=True, exist_ok=True)
        self.log = LOGS / f"serve-{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServedApp:
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [str(SERVE)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log_text()[-3000:]}")
            try:
                # A static file: answered by WhiteNoise whether the database is there or not.
                urllib.request.urlopen(f"{self.base}/static/css/gridmap.css", timeout=2)
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer within 60 s:\n{self.log_text()[-3000:]}")

    def threads(self) -> int:
        """Worker threads in all, from the command serve.sh printed (workers x threads)."""
        found = re.search(r"--workers (\d+) --threads (\d+)", self.log_text())
        assert found, self.log_text()[:2000]
        return int(found[1]) * int(found[2])

    def cpu_seconds(self) -> float:
        """CPU time the server's processes (its process group) have used so far."""
        assert self.process is not None
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # After the command: state, ppid, pgrp, ..., utime (12th), stime (13th).
            if int(fields[2]) == self.process.pid:
                total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # SIGINT: gunicorn's quick shutdown (SIGTERM waits up to --graceful-timeout for
        # browsers' idle keep-alive connections).
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""
