"""Production settings: `check --deploy` is clean, cookies and HSTS are strict, and static
files are collected with hashed names and served by the app (WhiteNoise) with a long cache.

Each check runs Django in a subprocess under gridmap.settings.production, with the
environment a deployment must supply."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gridmap.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "gridmap.example.org",
        **extra,
    }
    # Test-run variables that a deployment never has (tests/conftest.py sets the first).
    for name in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_DEBUG", "DATABASE_URL"):
        env.pop(name, None)
    return env


def run_python(code: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(**extra),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_check_deploy_finds_no_issue():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "System check identified no issues" in output


def test_production_refuses_to_start_without_a_secret_key():
    done = run_python(
        "import django; django.setup()", DJANGO_SECRET_KEY="", DJANGO_ALLOWED_HOSTS="x.org"
    )
    assert done.returncode != 0
    assert "Set DJANGO_SECRET_KEY for production." in done.stderr


SETTINGS_DUMP = """
import json, django
django.setup()
from django.conf import settings as s
policy = s.CONTENT_SECURITY_POLICY["DIRECTIVES"]
print(json.dumps({
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "hsts": [s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD],
    "session_cookie": [s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,
                       s.SESSION_COOKIE_SAMESITE, s.SESSION_COOKIE_AGE],
    "csrf_cookie": [s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_SAMESITE],
    "proxy_header": list(s.SECURE_PROXY_SSL_HEADER),
    "static_storage": s.STORAGES["staticfiles"]["BACKEND"],
    "middleware": s.MIDDLEWARE,
    "script_src": [str(v) for v in policy["script-src"]],
}))
"""


def test_cookies_are_https_only_http_only_and_same_site_and_hsts_is_on():
    done = run_python(SETTINGS_DUMP)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["ssl_redirect"] is True
    assert found["hsts"] == [31536000, True, True]
    assert found["session_cookie"] == [True, True, "Lax", 12 * 3600]
    assert found["csrf_cookie"] == [True, "Lax"]
    assert found["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["static_storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert found["middleware"][1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert "'unsafe-eval'" not in found["script_src"]


def test_hsts_preload_and_session_age_follow_the_environment():
    done = run_python(
        SETTINGS_DUMP,
        DJANGO_SECURE_HSTS_PRELOAD="0",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        DJANGO_SESSION_COOKIE_AGE="3600",
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["hsts"] == [31536000, False, False]
    assert found["session_cookie"][3] == 3600


SERVE_STATIC = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
manifest = json.loads((settings.STATIC_ROOT / "staticfiles.json").read_text())["paths"]
hashed = manifest["leaflet/leaflet.js"]
client = Client()
response = client.get("/static/" + hashed, secure=True, HTTP_ACCEPT_ENCODING="gzip")
body = b"".join(response.streaming_content) if response.streaming else response.content
plain = client.get("/static/leaflet/leaflet.js", secure=True)
print(json.dumps({
    "hashed": hashed,
    "status": response.status_code,
    "cache": response.get("Cache-Control", ""),
    "encoding": response.get("Content-Encoding", ""),
    "size": len(body),
    "plain_status": plain.status_code,
    "plain_cache": plain.get("Cache-Control", ""),
}))
"""


def test_collected_static_files_have_hashed_names_and_a_long_cache(tmp_path):
    static_root = tmp_path / "static"
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=production_env(DJANGO_STATIC_ROOT=str(static_root)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert collect.returncode == 0, collect.stderr
    done = run_python(SERVE_STATIC, DJANGO_STATIC_ROOT=str(static_root))
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    # leaflet.<12 hex digits>.js: the name changes whenever the content does.
    name = found["hashed"].rsplit("/", 1)[1].split(".")
    assert name[0] == "leaflet" and len(name[1]) == 12 and name[2] == "js"
    assert found["status"] == 200 and found["size"] > 1000
    assert "immutable" in found["cache"] and "max-age=315360000" in found["cache"]
    assert found["encoding"] == "gzip"
    # The unhashed name is still served, but only briefly cached.
    assert found["plain_status"] == 200 and "immutable" not in found["plain_cache"]
