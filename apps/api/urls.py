"""/api/v1/: the REST API (schema at /api/schema/, docs at /api/docs/)."""

from django.urls import include, path, re_path

from .routing import NumericIdRouter, not_found
from .views import geo, notice_attachments, reports, station_desk, works
from .views import ledger as ledger_views
from .views import meetings as meeting_views
from .views import notices as notice_views
from .views import patrol_planning as planning_views
from .views import patrols as patrol_views
from .views import station as station_views

app_name = "api"

router = NumericIdRouter()
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
router.register("notices", notice_views.NoticeViewSet, basename="notice")
router.register("ledger-entries", ledger_views.LedgerEntryViewSet, basename="ledger-entry")
router.register("ledger-balances", ledger_views.CompoundBalanceViewSet, basename="ledger-balance")
router.register("patrol-plans", patrol_views.PatrolPlanViewSet, basename="patrol-plan")
router.register("patrols", patrol_views.PatrolInstanceViewSet, basename="patrol")
router.register("planning/plans", planning_views.PlanningPlanViewSet, basename="planning-plan")
router.register(
    "planning/assignments", planning_views.GridAssignmentViewSet, basename="planning-assignment"
)
router.register("planning/duty-shifts", planning_views.DutyShiftViewSet, basename="duty-shift")
router.register("planning/patrols", planning_views.PatrolActionViewSet, basename="planning-patrol")
router.register("stations", station_views.StationViewSet, basename="station")
router.register("station-bookables", station_views.BookableViewSet, basename="station-bookable")
router.register("station-tools", station_views.ToolViewSet, basename="station-tool")
router.register("my-bookings", station_views.MyBookingViewSet, basename="my-booking")
router.register("my-loans", station_views.MyLoanViewSet, basename="my-loan")
router.register("station-desks", station_desk.StationDeskViewSet, basename="station-desk")
router.register("desk-bookings", station_desk.DeskBookingViewSet, basename="desk-booking")
router.register("desk-loans", station_desk.DeskLoanViewSet, basename="desk-loan")
router.register("desk-parcels", station_desk.DeskParcelViewSet, basename="desk-parcel")
router.register("my-parcels", station_desk.MyParcelViewSet, basename="my-parcel")
router.register(
    "notice-attachments", notice_attachments.NoticeAttachmentViewSet, basename="notice-attachment"
)
router.register("meetings", meeting_views.MeetingViewSet, basename="meeting")

urlpatterns = [
    path("", include(router.urls)),
    # Anything else under /api/v1/ (ending in a slash, so APPEND_SLASH still redirects the
    # rest): a JSON 404, not the site's HTML page.
    re_path(r"^(?P<path>[\s\S]*/)$", not_found),
]
