"""`make bench`: gridmap against tipg and pygeoapi (and raw SQL) on the generated city.

One run: set up the bench database and the peers' virtualenv, start the three servers
(2 workers each), then measure with wrk (same Lua scripts, same seed, same connections):
OGC API items with a random 0.01° bbox and limit=100, z15 tiles, anonymous report
submission; and gridmap's own SQL of items and tiles with pgbench (the database's limit).
Prints the table and ratios and writes bench/results.json and bench/results.md.

Knobs (environment): BENCH_DB (gridmap_bench), BENCH_SCALE (1 = the issue's city: 1,000,000
reports), BENCH_SEED (1: the city's and the load's), BENCH_DURATION (seconds per
measurement, 20), BENCH_CONNECTIONS (8), BENCH_SUBMIT_CONNECTIONS (32), BENCH_ONLY
(comma-separated scenario names), BENCH_GENERATE=0 (measure the bench database as it is,
without generate_city).
Only the standard library here: Django work runs in subprocesses (manage.py, prepare.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VAR = ROOT / "var" / "bench"
PYTHON = ROOT / ".venv" / "bin" / "python"
OTHERS = VAR / "venv-others"
PORTS = {"gridmap": 8131, "tipg": 8132, "pygeoapi": 8133}
WORKERS = 2
GRIDMAP_THREADS = int(os.environ.get("BENCH_GRIDMAP_THREADS", "8"))
THREADS = 2  # wrk threads (the load generator shares the 2 cores with everything else)

# generate_city's defaults: the code prefix of the generated city, communities at scale 1.
PREFIX = "GC"
COMMUNITIES = 1200
DB = os.environ.get("BENCH_DB", "gridmap_bench")
SCALE = os.environ.get("BENCH_SCALE", "1")
SEED = int(os.environ.get("BENCH_SEED", "1"))
DURATION = int(os.environ.get("BENCH_DURATION", "20"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
SUBMIT_CONNECTIONS = int(os.environ.get("BENCH_SUBMIT_CONNECTIONS", "32"))
ONLY = {s for s in os.environ.get("BENCH_ONLY", "").split(",") if s}

# Targets of issue 7: (scenario, peer) -> least ratio gridmap/peer.
TARGETS = {
    ("items_reports", "tipg"): 3.0,
    ("items_buildings", "tipg"): 3.0,
    ("items_reports", "pygeoapi"): 10.0,
    ("items_buildings", "pygeoapi"): 10.0,
    ("tiles_reports", "tipg"): 2.0,
    ("tiles_buildings", "tipg"): 2.0,
}
SUBMIT_TARGET = 300.0


def log(message: str) -> None:
    print(f"==> {message}", flush=True)


def database_url(scheme: str = "postgis") -> str:
    """DATABASE_URL (the Makefile's or the caller's) with the bench database's name."""
    base = os.environ.get("DATABASE_URL", "postgis://postgres@127.0.0.1:54329/gridmap")
    parts = urlsplit(base)
    return urlunsplit((scheme, parts.netloc, f"/{DB}", parts.query, ""))


def pg_args() -> list[str]:
    parts = urlsplit(database_url())
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    return [*args, "-U", parts.username or "postgres"]


def pg_env() -> dict[str, str]:
    password = urlsplit(database_url()).password
    return {**os.environ, **({"PGPASSWORD": password} if password else {})}


