"""Top-level URLs."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="maps:map", permanent=False), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Sign-in for everyone (residents, grid workers...): the admin's own login refuses non-staff.
    path("accounts/", include("django.contrib.auth.urls")),
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
    path("ogcapi/", include("apps.ogcapi.urls")),
    path("tiles/", include("apps.ogcapi.tile_urls")),
    path("", include("apps.dataio.urls")),
    path("api/v1/", include("apps.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
