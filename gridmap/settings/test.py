"""Test settings: real PostGIS, fast password hashing, no network."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "gridmap-tests-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
GRIDMAP_BASEMAP = "none"
ALLOWED_HOSTS = ["*"]