def psql(sql: str, db: str = DB) -> str:
    done = subprocess.run(
        ["psql", *pg_args(), "-d", db, "-v", "ON_ERROR_STOP=1", "-Atqc", sql],
        env=pg_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def django_env(settings: str = "gridmap.settings.local") -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": settings}


# --- setting up --------------------------------------------------------------------------


def ensure_others_venv() -> None:
    """tipg and pygeoapi from PyPI, pinned in bench/requirements-others.txt."""
    requirements = BENCH / "requirements-others.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    stamp = OTHERS / ".installed"
    if stamp.exists() and stamp.read_text() == digest:
        return
    log(f"tipg and pygeoapi in {OTHERS.relative_to(ROOT)} ({requirements.relative_to(ROOT)})")
    if not (OTHERS / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(OTHERS)], check=True)
    pip = [str(OTHERS / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--disable-pip-version-check", "-r", str(requirements)], check=True)
    stamp.write_text(digest)


def ensure_city() -> None:
    """The bench database, migrated, with the generated city (skipped when it is there with
    the same scale and seed: generate_city records what it made)."""
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB}'", db="postgres")
    if not exists:
        log(f"creating database {DB}")
        psql(f'CREATE DATABASE "{DB}"', db="postgres")
    log(f"migrating {DB}")
    manage(["migrate", "--noinput", "-v", "0"])
    if os.environ.get("BENCH_GENERATE", "1") == "0":
        log(f"BENCH_GENERATE=0: measuring {DB} as it is")
        return
    psql("CREATE SCHEMA IF NOT EXISTS bench")
    psql("CREATE TABLE IF NOT EXISTS bench.city (scale text, seed int, at timestamptz)")
    made = psql("SELECT scale || ' ' || coalesce(seed::text, '?') FROM bench.city")
    generated = int(psql(f"SELECT count(*) FROM regions_community WHERE code LIKE '{PREFIX}-%'"))
    wanted = round(COMMUNITIES * float(SCALE))
    if made:
        if made.split()[0] != SCALE or made.split()[1] not in (str(SEED), "?"):
            raise SystemExit(
                f"bench: {DB} holds a city of scale/seed {made}, not {SCALE} {SEED}: drop it "
                f"(dropdb {DB}) or choose another BENCH_DB."
            )
        log(f"{DB} already holds the city (scale {SCALE}, seed {made.split()[1]})")
    elif generated:
        # Generated by hand (manage.py generate_city): adopt it when its size is the one asked.
        if generated != wanted:
            raise SystemExit(
                f"bench: {DB} holds a generated city of {generated} communities, not the "
                f"{wanted} of BENCH_SCALE={SCALE}: drop it or choose another BENCH_DB."
            )
        log(f"{DB} already holds a city of {generated:,} communities (scale {SCALE})")
        psql(f"INSERT INTO bench.city VALUES ('{SCALE}', NULL, now())")
    else:
        log(f"generating the city in {DB} (scale {SCALE}, seed {SEED}; ~10 min at scale 1)")
        manage(["generate_city", "--scale", SCALE, "--seed", str(SEED), "--prefix", PREFIX])
        psql(f"INSERT INTO bench.city VALUES ('{SCALE}', {SEED}, now())")
    # Short index-backed statements from many clients on 2 cores: JIT compilation and
    # parallel workers cost more than they save. Set on the database, so every server and
    # pgbench run with it alike.
    psql(f'ALTER DATABASE "{DB}" SET jit = off')
    psql(f'ALTER DATABASE "{DB}" SET max_parallel_workers_per_gather = 0')
    psql("ANALYZE")


def manage(args: list[str]) -> None:
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=django_env(), check=True)


