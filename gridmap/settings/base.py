"""Settings shared by every environment. Configuration comes from environment variables."""

import os
from pathlib import Path

from csp.constants import NONCE

from .dburl import parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "leaflet",
    "rest_framework",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework.authtoken",
    "simple_history",
    "csp",
    "apps.core",
    "apps.accounts",
    "apps.regions",
    "apps.facilities",
    "apps.maps",
    "apps.ogcapi",
    # Domain apps in dependency order: an app's demo data may use the apps above it.
    "apps.reports",
    "apps.open311",
    "apps.meetings",
    "apps.works",
    "apps.ledger",
    "apps.station",
    "apps.notices",
    "apps.patrols",
    "apps.api",
    "apps.dataio",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app server, hashed names and far-future caching in production.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below) plus the basemap tile hosts.
    "apps.core.csp.BasemapCSPMiddleware",
    # A database that cannot be reached is a 503 (never a 500 or the debug page) for every
    # middleware below it that may query it: sessions, sign-in throttle, messages, views.
    "apps.core.db_unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # PostgreSQL cannot hold U+0000: a NUL in a parameter is a 400, not a 500 later.
    "apps.core.nul_bytes.RefuseNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Audit history records the signed-in person (web or API) as the author of a change.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Refuses sign-ins of a user name + address with too many recent failures (429).
    "apps.accounts.throttle.LoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.core.db_router.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "gridmap.urls"
WSGI_APPLICATION = "gridmap.wsgi.application"
ASGI_APPLICATION = "gridmap.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.navigation",
            ],
        },
    },
]

# PostGIS is the one store of record. DATABASE_URL selects it; `make` points it at the
# project-local cluster when it is not set.
# Several hosts (a Patroni pair, libpq's multi-host form) are read by gridmap.settings.dburl.
DATABASES = {
    "default": parse_database_url(
        os.environ.get("DATABASE_URL", "postgis://postgres@127.0.0.1:54329/gridmap"),
        engine="django.contrib.gis.db.backends.postgis",
        conn_max_age=60,
    )
}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
# A persistent connection is checked before reuse, so the app recovers by itself after the
# database restarts (apps.core.db_unavailable answers 503 + Retry-After meanwhile).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
GRIDMAP_DB_RETRY_AFTER = int(os.environ.get("GRIDMAP_DB_RETRY_AFTER", "5"))
# A streaming replica for map, OGC API, tile and export reads (apps.core.db_router).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = parse_database_url(
        os.environ["DATABASE_REPLICA_URL"],
        engine="django.contrib.gis.db.backends.postgis",
        conn_max_age=60,
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["apps.core.db_router.PrimaryReplicaRouter"]
# After a write, a person's reads stay on the primary this long (read-your-writes).
GRIDMAP_READ_YOUR_WRITES_SECONDS = int(os.environ.get("GRIDMAP_READ_YOUR_WRITES_SECONDS", "15"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Sign-in throttling (apps.accounts.throttle): after this many failures for one user name
# from one address within the window, that pair is refused (429) until the window passes.
GRIDMAP_LOGIN_FAILURE_LIMIT = int(os.environ.get("GRIDMAP_LOGIN_FAILURE_LIMIT", "5"))
GRIDMAP_LOGIN_FAILURE_WINDOW = int(os.environ.get("GRIDMAP_LOGIN_FAILURE_WINDOW", "900"))
# Behind a proxy that sets the client's address in a header, e.g. "HTTP_X_REAL_IP".
GRIDMAP_CLIENT_IP_HEADER = os.environ.get("GRIDMAP_CLIENT_IP_HEADER", "")
# The site's public address, e.g. https://gridmap.example.org: links in e-mails are absolute
# with it (a resident opens the tracking page from a mail client), relative without it.
GRIDMAP_SITE_URL = os.environ.get("GRIDMAP_SITE_URL", "").strip().rstrip("/")
# Outgoing e-mail (report notifications and reminders). Production sends through SMTP; the
# development and test settings keep mail on the console and in memory.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)  # implicit TLS, usually port 465
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "gridmap <noreply@localhost>")
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Above this many features in view, the map draws buildings and reports from vector tiles
# (apps.maps.views.TILE_THRESHOLD is the default).
if os.environ.get("GRIDMAP_MAP_TILE_THRESHOLD"):
    GRIDMAP_MAP_TILE_THRESHOLD = int(os.environ["GRIDMAP_MAP_TILE_THRESHOLD"])
# Sessions end two weeks after sign-in (or the session's last change), or when the browser
# closes if DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE is set. Not renewed on every request:
# that would cost a database write per page view.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(14 * 24 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# `collectstatic` writes here (production); WhiteNoise serves it from the app server.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries from npm (package-lock.json), served locally under /static/vendor/.
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules/leaflet.markercluster/dist"),
    ("vendor/chart.js", BASE_DIR / "node_modules/chart.js/dist"),
    ("vendor/leaflet.vectorgrid", BASE_DIR / "node_modules/leaflet.vectorgrid/dist"),
    ("vendor/protomaps-leaflet", BASE_DIR / "node_modules/protomaps-leaflet/dist"),
    (
        "vendor/leaflet-geoman",
        BASE_DIR / "node_modules/@geoman-io/leaflet-geoman-free/dist",
    ),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production swaps in WhiteNoise's CompressedManifestStaticFilesStorage (hashed names).
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("GRIDMAP_MEDIA_ROOT", BASE_DIR / "media"))

