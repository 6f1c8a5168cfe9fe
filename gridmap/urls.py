"""Top-level URLs."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="maps:map", permanent=False), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("apps.maps.urls")),
    path("", include("apps.reports.urls")),
    path("", include("apps.works.urls")),
    path("", include("apps.ledger.urls")),
    path("", include("apps.station.urls")),
    path("", include("apps.notices.urls")),
    path("", include("apps.patrols.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