def prepare() -> dict[str, Any]:
    """Views for the peers, pgbench scripts from gridmap's SQL, points for submissions."""
    log("views bench.reports / bench.buildings, pgbench scripts, submission points")
    done = subprocess.run(
        [str(PYTHON), str(BENCH / "prepare.py"), str(VAR / "sql"), str(SEED)],
        cwd=ROOT,
        env={**django_env(), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"bench: prepare.py failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def pygeoapi_config() -> tuple[Path, Path]:
    parts = urlsplit(database_url())
    text = (BENCH / "pygeoapi.config.yml").read_text()
    for key, value in {
        "PORT": str(PORTS["pygeoapi"]),
        "PGHOST": parts.hostname or "127.0.0.1",
        "PGPORT": str(parts.port or 5432),
        "PGDB": DB,
        "PGUSER": parts.username or "postgres",
        "PGPASSWORD": parts.password or "",
    }.items():
        text = text.replace("{{" + key + "}}", value)
    config = VAR / "pygeoapi.config.yml"
    config.write_text(text)
    openapi = VAR / "pygeoapi.openapi.yml"
    subprocess.run(
        [str(OTHERS / "bin" / "pygeoapi"), "openapi", "generate", str(config), "-of", str(openapi)],
        env={**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)},
        check=True,
        capture_output=True,
    )
    return config, openapi


# --- servers -------------------------------------------------------------------------------


class Server:
    def __init__(self, name: str, command: list[str], env: dict[str, str], probe: str) -> None:
        self.name = name
        self.port = PORTS[name]
        self.base = f"http://127.0.0.1:{self.port}"
        self.probe = probe
        self.log = VAR / f"{name}.log"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: {self.name} exited; see {self.log}")
            try:
                with urllib.request.urlopen(self.base + self.probe, timeout=30) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise SystemExit(f"bench: {self.name} did not answer {self.probe}; see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start_servers(config: Path, openapi: Path) -> dict[str, Server]:
    for name, port in PORTS.items():
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
        except urllib.error.HTTPError:
            raise SystemExit(f"bench: port {port} ({name}) is already in use.") from None
        except (urllib.error.URLError, OSError):
            continue
        raise SystemExit(f"bench: port {port} ({name}) is already in use.")
    gridmap_env = {
        **django_env("bench.settings"),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    gunicorn = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", str(WORKERS)]
    # Threads let a worker's requests wait for PostgreSQL side by side (tipg does the same
    # with asyncio); each thread keeps its own persistent connection (CONN_MAX_AGE).
    threads = ["--worker-class", "gthread", "--threads", str(GRIDMAP_THREADS)]
    others = OTHERS / "bin"
    peers_env = {**os.environ, "DATABASE_URL": database_url("postgresql")}
    servers = {
        "gridmap": Server(
            "gridmap",
            [
                *gunicorn,
                *threads,
                "--bind",
                f"127.0.0.1:{PORTS['gridmap']}",
                "gridmap.wsgi:application",
            ],
            gridmap_env,
            "/ogcapi/collections/reports?f=json",
        ),
        "tipg": Server(
            "tipg",
            [
                str(others / "uvicorn"),
                "tipg.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(PORTS["tipg"]),
                "--workers",
                str(WORKERS),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            {**peers_env, "TIPG_DB_SCHEMAS": '["bench"]', "TIPG_MAX_FEATURES_PER_QUERY": "10000"},
            "/collections/bench.reports",
        ),
        "pygeoapi": Server(
            "pygeoapi",
            [
                str(others / "gunicorn"),
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{PORTS['pygeoapi']}",
                "pygeoapi.flask_app:APP",
            ],
            {**peers_env, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)},
            "/collections/reports?f=json",
        ),
    }
    try:
        for server in servers.values():
            server.wait()
    except BaseException:
        for server in servers.values():
            server.stop()
        raise
    return servers


ITEMS_PATHS = {
    "gridmap": "/ogcapi/collections/{layer}/items",
    "tipg": "/collections/bench.{layer}/items",
    "pygeoapi": "/collections/{layer}/items",
}
# Each server's own name for GeoJSON (tipg's f=json is a plain list of rows).
ITEMS_FORMAT = {"gridmap": "&f=json", "tipg": "&f=geojson", "pygeoapi": "&f=json"}
TILE_PATHS = {
    "gridmap": "/tiles/{layer}/{{z}}/{{x}}/{{y}}.pbf",
    "tipg": "/collections/bench.{layer}/tiles/WebMercatorQuad/{{z}}/{{x}}/{{y}}",
}


def same_rows_check(info: dict[str, Any]) -> dict[str, dict[str, int | None]]:
    """numberMatched of the same bbox on each server: they must read the same rows."""
    xmin, ymin, xmax, ymax = info["extent"]
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    bbox = f"{cx - 0.01:.6f},{cy - 0.01:.6f},{cx + 0.01:.6f},{cy + 0.01:.6f}"
    found: dict[str, dict[str, int | None]] = {}
    for layer in ("reports", "buildings"):
        found[layer] = {}
        for name, template in ITEMS_PATHS.items():
            url = f"http://127.0.0.1:{PORTS[name]}{template.format(layer=layer)}"
            url += f"?bbox={bbox}&limit=100{ITEMS_FORMAT[name]}"
            with urllib.request.urlopen(url, timeout=120) as response:
                found[layer][name] = json.load(response).get("numberMatched")
        if len(set(found[layer].values())) != 1:
            log(f"WARNING: numberMatched differs between servers for {layer}: {found[layer]}")
    return found


# --- measuring -----------------------------------------------------------------------------


def wrk(base: str, script: str, args: list[str], *, connections: int, seconds: int) -> dict:
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(BENCH / "wrk" / script),
        base,
        "--",
        str(SEED),
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))  # type: ignore[no-any-return]
    raise SystemExit(f"bench: wrk printed no summary:\n{done.stdout}\n{done.stderr}")


def pgbench(script: Path, *, connections: int, seconds: int) -> dict:
    prefix = VAR / "pgbench" / script.stem
    shutil.rmtree(prefix.parent, ignore_errors=True)
    prefix.parent.mkdir(parents=True)
    command = [
        "pgbench",
        *pg_args(),
        "-n",
        "-c",
        str(connections),
        "-j",
        str(THREADS),
        "-T",
        str(seconds),
        f"--random-seed={SEED}",
        "-f",
        str(script),
        "--log",
        f"--log-prefix={prefix}",
        DB,
    ]
    done = subprocess.run(command, capture_output=True, text=True, env=pg_env(), check=True)
    latencies: list[int] = []
    failures = 0
    for path in prefix.parent.iterdir():
        for line in path.read_text().splitlines():
            fields = line.split()
            # client_id transaction_no time script_no time_epoch time_us
            if fields[2] in ("failed", "skipped"):
                failures += 1
            else:
                latencies.append(int(fields[2]))
    latencies.sort()
    match = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", done.stdout)
    rps = float(match.group(1)) if match else len(latencies) / seconds

    def percentile(p: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] / 1000

    return {
        "requests": len(latencies),
        "seconds": seconds,
        "rps": rps,
        "p50_ms": percentile(50),
        "p99_ms": percentile(99),
        "errors": failures,
    }


def measure(info: dict[str, Any]) -> dict[str, dict[str, dict]]:
    extent = [f"{v:.7f}" for v in info["extent"]]
    results: dict[str, dict[str, dict]] = {}

    def wanted(scenario: str) -> bool:
        return not ONLY or scenario in ONLY

    for layer in ("reports", "buildings"):
        scenario = f"items_{layer}"
        if wanted(scenario):
            results[scenario] = {}
            for name, template in ITEMS_PATHS.items():
                base = f"http://127.0.0.1:{PORTS[name]}"
                args = [*extent, template.format(layer=layer), ITEMS_FORMAT[name]]
                wrk(base, "items.lua", args, connections=CONNECTIONS, seconds=3)  # warm up
                results[scenario][name] = wrk(
                    base, "items.lua", args, connections=CONNECTIONS, seconds=DURATION
                )
                report(scenario, name, results[scenario][name])
            results[scenario]["raw_sql"] = pgbench(
                VAR / "sql" / f"items_{layer}.sql", connections=CONNECTIONS, seconds=DURATION
            )
            report(scenario, "raw_sql", results[scenario]["raw_sql"])
    for layer in ("reports", "buildings"):
        scenario = f"tiles_{layer}"
        if wanted(scenario):
            results[scenario] = {}
            for name, template in TILE_PATHS.items():
                base = f"http://127.0.0.1:{PORTS[name]}"
                args = [*extent, template.format(layer=layer)]
                wrk(base, "tiles.lua", args, connections=CONNECTIONS, seconds=3)
                results[scenario][name] = wrk(
                    base, "tiles.lua", args, connections=CONNECTIONS, seconds=DURATION
                )
                report(scenario, name, results[scenario][name])
            results[scenario]["raw_sql"] = pgbench(
                VAR / "sql" / f"tiles_{layer}.sql", connections=CONNECTIONS, seconds=DURATION
            )
            report(scenario, "raw_sql", results[scenario]["raw_sql"])
    if wanted("submit") and info.get("category"):
        base = f"http://127.0.0.1:{PORTS['gridmap']}"
        args = [*extent, "/api/v1/reports/", str(VAR / "sql" / "points.txt"), info["category"]]
        wrk(base, "submit.lua", args, connections=SUBMIT_CONNECTIONS, seconds=3)
        results["submit"] = {
            "gridmap": wrk(
                base, "submit.lua", args, connections=SUBMIT_CONNECTIONS, seconds=DURATION
            )
        }
        report("submit", "gridmap", results["submit"]["gridmap"])
    return results


def report(scenario: str, server: str, row: dict) -> None:
    print(
        f"    {scenario:<16} {server:<9} {row['rps']:>9.1f} req/s  p50 {row['p50_ms']:>7.1f} ms"
        f"  p99 {row['p99_ms']:>8.1f} ms  errors {row['errors']}",
        flush=True,
    )


def remove_bench_reports() -> int:
    """Reports the submission run filed (their idempotency keys start with "bench-")."""
    code = (
        "from apps.reports.models import Report, SubmissionAttempt;"
        "n, _ = Report.objects.filter(idempotency_key__startswith='bench-').delete();"
        "SubmissionAttempt.objects.all().delete();"
        "print(n)"
    )
    done = subprocess.run(
        [str(PYTHON), "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=django_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout.strip().splitlines()[-1] or 0)


# --- results -------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    load = os.getloadavg()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "loadavg_before": [round(v, 2) for v in load],
    }


def ratios(results: dict[str, dict[str, dict]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for scenario, rows in results.items():
        ours = rows.get("gridmap", {}).get("rps")
        if not ours:
            continue
        out[scenario] = {
            f"gridmap/{peer}": round(ours / row["rps"], 2)
            for peer, row in rows.items()
            if peer != "gridmap" and row.get("rps")
        }
    return out


def verdicts(results: dict, ratio: dict) -> list[dict[str, Any]]:
    found = []
    for (scenario, peer), target in TARGETS.items():
        value = ratio.get(scenario, {}).get(f"gridmap/{peer}")
        if value is not None:
            found.append(
                {
                    "what": f"{scenario} gridmap/{peer}",
                    "target": f">= {target:g}x",
                    "got": f"{value:g}x",
                    "met": value >= target,
                }
            )
    if "submit" in results:
        row = results["submit"]["gridmap"]
        found.append(
            {
                "what": "submit req/s (zero errors)",
                "target": f">= {SUBMIT_TARGET:g}/s, 0 errors",
                "got": f"{row['rps']:.0f}/s, {row['errors']} errors",
                "met": row["rps"] >= SUBMIT_TARGET and row["errors"] == 0,
            }
        )
    return found


def markdown(document: dict[str, Any]) -> str:
    m = document["machine"]
    lines = [
        f"# gridmap bench results — {document['finished']}",
        "",
        f"Machine: {m['nproc']} cores, {m['cpu']}, {m['memory']} RAM, Linux {m['kernel']}; "
        f"load average before the run {m['loadavg_before']}.",
        f"City: database `{document['database']}`, scale {document['scale']}, seed "
        f"{document['seed']}; {document['rows']}.",
        f"Each figure: {document['duration_s']} s, wrk {THREADS} threads × "
        f"{document['connections']} connections (submissions: {document['submit_connections']}); "
        f"pgbench {document['connections']} clients. Servers: {WORKERS} workers each.",
        "",
        "| scenario | server | req/s | p50 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for scenario, rows in document["results"].items():
        for server, row in rows.items():
            lines.append(
                f"| {scenario} | {server} | {row['rps']:.1f} | {row['p50_ms']:.1f} | "
                f"{row['p99_ms']:.1f} | {row['errors']} |"
            )
    lines += ["", "| scenario | ratio | value |", "|---|---|---:|"]
    for scenario, values in document["ratios"].items():
        for name, value in values.items():
            lines.append(f"| {scenario} | {name} | {value:g} |")
    lines += ["", "| target | wanted | got | met |", "|---|---|---|---|"]
    for verdict in document["targets"]:
        met = "yes" if verdict["met"] else "**no**"
        lines.append(f"| {verdict['what']} | {verdict['target']} | {verdict['got']} | {met} |")
    lines += ["", f"Same rows (numberMatched of one bbox per server): {document['same_rows']}", ""]
    return "\n".join(lines)


def main() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    for tool in ("wrk", "pgbench", "psql"):
        if shutil.which(tool) is None:
            raise SystemExit(f"bench: {tool} is missing (make bench installs it).")
    started = time.monotonic()
    before = machine()
    ensure_others_venv()
    ensure_city()
    info = prepare()
    rows = ", ".join(f"{v['rows']:,} public {k}" for k, v in info["layers"].items())
    log(f"city: {rows}; extent {info['extent']}")
    config, openapi = pygeoapi_config()
    log("starting gridmap (gunicorn), tipg (uvicorn), pygeoapi (gunicorn): 2 workers each")
    servers = start_servers(config, openapi)
    try:
        same = same_rows_check(info)
        log(f"same rows: {same}")
        log(f"measuring ({DURATION} s each)")
        results = measure(info)
    finally:
        for server in servers.values():
            server.stop()
    if "submit" in results:
        log(f"removed {remove_bench_reports():,} rows the submission run created")
    ratio = ratios(results)
    document = {
        "finished": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": before,
        "loadavg_after": [round(v, 2) for v in os.getloadavg()],
        "database": DB,
        "scale": SCALE,
        "seed": SEED,
        "rows": rows,
        "duration_s": DURATION,
        "connections": CONNECTIONS,
        "submit_connections": SUBMIT_CONNECTIONS,
        "same_rows": same,
        "results": results,
        "ratios": ratio,
        "targets": verdicts(results, ratio),
        "wall_clock_s": round(time.monotonic() - started),
    }
    (BENCH / "results.json").write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    text = markdown(document)
    (BENCH / "results.md").write_text(text)
    print()
    print(text)
    log(f"written bench/results.json and bench/results.md ({document['wall_clock_s']} s)")


if __name__ == "__main__":
    main()