# Django 5.2 prefers GDAL >= 3.9; Debian 12's 3.6 does all that gridmap needs.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    # Reads are public where the data is (rows are scoped per view); writes need a sign-in
    # unless a view says otherwise (anonymous report submission).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "apps.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "apps.api.exceptions.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "gridmap API",
    "VERSION": "1.0.0",
    # Swagger UI and ReDoc from the drf-spectacular-sidecar package: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.api.schema.add_multipart_geometries",
        "apps.api.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "apps.reports.states.Status",
        "ReportActionEnum": "apps.reports.states.Action",
        "ReportStaffActionEnum": "apps.api.serializers.reports.STAFF_ACTIONS",
        "WorkStatusEnum": "apps.works.workflow.WorkStatus",
        "WorkActionEnum": "apps.api.serializers.works.WORK_ACTIONS",
        "NoticeStatusEnum": "apps.notices.models.Notice.Status",
        "NoticeSectionEnum": "apps.notices.models.Notice.Section",
        "NoticeActionEnum": "apps.api.serializers.notices.NOTICE_ACTIONS",
        "NoticeAttachmentKindEnum": "apps.notices.models.NoticeAttachment.Kind",
        "LedgerEntryStatusEnum": "apps.ledger.models.LedgerEntry.Status",
        "LedgerEntryKindEnum": "apps.ledger.models.LedgerEntry.Kind",
        "LedgerActionEnum": "apps.api.serializers.ledger.LEDGER_ACTIONS",
        "SlotBookingStatusEnum": "apps.station.models.SlotBooking.Status",
        "ToolLoanStatusEnum": "apps.station.models.ToolLoan.Status",
        "ParcelStatusEnum": "apps.station.models.Parcel.Status",
        "FacilityKindEnum": "apps.facilities.models.FacilityKind",
    },
}

# Basemaps: "none" (default, offline), or one or more of "osm", "tianditu", "tianditu_img"
# (both need GRIDMAP_TIANDITU_KEY) and "amap" (GCJ-02: overlays are shifted for display only),
# comma-separated. With none, Leaflet draws no tiles and the map still works on our layers.
GRIDMAP_BASEMAP = os.environ.get("GRIDMAP_BASEMAP", "none").strip().lower()
GRIDMAP_TIANDITU_KEY = os.environ.get("GRIDMAP_TIANDITU_KEY", "")

LEAFLET_CONFIG = {
    # Filled in by apps.maps.basemaps.leaflet_tiles(); empty means no tile requests at all.
    "TILES": [],
    "DEFAULT_CENTER": (28.19, 112.98),  # Changsha
    "DEFAULT_ZOOM": 14,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 19,
    "RESET_VIEW": False,
    # No SRID: the map displays in Web Mercator (what OSM/Tianditu _w tiles use); Leaflet
    # still takes and gives WGS 84 lat/lng, so stored data stays EPSG:4326.
}

# Content-Security-Policy (django-csp 4): everything from this site only. Scripts carry no
# inline code except django-leaflet's map set-up, which gets the per-response nonce; styles
# allow 'unsafe-inline' because Leaflet and its plugins position tiles, markers and popups
# with style attributes at run time (a style cannot run code). Tile hosts of the configured
# basemaps are added to img-src per response (apps.core.csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
