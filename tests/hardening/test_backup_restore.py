"""make backup / make restore: back up a database of the app and its photos with the real
scripts, wipe both, restore, and find every row and every photo again.

The database is a throwaway copy of this run's test database (pg_dump | pg_restore),
so the shared test database is never touched; the media folder is a throwaway one holding
real JPEG photos."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.db import connections
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]


def _server_url(settings: dict, dbname: str) -> str:
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{dbname}"


@contextmanager
def _connect(url: str) -> Iterator[Any]:
    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        yield connection
    finally:
        connection.close()


def _fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Every public table's row count and an md5 of all its rows in a fixed order."""
    with _connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
        )
        tables = [row[0] for row in cursor.fetchall()]
        found = {}
        for table in tables:
            cursor.execute(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                f' FROM public."{table}" t'
            )
            found[table] = cursor.fetchone()
    return found


def _media_sums(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _photo(seed: int) -> bytes:
    image = Image.new("RGB", (64, 48), (seed * 37 % 256, seed * 91 % 256, 120))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture
def throwaway(tmp_path):
    """A copy of the test database and a media folder with photos, dropped afterwards.

    The tests are marked django_db so that pytest-django runs them with the other database
    tests, before any browser test flushes the demo data; the copy is made with pg_dump,
    which reads the committed demo data beside the test's own open transaction."""
    settings = connections["default"].settings_dict
    source = settings["NAME"]
    name = f"{source}_backup"
    admin_url = _server_url(settings, "postgres")
    with _connect(admin_url) as connection, connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    copy = subprocess.run(
        f"pg_dump -Fc '{_server_url(settings, source)}'"
        f" | pg_restore --no-owner --exit-on-error -d '{_server_url(settings, name)}'",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert copy.returncode == 0, copy.stderr
    media = tmp_path / "media"
    for index, folder in enumerate(["reports/2026/11", "works/2026/10", "notices/2026/09"]):
        (media / folder).mkdir(parents=True)
        for n in range(3):
            (media / folder / f"photo-{n}.jpg").write_bytes(_photo(index * 10 + n))
    (media / "works/2026/10/说明 报告.pdf").write_bytes(b"%PDF-1.4 not really\n")
    env = {
        **os.environ,
        "DATABASE_URL": _server_url(settings, name).replace("postgresql://", "postgis://"),
        "GRIDMAP_MEDIA_ROOT": str(media),
        "GRIDMAP_BACKUP_ROOT": str(tmp_path / "backups"),
    }
    yield _server_url(settings, name), media, env, admin_url, name
    with _connect(admin_url) as connection, connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(script: str, env: dict, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db
def test_backup_wipe_restore_finds_every_row_and_photo_again(throwaway):
    url, media, env, admin_url, name = throwaway
    rows_before, media_before = _fingerprint(url), _media_sums(media)
    assert rows_before["reports_report"][0] > 0 and rows_before["works_work"][0] > 0
    assert len(media_before) == 10

    backup = _run("backup.sh", env)
    assert backup.returncode == 0, backup.stderr
    (folder,) = list((Path(env["GRIDMAP_BACKUP_ROOT"])).iterdir())
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar", "manifest.json"}

    # Wipe: the database is dropped and the media folder deleted.
    with _connect(admin_url) as connection, connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    media.rmdir()

    restore = _run("restore.sh", env)  # no argument: the latest backup
    assert restore.returncode == 0, restore.stderr
    assert "as in the manifest" in restore.stdout
    assert _fingerprint(url) == rows_before
    assert _media_sums(media) == media_before


@pytest.mark.django_db
def test_restore_refuses_clearly_without_a_backup_or_with_a_damaged_one(throwaway, tmp_path):
    url, media, env, _admin_url, _name = throwaway
    before = _fingerprint(url)
    missing = _run("restore.sh", env)
    assert missing.returncode == 2
    assert "no backup in" in missing.stderr and "run `make backup` first" in missing.stderr

    assert _run("backup.sh", env).returncode == 0
    (folder,) = list(Path(env["GRIDMAP_BACKUP_ROOT"]).iterdir())
    with (folder / "database.dump").open("r+b") as dump:
        dump.seek(200)
        dump.write(b"\0damaged\0")
    damaged = _run("restore.sh", env, str(folder))
    assert damaged.returncode == 2
    assert "the backup is damaged, nothing was changed" in damaged.stderr
    assert _fingerprint(url) == before
