"""Settings shared by every environment. Configuration comes from environment variables."""

import os
from pathlib import Path

import dj_database_url

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
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default="postgis://postgres@127.0.0.1:54329/gridmap",
        engine="django.contrib.gis.db.backends.postgis",
        conn_max_age=60,
    )
}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries from npm (package-lock.json), served locally under /static/vendor/.
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules/leaflet.markercluster/dist"),
    ("vendor/chart.js", BASE_DIR / "node_modules/chart.js/dist"),
    ("vendor/leaflet.vectorgrid", BASE_DIR / "node_modules/leaflet.vectorgrid/dist"),
    (
        "vendor/leaflet-geoman",
        BASE_DIR / "node_modules/@geoman-io/leaflet-geoman-free/dist",
    ),
]
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
