"""/api/v1/: the REST API (schema at /api/schema/, docs at /api/docs/)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .views import geo, reports, works

app_name = "api"

router = DefaultRouter()
router.register("communities", geo.CommunityViewSet, basename="community")
router.register("grids", geo.GridViewSet, basename="grid")
router.register("compounds", geo.CompoundViewSet, basename="compound")
router.register("buildings", geo.BuildingViewSet, basename="building")
router.register("facilities", geo.FacilityViewSet, basename="facility")
router.register("report-categories", reports.CategoryViewSet, basename="report-category")
router.register("reports", reports.ReportViewSet, basename="report")
router.register("tracking", reports.TrackingViewSet, basename="tracking")
router.register("works", works.WorkViewSet, basename="work")
router.register("programmes", works.ProgrammeViewSet, basename="programme")

urlpatterns = [path("", include(router.urls))]
