"""Top-level URLs."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts import views as account_views
from apps.accounts.views import SignInView
from apps.core.history_admin import deleted_records_view
from apps.ogcapi import views as ogcapi_views

urlpatterns = [
    # The map for visitors; a signed-in person's own work (apps.accounts.home).
    path("", account_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Deleted records with a Restore button (audit history, apps.core.history_admin).
    path(
        "admin/deleted/",
        admin.site.admin_view(deleted_records_view),
        name="admin-deleted-records",
    ),
    path("admin/", admin.site.urls),
    # Sign-in for everyone (residents, grid workers...): the admin's own login refuses non-staff.
    # It lands each person where their work is (apps.accounts.home).
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    # The signed-in person's own data: download it, delete the account.
    path("account/", include("apps.accounts.urls")),
    path("", include("apps.maps.urls")),
    path("", include("apps.reports.urls")),
    path("open311/", include("apps.open311.urls")),
    path("", include("apps.meetings.urls")),
    path("figures/", include("apps.reports.figures.urls")),
    path("", include("apps.works.urls")),
    path("", include("apps.ledger.urls")),
    path("", include("apps.station.urls")),
    path("", include("apps.notices.urls")),
    path("", include("apps.patrols.urls")),
    # QGIS 3.22's OAPIF source crashes on a redirect of the landing page: answer /ogcapi
    # itself rather than redirect it to /ogcapi/.
    re_path(r"^ogcapi$", ogcapi_views.landing, name="ogcapi-landing-no-slash"),
    path("ogcapi/", include("apps.ogcapi.urls")),
    path("tiles/", include("apps.ogcapi.tile_urls")),
    path("", include("apps.dataio.urls")),
    path("api/v1/", include("apps.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's set-up as a script file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
# A database that cannot be reached is a retryable 503, not a 500 (apps.core.db_unavailable).
handler500 = "apps.core.db_unavailable.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
