"""Test settings: real PostGIS, fast password hashing, no network."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "gridmap-tests-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
GRIDMAP_BASEMAP = "none"
ALLOWED_HOSTS = ["*"]
# No collectstatic in tests: WhiteNoise finds static files where they are. The CSP of base
# settings stays on, so every browser test runs under it (tests/conftest.py fails a page
# that violates it).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# One test database per run; GRIDMAP_TEST_DB lets parallel runs on one cluster stay apart.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("GRIDMAP_TEST_DB", "test_gridmap")}
