"""Production settings are secure by default and refuse to start half-configured.

Each check runs `manage.py` in a subprocess, because settings are read once per process.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py with production settings and `env` on top of a clean environment."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    base["DJANGO_SETTINGS_MODULE"] = "gridmap.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env() -> dict[str, str]:
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "gridmap.example.org",
    }


def test_check_deploy_reports_no_issues_for_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output
    assert "WARNINGS" not in output
    assert "ERRORS" not in output


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = production_env()
    del env["DJANGO_ALLOWED_HOSTS"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_debug_is_off_in_production_even_when_asked_for():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print('DEBUG', settings.DEBUG)",
        DJANGO_DEBUG="true",
        **production_env(),
    )
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout


def test_check_deploy_flags_a_short_secret_key():
    # Guards the test above: check --deploy does look at the key we give it.
    env = production_env() | {"DJANGO_SECRET_KEY": "too-short"}
    result = manage("check", "--deploy", **env)
    assert "security.W009" in result.stdout + result.stderr


# --- the README's Configuration table is what the code reads (issue 15, point 5) -------------

README = ROOT / "README.md"

# Imports every settings module with os.environ replaced by a mapping that notes each name
# looked up, then prints the names: what the settings read, found by running them, not by
# searching their text.
RECORD_READS = r"""
import importlib, json, os, sys
read = set()
class Recording(dict):
    def __getitem__(self, key):
        read.add(key)
        return super().__getitem__(key)
    def get(self, key, default=None):
        read.add(key)
        return super().get(key, default)
    def __contains__(self, key):
        read.add(key)
        return super().__contains__(key)
os.environ = Recording(os.environ)
for module in sys.argv[1:]:
    importlib.import_module(module)
print(json.dumps(sorted(read)))
"""
SETTINGS_MODULES = [
    "gridmap.settings.base",
    "gridmap.settings.local",
    "gridmap.settings.test",
    "gridmap.settings.production",
]


def configuration_table() -> list[str]:
    """Every variable named in the first column of the README's Configuration table."""
    section = README.read_text().split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    names = []
    for line in section.splitlines():
        if line.startswith("| `"):
            names += re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])
    return names


def names_read_by_settings() -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", RECORD_READS, *SETTINGS_MODULES],
        cwd=ROOT,
        env={**os.environ, **production_env()},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


def served_command(**env: str) -> str:
    result = subprocess.run(
        [str(ROOT / "scripts" / "serve.sh"), "--print"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def local_database_url(**env: str) -> str:
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [str(ROOT / "scripts" / "db.sh"), "url"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


# Variables of the table read by the tools around the settings; each check sets the variable
# and sees it take effect there.
READ_ELSEWHERE = {
    "GRIDMAP_PGPORT": lambda: ":54999/" in local_database_url(GRIDMAP_PGPORT="54999"),
    "GRIDMAP_WEB_WORKERS": lambda: "--workers 3 " in served_command(GRIDMAP_WEB_WORKERS="3"),
    "GRIDMAP_WEB_THREADS": lambda: "--threads 7 " in served_command(GRIDMAP_WEB_THREADS="7"),
    "GRIDMAP_SERVE_RELOAD": lambda: "--reload" in served_command(GRIDMAP_SERVE_RELOAD="1"),
    "DJANGO_SETTINGS_MODULE": lambda: (
        "gridmap.settings.local" in served_command(DJANGO_SETTINGS_MODULE="gridmap.settings.local")
    ),
}


def test_every_variable_of_the_readme_configuration_table_is_read_by_the_settings():
    documented = configuration_table()
    assert len(documented) >= 20, documented  # the table was found and read
    read = names_read_by_settings()
    unread = [name for name in documented if name not in read and name not in READ_ELSEWHERE]
    assert unread == [], f"the README documents variables nothing reads: {unread}"


def test_variables_of_the_table_read_outside_the_settings_take_effect_there():
    documented = configuration_table()
    for name, takes_effect in READ_ELSEWHERE.items():
        assert name in documented, f"{name} is read but not in the README's table"
        assert takes_effect(), name


def test_site_url_and_mail_settings_come_from_the_environment():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(repr((s.GRIDMAP_SITE_URL, s.EMAIL_BACKEND,"
        " s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS,"
        " s.DEFAULT_FROM_EMAIL, s.SERVER_EMAIL)))",
        GRIDMAP_SITE_URL="https://gridmap.sentinel.example/",
        DJANGO_EMAIL_HOST="smtp.sentinel.example",
        DJANGO_EMAIL_PORT="587",
        DJANGO_EMAIL_HOST_USER="gridmap-mailer",
        DJANGO_EMAIL_HOST_PASSWORD="sentinel-password",
        DJANGO_EMAIL_USE_TLS="1",
        DJANGO_DEFAULT_FROM_EMAIL="东瑞社区 <noreply@sentinel.example>",
        **production_env(),
    )
    assert result.returncode == 0, result.stderr
    # The last line: `shell` may first list models it could not auto-import.
    assert result.stdout.strip().splitlines()[-1] == repr(
        (
            "https://gridmap.sentinel.example",
            "django.core.mail.backends.smtp.EmailBackend",
            "smtp.sentinel.example",
            587,
            "gridmap-mailer",
            "sentinel-password",
            True,
            "东瑞社区 <noreply@sentinel.example>",
            "东瑞社区 <noreply@sentinel.example>",
        )
    )


def test_every_test_path_the_readme_names_exists():
    named = set(re.findall(r"\btests/[\w/]+\.py\b", README.read_text()))
    assert named, "the README names no test file"
    missing = sorted(path for path in named if not (ROOT / path).is_file())
    assert missing == []
