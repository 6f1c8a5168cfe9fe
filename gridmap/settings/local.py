"""Development settings: `make run`."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
# A fixed key is fine on a developer's machine and never used in production settings.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "gridmap-local-development-only")
# Mail is printed by `make run` rather than sent, unless DJANGO_EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# `make run` serves with gunicorn (scripts/serve.sh), not runserver: WhiteNoise serves the
# static files straight from their folders and node_modules, as they change, DEBUG or not.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
